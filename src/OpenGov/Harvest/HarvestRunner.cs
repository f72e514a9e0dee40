using Microsoft.EntityFrameworkCore;
using OpenGov.Catalog;
using OpenGov.Catalog.Editing;
using OpenGov.Ckan;
using OpenGov.Harvest.Dcat;
using OpenGov.Storage;

namespace OpenGov.Harvest;

/// <summary>
/// Runs one claimed job. Gather: every page of the source is read first (<see cref="HarvestClient"/> for CKAN,
/// <see cref="DcatClient"/> for DCAT, whose runs are always full: a catalog has no "changed since"); a timeout,
/// an HTTP error, malformed JSON or an answer too large fails the job before anything is written, so the catalog
/// stays as it was. Import: dataset by dataset, each in its own transaction through <see cref="PackageEditor"/>
/// (the catalog's schema and write), so a dataset is written whole or not at all; one the schema refuses is
/// recorded as the object's error and the others go on. A full run (the first, one asked for, or config
/// <c>{"force_all": true}</c>) then withdraws the source's datasets the source no longer lists. A job aborted
/// meanwhile (harvest_job_abort) stops before its next dataset; what it wrote stays.
/// </summary>
public sealed class HarvestRunner(OpenGovDb db, HarvestClient client, DcatClient dcat, PackageEditor editor, ILogger<HarvestRunner> logger)
{
    /// <summary>ckanext-harvest's CKAN harvester asks for changes since the last error-free job's start, an hour earlier for clock skew.</summary>
    public static readonly TimeSpan Overlap = TimeSpan.FromHours(1);

