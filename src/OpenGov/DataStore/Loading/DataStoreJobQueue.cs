using System.Data.Common;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OpenGov.Catalog;
using OpenGov.Storage;

namespace OpenGov.DataStore;

/// <summary>
/// The queue of load jobs: the datastore_job table (one pending job per resource; one running job per resource,
/// backed by the unique index ux_datastore_job_one_running) and datastore_resource, which remembers the source of
/// the last queued load. Jobs are claimed with a conditional UPDATE, so several nodes can share the queue; a running
/// job whose node stopped beating for <see cref="StaleAfter"/> is taken over.
/// </summary>
public static class DataStoreJobQueue
{
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(60);

    /// <summary>What identifies the uploaded file of a resource: its hash, or its modification time.</summary>
    public static string SourceKey(Resource r) => r.Hash is { Length: > 0 } h ? h : "modified:" + r.MetadataModified.Ticks.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Queues a load, or answers the job already pending. Two nodes (or two requests) queueing the first load of a
    /// resource at the same moment both find no state row and both insert one; the loser of that race tries again and
    /// then finds the winner's row and pending job.
    /// </summary>
    public static async Task<DataStoreJob> EnqueueAsync(OpenGovDb db, string resourceId, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await EnqueueOnceAsync(db, resourceId, ct);
            }
            catch (DbUpdateException e) when (attempt < 3 && DbErrors.IsUniqueViolation(e))
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private static async Task<DataStoreJob> EnqueueOnceAsync(OpenGovDb db, string resourceId, CancellationToken ct)
    {
        var resource = await db.Resources.AsNoTracking().FirstOrDefaultAsync(r => r.Id == resourceId, ct)
            ?? throw new InvalidOperationException("No resource " + resourceId);
        var pending = await db.Set<DataStoreJob>().FirstOrDefaultAsync(j => j.ResourceId == resourceId && j.State == JobState.Pending, ct);
        var key = SourceKey(resource);
        var state = await db.Set<DataStoreResource>().FirstOrDefaultAsync(s => s.ResourceId == resourceId, ct);
        if (state is null)
        {
            state = new DataStoreResource { ResourceId = resourceId };
            db.Add(state);
        }

        state.LastSourceHash = key;
        state.LastSourceModified = resource.MetadataModified;
        if (pending is null)
        {
            pending = new DataStoreJob { ResourceId = resourceId, SourceHash = key };
            db.Add(pending);
            pending.LogJson = new JsonArray(LoadLog.Entry("info", "queued", "順番待ち")).ToJsonString();
        }

        state.LastJobId = pending.Id;
        await db.SaveChangesAsync(ct);
        return pending;
    }

    /// <summary>Queues loads for tabular uploads that are new or whose file changed since the last load.</summary>
    public static async Task EnqueueChangedUploadsAsync(OpenGovDb db, CancellationToken ct)
    {
        var candidates = await (from r in db.Resources.AsNoTracking()
                                join s in db.Set<DataStoreResource>().AsNoTracking() on r.Id equals s.ResourceId into states
                                from s in states.DefaultIfEmpty()
                                where r.State == "active" && r.UrlType == "upload" && r.StoragePath != null
                                select new { Resource = r, Key = s == null ? null : s.LastSourceHash }).ToListAsync(ct);
        foreach (var c in candidates)
        {
            if (DataStoreLoader.IsTabular(c.Resource) && c.Key != SourceKey(c.Resource))
            {
                await EnqueueAsync(db, c.Resource.Id, ct);
            }
        }
    }

    /// <summary>
    /// Puts the running jobs of stopped nodes back in the queue, then claims the oldest pending job whose resource has
    /// no job running, for <paramref name="node"/>. Null when there is none.
    /// </summary>
    public static async Task<string?> ClaimAsync(OpenGovDb db, string node, CancellationToken ct)
    {
        var jobs = db.Set<DataStoreJob>();

        // take over jobs of nodes that stopped
        var stale = DateTime.UtcNow - StaleAfter;
        await jobs.Where(j => j.State == JobState.Running && j.Heartbeat < stale)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.State, JobState.Pending).SetProperty(j => j.ClaimedBy, (string?)null), ct);

        var next = await jobs.AsNoTracking().Where(j => j.State == JobState.Pending).OrderBy(j => j.Created).Select(j => j.Id).Take(5).ToListAsync(ct);
        foreach (var id in next)
        {
            var now = DateTime.UtcNow;
            int claimed;
            try
            {
                claimed = await jobs.Where(j => j.Id == id && j.State == JobState.Pending
                        && !jobs.Any(o => o.ResourceId == j.ResourceId && o.State == JobState.Running))
                    .ExecuteUpdateAsync(s => s.SetProperty(j => j.State, JobState.Running).SetProperty(j => j.ClaimedBy, node)
                        .SetProperty(j => j.Started, now).SetProperty(j => j.Heartbeat, now).SetProperty(j => j.Attempts, j => j.Attempts + 1), ct);
            }
            catch (DbException e) when (DbErrors.IsUniqueViolation(e))
            {
                // another node claimed a job of the same resource at the same moment (ux_datastore_job_one_running)
                claimed = 0;
            }

            if (claimed == 1)
            {
                return id;
            }
        }

        return null;
    }
}
