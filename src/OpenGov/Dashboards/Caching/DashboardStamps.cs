using System.Collections.Concurrent;
using Microsoft.AspNetCore.OutputCaching;
using OpenGov.Catalog;
using OpenGov.DataStore;
using OpenGov.Notifications;

namespace OpenGov.Dashboards;

/// <summary>
/// The part of the output-cache key that says which data a dashboard's cached answers were made from: the dashboard's
/// stamp, read from the shared database (<see cref="DashboardData.StampAsync"/>: its version and every source table's
/// last load; <see cref="DashboardStore.CatalogStampAsync"/>: its organization's names and its source datasets' names,
/// visibility and modification), and the dashboard's own change generation. A change this node hears of moves the
/// generation of the dashboards it touches only (a DataStore table changed: the dashboards reading it; a dashboard
/// saved: that one; on this node right after the commit, from the others through Redis), so their older answers become
/// unreachable at once, including one still being computed while the change committed, and are evicted by their tag;
/// the other dashboards keep their cached answers. A catalog change (polled from the database) names no dataset: it
/// only makes every dashboard read its stamp again, which moves for the dashboards whose datasets or organization
/// changed. The stamp read from the database is reused for at most <c>OpenGov:DashboardCacheCheckSeconds</c>
/// (default 1), which bounds what a change nobody announced (another node without Redis, an admin verb in another
/// process) can be late by.
/// </summary>
public sealed class DashboardStamps : IHostedService
{
    /// <summary>The output-cache tag of every dashboard answer.</summary>
    public const string Tag = "dashboards";

    /// <summary>The output-cache tag of one dashboard's answers ("org/slug").</summary>
    public static string TagOf(string name) => "dashboard:" + name;

    private readonly ConcurrentDictionary<string, Memo> _memo = new(StringComparer.Ordinal);
    // per dashboard ("org/slug"): its change generation, and the source tables it read when its stamp was last read
    private readonly ConcurrentDictionary<string, long> _generations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IReadOnlySet<string>> _sources = new(StringComparer.Ordinal);
    private readonly IChangeNotifications _notifications;
    private readonly IOutputCacheStore _store;
    private readonly ILogger<DashboardStamps> _log;
    private readonly List<IDisposable> _subscriptions = [];
    private readonly Lock _subscriptionsGate = new();

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
    public sealed record Current(string Name, string Key, string ETag, DateTime? LastModified);

    private sealed record Memo(string Stamp, DateTime? LastModified, long Generation, long ReadAt);

    public async Task<Current?> CurrentAsync(string org, string slug, IServiceProvider services, CancellationToken ct)
    {
        var name = org + "/" + slug;
        // read before the stamp: a change committed after this moment moves it, so an answer made from older data is
        // stored under a key nobody asks for again
        var generation = _generations.GetValueOrDefault(name);
        var now = Environment.TickCount64;
        if (!_memo.TryGetValue(name, out var memo) || memo.Generation != generation || now - memo.ReadAt > CheckAfter.TotalMilliseconds)
        {
            var d = await services.GetRequiredService<DashboardStore>().GetAsync(org, slug, ct);
            if (d is null)
            {
                _memo.TryRemove(name, out _);
                return null;
            }
            // known before the stamp is read, so that a table change announced from now on finds this dashboard
            _sources[name] = DashboardSources.Of(d.Definition).ToHashSet(StringComparer.Ordinal);
            var (stamp, lastLoaded) = await services.GetRequiredService<DashboardData>().StampAsync(d.Definition, d.Record.Version, ct);
            stamp += "-" + await services.GetRequiredService<DashboardStore>().CatalogStampAsync(d, ct);
            var modified = lastLoaded is { } l && l > d.Record.Modified ? l : d.Record.Modified;
            memo = new Memo(stamp, DateTime.SpecifyKind(modified, DateTimeKind.Utc), generation, now);
            _memo[name] = memo;
        }
        return new Current(name, memo.Stamp + "." + generation.ToString(System.Globalization.CultureInfo.InvariantCulture), memo.Stamp, memo.LastModified);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_subscriptionsGate)
        {
            _subscriptions.Add(_notifications.Subscribe<DataStoreTableChanged>((c, ct) =>
                ChangedAsync([.. _sources.Where(s => s.Value.Contains(c.Change.ResourceId)).Select(s => s.Key)], ct)));
            _subscriptions.Add(_notifications.Subscribe<DashboardSaved>((c, ct) => ChangedAsync([c.Change.Organization + "/" + c.Change.Slug], ct)));
            _subscriptions.Add(_notifications.Subscribe<CatalogChanged>((_, _) =>
            {
                _memo.Clear();
                return Task.CompletedTask;
            }));
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

    private async Task ChangedAsync(IReadOnlyList<string> names, CancellationToken ct)
    {
        foreach (var name in names)
        {
            _generations.AddOrUpdate(name, 1, (_, g) => g + 1);
            _memo.TryRemove(name, out _);
        }
        foreach (var name in names)
        {
            try
            {
                await _store.EvictByTagAsync(TagOf(name), ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // the new generation already makes the old answers unreachable; eviction only frees their memory
                _log.LogWarning(e, "Could not evict cached answers of dashboard {Name}", name);
            }
        }
    }
}
