using Microsoft.AspNetCore.Http.HttpResults;
using OpenGov.Ckan;

namespace OpenGov.Harvest;

/// <summary>
/// ckanext-harvest's actions in its shapes: sources (harvest_source_create/show/list/update/patch/delete) and jobs
/// (harvest_job_create runs one now, harvest_job_list, harvest_job_show with the counts and the errors, harvest_job_abort),
/// upkeep (harvest_source_clear, harvest_source_reindex) and objects (harvest_object_show, harvest_object_list). Reads
/// and writes: <see cref="HarvestSources"/> and <see cref="HarvestOperations"/>; who may: <see cref="HarvestAuth"/>.
/// </summary>
public static class HarvestActions
{
    public static void Map(CkanActionMapper api)
    {
        api.Read("harvest_source_show", api.Group.MapMethods("/harvest_source_show", CkanActionMapper.ReadMethods, Show), "One harvest source (id or name_or_id), with the status of its last job.");
        api.Read("harvest_source_list", api.Group.MapMethods("/harvest_source_list", CkanActionMapper.ReadMethods, List), "The active harvest sources (organization_id filters).");
        api.Read("harvest_job_list", api.Group.MapMethods("/harvest_job_list", CkanActionMapper.ReadMethods, JobList), "A source's jobs, newest first (source_id, status, limit).");
        api.Read("harvest_job_show", api.Group.MapMethods("/harvest_job_show", CkanActionMapper.ReadMethods, JobShow), "One job: status, counts (added, updated, not modified, errored, deleted) and its errors.");
        api.Read("harvest_object_show", api.Group.MapMethods("/harvest_object_show", CkanActionMapper.ReadMethods, ObjectShow), "One harvested object (id, or dataset_id for a dataset's current one) with the source's content and its errors.");
        api.Read("harvest_object_list", api.Group.MapMethods("/harvest_object_list", CkanActionMapper.ReadMethods, ObjectList), "The ids of a source's harvest objects (source_id; only_current, default true).");

        api.Write("harvest_source_create", api.Group.MapPost("/harvest_source_create", Create), "Register a CKAN site as a harvest source (sysadmins and the council secretariat).");
        api.Write("harvest_source_update", api.Group.MapPost("/harvest_source_update", Update), "Change the given keys of a harvest source.");
        api.Write("harvest_source_patch", api.Group.MapPost("/harvest_source_patch", Update), "Change the given keys of a harvest source; the others stay (ckanext-harvest's harvest_source_patch).");
        api.Write("harvest_source_delete", api.Group.MapPost("/harvest_source_delete", Delete), "Delete a harvest source (clear_source: withdraw its datasets too).");
        api.Write("harvest_job_create", api.Group.MapPost("/harvest_job_create", JobCreate), "Run a source now (source_id; full: read every dataset and withdraw those gone).");
        api.Write("harvest_job_abort", api.Group.MapPost("/harvest_job_abort", JobAbort), "Abort a source's latest job or a job (source_id or id): marked Finished, the run stops before its next dataset.");
        api.Write("harvest_source_clear", api.Group.MapPost("/harvest_source_clear", Clear), "Withdraw a source's datasets and delete its jobs and objects; the source stays (id).");
        api.Write("harvest_source_reindex", api.Group.MapPost("/harvest_source_reindex", Reindex), "Write a source's datasets to the search index again (id).");
        HarvestMaintenanceActions.Map(api);
    }

    private static async Task<JsonHttpResult<CkanEnvelope<HarvestSourceDict>>> Show(CkanRequest req, HarvestSources sources, CancellationToken ct)
    {
        var key = req.String("id") is { Length: > 0 } i ? i : req.String("name_or_id") is { Length: > 0 } n ? n : throw CkanException.Missing("id");
        return CkanApi.Ok(req, await sources.ToDictAsync(await sources.RequireAsync(key, ct), ct));
    }

    private static async Task<JsonHttpResult<CkanEnvelope<List<HarvestSourceDict>>>> List(CkanRequest req, HarvestSources sources, CancellationToken ct)
    {
        var list = new List<HarvestSourceDict>();
        foreach (var s in await sources.ListAsync(req.String("organization_id"), ct))
        {
            list.Add(await sources.ToDictAsync(s, ct));
        }

        return CkanApi.Ok(req, list);
    }

