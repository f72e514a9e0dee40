using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace OpenGov.Hosting;

/// <summary>
/// The node's one connection to Redis (<see cref="OpenGovOptions.Redis"/>), shared by every room that carries live
/// news between nodes (the events' bus, the change notifications): a multiplexer is meant to be shared, and one per
/// room doubled the sockets and reconnect work. Connects once, on first use; without a configured Redis, or when the
/// first connect fails, callers get null and stay on their node. With <c>AbortOnConnectFail=false</c> a Redis that is
/// down at start is retried in the background by the multiplexer itself.
/// </summary>
public sealed class RedisConnection : IAsyncDisposable
{
    private readonly string? _config;
    private readonly ILogger<RedisConnection> _log;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ConnectionMultiplexer? _multiplexer;
    private bool _attempted;

    public RedisConnection(IOptions<OpenGovOptions> options, ILogger<RedisConnection> log)
    {
        _config = options.Value.Redis;
        _log = log;
    }

    /// <summary>True when a Redis connection string is configured.</summary>
    public bool Configured => !string.IsNullOrWhiteSpace(_config);

    /// <summary>The multiplexer, or null without Redis (connecting on the first call).</summary>
    public async Task<ConnectionMultiplexer?> GetAsync()
    {
        if (Volatile.Read(ref _attempted))
        {
            return _multiplexer;
        }

        await _gate.WaitAsync();
        try
        {
            if (!_attempted && Configured)
            {
                try
                {
                    var cfg = ConfigurationOptions.Parse(_config!);
                    cfg.AbortOnConnectFail = false;
                    _multiplexer = await ConnectionMultiplexer.ConnectAsync(cfg);
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException or ArgumentException)
                {
                    _log.LogWarning(ex, "Redis unavailable: live news stays on this node");
                }
            }

            Volatile.Write(ref _attempted, true);
            return _multiplexer;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_multiplexer is not null)
        {
            await _multiplexer.DisposeAsync();
            _multiplexer = null;
        }

        _gate.Dispose();
    }
}
