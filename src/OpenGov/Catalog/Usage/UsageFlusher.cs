using Microsoft.EntityFrameworkCore;
using OpenGov.Storage;

namespace OpenGov.Catalog.Usage;

/// <summary>
/// Adds this node's pending counts to usage_counts every <c>OpenGov:UsageFlushSeconds</c> (default 5) and at
/// shutdown. Each flush adds increments (insert or add to the row), so every node's counts add up; a failed flush
/// gives the counts back to be tried again.
/// </summary>
public sealed class UsageFlusher(UsageCounter counter, IServiceScopeFactory scopes, IConfiguration config, ILogger<UsageFlusher> logger, TimeProvider time) : BackgroundService
{
    private const string AddDaySql =
        "INSERT INTO usage_days (target_id, day, views, downloads) VALUES ({0}, {1}, {2}, {3}) " +
        "ON CONFLICT (target_id, day) DO UPDATE SET views = usage_days.views + excluded.views, downloads = usage_days.downloads + excluded.downloads";

    private const string AddSql =
        "INSERT INTO usage_counts (target_id, views, downloads) VALUES ({0}, {1}, {2}) " +
        "ON CONFLICT (target_id) DO UPDATE SET views = usage_counts.views + excluded.views, downloads = usage_counts.downloads + excluded.downloads";

    /// <summary>Stores what is pending now (also called by tests and at shutdown).</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        var counts = counter.Take();
        if (counts.Count == 0)
        {
            return;
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
            var day = UsageDays.Today(time);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            foreach (var (id, (views, downloads)) in counts.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                await db.Database.ExecuteSqlRawAsync(AddSql, [id, views, downloads], ct);
                await db.Database.ExecuteSqlRawAsync(AddDaySql, [id, day, views, downloads], ct);
            }

            await tx.CommitAsync(ct);
        }
        catch (Exception e)
        {
            counter.Restore(counts);
            if (e is OperationCanceledException)
            {
                throw;
            }

            logger.LogWarning(e, "Usage counts not stored; kept for the next flush");
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seconds = Math.Max(1, config.GetValue("OpenGov:UsageFlushSeconds", 5));
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(seconds));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(CancellationToken.None);
    }
}

/// <summary>Stored counts plus this node's pending ones, per dataset or resource id.</summary>
public sealed class UsageReader(OpenGovDb db, UsageCounter counter, TimeProvider time)
{
    /// <summary>All-time counts and those of the last <see cref="UsageDays.Recent"/> days (pending ones count as today's).</summary>
    public async Task<IReadOnlyDictionary<string, UsageTotals>> ReadWithRecentAsync(IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        var all = await ReadAsync(ids, ct);
        var since = UsageDays.RecentSince(time);
        var recent = await db.Set<UsageDay>().AsNoTracking().Where(u => ids.Contains(u.TargetId) && u.Day >= since)
            .GroupBy(u => u.TargetId).Select(g => new { Id = g.Key, Views = g.Sum(u => u.Views), Downloads = g.Sum(u => u.Downloads) })
            .ToDictionaryAsync(u => u.Id, StringComparer.Ordinal, ct);
        return all.ToDictionary(p => p.Key, p =>
        {
            var (v, d) = counter.Pending(p.Key);
            return recent.TryGetValue(p.Key, out var r)
                ? new UsageTotals(p.Value.Views, p.Value.Downloads, r.Views + v, r.Downloads + d)
                : new UsageTotals(p.Value.Views, p.Value.Downloads, v, d);
        }, StringComparer.Ordinal);
    }

    public async Task<IReadOnlyDictionary<string, (long Views, long Downloads)>> ReadAsync(IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        var stored = await db.Set<UsageCount>().AsNoTracking().Where(u => ids.Contains(u.TargetId)).ToDictionaryAsync(u => u.TargetId, StringComparer.Ordinal, ct);
        return ids.Distinct(StringComparer.Ordinal).ToDictionary(id => id, id =>
        {
            var (v, d) = counter.Pending(id);
            return stored.TryGetValue(id, out var s) ? (s.Views + v, s.Downloads + d) : (v, d);
        }, StringComparer.Ordinal);
    }
}

/// <summary>A target's counts: all time, and in the last <see cref="UsageDays.Recent"/> days.</summary>
public readonly record struct UsageTotals(long Views, long Downloads, long RecentViews, long RecentDownloads);
