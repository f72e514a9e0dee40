using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.SignalR;

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
        builder.Services.AddSingleton<SseFanOut>();
        builder.Services.AddSingleton<HubCount>();
        var app = builder.Build();

        app.MapGet("/healthz", () => TypedResults.Text("ok"));
        app.MapGet("/sse", (HttpContext ctx, SseFanOut fan) => fan.StreamAsync(ctx));
        app.MapHub<ViewerHub>("/hub");
        app.MapPost("/gc", (SseFanOut fan, HubCount hubs) => TypedResults.Ok(ServerStats.AfterFullGc(fan.Count + hubs.Count)));
        app.MapPost("/broadcast", (string transport, int rate, int seconds, SseFanOut fan, HubCount hubs, IHubContext<ViewerHub, IViewerClient> hub) =>
            BroadcastAsync(transport, rate, seconds, fan, hubs, hub));
        await app.RunAsync();
    }

    /// <summary>
    /// The same change <paramref name="rate"/> times per second for <paramref name="seconds"/>: handed to every SSE
    /// queue (one frame, one byte array) or to the SignalR group. Neither send is awaited in the loop (OpenGov's feed
    /// does not wait for connections either); the SignalR sends still pending are awaited at the end.
    /// </summary>
    private static async Task<Ok<BroadcastResult>> BroadcastAsync(string transport, int rate, int seconds, SseFanOut fan, HubCount hubs, IHubContext<ViewerHub, IViewerClient> hub)
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
                dropped += fan.Broadcast(ChangeMessage.SseFrame(change));
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

/// <summary>
/// The SSE side, as <c>EventFeed</c>/<c>FeedSubscriber</c>/<c>EventStream</c> do it: one list of subscribers, a
/// bounded queue (64) per connection, the same byte array offered to every queue, a connection whose queue is full
/// closed instead of buffered, and per connection one loop that writes what is queued and flushes once.
/// </summary>
internal sealed class SseFanOut
{
    private readonly object _gate = new();
    private readonly List<Subscriber> _subscribers = [];

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _subscribers.Count;
            }
        }
    }

    /// <summary>Offers the frame to every queue; returns how many connections were dropped because theirs was full.</summary>
    public int Broadcast(byte[] frame)
    {
        var dropped = 0;
        lock (_gate)
        {
            for (var i = _subscribers.Count - 1; i >= 0; i--)
            {
                if (!_subscribers[i].Offer(frame))
                {
                    _subscribers.RemoveAt(i);
                    dropped++;
                }
            }
        }

        return dropped;
    }

    public async Task StreamAsync(HttpContext ctx)
    {
        var ct = ctx.RequestAborted;
        var sub = new Subscriber(64);
        lock (_gate)
        {
            _subscribers.Add(sub);
        }

        try
        {
            ctx.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            ctx.Response.ContentType = "text/event-stream; charset=utf-8";
            ctx.Response.Headers.CacheControl = "no-cache, no-store";
            ctx.Response.Headers["X-Accel-Buffering"] = "no";
            var body = ctx.Response.BodyWriter;
            await body.WriteAsync("retry: 2000\n:connected\n\n"u8.ToArray(), ct);
            var reader = sub.Reader;
            while (await reader.WaitToReadAsync(ct))
            {
                while (reader.TryRead(out var frame))
                {
                    body.Write(frame);
                }

                var flushed = await body.FlushAsync(ct);
                if (flushed.IsCompleted || flushed.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (IOException)
        {
        }
        finally
        {
            lock (_gate)
            {
                _subscribers.Remove(sub);
            }

            sub.Complete();
        }
    }

    private sealed class Subscriber(int capacity)
    {
        private readonly Channel<byte[]> _queue = Channel.CreateBounded<byte[]>(
            new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = false, FullMode = BoundedChannelFullMode.Wait });

        public ChannelReader<byte[]> Reader => _queue.Reader;

        public bool Offer(byte[] frame)
        {
            if (_queue.Writer.TryWrite(frame))
            {
                return true;
            }

            _queue.Writer.TryComplete();
            return false;
        }

        public void Complete() => _queue.Writer.TryComplete();
    }
}
