using System.Collections.Concurrent;
using Microsoft.AspNetCore.OutputCaching;
using OpenGov.Catalog;
using OpenGov.DataStore;
using OpenGov.Notifications;

namespace OpenGov.Dashboards;

/// <summary>
/// The part of the output-cache key that says which data a dashboard's cached answers were made from: the dashboard's
/// stamp (<see cref="DashboardData.StampAsync"/>: its version and every source table's last load, read from the
/// shared database) and this node's change generation. Every change this node hears of (a DataStore table changed,
/// a dashboard saved: on this node right after the commit, from the others through Redis; the catalog's stamp moved,
/// polled from the database) moves the generation, so every older answer becomes unreachable at once, including one
/// still being computed while the change committed, and the stored answers are evicted by their tag. The stamp read
/// from the database is reused for at most <c>OpenGov:DashboardCacheCheckSeconds</c> (default 1), which bounds what a
/// change nobody announced (another node without Redis, an admin verb in another process) can be late by.
/// </summary>
public sealed class DashboardStamps : IHostedService
{
    /// <summary>The output-cache tag of every dashboard answer.</summary>
    public const string Tag = "dashboards";

    private readonly ConcurrentDictionary<string, Memo> _memo = new(StringComparer.Ordinal);
    private readonly IChangeNotifications _notifications;
    private readonly IOutputCacheStore _store;
    private readonly ILogger<DashboardStamps> _log;
    private readonly List<IDisposable> _subscriptions = [];
    private readonly Lock _subscriptionsGate = new();
    private long _generation;

    public DashboardStamps(IChangeNotifications notifications, IOutputCacheStore store, IConfiguration config, ILogger<DashboardStamps> log)
    {
        _notifications = notifications;
        _store = store;
        _log = log;
        CheckAfter = TimeSpan.FromSeconds(Math.Max(0, config.GetValue("OpenGov:DashboardCacheCheckSeconds", 1.0)));
        Enabled = config.GetValue("OpenGov:CacheDashboards", true);
    }

    /// <summary>OpenGov:CacheDashboards (default true): anonymous dashboard answers go through the output cache.</summary>
    public bool Enabled { get; }

    public TimeSpan CheckAfter { get; }

    /// <summary>A dashboard's stamp as cached answers are keyed by; null when there is no such dashboard.</summary>
    public sealed record Current(string Key, string ETag, DateTime? LastModified);

    private sealed record Memo(string Stamp, DateTime? LastModified, long Generation, long ReadAt);

    public async Task<Current?> CurrentAsync(string org, string slug, IServiceProvider services, CancellationToken ct)
    {
        var generation = Interlocked.Read(ref _generation);
        var name = org + "/" + slug;
        var now = Environment.TickCount64;
        if (!_memo.TryGetValue(name, out var memo) || memo.Generation != generation || now - memo.ReadAt > CheckAfter.TotalMilliseconds)
        {
            var d = await services.GetRequiredService<DashboardStore>().GetAsync(org, slug, ct);
            if (d is null)
            {
                _memo.TryRemove(name, out _);
                return null;
            }
            var (stamp, lastLoaded) = await services.GetRequiredService<DashboardData>().StampAsync(d.Definition, d.Record.Version, ct);
            var modified = lastLoaded is { } l && l > d.Record.Modified ? l : d.Record.Modified;
            memo = new Memo(stamp, DateTime.SpecifyKind(modified, DateTimeKind.Utc), generation, now);
            _memo[name] = memo;
        }
        return new Current(memo.Stamp + "." + generation.ToString(System.Globalization.CultureInfo.InvariantCulture), memo.Stamp, memo.LastModified);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_subscriptionsGate)
        {
            _subscriptions.Add(_notifications.Subscribe<DataStoreTableChanged>((_, ct) => ChangedAsync(ct)));
            _subscriptions.Add(_notifications.Subscribe<DashboardSaved>((_, ct) => ChangedAsync(ct)));
            _subscriptions.Add(_notifications.Subscribe<CatalogChanged>((_, ct) => ChangedAsync(ct)));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        // taken out under the lock and disposed outside it: a stop that overlaps a start (seen once in a test host's
        // disposal: "Collection was modified") neither throws nor leaves a subscription behind
        IDisposable[] subscriptions;
        lock (_subscriptionsGate)
        {
            subscriptions = [.. _subscriptions];
            _subscriptions.Clear();
        }

        foreach (var s in subscriptions)
        {
            s.Dispose();
        }

        return Task.CompletedTask;
    }

    private async Task ChangedAsync(CancellationToken ct)
    {
        Interlocked.Increment(ref _generation);
        _memo.Clear();
        try
        {
            await _store.EvictByTagAsync(Tag, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // the new generation already makes the old answers unreachable; eviction only frees their memory
            _log.LogWarning(e, "Could not evict cached dashboard answers");
        }
    }
}
