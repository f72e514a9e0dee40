using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using OpenGov.Hosting;
using OpenGov.Storage;
using StackExchange.Redis;

namespace OpenGov.Events;

/// <summary>
/// One log entry ready to send: the SSE frames for moderators and for the public (null when nothing is public); or
/// a chunk of consecutive entries (<see cref="Parts"/>, from <see cref="FirstSeq"/> to <see cref="Seq"/>) with their
/// frames joined, so that a batch of writes costs each connection one queue slot and one flush.
/// </summary>
public sealed record FeedEntry(long Seq, byte[] Moderator, byte[]? Public)
{
    public static readonly FeedEntry Heartbeat = new(-1, ":hb\n\n"u8.ToArray(), ":hb\n\n"u8.ToArray());

    public long FirstSeq { get; init; } = Seq;

    public IReadOnlyList<FeedEntry>? Parts { get; init; }

    public static FeedEntry Of(EventLogEntry e) => new(e.Seq, Frame(e.Seq, e.Payload), e.PublicPayload is null ? null : Frame(e.Seq, e.PublicPayload));

    /// <summary>Consecutive entries as one.</summary>
    public static FeedEntry Chunk(IReadOnlyList<FeedEntry> parts)
    {
        if (parts.Count == 1)
        {
            return parts[0];
        }

        var pub = parts.Where(p => p.Public is not null).Select(p => p.Public!).ToList();
        return new FeedEntry(parts[^1].Seq, Join(parts.Select(p => p.Moderator).ToList()), pub.Count == 0 ? null : Join(pub)) { FirstSeq = parts[0].Seq, Parts = parts };
    }

    private static byte[] Join(List<byte[]> frames)
    {
        var all = new byte[frames.Sum(f => f.Length)];
        var at = 0;
        foreach (var f in frames)
        {
            f.CopyTo(all, at);
            at += f.Length;
        }

        return all;
    }

    private static byte[] Frame(long seq, string json) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"id: {seq}\nevent: change\ndata: {json}\n\n"));
}

/// <summary>
/// Tells the node's feeds (and, with Redis, the other nodes) that an event's log advanced. Messages are tiny
/// ("eventId seq"); each node then reads the new entries from the database once per event.
/// </summary>
public sealed class EventBus : IHostedService, IDisposable
{
    public const string Channel = "opengov:events:advanced";

    private readonly ConcurrentDictionary<string, EventFeed> _feeds = new();
    private readonly IServiceScopeFactory _scopes;
    private readonly EventsOptions _options;
    private readonly ILogger<EventBus> _log;
    private readonly string? _redisConfig;
    private ConnectionMultiplexer? _redis;
    private Timer? _heartbeat;

    public EventBus(IServiceScopeFactory scopes, IOptions<EventsOptions> options, IOptions<OpenGovOptions> og, ILogger<EventBus> log)
    {
        _scopes = scopes;
        _options = options.Value;
        _log = log;
        _redisConfig = og.Value.Redis;
    }

    public EventsOptions Options => _options;

    public int Connections => _feeds.Values.Sum(f => f.Count);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var period = TimeSpan.FromSeconds(Math.Max(1, _options.HeartbeatSeconds));
        _heartbeat = new Timer(_ => Tick(), null, period, period);
        if (!string.IsNullOrWhiteSpace(_redisConfig))
        {
            try
            {
                var cfg = ConfigurationOptions.Parse(_redisConfig);
                cfg.AbortOnConnectFail = false;
                _redis = await ConnectionMultiplexer.ConnectAsync(cfg);
                await _redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(Channel), (_, message) => OnRemote(message));
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException or ArgumentException)
            {
                _log.LogWarning(ex, "Redis unavailable: live updates stay on this node (feeds still re-read the log every {Seconds} s)", _options.SafetyReadSeconds);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _heartbeat?.Dispose();
        foreach (var feed in _feeds.Values)
        {
            feed.Stop();
        }

        return Task.CompletedTask;
    }