    /// <summary>How an object's content is kept: readable (Japanese as is, not \u escapes).</summary>
    private static readonly System.Text.Json.JsonSerializerOptions ContentJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task RunAsync(string jobId, CancellationToken ct)
    {
        var job = await db.Set<HarvestJob>().AsNoTracking().FirstAsync(j => j.Id == jobId, ct);
        var source = await db.Set<HarvestSource>().AsNoTracking().FirstAsync(s => s.Id == job.SourceId, ct);
        try
        {
            await RunAsync(job, source, ct);
        }
        catch (HarvestAbortedException)
        {
            // harvest_job_abort finished it; nothing more to record
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
        var isDcat = source.SourceType != HarvestFrequency.CkanType;
        var full = isDcat || job.Full || lastGood?.GatherStarted is null || ForceAll(source.Config);
        var remote = isDcat
            ? await dcat.ReadAsync(source, ct)
            : (await client.SearchAsync(source.Url, full ? null : lastGood!.GatherStarted!.Value - Overlap, ct))
                .Select(d => new HarvestRecord(d["id"]!.GetValue<string>(), d["id"]!.GetValue<string>(), HarvestMapping.Name(d), HarvestMapping.RemoteModified(d), d)).ToList();
        if (full && remote.Count == 0)
        {
            // as the CKAN harvester: an empty answer is an error, never a reason to withdraw everything
            throw new HarvestFailedException($"No datasets found at {(isDcat ? "the DCAT catalog" : "CKAN")}: {source.Url}", $"収集元にデータセットが見つかりません: {source.Url}");
        }

        job.Full = full;
        job.GatherFinished = DateTime.UtcNow;
        await SaveJobAsync(job, ct);

        // unchanged: CKAN's metadata_modified as before; DCAT's whole mapped dict as before (dct:modified is often
        // missing or only to the second, and ckanext-dcat itself rewrites every dataset)
        var current = await db.Set<HarvestObject>().AsNoTracking().Where(o => o.SourceId == source.Id && o.Current)
            .Select(o => new { o.Guid, Key = isDcat ? o.Content ?? "" : o.RemoteModified })
            .ToDictionaryAsync(o => o.Guid, o => o.Key, StringComparer.Ordinal, ct);
        foreach (var record in remote)
        {
            var local = await db.Datasets.AsNoTracking().Where(d => d.Id == record.LocalId).Select(d => new { d.HarvestSourceId, d.State, d.Name }).FirstOrDefaultAsync(ct);
            var content = record.Dict.ToJsonString(ContentJson);
            var key = isDcat ? content : record.Modified;
            if (local is { State: RecordState.Active } && local.HarvestSourceId == source.Id && key.Length > 0
                && current.TryGetValue(record.Guid, out var before) && before == key)
            {
                job.NotModified++;
                continue;
            }

            var dict = (System.Text.Json.Nodes.JsonObject)record.Dict.DeepClone();
            if (isDcat)
            {
                // ckanext-dcat keeps a harvested dataset's name; a new one whose name is taken gets a suffix
                dict["name"] = local is not null && local.HarvestSourceId == source.Id ? local.Name
                    : await db.Datasets.AnyAsync(d => d.Name == record.Name && d.Id != record.LocalId, ct) ? record.Name + "-" + record.LocalId[..8] : record.Name;
            }

            var obj = new HarvestObject
            {
                JobId = job.Id,
                SourceId = source.Id,
                Guid = record.Guid,
                PackageId = record.LocalId,
                Name = dict["name"]?.GetValue<string>() ?? record.Name,
                RemoteModified = record.Modified,
                Report = "errored",
                Content = content,
            };
            try
            {
                // a dataset withdrawn before (gone from the source, or the source cleared) that comes back counts as added
                var created = await editor.HarvestAsync(HarvestMapping.ToLocal(dict, source, obj.Id), org, source.Id, ct);
                obj.Report = created || local?.State == RecordState.Deleted ? "added" : "updated";
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
            var listed = remote.Select(r => r.LocalId).ToHashSet(StringComparer.Ordinal);
            var mine = await db.Datasets.AsNoTracking().Where(d => d.HarvestSourceId == source.Id && d.State != RecordState.Deleted)
                .Select(d => new { d.Id, d.Name }).ToListAsync(ct);
            var guids = await db.Set<HarvestObject>().AsNoTracking().Where(o => o.SourceId == source.Id && o.Current && o.PackageId != null)
                .Select(o => new { o.PackageId, o.Guid }).ToListAsync(ct);
            foreach (var gone in mine.Where(d => !listed.Contains(d.Id)))
            {
                if (await editor.WithdrawHarvestedAsync(gone.Id, source.Id, ct))
                {
                    db.ChangeTracker.Clear();
                    var guid = guids.FirstOrDefault(g => g.PackageId == gone.Id)?.Guid ?? gone.Id;
                    await RecordAsync(job, new HarvestObject { JobId = job.Id, SourceId = source.Id, Guid = guid, PackageId = gone.Id, Name = gone.Name, Report = "deleted" }, ct);
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

    /// <summary>Saves the job's progress (and the objects added) while it is still Running; an aborted job stops here.</summary>
    private async Task SaveJobAsync(HarvestJob job, CancellationToken ct)
    {
        job.Heartbeat = DateTime.UtcNow;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var saved = await db.Set<HarvestJob>().Where(j => j.Id == job.Id && j.Status == HarvestJobStatus.Running)
            .ExecuteUpdateAsync(u => u
                .SetProperty(j => j.Status, job.Status)
                .SetProperty(j => j.Full, job.Full)
                .SetProperty(j => j.GatherFinished, job.GatherFinished)
                .SetProperty(j => j.Finished, job.Finished)
                .SetProperty(j => j.Heartbeat, job.Heartbeat)
                .SetProperty(j => j.Added, job.Added)
                .SetProperty(j => j.Updated, job.Updated)
                .SetProperty(j => j.NotModified, job.NotModified)
                .SetProperty(j => j.Deleted, job.Deleted)
                .SetProperty(j => j.Errored, job.Errored), ct);
        if (saved == 0)
        {
            throw new HarvestAbortedException();
        }

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
    }

    private async Task FailAsync(HarvestJob job, string en, string ja)
    {
        db.ChangeTracker.Clear();
        job.Finished = DateTime.UtcNow;
        job.Heartbeat = DateTime.UtcNow;
        await db.Set<HarvestJob>().Where(j => j.Id == job.Id && j.Status == HarvestJobStatus.Running)
            .ExecuteUpdateAsync(u => u
                .SetProperty(j => j.Status, HarvestJobStatus.Failed)
                .SetProperty(j => j.Error, en)
                .SetProperty(j => j.ErrorJa, ja)
                .SetProperty(j => j.Finished, job.Finished)
                .SetProperty(j => j.Heartbeat, job.Heartbeat), CancellationToken.None);
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
