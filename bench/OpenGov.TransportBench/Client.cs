using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace OpenGov.TransportBench;

/// <summary>
/// Opens the viewers of one transport, has the server broadcast, and prints one Markdown row: delivery latency
/// (server's UTC ticks in the change → the viewer has parsed it), server memory per connection (RSS and managed heap
/// after a full GC, before and after connecting, divided by the connections) and server CPU while broadcasting.
/// </summary>
internal static class BenchClient
{
    public static async Task<int> RunAsync(BenchArgs a)
    {
        using var control = new HttpClient { BaseAddress = a.Url, Timeout = Timeout.InfiniteTimeSpan };
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, UseCookies = false, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        using var stop = new CancellationTokenSource();
        Viewer NewViewer() => a.Transport == "sse" ? new SseViewer(http, new Uri(a.Url, "/sse")) : new SignalRViewer(new Uri(a.Url, "/hub"));

        if (a.Header)
        {
            Console.WriteLine("| transport | clients | load average (1 min, end of run) | connected | connect time | changes sent | deliveries | p50 | p99 | max | server RSS per connection | server heap per connection | server RSS (before → after connect) | server CPU while broadcasting | server CPU per delivery | server allocated | client CPU | bytes per change on the wire | dropped / lost |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        }

        // Warm-up: the transport's code is compiled and its pools exist before the baseline is taken.
        var warm = Enumerable.Range(0, 20).Select(_ => NewViewer()).ToList();
        await Task.WhenAll(warm.Select(v => v.ConnectAsync(stop.Token)));
        await Broadcast(control, a.Transport, a.Rate, 1);
        foreach (var v in warm)
        {
            await v.DisposeAsync();
        }

        await Task.Delay(1000);
        var before = await Gc(control);

        var viewers = new List<Viewer>(a.Clients);
        var connectClock = Stopwatch.StartNew();
        using (var gate = new SemaphoreSlim(200))
        {
            var opening = new List<Task>(a.Clients);
            for (var i = 0; i < a.Clients; i++)
            {
                var v = NewViewer();
                viewers.Add(v);
                await gate.WaitAsync();
                opening.Add(Task.Run(async () =>
                {
                    try
                    {
                        await v.ConnectAsync(stop.Token);
                    }
                    finally
                    {
                        gate.Release();
                    }
                }));
            }

            await Task.WhenAll(opening);
        }

        var connectSeconds = connectClock.Elapsed.TotalSeconds;
        var connected = viewers.Count(v => v.Connected);
        await Task.Delay(2000);
        var after = await Gc(control);

        using var self = Process.GetCurrentProcess();
        var clientCpu0 = self.TotalProcessorTime;
        var result = await Broadcast(control, a.Transport, a.Rate, a.Seconds);
        await Task.Delay(1500); // the last deliveries
        self.Refresh();
        var clientCpu = (self.TotalProcessorTime - clientCpu0).TotalSeconds;

        var latencies = viewers.SelectMany(v => v.Latencies).Order().ToArray();
        double P(double q) => latencies.Length == 0 ? double.NaN : latencies[Math.Min(latencies.Length - 1, (int)Math.Floor(q * latencies.Length))];
        var lost = viewers.Count(v => v.Connected && v.Lost);
        var perConnection = connected == 0 ? 0 : (after.RssBytes - before.RssBytes) / (double)connected;
        var heapPerConnection = connected == 0 ? 0 : (after.HeapBytes - before.HeapBytes) / (double)connected;
        var sample = ChangeMessage.Create(1_000, DateTime.UtcNow.Ticks);
        var wire = a.Transport == "sse"
            ? SseSide.Frame(sample).Length
            : new JsonHubProtocol().GetMessageBytes(new InvocationMessage(nameof(IViewerClient.Change), [sample])).Length;
        var name = a.Transport == "sse" ? "SSE" : "SignalR (WebSockets, JSON)";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {a.Clients:N0} | {LoadAverage()} | {connected:N0} | {connectSeconds:F1} s | {result.Sent} | {latencies.Length:N0} / {(long)result.Sent * connected:N0} | {P(0.5):F0} ms | {P(0.99):F0} ms | {P(1.0):F0} ms | {perConnection / 1024:F1} KB | {heapPerConnection / 1024:F1} KB | {before.RssBytes / 1048576.0:F0} → {after.RssBytes / 1048576.0:F0} MB | {100 * result.CpuSeconds / result.WallSeconds:F0} % of a core ({result.CpuSeconds:F1} s in {result.WallSeconds:F1} s) | {(latencies.Length == 0 ? double.NaN : result.CpuSeconds * 1e6 / latencies.Length):F1} µs | {result.AllocatedMb:F0} MB, {result.Gen0} gen0 / {result.Gen2} gen2 GCs | {100 * clientCpu / result.WallSeconds:F0} % | {wire} | {result.Dropped} / {lost} |"));
        await stop.CancelAsync();
        return 0;
    }

    private static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    private static async Task<ServerStats> Gc(HttpClient control)
    {
        using var r = await control.PostAsync(new Uri("/gc", UriKind.Relative), null);
        r.EnsureSuccessStatusCode();
        return (await r.Content.ReadFromJsonAsync<ServerStats>(ChangeMessage.Json))!;
    }

    private static async Task<BroadcastResult> Broadcast(HttpClient control, string transport, int rate, int seconds)
    {
        using var r = await control.PostAsync(new Uri(string.Create(CultureInfo.InvariantCulture, $"/broadcast?transport={transport}&rate={rate}&seconds={seconds}"), UriKind.Relative), null);
        r.EnsureSuccessStatusCode();
        return (await r.Content.ReadFromJsonAsync<BroadcastResult>(ChangeMessage.Json))!;
    }
}

/// <summary>One viewer; latencies are recorded by the connection's single receive loop.</summary>
internal abstract class Viewer : IAsyncDisposable
{
    public bool Connected { get; protected set; }

    /// <summary>The connection ended before the end of the run.</summary>
    public bool Lost { get; protected set; }

    public List<double> Latencies { get; } = [];

    public abstract Task ConnectAsync(CancellationToken ct);

    public abstract ValueTask DisposeAsync();

    protected void Received(ChangeMessage change) => Latencies.Add((DateTime.UtcNow.Ticks - change.SentAt) / (double)TimeSpan.TicksPerMillisecond);
}

/// <summary>Reads <c>text/event-stream</c> as EventSource does: frames end with a blank line; the data line is parsed as JSON.</summary>
internal sealed class SseViewer(HttpClient http, Uri url) : Viewer
{
    private HttpResponseMessage? _response;
    private CancellationTokenSource? _stop;

    public override async Task ConnectAsync(CancellationToken ct)
    {
        try
        {
            _stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            _response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, _stop.Token);
            if (!_response.IsSuccessStatusCode)
            {
                return;
            }

            var stream = await _response.Content.ReadAsStreamAsync(_stop.Token);
            Connected = true;
            _ = Task.Run(() => PumpAsync(stream, _stop.Token), CancellationToken.None);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
        {
        }
    }

    private async Task PumpAsync(Stream stream, CancellationToken ct)
    {
        var buffer = new byte[4096];
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                var n = await stream.ReadAsync(buffer.AsMemory(length), ct);
                if (n <= 0)
                {
                    Lost = !ct.IsCancellationRequested;
                    return;
                }

                length += n;
                var start = 0;
                while (buffer.AsSpan(start, length - start).IndexOf("\n\n"u8) is var end && end >= 0)
                {
                    Frame(buffer.AsSpan(start, end));
                    start += end + 2;
                }

                buffer.AsSpan(start, length - start).CopyTo(buffer);
                length -= start;
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
        {
            Lost = !ct.IsCancellationRequested;
        }
    }

    private void Frame(ReadOnlySpan<byte> frame)
    {
        var at = frame.IndexOf("\ndata: "u8);
        if (at < 0)
        {
            return;
        }

        var data = frame[(at + 7)..];
        var eol = data.IndexOf((byte)'\n');
        var change = JsonSerializer.Deserialize<ChangeMessage>(eol < 0 ? data : data[..eol], ChangeMessage.Json);
        if (change is not null)
        {
            Received(change);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (_stop is not null)
        {
            await _stop.CancelAsync();
            _stop.Dispose();
        }

        _response?.Dispose();
    }
}

/// <summary>A SignalR client over WebSockets (no negotiate round trip, one socket per viewer), JSON hub protocol.</summary>
internal sealed class SignalRViewer : Viewer
{
    private readonly HubConnection _connection;
    private bool _disposing;

    public SignalRViewer(Uri url)
    {
        _connection = new HubConnectionBuilder()
            .WithUrl(url, o =>
            {
                o.SkipNegotiation = true;
                o.Transports = HttpTransportType.WebSockets;
            })
            .Build();
        _connection.On<ChangeMessage>(nameof(IViewerClient.Change), Received);
        _connection.Closed += _ =>
        {
            Lost = !_disposing;
            return Task.CompletedTask;
        };
    }

    public override async Task ConnectAsync(CancellationToken ct)
    {
        try
        {
            await _connection.StartAsync(ct);
            Connected = true;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException or System.Net.WebSockets.WebSocketException)
        {
        }
    }

    public override ValueTask DisposeAsync()
    {
        _disposing = true;
        return _connection.DisposeAsync();
    }
}
