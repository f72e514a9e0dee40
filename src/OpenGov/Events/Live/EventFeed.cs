using System.Threading.Channels;
using OpenGov.Storage;

namespace OpenGov.Events.Live;

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
            var (last, recent) = await EventLog.TailAsync(db, _eventId, RingSize);
            lock (_gate)
            {
                foreach (var e in recent)
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
                var batch = await EventLog.ReadAsync(db, _eventId, from, upTo, 1000, ct);
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
            var batch = await EventLog.ReadAsync(db, _eventId, Volatile.Read(ref _delivered), null, 500, ct);
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