    private void Tick()
    {
        foreach (var feed in _feeds.Values)
        {
            feed.Heartbeat();
        }
    }

    private void OnRemote(RedisValue message)
    {
        var text = (string?)message;
        var space = text?.LastIndexOf(' ') ?? -1;
        if (space > 0 && long.TryParse(text.AsSpan(space + 1), CultureInfo.InvariantCulture, out var seq))
        {
            Signal(text![..space], seq);
        }
    }

    /// <summary>Called after a commit: wake this node's feed and publish to the others.</summary>
    public void Advanced(string eventId, long seq)
    {
        Signal(eventId, seq);
        if (_redis is { IsConnected: true } redis)
        {
            _ = redis.GetSubscriber().PublishAsync(RedisChannel.Literal(Channel), eventId + " " + seq.ToString(CultureInfo.InvariantCulture), CommandFlags.FireAndForget);
        }
    }

    private void Signal(string eventId, long seq)
    {
        if (_feeds.TryGetValue(eventId, out var feed))
        {
            feed.Signal(seq);
        }
    }

    private readonly ConcurrentDictionary<string, string> _ids = new(StringComparer.Ordinal);
    /// <summary>
    /// The id of the event with this question code ("q:") or presenter secret ("p:"), cached: a reconnect storm of
    /// thousands of viewers costs one query, and the request keeps no DbContext alive.
    /// </summary>
    public async Task<string?> ResolveAsync(string kind, string key, CancellationToken ct)
    {
        var cacheKey = kind + ":" + key;
        if (_ids.TryGetValue(cacheKey, out var id))
        {
            return id;
        }

        using var scope = _scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
        var normalized = kind == "q" ? key.Trim().ToLowerInvariant() : key;
        var query = kind == "q" ? db.Set<Event>().Where(e => e.QuestionCode == normalized) : db.Set<Event>().Where(e => e.PresenterSecret == normalized);
        var found = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstOrDefaultAsync(query.Select(e => e.Id), ct);
        if (found is not null && _ids.Count < 10_000)
        {
            _ids[cacheKey] = found;
        }

        return found;
    }

    /// <summary>The node's feed of an event (one database reader however many viewers).</summary>
    public EventFeed Feed(string eventId) => _feeds.GetOrAdd(eventId, id => new EventFeed(id, _scopes, _options, _log));

    public void Dispose()
    {
        _heartbeat?.Dispose();
        _redis?.Dispose();
        foreach (var feed in _feeds.Values)
        {
            feed.Dispose();
        }
    }
}

/// <summary>A live connection's queue: bounded; a connection that falls behind is closed and catches up on reconnect.</summary>
public sealed class FeedSubscriber(bool moderator, int capacity)
{
    private readonly Channel<FeedEntry> _queue = System.Threading.Channels.Channel.CreateBounded<FeedEntry>(
        new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = false, FullMode = BoundedChannelFullMode.Wait });

    public bool Moderator { get; } = moderator;

    public ChannelReader<FeedEntry> Reader => _queue.Reader;

    /// <summary>False when the queue is full: the connection is then dropped.</summary>
    public bool Offer(FeedEntry e)
    {
        if (_queue.Writer.TryWrite(e))
        {
            return true;
        }

        _queue.Writer.TryComplete();
        return false;
    }

    public void Complete() => _queue.Writer.TryComplete();
}

/// <summary>
/// The log of one event as seen by this node: one loop reads new entries from the database when signalled (or
/// every few seconds while anyone is connected) and hands them to every subscriber in order. The last entries are
/// kept in memory so a reconnecting client usually catches up without a query.
/// </summary>
public sealed class EventFeed : IDisposable
{
    private readonly string _eventId;
    private readonly IServiceScopeFactory _scopes;
    private readonly EventsOptions _options;
    private readonly ILogger _log;
    private readonly object _gate = new();
    private readonly List<FeedSubscriber> _subscribers = [];
    private readonly Queue<FeedEntry> _ring = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private long _delivered = -1;
    private long _wanted;

