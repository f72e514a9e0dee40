using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using OpenGov.Catalog.Editing;
using OpenGov.Catalog.Search;
using OpenGov.Ckan;
using OpenGov.Storage;

namespace OpenGov.Harvest;

/// <summary>A harvest object as harvest_object_show answers it (ckanext-harvest's harvest_object_dictize).</summary>
public sealed record HarvestObjectDict(
    string Id, string Guid, bool Current, DateTime Gathered, DateTime FetchStarted, DateTime FetchFinished, DateTime ImportStarted,
    DateTime ImportFinished, int RetryTimes, string State, string ReportStatus, string MetadataModifiedDate, string? Content,
    string HarvestJobId, string HarvestSourceId, string? PackageId, string Source, string Job, string? Package,
    Dictionary<string, string> Extras, List<HarvestObjectErrorDict> Errors);

public sealed record HarvestObjectErrorDict(string Message, string Stage, [property: JsonPropertyName("line")] int? Line);

/// <summary>
/// ckanext-harvest's upkeep actions: harvest_source_clear (the source's datasets purged, its jobs and objects
/// gone, the source kept), harvest_source_reindex (its datasets written to the search index again),
/// harvest_job_abort (a New or Running job marked Finished; the runner stops before its next dataset), and the
/// reads harvest_object_show and harvest_object_list.
/// </summary>
public sealed class HarvestOperations(OpenGovDb db, HarvestSources sources, PackageEditor editor, ISearchIndexer indexer)
{
    /// <summary>harvest_source_clear: the source's datasets purged (as ckanext-harvest), its jobs and objects deleted; returns the source's id.</summary>
    public async Task<string> ClearAsync(string key, CancellationToken ct)
    {
        await sources.Auth.RequireManageAsync("clear harvest sources", ct);
        var source = await sources.FindAsync(key.Trim(), ct) ?? throw CkanException.NotFound($"Harvest source {key} does not exist");

        // the jobs go first: a job running now finds itself gone and stops (HarvestRunner)
        await db.Set<HarvestJob>().Where(j => j.SourceId == source.Id).ExecuteDeleteAsync(ct);
        await db.Set<HarvestObject>().Where(o => o.SourceId == source.Id).ExecuteDeleteAsync(ct);
        await editor.PurgeHarvestedAsync(source.Id, ct);
        return source.Id;
    }

    /// <summary>harvest_source_reindex: the source's datasets indexed again; returns the source's dict.</summary>
    public async Task<HarvestSourceDict> ReindexAsync(string key, CancellationToken ct)
    {
        await sources.Auth.RequireManageAsync("reindex harvest sources", ct);
        var source = await sources.RequireAsync(key, ct);
        var ids = await db.Datasets.AsNoTracking().Where(d => d.HarvestSourceId == source.Id).Select(d => d.Id).ToListAsync(ct);
        foreach (var id in ids)
        {
            await indexer.IndexAsync(id, ct);
        }

        return await sources.ToDictAsync(source, ct);
    }

    /// <summary>
    /// harvest_job_abort: <paramref name="key"/> is a source (its latest job) or a job. A New or Running job becomes
    /// Finished with the reason recorded; a finished one is left as it is.
    /// </summary>
    public async Task<HarvestJobDict> AbortAsync(string key, CancellationToken ct)
    {
        await sources.Auth.RequireManageAsync("abort harvest jobs", ct);
        HarvestJob job;
        if (await sources.FindAsync(key.Trim(), ct) is { } source)
        {
            job = await db.Set<HarvestJob>().AsNoTracking().Where(j => j.SourceId == source.Id).OrderByDescending(j => j.Created).FirstOrDefaultAsync(ct)
                ?? throw CkanException.NotFound("Error: source has no jobs");
        }
        else
        {
            job = await sources.FindJobAsync(key.Trim(), ct) ?? throw CkanException.NotFound("Harvest job not found");
        }

        var who = sources.Auth.User.Label;
        await db.Set<HarvestJob>().Where(j => j.Id == job.Id && (j.Status == HarvestJobStatus.New || j.Status == HarvestJobStatus.Running))
            .ExecuteUpdateAsync(u => u
                .SetProperty(j => j.Status, HarvestJobStatus.Finished)
                .SetProperty(j => j.Finished, DateTime.UtcNow)
                .SetProperty(j => j.Error, $"The job was aborted by {who}")
                .SetProperty(j => j.ErrorJa, $"{who} がジョブを中止しました。"), ct);
        return await sources.JobDictAsync((await sources.FindJobAsync(job.Id, ct))!, ct);
    }

    /// <summary>harvest_object_show: by its id, or a dataset's (id or name) current object.</summary>
    public async Task<HarvestObjectDict> ShowObjectAsync(string? id, string? datasetId, CancellationToken ct)
    {
        HarvestObject? obj;
        if (!string.IsNullOrWhiteSpace(id))
        {
            var key = id.Trim();
            obj = await db.Set<HarvestObject>().AsNoTracking().FirstOrDefaultAsync(o => o.Id == key, ct);
        }
        else if (!string.IsNullOrWhiteSpace(datasetId))
        {
            var key = datasetId.Trim();
            var pkg = await db.Datasets.AsNoTracking().Where(d => d.Id == key || d.Name == key).Select(d => d.Id).FirstOrDefaultAsync(ct)
                ?? throw CkanException.NotFound("Dataset not found");
            obj = await db.Set<HarvestObject>().AsNoTracking()
                .Where(o => o.Current && (o.PackageId == pkg || (o.PackageId == null && o.Guid == pkg)))
                .OrderByDescending(o => o.Created).FirstOrDefaultAsync(ct);
        }
        else
        {
            throw new CkanException(409, "Validation Error", "Please provide either an \"id\" or a \"dataset_id\" parameter", null);
        }

        if (obj is null)
        {
            throw CkanException.NotFound("Harvest object not found");
        }

        var packageId = obj.PackageId ?? obj.Guid;
        var hasPackage = await db.Datasets.AnyAsync(d => d.Id == packageId, ct);
        var state = obj.Report == "errored" ? "ERROR" : "COMPLETE";
        var status = obj.Report switch { "added" => "new", "deleted" => "delete", _ => "change" };
        return new HarvestObjectDict(
            obj.Id, obj.Guid, obj.Current, obj.Created, obj.Created, obj.Created, obj.Created, obj.Created, 0, state, obj.Report, obj.RemoteModified,
            obj.Content, obj.JobId, obj.SourceId, hasPackage ? packageId : null, obj.SourceId, obj.JobId, hasPackage ? packageId : null,
            new Dictionary<string, string> { ["status"] = status },
            obj.Error is null ? [] : [new HarvestObjectErrorDict(obj.Error, "Import", null)]);
    }

    /// <summary>harvest_object_list: the ids of a source's (or every) object, only the current ones unless asked.</summary>
    public async Task<List<string>> ListObjectsAsync(string? sourceKey, bool onlyCurrent, CancellationToken ct)
    {
        var q = db.Set<HarvestObject>().AsNoTracking();
        if (!string.IsNullOrWhiteSpace(sourceKey))
        {
            var source = await sources.RequireAsync(sourceKey, ct);
            q = q.Where(o => o.SourceId == source.Id);
        }

        if (onlyCurrent)
        {
            q = q.Where(o => o.Current);
        }

        return await q.OrderBy(o => o.Created).ThenBy(o => o.Id).Select(o => o.Id).ToListAsync(ct);
    }

    public static JsonObject IdResult(string id) => new() { ["id"] = id };
}
