using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;
using OpenGov.Hosting;
using OpenGov.Storage;
using StackExchange.Redis;

namespace OpenGov.Events.Live;

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
    private readonly RedisConnection _connection;
    private ConnectionMultiplexer? _redis;
    private Timer? _heartbeat;

    public EventBus(IServiceScopeFactory scopes, IOptions<EventsOptions> options, RedisConnection connection, ILogger<EventBus> log)
    {
        _scopes = scopes;
        _options = options.Value;
        _log = log;
        _connection = connection;
    }

    public EventsOptions Options => _options;

    public int Connections => _feeds.Values.Sum(f => f.Count);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var period = TimeSpan.FromSeconds(Math.Max(1, _options.HeartbeatSeconds));
        _heartbeat = new Timer(_ => Tick(), null, period, period);
        if (await _connection.GetAsync() is { } redis)
        {
            _redis = redis;
            try
            {
                await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(Channel), (_, message) => OnRemote(message));
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
        foreach (var feed in _feeds.Values)
        {
            feed.Dispose();
        }
    }
}