    internal EventFeed(string eventId, IServiceScopeFactory scopes, EventsOptions options, ILogger log)
    {
        _eventId = eventId;
        _scopes = scopes;
        _options = options;
        _log = log;
    }

    private int RingSize => Math.Max(1, _options.RingSize);

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

    public void Signal(long seq)
    {
        if (seq > Interlocked.Read(ref _wanted))
        {
            Interlocked.Exchange(ref _wanted, seq);
        }

        if (_wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    public void Heartbeat()
    {
        lock (_gate)
        {
            foreach (var s in _subscribers)
            {
                s.Offer(FeedEntry.Heartbeat);
            }
        }
    }

    private bool _disposed;

    public void Stop()
    {
        if (_disposed)
        {
            return;
        }

        _stop.Cancel();
        lock (_gate)
        {
            foreach (var s in _subscribers)
            {
                s.Complete();
            }
        }
    }

    private Task? _starting;

    /// <summary>Starts the feed once, however many viewers connect at the same moment.</summary>
    private Task EnsureStartedAsync(CancellationToken ct)
    {
        lock (_gate)
        {
            _starting ??= StartAsync();
            return _starting.WaitAsync(ct);
        }
    }

    /// <summary>The log position now, and the last entries into the ring so that reconnects after a restart are served from memory.</summary>
    private async Task StartAsync()
    {
        try
        {
            using var scope = _scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
            var last = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstOrDefaultAsync(
                db.Set<Event>().Where(e => e.Id == _eventId).Select(e => e.LastSeq));
            var recent = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
                Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AsNoTracking(db.Set<EventLogEntry>())
                    .Where(e => e.EventId == _eventId && e.Seq <= last).OrderByDescending(e => e.Seq).Take(RingSize));
            lock (_gate)
            {
                foreach (var e in recent.OrderBy(e => e.Seq))
                {
                    _ring.Enqueue(FeedEntry.Of(e));
                }

                _delivered = last;
                _loop = Task.Run(LoopAsync, CancellationToken.None);
            }
        }
        catch
        {
            lock (_gate)
            {
                _starting = null; // the next viewer tries again
            }

            throw;
        }
    }

    /// <summary>
    /// Subscribes and returns what the client missed after <paramref name="lastSeen"/> (from memory or, when older,
    /// from the database). Entries after the returned ones arrive through the subscriber's queue.
    /// </summary>
    public async Task<(FeedSubscriber Subscriber, List<FeedEntry> Missed, long After)> SubscribeAsync(long? lastSeen, bool moderator, CancellationToken ct)
    {
        await EnsureStartedAsync(ct);
        var sub = new FeedSubscriber(moderator, Math.Max(4, _options.ConnectionBuffer));
        long upTo;
        long afterSeq;
        List<FeedEntry>? missed = null;
        lock (_gate)
        {
            _subscribers.Add(sub);
            upTo = _delivered;
            afterSeq = lastSeen ?? upTo; // no position given: from now on
            if (afterSeq >= upTo)
            {
                missed = [];
            }
            else if (_ring.Count > 0 && _ring.Peek().Seq <= afterSeq + 1)
            {
                missed = _ring.Where(e => e.Seq > afterSeq).ToList();
            }
        }

        if (missed is null)
        {
            missed = [];
            using var scope = _scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
            var from = afterSeq;
            while (from < upTo)
            {
                var batch = await EventService.ReadLogAsync(db, _eventId, from, upTo, 1000, ct);
                if (batch.Count == 0)
                {
                    break;
                }

                missed.AddRange(batch.Select(FeedEntry.Of));
                from = batch[^1].Seq;
            }
        }

        return (sub, missed, afterSeq);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        Stop();
        _disposed = true;
        _stop.Dispose();
    }

    public void Unsubscribe(FeedSubscriber sub)
    {
        lock (_gate)
        {
            _subscribers.Remove(sub);
        }

        sub.Complete();
    }

    private async Task LoopAsync()
    {
        var ct = _stop.Token;
        var safety = TimeSpan.FromSeconds(Math.Max(0.2, _options.SafetyReadSeconds));
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await _wake.WaitAsync(safety, ct);
                if (Count == 0 && Interlocked.Read(ref _wanted) <= Volatile.Read(ref _delivered))
                {
                    continue;
                }

                await ReadNewAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _log.LogWarning(ex, "Reading the log of event {Event} failed; retrying", _eventId);
                await Task.Delay(500, CancellationToken.None);
            }
        }
    }

    private async Task ReadNewAsync(CancellationToken ct)
    {
        using var scope = _scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
        while (true)
        {
            var batch = await EventService.ReadLogAsync(db, _eventId, Volatile.Read(ref _delivered), null, 500, ct);
            if (batch.Count == 0)
            {
                return;
            }

            // The entries read together (typically one group commit) go to each connection as one chunk.
            var entries = batch.Select(FeedEntry.Of).ToList();
            var chunk = FeedEntry.Chunk(entries);
            lock (_gate)
            {
                foreach (var entry in entries)
                {
                    _ring.Enqueue(entry);
                }

                while (_ring.Count > RingSize)
                {
                    _ring.Dequeue();
                }

                _delivered = chunk.Seq;
                for (var i = _subscribers.Count - 1; i >= 0; i--)
                {
                    var s = _subscribers[i];
                    if ((s.Moderator || chunk.Public is not null) && !s.Offer(chunk))
                    {
                        _subscribers.RemoveAt(i);
                    }
                }
            }
        }
    }
}

