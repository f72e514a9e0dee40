using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.SignalR;
using OpenGov.Events;
using OpenGov.Events.Live;

namespace OpenGov.TransportBench;

/// <summary>Both transports in one Kestrel process on 127.0.0.1, plus the control endpoints of the client.</summary>
internal static class BenchServer
{
    public static async Task RunAsync(BenchArgs a)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, a.Port));
        builder.Services.AddSignalR();
        builder.Services.AddSingleton<HubCount>();
        var data = Directory.CreateTempSubdirectory("opengov-transport-bench-data.");
        SseSide.AddServices(builder.Services, builder.Configuration, data.FullName);
        var app = builder.Build();
        await SseSide.PrepareAsync(app.Services);

        app.MapGet("/healthz", () => TypedResults.Text("ok"));
        app.MapGet("/sse", (HttpContext ctx, EventBus bus) => EventStream.RunAsync(ctx, bus, SseSide.EventId, moderator: false));
        app.MapHub<ViewerHub>("/hub");
        app.MapPost("/gc", (EventBus bus, HubCount hubs) => TypedResults.Ok(ServerStats.AfterFullGc(bus.Connections + hubs.Count)));
        app.MapPost("/broadcast", (string transport, int rate, int seconds, SseSide sse, HubCount hubs, IHubContext<ViewerHub, IViewerClient> hub) =>
            BroadcastAsync(transport, rate, seconds, sse, hubs, hub));
        try
        {
            await app.RunAsync();
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            data.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The same change <paramref name="rate"/> times per second for <paramref name="seconds"/>: appended to the event's
    /// log (OpenGov's feed then hands one frame to every SSE queue) or sent to the SignalR group. No connection is
    /// waited for in the loop (OpenGov's feed does not wait for connections either); the SignalR sends still pending
    /// are awaited at the end.
    /// </summary>
    private static async Task<Ok<BroadcastResult>> BroadcastAsync(string transport, int rate, int seconds, SseSide fan, HubCount hubs, IHubContext<ViewerHub, IViewerClient> hub)
    {
        var sse = transport == "sse";
        using var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var gen0 = GC.CollectionCount(0);
        var gen2 = GC.CollectionCount(2);
        var allocated0 = GC.GetTotalAllocatedBytes();
        var connections = sse ? fan.Count : hubs.Count;
        var interval = TimeSpan.FromSeconds(1.0 / Math.Max(1, rate));
        var pending = new List<Task>();
        var sent = 0;
        var dropped = 0;
        var clock = Stopwatch.StartNew();
        for (var n = 0; clock.Elapsed < TimeSpan.FromSeconds(seconds); n++)
        {
            var wait = (interval * n) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            var change = ChangeMessage.Create(n + 1, DateTime.UtcNow.Ticks);
            if (sse)
            {
                await fan.AppendAsync(change);
            }
            else
            {
                var send = hub.Clients.Group(ViewerHub.Group).Change(change);
                if (!send.IsCompletedSuccessfully)
                {
                    pending.Add(send);
                }
            }

            sent++;
        }

        await Task.WhenAll(pending);
        if (sse)
        {
            // the feed closes a connection whose queue is full (its viewer would reconnect and catch up)
            dropped = Math.Max(0, connections - fan.Count);
        }

        var wall = clock.Elapsed.TotalSeconds;
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpu0).TotalSeconds;
        return TypedResults.Ok(new BroadcastResult(sent, connections, dropped, wall, cpu, GC.CollectionCount(0) - gen0, GC.CollectionCount(2) - gen2,
            (GC.GetTotalAllocatedBytes() - allocated0) / 1048576.0));
    }
}

internal sealed record BroadcastResult(int Sent, int Connections, int Dropped, double WallSeconds, double CpuSeconds, int Gen0, int Gen2, double AllocatedMb);

internal sealed record ServerStats(int Connections, long RssBytes, long HeapBytes)
{
    /// <summary>RSS and managed heap after a full, compacting, decommitting collection.</summary>
    public static ServerStats AfterFullGc(int connections)
    {
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return new ServerStats(connections, Rss(), GC.GetTotalMemory(false));
    }

    private static long Rss()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }
}

/// <summary>Connected hub clients (the default lifetime manager does not tell).</summary>
internal sealed class HubCount
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Add(int delta) => Interlocked.Add(ref _count, delta);
}

/// <summary>Every viewer joins the event's group; the server only ever calls <see cref="IViewerClient.Change"/>.</summary>
internal sealed class ViewerHub(HubCount count) : Hub<IViewerClient>
{
    public const string Group = "event";

    public override async Task OnConnectedAsync()
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, Group);
        count.Add(1);
        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        count.Add(-1);
        return base.OnDisconnectedAsync(exception);
    }
}
