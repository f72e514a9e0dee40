using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenGov.Catalog.Editing;
using OpenGov.Catalog.Search;
using OpenGov.Ckan;
using OpenGov.Storage;

namespace OpenGov.Harvest;

/// <summary>A line of harvest_log_list (ckanext-harvest's harvest_log_dictize: content, level, created).</summary>
public sealed record HarvestLogDict(string Content, string Level, DateTime Created);

/// <summary>
/// ckanext-harvest's whole-site upkeep (logic/action/update.py, get.py): harvest_jobs_run (stale jobs failed, due
/// sources given a job, the scheduler woken), harvest_sources_reindex, harvest_source_job_history_clear and its
/// every-source form, harvest_objects_import (the stored objects imported again, nothing fetched), and the reads
/// harvest_job_report, harvest_source_show_status and harvest_log_list (from the jobs' errors: no log table here).
/// Writes are the harvest managers' (<see cref="HarvestAuth"/>).
/// </summary>
public sealed class HarvestMaintenance(
    OpenGovDb db, HarvestSources sources, PackageEditor editor, ISearchIndexer indexer, HarvestSignal signal, IOptions<HarvestOptions> options)
{
    /// <summary>harvest_jobs_run: answers [] as ckanext-harvest ("merely for backwards compatibility").</summary>
    public async Task RunJobsAsync(string? sourceKey, CancellationToken ct)
    {
        await sources.Auth.RequireManageAsync("run the pending harvest jobs", ct);
        string? sourceId = null;
        if (!string.IsNullOrWhiteSpace(sourceKey))
        {
            sourceId = (await sources.RequireAsync(sourceKey, ct)).Id;
        }

        // a job here marks itself Finished when it ends; what is left to mark is a job whose node went silent
        await HarvestScheduler.FailStaleAsync(db, options.Value.StaleMinutes, sourceId, ct);
        if (sourceId is null)
        {
            await HarvestScheduler.CreateDueJobsAsync(db, ct);
        }

        signal.Wake();
    }

    /// <summary>harvest_sources_reindex: every active source's datasets written to the search index again.</summary>
    public async Task ReindexAllAsync(CancellationToken ct)
    {
        await sources.Auth.RequireManageAsync("reindex all harvest sources", ct);
        var ids = await db.Datasets.AsNoTracking()
            .Where(d => d.HarvestSourceId != null && db.Set<HarvestSource>().Any(s => s.Id == d.HarvestSourceId && s.State == RecordState.Active))
            .Select(d => d.Id).ToListAsync(ct);
        foreach (var id in ids)
        {
            await indexer.IndexAsync(id, ct);
        }
    }

    /// <summary>
    /// harvest_source_job_history_clear: the source's jobs and objects deleted, its datasets kept. With
    /// <paramref name="keepCurrent"/>, objects still current stay, and so do their jobs and a Running job.
    /// </summary>
    public async Task<string> ClearHistoryAsync(string key, bool keepCurrent, CancellationToken ct)
    {
        await sources.Auth.RequireManageAsync("clear harvest sources", ct);
        var source = await sources.FindAsync(key.Trim(), ct) ?? throw CkanException.NotFound($"Harvest source {key} does not exist");
        await ClearHistoryOfAsync(source.Id, keepCurrent, ct);
        return source.Id;
    }

    /// <summary>harvest_sources_job_history_clear: every active source's history; answers their {"id"}s.</summary>
    public async Task<List<JsonObject>> ClearAllHistoryAsync(bool keepCurrent, CancellationToken ct)
    {
        await sources.Auth.RequireManageAsync("clear history for all harvest jobs", ct);
        var ids = await db.Set<HarvestSource>().AsNoTracking().Where(s => s.State == RecordState.Active).OrderBy(s => s.Name).Select(s => s.Id).ToListAsync(ct);
        foreach (var id in ids)
        {
            await ClearHistoryOfAsync(id, keepCurrent, ct);
        }

        return [.. ids.Select(HarvestOperations.IdResult)];
    }

    private async Task ClearHistoryOfAsync(string sourceId, bool keepCurrent, CancellationToken ct)
    {
        var objects = db.Set<HarvestObject>();
        var jobs = db.Set<HarvestJob>();
        if (!keepCurrent)
        {
            // a job running now finds itself gone and stops (HarvestRunner)
            await jobs.Where(j => j.SourceId == sourceId).ExecuteDeleteAsync(ct);
            await objects.Where(o => o.SourceId == sourceId).ExecuteDeleteAsync(ct);
            return;
        }

        // ckanext-harvest's keep_current: objects not current, of jobs not running that hold no current object;
        // then the jobs not running that have no object left
        await objects.Where(o => o.SourceId == sourceId && !o.Current
                && !jobs.Any(j => j.Id == o.JobId && j.Status == HarvestJobStatus.Running)
                && !objects.Any(c => c.JobId == o.JobId && c.Current))
            .ExecuteDeleteAsync(ct);
        await jobs.Where(j => j.SourceId == sourceId && j.Status != HarvestJobStatus.Running && !objects.Any(o => o.JobId == j.Id))
            .ExecuteDeleteAsync(ct);
    }

    /// <summary>
    /// harvest_objects_import: the current objects (of a source, a guid, one object, a dataset, or all) imported again
    /// from what was stored, through the same write as a job's; nothing is fetched. Answers how many were imported.
    /// </summary>
    public async Task<int> ImportObjectsAsync(string? sourceKey, string? guid, string? objectId, string? packageKey, CancellationToken ct)
    {
        await sources.Auth.RequireManageAsync("reimport all harvest objects", ct);
        var q = db.Set<HarvestObject>().AsNoTracking().Where(o => o.Content != null);
        if (!string.IsNullOrWhiteSpace(guid))
        {
            var g = guid.Trim();
            q = q.Where(o => o.Guid == g && o.Current);
        }
        else if (!string.IsNullOrWhiteSpace(sourceKey))
        {
            var key = sourceKey.Trim();
            var source = await sources.FindAsync(key, ct) ?? throw CkanException.NotFound($"Harvest source {key} does not exist");
            if (!source.Active)
            {
                throw CkanException.Validation("source_id", "This harvest source is not active");
            }

            q = q.Where(o => o.SourceId == source.Id && o.Current);
        }
        else if (!string.IsNullOrWhiteSpace(objectId))
        {
            var id = objectId.Trim();
            q = q.Where(o => o.Id == id);
        }
        else if (!string.IsNullOrWhiteSpace(packageKey))
        {
            var key = packageKey.Trim();
            q = q.Where(o => o.Current && db.Datasets.Any(d => (d.Id == key || d.Name == key) && d.Id == o.PackageId));
        }
        else
        {
            q = q.Where(o => o.Current);
        }

        // only objects whose dataset is active here (ckanext-harvest's join on package state)
        q = q.Where(o => db.Datasets.Any(d => d.Id == (o.PackageId ?? o.Guid) && d.State == RecordState.Active));
        var found = await q.OrderBy(o => o.Created).ThenBy(o => o.Id).ToListAsync(ct);
        var count = 0;
        foreach (var obj in found)
        {
            var source = await db.Set<HarvestSource>().AsNoTracking().FirstOrDefaultAsync(s => s.Id == obj.SourceId, ct);
            var org = source is null ? null : await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == source.OrganizationId && o.State == RecordState.Active, ct);
            var packageId = obj.PackageId ?? obj.Guid;
            var local = await db.Datasets.AsNoTracking().Where(d => d.Id == packageId).Select(d => new { d.Name, d.HarvestSourceId }).FirstOrDefaultAsync(ct);
            if (source is null || org is null || local is null || local.HarvestSourceId != source.Id || JsonNode.Parse(obj.Content!) is not JsonObject dict)
            {
                continue;
            }

            dict["name"] = local.Name; // a harvested dataset keeps its name here (a DCAT object's content has none of its own)
            try
            {
                await editor.HarvestAsync(HarvestMapping.ToLocal(dict, source, obj.Id), org, source.Id, ct);
                await db.Set<HarvestObject>().Where(o => o.Id == obj.Id).ExecuteUpdateAsync(u => u.SetProperty(o => o.Error, (string?)null), ct);
            }
            catch (CkanException e)
            {
                db.ChangeTracker.Clear();
                await db.Set<HarvestObject>().Where(o => o.Id == obj.Id).ExecuteUpdateAsync(u => u.SetProperty(o => o.Error, e.Message), ct);
            }

            db.ChangeTracker.Clear();
            count++;
        }

        return count;
    }

    /// <summary>harvest_job_report: the job's gather errors and its objects' errors by object id (harvest_job_show's auth).</summary>
    public async Task<JsonObject> JobReportAsync(string id, CancellationToken ct)
    {
        var job = await sources.FindJobAsync(id.Trim(), ct) ?? throw CkanException.NotFound("Harvest job not found");
        var source = await db.Set<HarvestSource>().AsNoTracking().FirstOrDefaultAsync(s => s.Id == job.SourceId, ct) ?? throw CkanException.NotFound("Harvest job not found");
        await sources.Auth.RequireReadJobsAsync(source, "see jobs from source " + source.Id, ct);
        var gather = new JsonArray();
        if (job.Error is not null)
        {
            gather.Add(new JsonObject { ["message"] = job.Error, ["message_ja"] = job.ErrorJa ?? job.Error });
        }

        var objectErrors = new JsonObject();
        foreach (var e in await sources.ObjectErrorsAsync(job.Id, ct))
        {
            objectErrors[e.HarvestObjectId] = new JsonObject
            {
                ["guid"] = e.Guid,
                ["errors"] = new JsonArray(new JsonObject { ["message"] = e.Message, ["line"] = null, ["type"] = "Import" }),
            };
        }

        return new JsonObject { ["gather_errors"] = gather, ["object_errors"] = objectErrors };
    }

    /// <summary>harvest_source_show_status: the "status" block of harvest_source_show (anyone, as the source itself).</summary>
    public async Task<HarvestSourceStatus> StatusAsync(string key, CancellationToken ct)
    {
        var source = await sources.FindAsync(key.Trim(), ct) ?? throw CkanException.NotFound($"Harvest source {key} does not exist");
        return (await sources.ToDictAsync(source, ct)).Status;
    }

    /// <summary>
    /// harvest_log_list: ckanext-harvest keeps a log table fed by Python's logging; OpenGov keeps no log in the
    /// database, so the lines are made from what the jobs recorded: each ended job (INFO, or ERROR with the reason of
    /// a failed one) and each object error (ERROR), newest first. <c>level</c> filters, <c>limit</c> (or
    /// <c>per_page</c>, 100) and <c>offset</c> page.
    /// </summary>
    public async Task<List<HarvestLogDict>> LogAsync(string? level, int limit, int offset, CancellationToken ct)
    {
        await sources.Auth.RequireManageAsync("read the harvest log", ct);
        var wanted = string.IsNullOrWhiteSpace(level) ? null : level.Trim().ToUpperInvariant();
        if (wanted is not null and not ("ERROR" or "INFO"))
        {
            return [];
        }

        // newest first: enough of each kind to fill offset + limit, then merged
        var take = offset + limit;
        var names = await db.Set<HarvestSource>().AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        var lines = new List<HarvestLogDict>();
        var jobs = db.Set<HarvestJob>().AsNoTracking().Where(j => j.Finished != null);
        if (wanted == "ERROR")
        {
            jobs = jobs.Where(j => j.Error != null);
        }

        foreach (var j in await jobs.OrderByDescending(j => j.Finished).Take(take).ToListAsync(ct))
        {
            var source = names.GetValueOrDefault(j.SourceId, j.SourceId);
            lines.Add(j.Error is not null
                ? new HarvestLogDict($"Harvest job {j.Id} of source {source} {j.Status}: {j.Error}", "ERROR", j.Finished!.Value)
                : new HarvestLogDict($"Harvest job {j.Id} of source {source} Finished: added {j.Added}, updated {j.Updated}, not modified {j.NotModified}, errored {j.Errored}, deleted {j.Deleted}", "INFO", j.Finished!.Value));
        }

        if (wanted is null or "ERROR")
        {
            var errors = await db.Set<HarvestObject>().AsNoTracking().Where(o => o.Error != null).OrderByDescending(o => o.Created).Take(take)
                .Select(o => new { o.Id, o.Guid, o.SourceId, o.Error, o.Created }).ToListAsync(ct);
            lines.AddRange(errors.Select(o => new HarvestLogDict(
                $"Error importing harvest object {o.Id} ({o.Guid}) of source {names.GetValueOrDefault(o.SourceId, o.SourceId)}: {o.Error}", "ERROR", o.Created)));
        }

        return [.. lines.OrderByDescending(l => l.Created).Skip(offset).Take(limit)];
    }

    /// <summary>harvesters_info_show: the harvesters here, with ckanext-harvest's and ckanext-dcat's info().</summary>
    public static List<JsonObject> HarvestersInfo() =>
    [
        new() { ["name"] = HarvestFrequency.CkanType, ["title"] = "CKAN", ["description"] = "Harvests remote CKAN instances", ["form_config_interface"] = "Text", ["show_config"] = true },
        new() { ["name"] = HarvestFrequency.DcatRdfType, ["title"] = "Generic DCAT RDF Harvester", ["description"] = "Harvester for DCAT datasets from an RDF graph", ["show_config"] = false },
        new() { ["name"] = HarvestFrequency.DcatJsonType, ["title"] = "DCAT JSON Harvester", ["description"] = "Harvester for DCAT dataset descriptions serialized as JSON", ["show_config"] = false },
    ];
}
