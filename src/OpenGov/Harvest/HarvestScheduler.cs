using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenGov.Hosting;
using OpenGov.Storage;

namespace OpenGov.Harvest;

/// <summary>Wakes this node's scheduler when a job is created here (others find it on their next poll).</summary>
public sealed class HarvestSignal : IDisposable
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // already woken
        }
    }

    public Task WaitAsync(TimeSpan timeout, CancellationToken ct) => _wake.WaitAsync(timeout, ct);

    public void Dispose() => _wake.Dispose();
}

/// <summary>
/// Each node, every <see cref="HarvestOptions.PollSeconds"/> (or when woken): fails Running jobs whose node went
/// silent, creates the jobs of sources that are due (the node whose conditional update moves the source's
/// next_run_at makes it), and claims New jobs one by one (the node whose conditional update turns New into
/// Running runs it). The database is the only coordination between nodes; no queue.
/// </summary>
public sealed class HarvestScheduler(IServiceScopeFactory scopes, HarvestSignal signal, IOptions<HarvestOptions> options, StartupGate gate, ILogger<HarvestScheduler> logger) : BackgroundService
{
    private readonly string _node = Environment.MachineName + "/" + Guid.NewGuid().ToString("N")[..8];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await gate.Ready.WaitAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await TickAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Harvest scheduling failed; retrying on the next poll");
            }

            try
            {
                await signal.WaitAsync(TimeSpan.FromSeconds(Math.Max(1, options.Value.PollSeconds)), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One round: stale jobs, due sources, then every New job this node can claim.</summary>
    public async Task TickAsync(CancellationToken ct)
    {
        using (var scope = scopes.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
            await FailStaleAsync(db, options.Value.StaleMinutes, null, ct);
            await CreateDueJobsAsync(db, ct);
        }

        while (!ct.IsCancellationRequested && await ClaimAsync(ct) is { } jobId)
        {
            using var scope = scopes.CreateScope();
            await scope.ServiceProvider.GetRequiredService<HarvestRunner>().RunAsync(jobId, ct);
        }
    }

    /// <summary>Running jobs (of one source, or all) silent for <paramref name="staleMinutes"/> are failed; answers how many.</summary>
    internal static Task<int> FailStaleAsync(OpenGovDb db, int staleMinutes, string? sourceId, CancellationToken ct)
    {
        var stale = DateTime.UtcNow.AddMinutes(-Math.Max(1, staleMinutes));
        return db.Set<HarvestJob>().Where(j => j.Status == HarvestJobStatus.Running && j.Heartbeat < stale && (sourceId == null || j.SourceId == sourceId))
            .ExecuteUpdateAsync(u => u
                .SetProperty(j => j.Status, HarvestJobStatus.Failed)
                .SetProperty(j => j.Finished, DateTime.UtcNow)
                .SetProperty(j => j.Error, "The job stopped: the node running it went silent")
                .SetProperty(j => j.ErrorJa, "ジョブを実行していたサーバーが応答しなくなったため、失敗としました。"), ct);
    }

    /// <summary>Sources whose next run is due get a New job (the node whose conditional update moves next_run_at creates it); answers how many.</summary>
    internal static async Task<int> CreateDueJobsAsync(OpenGovDb db, CancellationToken ct)
    {
        var created = 0;
        var now = DateTime.UtcNow;
        var due = await db.Set<HarvestSource>().AsNoTracking()
            .Where(s => s.Active && s.State == RecordState.Active && s.NextRunAt != null && s.NextRunAt <= now)
            .Select(s => new { s.Id, s.Frequency, s.NextRunAt }).ToListAsync(ct);
        foreach (var s in due)
        {
            var next = HarvestFrequency.Next(s.Frequency, now);
            var moved = await db.Set<HarvestSource>().Where(x => x.Id == s.Id && x.NextRunAt == s.NextRunAt)
                .ExecuteUpdateAsync(u => u.SetProperty(x => x.NextRunAt, next), ct);
            if (moved == 1 && !await HarvestSources.HasUnfinishedJobAsync(db, s.Id, ct))
            {
                db.Add(new HarvestJob { SourceId = s.Id });
                await db.SaveChangesAsync(ct);
                created++;
            }
        }

        return created;
    }

    /// <summary>Claims the oldest New job (a conditional update: only one node turns it Running); null when none.</summary>
    private async Task<string?> ClaimAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
        var candidates = await db.Set<HarvestJob>().AsNoTracking().Where(j => j.Status == HarvestJobStatus.New)
            .OrderBy(j => j.Created).Select(j => j.Id).Take(5).ToListAsync(ct);
        foreach (var id in candidates)
        {
            var now = DateTime.UtcNow;
            var claimed = await db.Set<HarvestJob>().Where(j => j.Id == id && j.Status == HarvestJobStatus.New)
                .ExecuteUpdateAsync(u => u
                    .SetProperty(j => j.Status, HarvestJobStatus.Running)
                    .SetProperty(j => j.Node, _node)
                    .SetProperty(j => j.GatherStarted, now)
                    .SetProperty(j => j.Heartbeat, now), ct);
            if (claimed == 1)
            {
                return id;
            }
        }

        return null;
    }
}
