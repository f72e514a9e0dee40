using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenGov.Hosting;
using StackExchange.Redis;

namespace OpenGov.Notifications;

/// <summary>
/// <see cref="IChangeNotifications"/>: subscribers per topic in process; with Redis, every change is also published
/// on the channel <see cref="Channel"/> as <c>{"node","topic","change"}</c> and each node delivers the changes of the
/// other nodes to its own subscribers, one message after the other. Like the events' bus
/// (docs/decisions/0003-live-updates.md) Redis only carries the news; the data stays in the database.
/// </summary>
public sealed class ChangeNotifications : IChangeNotifications, IHostedService
{
    public const string Channel = "opengov:changes";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly ConcurrentDictionary<string, ImmutableArray<Subscription>> _subscribers = new(StringComparer.Ordinal);
    private readonly ILogger<ChangeNotifications> _log;
    private readonly RedisConnection _connection;
    private readonly string _node = Guid.NewGuid().ToString("N");
    private ConnectionMultiplexer? _redis;
    private ChannelMessageQueue? _queue;

    public ChangeNotifications(RedisConnection connection, ILogger<ChangeNotifications> log)
    {
        _log = log;
        _connection = connection;
    }

    /// <summary>True once this node is connected to Redis (changes reach the other nodes).</summary>
    public bool Shared => _redis is { IsConnected: true };

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await _connection.GetAsync() is not { } redis)
        {
            return;
        }

        _redis = redis;
        try
        {
            _queue = await _redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(Channel));
            _queue.OnMessage(m => OnRemoteAsync(m.Message));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ArgumentException)
        {
            _log.LogWarning(ex, "Redis unavailable: change notifications stay on this node");
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_queue is not null)
        {
            try
            {
                await _queue.UnsubscribeAsync();
            }
            catch (Exception ex) when (ex is ObjectDisposedException or RedisException or TimeoutException)
            {
                // shutting down: the shared connection may already be closed, and with it the subscription
                _log.LogDebug(ex, "Redis subscription already closed at shutdown");
            }

            _queue = null;
        }
    }

    public async Task PublishAsync<T>(T change, CancellationToken ct = default)
        where T : IChange
    {
        if (_redis is { IsConnected: true } redis)
        {
            var message = new JsonObject
            {
                ["node"] = _node,
                ["topic"] = T.Topic,
                ["change"] = JsonSerializer.SerializeToNode(change, Json),
            }.ToJsonString();
            _ = redis.GetSubscriber().PublishAsync(RedisChannel.Literal(Channel), message, CommandFlags.FireAndForget);
        }

        await DeliverAsync(T.Topic, change, local: true, ct);
    }

    /// <summary>
    /// Delivers a change to this node's subscribers only: for news that every node learns by itself (each reads the
    /// shared database), where Redis would deliver it twice.
    /// </summary>
    public Task PublishLocalAsync<T>(T change, CancellationToken ct = default)
        where T : IChange => DeliverAsync(T.Topic, change, local: true, ct);

    /// <summary>True when this node has a subscriber for changes of type <typeparamref name="T"/>.</summary>
    public bool HasSubscribers<T>()
        where T : IChange => _subscribers.TryGetValue(T.Topic, out var subs) && !subs.IsEmpty;

    public IDisposable Subscribe<T>(Func<Notification<T>, CancellationToken, Task> handler)
        where T : IChange
    {
        var sub = new Subscription(
            (change, local, ct) => handler(new Notification<T>((T)change, local), ct),
            node => node.Deserialize<T>(Json),
            this,
            T.Topic);
        _subscribers.AddOrUpdate(T.Topic, [sub], (_, list) => list.Add(sub));
        return sub;
    }

    private async Task OnRemoteAsync(RedisValue value)
    {
        try
        {
            if (JsonNode.Parse((string)value!) is not JsonObject o || o["node"]?.GetValue<string>() == _node
                || o["topic"]?.GetValue<string>() is not { } topic || o["change"] is not { } change
                || !_subscribers.TryGetValue(topic, out var subs) || subs.IsEmpty)
            {
                return;
            }

            // every subscriber of a topic subscribes with the same type: read the change once
            if (subs[0].Read(change) is { } typed)
            {
                await DeliverAsync(topic, typed, local: false, CancellationToken.None);
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            _log.LogWarning(e, "Ignored a malformed change notification from Redis");
        }
    }

    private async Task DeliverAsync(string topic, object change, bool local, CancellationToken ct)
    {
        if (!_subscribers.TryGetValue(topic, out var subs))
        {
            return;
        }

        foreach (var sub in subs)
        {
            try
            {
                await sub.Handler(change, local, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                _log.LogError(e, "A subscriber of {Topic} failed", topic);
            }
        }
    }

    private void Remove(Subscription sub) =>
        _subscribers.AddOrUpdate(sub.Topic, [], (_, list) => list.Remove(sub));

    private sealed class Subscription(Func<object, bool, CancellationToken, Task> handler, Func<JsonNode, object?> read, ChangeNotifications owner, string topic) : IDisposable
    {
        public Func<object, bool, CancellationToken, Task> Handler => handler;

        public Func<JsonNode, object?> Read => read;

        public string Topic => topic;

        public void Dispose() => owner.Remove(this);
    }
}