/// <summary>Writes a feed to a response as server-sent events.</summary>
public static class EventStream
{
    /// <summary>Last-Event-ID header (browsers send it on reconnect), else ?lastEventId= (first connect), else "from now".</summary>
    public static long? LastEventId(HttpRequest request)
    {
        var value = request.Headers["Last-Event-ID"].ToString();
        if (string.IsNullOrEmpty(value))
        {
            value = request.Query["lastEventId"].ToString();
        }

        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
    }

    /// <summary>
    /// Streams the event's feed. The caller passes only the event id: nothing scoped (no DbContext) stays referenced
    /// by a connection that may last hours.
    /// </summary>
    public static async Task RunAsync(HttpContext ctx, EventBus bus, string eventId, bool moderator)
    {
        var ct = ctx.RequestAborted;
        var feed = bus.Feed(eventId);
        var (sub, missed, after) = await feed.SubscribeAsync(LastEventId(ctx.Request), moderator, ct);
        try
        {
            ctx.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            ctx.Response.ContentType = "text/event-stream; charset=utf-8";
            ctx.Response.Headers.CacheControl = "no-cache, no-store";
            ctx.Response.Headers["X-Accel-Buffering"] = "no";
            // The pipe writer: one write+flush per frame, no stream adapter.
            var body = ctx.Response.BodyWriter;
            await body.WriteAsync(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"retry: 2000\n:connected {after}\n\n")), ct);
            var last = after;
            foreach (var e in missed)
            {
                last = Write(body, e, moderator, last);
            }

            await body.FlushAsync(ct);
            var reader = sub.Reader;
            while (await reader.WaitToReadAsync(ct))
            {
                while (reader.TryRead(out var e))
                {
                    last = Write(body, e, moderator, last);
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
            feed.Unsubscribe(sub);
        }
    }

    private static long Write(System.IO.Pipelines.PipeWriter body, FeedEntry e, bool moderator, long last)
    {
        if (e.Seq < 0)
        {
            body.Write(e.Moderator);
            return last;
        }

        if (e.Seq <= last)
        {
            return last;
        }

        if (e.Parts is { } parts && e.FirstSeq <= last)
        {
            // A chunk that overlaps what was sent: its newer entries only.
            foreach (var part in parts)
            {
                last = Write(body, part, moderator, last);
            }

            return last;
        }

        var bytes = moderator ? e.Moderator : e.Public;
        if (bytes is not null)
        {
            body.Write(bytes);
        }

        return e.Seq;
    }
}
