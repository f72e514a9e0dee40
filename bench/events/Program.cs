// Load generator for the live question stream (127.0.0.1 only, bounded in time).
// Opens N server-sent-event viewers on one node, posts questions and votes at a fixed rate on the same or another
// node, and reports delivery latency (post sent -> question seen by each viewer), server memory per connection
// (RSS growth / N) and, in --throughput mode, how many posts and votes per second the node accepts (in
// --poll-throughput mode, how many poll answers).
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

var opts = Args.Parse(args);
using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, UseCookies = false, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };

// 1. the event
var slug = "bench-" + Guid.NewGuid().ToString("N")[..8];
using var create = new HttpRequestMessage(HttpMethod.Post, opts.PostUrl + "/api/events") { Content = JsonContent.Create(new { slug, title = "負荷試験", questionCode = slug[6..] }) };
create.Headers.TryAddWithoutValidation("Authorization", opts.Token);
using (var r = await http.SendAsync(create))
{
    if (!r.IsSuccessStatusCode)
    {
        Console.Error.WriteLine($"create event: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
        return 1;
    }
}

var code = slug[6..];

if (opts.PollThroughput > 0)
{
    return await PollThroughput(http, opts, slug, code);
}

if (opts.Throughput > 0)
{
    return await Throughput(http, opts, code);
}

// 2. viewers
await Task.Delay(500);
var rss0 = Rss(opts.ServerPid);
var viewers = new List<Viewer>();
using var stop = new CancellationTokenSource();
var connectClock = Stopwatch.StartNew();
using (var gate = new SemaphoreSlim(200))
{
    var opening = new List<Task>();
    for (var i = 0; i < opts.Viewers; i++)
    {
        var v = new Viewer();
        viewers.Add(v);
        await gate.WaitAsync();
        opening.Add(Task.Run(async () =>
        {
            try
            {
                await v.ConnectAsync(http, $"{opts.ViewUrl}/q/{code}/stream", stop.Token);
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    await Task.WhenAll(opening);
}

var connected = viewers.Count(v => v.Connected);
var connectSeconds = connectClock.Elapsed.TotalSeconds;
await Task.Delay(3000);
var rss1 = Rss(opts.ServerPid);
var perConnection = connected == 0 ? 0 : (rss1 - rss0) / connected;

// 3. posts and votes at the rate (half each); the latency is measured on the questions
var posted = 0;
var voted = 0;
var failed = 0;
var questionIds = new List<long>();
var interval = TimeSpan.FromSeconds(1.0 / opts.Rate);
var loadClock = Stopwatch.StartNew();
var sends = new List<Task>();
for (var n = 0; loadClock.Elapsed < TimeSpan.FromSeconds(opts.Seconds); n++)
{
    var due = interval * n;
    var wait = due - loadClock.Elapsed;
    if (wait > TimeSpan.Zero)
    {
        await Task.Delay(wait);
    }

    if (n % 2 == 0 || questionIds.Count == 0)
    {
        sends.Add(Task.Run(async () =>
        {
            var marker = DateTime.UtcNow.Ticks;
            using var r = await http.PostAsJsonAsync($"{opts.PostUrl}/q/{code}/api/questions", new { text = $"質問 bench-t={marker};" });
            if (r.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref posted);
                var id = (await r.Content.ReadFromJsonAsync<JsonObject>())!["question"]!["id"]!.GetValue<long>();
                lock (questionIds)
                {
                    questionIds.Add(id);
                }
            }
            else
            {
                Interlocked.Increment(ref failed);
            }
        }));
    }
    else
    {
        long id;
        lock (questionIds)
        {
            id = questionIds[Random.Shared.Next(questionIds.Count)];
        }

        sends.Add(Task.Run(async () =>
        {
            using var r = await http.PostAsync($"{opts.PostUrl}/q/{code}/api/questions/{id}/vote", JsonContent.Create(new { }));
            if (r.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref voted);
            }
            else
            {
                Interlocked.Increment(ref failed);
            }
        }));
    }
}

await Task.WhenAll(sends);
await Task.Delay(2000); // let the last deliveries arrive
var rss2 = Rss(opts.ServerPid);
await stop.CancelAsync();

var latencies = viewers.SelectMany(v => v.Latencies).Order().ToArray();
var expected = (long)posted * connected;
double P(double q) => latencies.Length == 0 ? double.NaN : latencies[Math.Min(latencies.Length - 1, (int)Math.Floor(q * latencies.Length))];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"| {opts.Label} | {opts.Viewers:N0} | {connected:N0} | {connectSeconds:F1} s | {opts.Rate}/s | {posted} + {voted} ({failed} failed) | {latencies.Length:N0} / {expected:N0} | {P(0.5):F0} ms | {P(0.99):F0} ms | {P(1.0):F0} ms | {perConnection / 1024.0:F1} KB | {rss1 / 1048576.0:F0} → {rss2 / 1048576.0:F0} MB |"));
return 0;

static async Task<int> Throughput(HttpClient http, Args opts, string code)
{
    // Seed questions, then fresh participants (no cookie: one participant per request) post and vote as fast as
    // the node accepts for opts.Throughput seconds.
    var ids = new List<long>();
    for (var i = 0; i < 20; i++)
    {
        using var r = await http.PostAsJsonAsync($"{opts.PostUrl}/q/{code}/api/questions", new { text = "種の質問" + i });
        ids.Add((await r.Content.ReadFromJsonAsync<JsonObject>())!["question"]!["id"]!.GetValue<long>());
    }

    var ok = 0;
    var rejected = 0;
    var clock = Stopwatch.StartNew();
    var end = TimeSpan.FromSeconds(opts.Throughput);
    var workers = Enumerable.Range(0, opts.Concurrency).Select(w => Task.Run(async () =>
    {
        for (var n = 0; clock.Elapsed < end; n++)
        {
            using var r = n % 4 == 0
                ? await http.PostAsJsonAsync($"{opts.PostUrl}/q/{code}/api/questions", new { text = $"質問 {w}-{n}" })
                : await http.PostAsync($"{opts.PostUrl}/q/{code}/api/questions/{ids[(w + n) % ids.Count]}/vote", JsonContent.Create(new { }));
            if (r.StatusCode == HttpStatusCode.OK)
            {
                Interlocked.Increment(ref ok);
            }
            else
            {
                Interlocked.Increment(ref rejected);
            }
        }
    })).ToArray();
    await Task.WhenAll(workers);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {opts.Label} | {opts.Concurrency} | {clock.Elapsed.TotalSeconds:F1} s | {ok:N0} | {rejected:N0} | {ok / clock.Elapsed.TotalSeconds:F0}/s |"));
    return 0;
}

static async Task<int> PollThroughput(HttpClient http, Args opts, string slug, string code)
{
    // Three open polls (single choice, rating, free words); fresh participants (no cookie: one participant per
    // request) answer them in turn as fast as the node accepts for opts.PollThroughput seconds. Afterwards the
    // public results must count exactly the answers that were accepted.
    async Task<long> CreatePoll(object body)
    {
        using var create = new HttpRequestMessage(HttpMethod.Post, $"{opts.PostUrl}/api/events/{slug}/polls") { Content = JsonContent.Create(body) };
        create.Headers.TryAddWithoutValidation("Authorization", opts.Token);
        using var r = await http.SendAsync(create);
        var id = (await r.Content.ReadFromJsonAsync<JsonObject>())!["poll"]!.GetValue<long>();
        using var open = new HttpRequestMessage(HttpMethod.Post, $"{opts.PostUrl}/api/events/{slug}/polls/{id}/open") { Content = JsonContent.Create(new { }) };
        open.Headers.TryAddWithoutValidation("Authorization", opts.Token);
        using var o = await http.SendAsync(open);
        o.EnsureSuccessStatusCode();
        return id;
    }

    string[] choices = ["初めて", "2回目", "3回目以上"];
    var single = await CreatePoll(new { kind = "single", questionJa = "参加は何回目？", options = choices });
    var rating = await CreatePoll(new { kind = "rating", questionJa = "満足度", maxRating = 5 });
    var words = await CreatePoll(new { kind = "words", questionJa = "ひとことで" });
    JsonArray polls;
    using (var r = await http.GetAsync($"{opts.PostUrl}/q/{code}/api/polls"))
    {
        polls = (await r.Content.ReadFromJsonAsync<JsonObject>())!["polls"]!.AsArray();
    }

    var options = polls.Single(p => p!["id"]!.GetValue<long>() == single)!["options"]!.AsArray().Select(o => o!["id"]!.GetValue<long>()).ToArray();
    string[] phrases = ["オープンデータ", "行政改革", "防災とデータ", "市民参加", "DX推進"];
    var ok = new int[3];
    var rejected = 0;
    var clock = Stopwatch.StartNew();
    var end = TimeSpan.FromSeconds(opts.PollThroughput);
    var workers = Enumerable.Range(0, opts.Concurrency).Select(w => Task.Run(async () =>
    {
        for (var n = 0; clock.Elapsed < end; n++)
        {
            var kind = (w + n) % 3;
            var (poll, body) = kind switch
            {
                0 => (single, (object)new { choices = new[] { options[(w + n) % options.Length] } }),
                1 => (rating, new { rating = 1 + ((w + n) % 5) }),
                _ => (words, new { text = phrases[(w + n) % phrases.Length] }),
            };
            using var r = await http.PostAsync($"{opts.PostUrl}/q/{code}/api/polls/{poll}/answer", JsonContent.Create(body));
            if (r.StatusCode == HttpStatusCode.OK)
            {
                Interlocked.Increment(ref ok[kind]);
            }
            else
            {
                Interlocked.Increment(ref rejected);
            }
        }
    })).ToArray();
    await Task.WhenAll(workers);
    var elapsed = clock.Elapsed.TotalSeconds;
    using (var r = await http.GetAsync($"{opts.PostUrl}/q/{code}/api/polls"))
    {
        polls = (await r.Content.ReadFromJsonAsync<JsonObject>())!["polls"]!.AsArray();
    }

    int Responses(long id) => polls.Single(p => p!["id"]!.GetValue<long>() == id)!["responses"]!.GetValue<int>();
    var counted = Responses(single) + Responses(rating) + Responses(words);
    var accepted = ok.Sum();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {opts.Label} | {opts.Concurrency} | {elapsed:F1} s | {accepted:N0} | {rejected:N0} | {counted:N0}{(counted == accepted ? "" : " (MISMATCH)")} | {accepted / elapsed:F0}/s |"));
    return counted == accepted ? 0 : 2;
}

static long Rss(int pid)
{
    if (pid <= 0)
    {
        return 0;
    }

    GC.KeepAlive(pid);
    foreach (var line in File.ReadLines($"/proc/{pid}/status"))
    {
        if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
        {
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
    }

    return 0;
}

/// <summary>One viewer: reads the stream and records when each new question marker arrives.</summary>
internal sealed class Viewer
{
    private static readonly byte[] Marker = Encoding.ASCII.GetBytes("bench-t=");

    public bool Connected { get; private set; }

    public List<double> Latencies { get; } = [];

    private readonly HashSet<long> _seen = [];

    public async Task ConnectAsync(HttpClient http, string url, CancellationToken ct)
    {
        try
        {
            var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
            if (!response.IsSuccessStatusCode)
            {
                return;
            }

            var stream = await response.Content.ReadAsStreamAsync(ct);
            var first = new byte[256];
            if (await stream.ReadAsync(first, ct) <= 0)
            {
                return;
            }

            Connected = true;
            _ = Task.Run(() => PumpAsync(response, stream, ct), CancellationToken.None);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
        {
        }
    }

    private async Task PumpAsync(HttpResponseMessage response, Stream stream, CancellationToken ct)
    {
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var n = await stream.ReadAsync(buffer, ct);
                if (n <= 0)
                {
                    return;
                }

                var now = DateTime.UtcNow.Ticks;
                var span = buffer.AsSpan(0, n);
                while (span.IndexOf(Marker) is var at && at >= 0)
                {
                    span = span[(at + Marker.Length)..];
                    long value = 0;
                    var i = 0;
                    while (i < span.Length && span[i] is >= (byte)'0' and <= (byte)'9')
                    {
                        value = (value * 10) + (span[i] - '0');
                        i++;
                    }

                    if (_seen.Add(value))
                    {
                        Latencies.Add((now - value) / (double)TimeSpan.TicksPerMillisecond);
                    }
                }
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
        {
        }
        finally
        {
            response.Dispose();
        }
    }
}

internal sealed record Args(string ViewUrl, string PostUrl, string Token, int Viewers, int Rate, int Seconds, int ServerPid, string Label, int Throughput, int Concurrency, int PollThroughput)
{
    public static Args Parse(string[] a)
    {
        string Get(string name, string fallback)
        {
            var i = Array.IndexOf(a, "--" + name);
            return i >= 0 && i + 1 < a.Length ? a[i + 1] : fallback;
        }

        var url = Get("url", "http://127.0.0.1:5400");
        return new Args(url, Get("post-url", url), Get("token", ""), int.Parse(Get("viewers", "1000"), CultureInfo.InvariantCulture),
            int.Parse(Get("rate", "10"), CultureInfo.InvariantCulture), int.Parse(Get("seconds", "20"), CultureInfo.InvariantCulture),
            int.Parse(Get("pid", "0"), CultureInfo.InvariantCulture), Get("label", "one node"),
            int.Parse(Get("throughput", "0"), CultureInfo.InvariantCulture), int.Parse(Get("concurrency", "64"), CultureInfo.InvariantCulture),
            int.Parse(Get("poll-throughput", "0"), CultureInfo.InvariantCulture));
    }
}
