using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenGov.Ckan;

namespace OpenGov.Harvest;

/// <summary>
/// ckanext-harvest's remaining actions, in its names and shapes: harvest_jobs_run, harvest_sources_reindex,
/// harvest_source_job_history_clear, harvest_sources_job_history_clear, harvest_objects_import, harvest_job_report,
/// harvest_source_show_status, harvest_log_list and harvesters_info_show. The work: <see cref="HarvestMaintenance"/>.
/// </summary>
public static class HarvestMaintenanceActions
{
    public static void Map(CkanActionMapper api)
    {
        api.Read("harvest_source_show_status", api.Group.MapMethods("/harvest_source_show_status", CkanActionMapper.ReadMethods, ShowStatus), "A source's status: job_count, last_job and total_datasets (id).");
        api.Read("harvest_job_report", api.Group.MapMethods("/harvest_job_report", CkanActionMapper.ReadMethods, JobReport), "A job's gather errors and its objects' errors by object id (id).");
        api.Read("harvest_log_list", api.Group.MapMethods("/harvest_log_list", CkanActionMapper.ReadMethods, LogList), "The harvest log made from the jobs' outcomes and errors, newest first (level, limit, offset).");
        api.Read("harvesters_info_show", api.Group.MapMethods("/harvesters_info_show", CkanActionMapper.ReadMethods, HarvestersInfo), "The harvesters (source types) available: ckan, dcat_rdf, dcat_json.");

        api.Write("harvest_jobs_run", api.Group.MapPost("/harvest_jobs_run", JobsRun), "Fail jobs whose node went silent, start the sources due by their schedule, wake the scheduler (source_id: only its jobs).");
        api.Write("harvest_sources_reindex", api.Group.MapPost("/harvest_sources_reindex", ReindexAll), "Write every harvest source's datasets to the search index again.");
        api.Write("harvest_source_job_history_clear", api.Group.MapPost("/harvest_source_job_history_clear", ClearHistory), "Delete a source's jobs and objects, keeping its datasets (id; keep_current).");
        api.Write("harvest_sources_job_history_clear", api.Group.MapPost("/harvest_sources_job_history_clear", ClearAllHistory), "Delete every source's jobs and objects, keeping the datasets (keep_current).");
        api.Write("harvest_objects_import", api.Group.MapPost("/harvest_objects_import", ObjectsImport), "Import the stored current objects again (source_id, guid, harvest_object_id or package_id; none: all); nothing is fetched.");
    }

    private static async Task<JsonHttpResult<CkanEnvelope<HarvestSourceStatus>>> ShowStatus(CkanRequest req, HarvestMaintenance m, CancellationToken ct) =>
        CkanApi.Ok(req, await m.StatusAsync(req.String("id") is { Length: > 0 } i ? i : throw CkanException.Missing("id"), ct));

    private static async Task<JsonHttpResult<CkanEnvelope<JsonObject>>> JobReport(CkanRequest req, HarvestMaintenance m, CancellationToken ct) =>
        CkanApi.Ok(req, await m.JobReportAsync(req.String("id") is { Length: > 0 } i ? i : throw CkanException.Missing("id"), ct));

    private static async Task<JsonHttpResult<CkanEnvelope<List<HarvestLogDict>>>> LogList(CkanRequest req, HarvestMaintenance m, CancellationToken ct)
    {
        var limit = req.Has("per_page") ? req.Int("per_page", 100, 0, 1000) : req.Int("limit", 100, 0, 1000);
        return CkanApi.Ok(req, await m.LogAsync(req.String("level"), limit, req.Int("offset", 0, 0), ct));
    }

    private static JsonHttpResult<CkanEnvelope<List<JsonObject>>> HarvestersInfo(CkanRequest req) => CkanApi.Ok(req, HarvestMaintenance.HarvestersInfo());

    private static async Task<JsonHttpResult<CkanEnvelope<List<object>>>> JobsRun(CkanRequest req, HarvestMaintenance m, CancellationToken ct)
    {
        await m.RunJobsAsync(req.String("source_id"), ct);
        return CkanApi.Ok(req, new List<object>());
    }

    private static async Task<JsonHttpResult<CkanEnvelope<bool>>> ReindexAll(CkanRequest req, HarvestMaintenance m, CancellationToken ct)
    {
        await m.ReindexAllAsync(ct);
        return CkanApi.Ok(req, true);
    }

    private static async Task<JsonHttpResult<CkanEnvelope<JsonObject>>> ClearHistory(CkanRequest req, HarvestMaintenance m, CancellationToken ct) =>
        CkanApi.Ok(req, HarvestOperations.IdResult(await m.ClearHistoryAsync(req.String("id") is { Length: > 0 } i ? i : throw CkanException.Missing("id"), req.Bool("keep_current", false), ct)));

    private static async Task<JsonHttpResult<CkanEnvelope<List<JsonObject>>>> ClearAllHistory(CkanRequest req, HarvestMaintenance m, CancellationToken ct) =>
        CkanApi.Ok(req, await m.ClearAllHistoryAsync(req.Bool("keep_current", false), ct));

    private static async Task<JsonHttpResult<CkanEnvelope<int>>> ObjectsImport(CkanRequest req, HarvestMaintenance m, CancellationToken ct) =>
        CkanApi.Ok(req, await m.ImportObjectsAsync(req.String("source_id"), req.String("guid"), req.String("harvest_object_id"), req.String("package_id"), ct));
}