    private static async Task<JsonHttpResult<CkanEnvelope<List<HarvestJobDict>>>> JobList(CkanRequest req, HarvestSources sources, CancellationToken ct)
    {
        var source = await sources.RequireAsync(req.String("source_id") is { Length: > 0 } s ? s : throw CkanException.Missing("source_id"), ct);
        await sources.Auth.RequireReadJobsAsync(source, "read harvest jobs", ct);
        var jobs = await sources.JobsAsync(source.Id, req.String("status"), req.Int("limit", 100, 1, 1000), ct);
        return CkanApi.Ok(req, jobs.Select(j => HarvestJobDict.From(j, null)).ToList());
    }

    private static async Task<JsonHttpResult<CkanEnvelope<HarvestJobDict>>> JobShow(CkanRequest req, HarvestSources sources, CancellationToken ct)
    {
        var job = await sources.FindJobAsync(req.String("id") is { Length: > 0 } i ? i : throw CkanException.Missing("id"), ct)
            ?? throw CkanException.NotFound("Harvest job not found");
        var source = await sources.FindAsync(job.SourceId, ct) ?? throw CkanException.NotFound("Harvest job not found");
        await sources.Auth.RequireReadJobsAsync(source, "read harvest jobs", ct);
        return CkanApi.Ok(req, await sources.JobDictAsync(job, ct));
    }

    private static async Task<JsonHttpResult<CkanEnvelope<HarvestSourceDict>>> Create(CkanRequest req, HarvestSources sources, CancellationToken ct) =>
        CkanApi.Ok(req, await sources.ToDictAsync(await sources.CreateAsync(req.Data, ct), ct));

    private static async Task<JsonHttpResult<CkanEnvelope<HarvestSourceDict>>> Update(CkanRequest req, HarvestSources sources, CancellationToken ct) =>
        CkanApi.Ok(req, await sources.ToDictAsync(await sources.UpdateAsync(req.Data, ct), ct));

    private static async Task<JsonHttpResult<CkanEnvelope<object?>>> Delete(CkanRequest req, HarvestSources sources, CancellationToken ct)
    {
        await sources.DeleteAsync(req.Data, ct);
        return CkanApi.Ok<object?>(req, null);
    }

    private static async Task<JsonHttpResult<CkanEnvelope<HarvestObjectDict>>> ObjectShow(CkanRequest req, HarvestOperations ops, CancellationToken ct) =>
        CkanApi.Ok(req, await ops.ShowObjectAsync(req.String("id"), req.String("dataset_id"), ct));

    private static async Task<JsonHttpResult<CkanEnvelope<List<string>>>> ObjectList(CkanRequest req, HarvestOperations ops, CancellationToken ct) =>
        CkanApi.Ok(req, await ops.ListObjectsAsync(req.String("source_id"), req.Bool("only_current", true), ct));

    private static async Task<JsonHttpResult<CkanEnvelope<HarvestJobDict>>> JobAbort(CkanRequest req, HarvestOperations ops, CancellationToken ct)
    {
        var key = req.String("source_id") is { Length: > 0 } s ? s : req.String("id") is { Length: > 0 } i ? i : throw CkanException.Missing("id");
        return CkanApi.Ok(req, await ops.AbortAsync(key, ct));
    }

    private static async Task<JsonHttpResult<CkanEnvelope<System.Text.Json.Nodes.JsonObject>>> Clear(CkanRequest req, HarvestOperations ops, CancellationToken ct) =>
        CkanApi.Ok(req, HarvestOperations.IdResult(await ops.ClearAsync(req.String("id") is { Length: > 0 } i ? i : throw CkanException.Missing("id"), ct)));

    private static async Task<JsonHttpResult<CkanEnvelope<HarvestSourceDict>>> Reindex(CkanRequest req, HarvestOperations ops, CancellationToken ct) =>
        CkanApi.Ok(req, await ops.ReindexAsync(req.String("id") is { Length: > 0 } i ? i : throw CkanException.Missing("id"), ct));

    private static async Task<JsonHttpResult<CkanEnvelope<HarvestJobDict>>> JobCreate(CkanRequest req, HarvestSources sources, CancellationToken ct)
    {
        var source = req.String("source_id") is { Length: > 0 } s ? s : throw CkanException.Missing("source_id");
        var job = await sources.CreateJobAsync(source, req.Bool("full", false), ct);
        return CkanApi.Ok(req, HarvestJobDict.From(job, []));
    }
}
