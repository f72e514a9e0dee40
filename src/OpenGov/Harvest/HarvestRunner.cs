using Microsoft.EntityFrameworkCore;
using OpenGov.Catalog;
using OpenGov.Catalog.Editing;
using OpenGov.Ckan;
using OpenGov.Storage;

namespace OpenGov.Harvest;

/// <summary>
/// Runs one claimed job. Gather: every page of the source is read first (<see cref="HarvestClient"/>); a timeout,
/// an HTTP error, malformed JSON or an answer too large fails the job before anything is written, so the catalog
/// stays as it was. Import: dataset by dataset, each in its own transaction through <see cref="PackageEditor"/>
/// (the catalog's schema and write), so a dataset is written whole or not at all; one the schema refuses is
/// recorded as the object's error and the others go on. A full run (the first, one asked for, or config
/// <c>{"force_all": true}</c>) then withdraws the source's datasets the source no longer lists.
/// </summary>
public sealed class HarvestRunner(OpenGovDb db, HarvestClient client, PackageEditor editor, ILogger<HarvestRunner> logger)
{
    /// <summary>ckanext-harvest's CKAN harvester asks for changes since the last error-free job's start, an hour earlier for clock skew.</summary>
    public static readonly TimeSpan Overlap = TimeSpan.FromHours(1);

    public async Task RunAsync(string jobId, CancellationToken ct)
    {
        var job = await db.Set<HarvestJob>().AsNoTracking().FirstAsync(j => j.Id == jobId, ct);
        var source = await db.Set<HarvestSource>().AsNoTracking().FirstAsync(s => s.Id == job.SourceId, ct);
        try
        {
            await RunAsync(job, source, ct);
        }
        catch (HarvestFailedException f)
        {
            await FailAsync(job, f.Message, f.MessageJa);
        }
        catch (OperationCanceledException)
        {
            await FailAsync(job, "The job was stopped (the node shut down)", "ジョブが中断されました（サーバーが停止しました）。");
        }
        catch (Exception e)
        {
            logger.LogError(e, "Harvest job {JobId} of source {SourceId} failed", job.Id, source.Id);
            await FailAsync(job, "Internal error: " + e.GetType().Name, "内部エラーで失敗しました: " + e.GetType().Name);
        }
    }

    private async Task RunAsync(HarvestJob job, HarvestSource source, CancellationToken ct)
    {
        var org = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == source.OrganizationId && o.State == RecordState.Active, ct)
            ?? throw new HarvestFailedException("The source's organization no longer exists", "収集元の組織が見つかりません。");
        var lastGood = await db.Set<HarvestJob>().AsNoTracking()
            .Where(j => j.SourceId == source.Id && j.Status == HarvestJobStatus.Finished && j.Id != job.Id)
            .OrderByDescending(j => j.Created).FirstOrDefaultAsync(ct);
        var full = job.Full || lastGood?.GatherStarted is null || ForceAll(source.Config);
        var remote = await client.SearchAsync(source.Url, full ? null : lastGood!.GatherStarted!.Value - Overlap, ct);
        if (full && remote.Count == 0)
        {
            // as the CKAN harvester: an empty answer is an error, never a reason to withdraw everything
            throw new HarvestFailedException($"No datasets found at CKAN: {source.Url}", $"収集元にデータセットが見つかりません: {source.Url}");
        }

        job.Full = full;
        job.GatherFinished = DateTime.UtcNow;
        await SaveJobAsync(job, ct);

        var current = await db.Set<HarvestObject>().AsNoTracking().Where(o => o.SourceId == source.Id && o.Current)
            .ToDictionaryAsync(o => o.Guid, o => o.RemoteModified, StringComparer.Ordinal, ct);
        foreach (var dict in remote)
        {
            var guid = dict["id"]!.GetValue<string>();
            var modified = HarvestMapping.RemoteModified(dict);
            var local = await db.Datasets.AsNoTracking().Where(d => d.Id == guid).Select(d => new { d.HarvestSourceId, d.State }).FirstOrDefaultAsync(ct);
            if (local is { State: RecordState.Active } && local.HarvestSourceId == source.Id && modified.Length > 0
                && current.TryGetValue(guid, out var before) && before == modified)
            {
                job.NotModified++;
                continue;
            }

            var obj = new HarvestObject { JobId = job.Id, SourceId = source.Id, Guid = guid, Name = HarvestMapping.Name(dict), RemoteModified = modified, Report = "errored" };
            try
            {
                obj.Report = await editor.HarvestAsync(HarvestMapping.ToLocal(dict, source, obj.Id), org, source.Id, ct) ? "added" : "updated";
            }
            catch (CkanException e)
            {
                obj.Error = e.Message;
            }

            db.ChangeTracker.Clear();
            await RecordAsync(job, obj, ct);
        }

        if (full)
        {
            var listed = remote.Select(d => d["id"]!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
            var mine = await db.Datasets.AsNoTracking().Where(d => d.HarvestSourceId == source.Id && d.State != RecordState.Deleted)
                .Select(d => new { d.Id, d.Name }).ToListAsync(ct);
            foreach (var gone in mine.Where(d => !listed.Contains(d.Id)))
            {
                if (await editor.WithdrawHarvestedAsync(gone.Id, source.Id, ct))
                {
                    db.ChangeTracker.Clear();
                    await RecordAsync(job, new HarvestObject { JobId = job.Id, SourceId = source.Id, Guid = gone.Id, Name = gone.Name, Report = "deleted" }, ct);
                }
            }
        }

        job.Status = HarvestJobStatus.Finished;
        job.Finished = DateTime.UtcNow;
        await SaveJobAsync(job, ct);
    }

    /// <summary>Records one object (the previous version of the dataset stops being current) and the job's counts.</summary>
    private async Task RecordAsync(HarvestJob job, HarvestObject obj, CancellationToken ct)
    {
        switch (obj.Report)
        {
            case "added": job.Added++; break;
            case "updated": job.Updated++; break;
            case "deleted": job.Deleted++; break;
            default: job.Errored++; break;
        }

        if (obj.Report != "errored")
        {
            await db.Set<HarvestObject>().Where(o => o.SourceId == obj.SourceId && o.Guid == obj.Guid && o.Current)
                .ExecuteUpdateAsync(u => u.SetProperty(o => o.Current, false), ct);
            obj.Current = obj.Report != "deleted";
        }

        db.Add(obj);
        await SaveJobAsync(job, ct);
    }

    private async Task SaveJobAsync(HarvestJob job, CancellationToken ct)
    {
        job.Heartbeat = DateTime.UtcNow;
        db.Update(job);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    private async Task FailAsync(HarvestJob job, string en, string ja)
    {
        db.ChangeTracker.Clear();
        job.Status = HarvestJobStatus.Failed;
        job.Error = en;
        job.ErrorJa = ja;
        job.Finished = DateTime.UtcNow;
        await SaveJobAsync(job, CancellationToken.None);
    }

    /// <summary>ckanext-harvest's <c>force_all</c> config: every run reads every dataset.</summary>
    private static bool ForceAll(string config)
    {
        try
        {
            return config.Length > 0 && System.Text.Json.Nodes.JsonNode.Parse(config) is System.Text.Json.Nodes.JsonObject o
                && o["force_all"] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<bool>(out var b) && b;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }
}
