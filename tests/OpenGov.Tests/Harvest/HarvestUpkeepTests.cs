using System.Text.Json.Nodes;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Harvest;

/// <summary>
/// ckanext-harvest's upkeep and object actions: harvest_job_abort stops a running job (nothing more written),
/// harvest_object_show/list read what a job imported, harvest_source_reindex and harvest_source_clear (datasets
/// purged, jobs and objects gone, the source kept), and the rest of ckanext-harvest's actions (status, report, log,
/// harvesters, patch, jobs_run, history clears, objects import); writes are the harvest managers' (403 to others).
/// </summary>
public class HarvestUpkeepTests
{
    [Theory, Databases]
    public async Task Abort_object_show_and_list_reindex_and_clear_work_as_ckanext_harvest(Db db)
    {
        var mode = "gate";
        await using var stub = await DcatStub.StartAsync(() => mode);
        await using var target = await TestApp.StartAsync(db, DcatHarvestTests.AllowLoopback);
        using var admin = target.Admin();
        using var anon = target.Anonymous();
        await admin.OkAsync("organization_create", new { name = "europe", title = "欧州の例" });
        var sourceId = (await admin.OkAsync("harvest_source_create", new { name = "europe", url = stub.Url + "/catalog.ttl", source_type = "dcat_rdf", owner_org = "europe" }))["id"]!.GetValue<string>();

        // a job held on its first page is aborted: Finished with the reason, and it writes nothing after
        var aborted = (await admin.OkAsync("harvest_job_create", new { source_id = sourceId }))["id"]!.GetValue<string>();
        await stub.Requested.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        var (status, _) = await anon.ActionAsync("harvest_job_abort", new { source_id = sourceId });
        Assert.Equal(403, status);
        var abortedJob = await admin.OkAsync("harvest_job_abort", new { source_id = "europe" });
        Assert.Equal(aborted, abortedJob["id"]!.GetValue<string>());
        Assert.Equal("Finished", abortedJob["status"]!.GetValue<string>());
        Assert.Contains("aborted", abortedJob["gather_errors"]![0]!["message"]!.GetValue<string>());
        mode = "ok";
        stub.Gate.SetResult();

        // the next job runs after the aborted one has stopped (one runner per node)
        var job = await HarvestRuns.RunAsync(admin, sourceId);
        Assert.Equal(2, job["stats"]!["added"]!.GetValue<int>());
        var afterAbort = await admin.OkAsync("harvest_job_show", new { id = aborted });
        Assert.Equal("Finished", afterAbort["status"]!.GetValue<string>());
        Assert.Equal(0, afterAbort["stats"]!["added"]!.GetValue<int>());
        (status, _) = await admin.ActionAsync("harvest_job_abort", new { id = "no-such-job" });
        Assert.Equal(404, status);

        // objects: anyone reads them, as ckanext-harvest lets
        var ids = (await anon.OkAsync("harvest_object_list", new { source_id = sourceId })).AsArray().Select(i => i!.GetValue<string>()).ToList();
        Assert.Equal(2, ids.Count);
        var objects = new List<JsonNode>();
        foreach (var id in ids)
        {
            objects.Add(await anon.OkAsync("harvest_object_show", new { id }));
        }

        var rostock = objects.Single(o => o["package_id"]!.GetValue<string>() == "c1be4007-d811-48fb-8818-2cb358b06a63");
        Assert.Equal("https://www.opendata-hro.de/dataset/c1be4007-d811-48fb-8818-2cb358b06a63", rostock["guid"]!.GetValue<string>());
        Assert.Equal(sourceId, rostock["harvest_source_id"]!.GetValue<string>());
        Assert.Equal(job["id"]!.GetValue<string>(), rostock["harvest_job_id"]!.GetValue<string>());
        Assert.Equal("COMPLETE", rostock["state"]!.GetValue<string>());
        Assert.True(rostock["current"]!.GetValue<bool>());
        Assert.Equal("new", rostock["extras"]!["status"]!.GetValue<string>());
        Assert.Contains("Liefer- und Abholservices", rostock["content"]!.GetValue<string>());
        Assert.Empty(rostock["errors"]!.AsArray());
        Assert.Equal(rostock["id"]!.GetValue<string>(), (await anon.OkAsync("harvest_object_show", new { dataset_id = "c1be4007-d811-48fb-8818-2cb358b06a63" }))["id"]!.GetValue<string>());
        (status, _) = await anon.ActionAsync("harvest_object_show", new { });
        Assert.Equal(409, status);
        (status, _) = await anon.ActionAsync("harvest_object_show", new { id = "no-such-object" });
        Assert.Equal(404, status);

        // reindex answers the source; clear withdraws the datasets and drops jobs and objects, the source stays
        (status, _) = await anon.ActionAsync("harvest_source_reindex", new { id = sourceId });
        Assert.Equal(403, status);
        Assert.Equal("europe", (await admin.OkAsync("harvest_source_reindex", new { id = sourceId }))["name"]!.GetValue<string>());
        Assert.Single((await anon.OkAsync("package_search", new { q = "Gastronomie" }))["results"]!.AsArray());
        (status, _) = await anon.ActionAsync("harvest_source_clear", new { id = sourceId });
        Assert.Equal(403, status);
        Assert.Equal(sourceId, (await admin.OkAsync("harvest_source_clear", new { id = "europe" }))["id"]!.GetValue<string>());
        Assert.Empty((await anon.OkAsync("package_list")).AsArray());
        (status, _) = await admin.ActionAsync("package_show", new { id = "c1be4007-d811-48fb-8818-2cb358b06a63" });
        Assert.Equal(404, status); // purged, as ckanext-harvest does, not only withdrawn
        Assert.Empty((await admin.OkAsync("harvest_job_list", new { source_id = sourceId })).AsArray());
        Assert.Empty((await anon.OkAsync("harvest_object_list", new { source_id = sourceId })).AsArray());
        Assert.Equal(0, (await anon.OkAsync("harvest_source_show", new { id = sourceId }))["status"]!["total_datasets"]!.GetValue<int>());
        (status, _) = await admin.ActionAsync("harvest_source_clear", new { id = "no-such-source" });
        Assert.Equal(404, status);

        // harvested again, the datasets come back with their ids
        var again = await HarvestRuns.RunAsync(admin, sourceId);
        Assert.Equal(2, again["stats"]!["added"]!.GetValue<int>());
        Assert.Equal("active", (await anon.OkAsync("package_show", new { id = "c1be4007-d811-48fb-8818-2cb358b06a63" }))["state"]!.GetValue<string>());
    }

    [Theory, Databases]
    public async Task Status_report_log_patch_history_clear_and_objects_import_answer_as_ckanext_harvest(Db db)
    {
        await using var stub = await DcatStub.StartAsync(() => "ok");
        await using var target = await TestApp.StartAsync(db, DcatHarvestTests.AllowLoopback);
        using var admin = target.Admin();
        using var anon = target.Anonymous();
        const string Rostock = "c1be4007-d811-48fb-8818-2cb358b06a63";

        // harvesters_info_show: anyone, ckanext-harvest's and ckanext-dcat's info()
        var harvesters = (await anon.OkAsync("harvesters_info_show")).AsArray();
        Assert.Equal(["ckan", "dcat_rdf", "dcat_json"], harvesters.Select(h => h!["name"]!.GetValue<string>()));
        Assert.Equal("Harvests remote CKAN instances", harvesters[0]!["description"]!.GetValue<string>());
        Assert.True(harvesters[0]!["show_config"]!.GetValue<bool>());

        await admin.OkAsync("organization_create", new { name = "europe", title = "欧州の例" });
        var sourceId = (await admin.OkAsync("harvest_source_create", new { name = "europe", title = "欧州", url = stub.Url + "/catalog.ttl", source_type = "dcat_rdf", owner_org = "europe" }))["id"]!.GetValue<string>();

        // harvest_source_show_status: the status block, before and after a job; 404 as ckanext-harvest words it
        var status0 = await anon.OkAsync("harvest_source_show_status", new { id = "europe" });
        Assert.Equal(0, status0["job_count"]!.GetValue<int>());
        Assert.Equal(0, status0["total_datasets"]!.GetValue<int>());
        Assert.Null(status0["last_job"]);
        var (status, body) = await anon.ActionAsync("harvest_source_show_status", new { id = "nope" });
        Assert.Equal(404, status);
        Assert.Equal("Not found: Harvest source nope does not exist", body["error"]!["message"]!.GetValue<string>());

        // harvest_source_patch: the keys given change, the others stay; managers only
        (status, _) = await anon.ActionAsync("harvest_source_patch", new { id = sourceId, title = "x" });
        Assert.Equal(403, status);
        var patched = await admin.OkAsync("harvest_source_patch", new { id = sourceId, title = "欧州の DCAT" });
        Assert.Equal("欧州の DCAT", patched["title"]!.GetValue<string>());
        Assert.Equal(stub.Url + "/catalog.ttl", patched["url"]!.GetValue<string>());
        Assert.Equal("dcat_rdf", patched["source_type"]!.GetValue<string>());

        var job = await HarvestRuns.RunAsync(admin, sourceId);
        var jobId = job["id"]!.GetValue<string>();
        Assert.Equal(2, job["stats"]!["added"]!.GetValue<int>());
        var status1 = await anon.OkAsync("harvest_source_show_status", new { id = sourceId });
        Assert.Equal(1, status1["job_count"]!.GetValue<int>());
        Assert.Equal(2, status1["total_datasets"]!.GetValue<int>());
        Assert.Equal(jobId, status1["last_job"]!["id"]!.GetValue<string>());

        // harvest_job_report: harvest_job_show's readers; gather errors and object errors by object id
        var report = await admin.OkAsync("harvest_job_report", new { id = jobId });
        Assert.Empty(report["gather_errors"]!.AsArray());
        Assert.Empty(report["object_errors"]!.AsObject());
        (status, _) = await anon.ActionAsync("harvest_job_report", new { id = jobId });
        Assert.Equal(403, status);
        (status, _) = await admin.ActionAsync("harvest_job_report", new { id = "no-such-job" });
        Assert.Equal(404, status);

        // harvest_log_list: made from the jobs (no log table here); level filters; managers only
        (status, _) = await anon.ActionAsync("harvest_log_list");
        Assert.Equal(403, status);
        var log = (await admin.OkAsync("harvest_log_list")).AsArray();
        var line = Assert.Single(log)!;
        Assert.Equal("INFO", line["level"]!.GetValue<string>());
        Assert.Contains(jobId, line["content"]!.GetValue<string>());
        Assert.Contains("added 2", line["content"]!.GetValue<string>());
        Assert.Empty((await admin.OkAsync("harvest_log_list", new { level = "error" })).AsArray());

        // harvest_objects_import: the stored objects written again (nothing fetched); managers only
        (status, _) = await anon.ActionAsync("harvest_objects_import", new { source_id = sourceId });
        Assert.Equal(403, status);
        var before = (await anon.OkAsync("package_show", new { id = Rostock }))["metadata_modified"]!.GetValue<string>();
        Assert.Equal(2, (await admin.OkAsync("harvest_objects_import", new { source_id = sourceId })).GetValue<int>());
        Assert.Equal(1, (await admin.OkAsync("harvest_objects_import", new { package_id = Rostock })).GetValue<int>());
        var after = await anon.OkAsync("package_show", new { id = Rostock });
        Assert.True(string.CompareOrdinal(after["metadata_modified"]!.GetValue<string>(), before) > 0);
        Assert.Equal("Liefer- und Abholservices (Gastronomie)", after["title"]!.GetValue<string>());
        (status, _) = await admin.ActionAsync("harvest_objects_import", new { source_id = "nope" });
        Assert.Equal(404, status);

        // harvest_jobs_run and harvest_sources_reindex: managers only; [] and true as ckanext-harvest
        (status, _) = await anon.ActionAsync("harvest_jobs_run", new { });
        Assert.Equal(403, status);
        Assert.Empty((await admin.OkAsync("harvest_jobs_run", new { })).AsArray());
        Assert.Empty((await admin.OkAsync("harvest_jobs_run", new { source_id = sourceId })).AsArray());
        (status, _) = await admin.ActionAsync("harvest_jobs_run", new { source_id = "nope" });
        Assert.Equal(404, status);
        (status, _) = await anon.ActionAsync("harvest_sources_reindex", new { });
        Assert.Equal(403, status);
        Assert.True((await admin.OkAsync("harvest_sources_reindex", new { })).GetValue<bool>());

        // history clear with keep_current: the second job (nothing current of its own) goes, the first stays
        var second = await HarvestRuns.RunAsync(admin, sourceId);
        Assert.Equal(2, second["stats"]!["not modified"]!.GetValue<int>());
        (status, _) = await anon.ActionAsync("harvest_source_job_history_clear", new { id = sourceId });
        Assert.Equal(403, status);
        Assert.Equal(sourceId, (await admin.OkAsync("harvest_source_job_history_clear", new { id = "europe", keep_current = true }))["id"]!.GetValue<string>());
        Assert.Equal([jobId], (await admin.OkAsync("harvest_job_list", new { source_id = sourceId })).AsArray().Select(j => j!["id"]!.GetValue<string>()));
        Assert.Equal(2, (await anon.OkAsync("harvest_object_list", new { source_id = sourceId })).AsArray().Count);

        // without it every job and object goes; the datasets stay (unlike harvest_source_clear)
        await admin.OkAsync("harvest_source_job_history_clear", new { id = sourceId });
        Assert.Empty((await admin.OkAsync("harvest_job_list", new { source_id = sourceId })).AsArray());
        Assert.Empty((await anon.OkAsync("harvest_object_list", new { source_id = sourceId })).AsArray());
        Assert.Equal("active", (await anon.OkAsync("package_show", new { id = Rostock }))["state"]!.GetValue<string>());
        (status, body) = await admin.ActionAsync("harvest_source_job_history_clear", new { id = "nope" });
        Assert.Equal(404, status);
        Assert.Equal("Not found: Harvest source nope does not exist", body["error"]!["message"]!.GetValue<string>());

        // every source at once
        await HarvestRuns.RunAsync(admin, sourceId);
        (status, _) = await anon.ActionAsync("harvest_sources_job_history_clear", new { });
        Assert.Equal(403, status);
        Assert.Equal([sourceId], (await admin.OkAsync("harvest_sources_job_history_clear", new { })).AsArray().Select(x => x!["id"]!.GetValue<string>()));
        Assert.Empty((await admin.OkAsync("harvest_job_list", new { source_id = sourceId })).AsArray());
        Assert.Equal(2, (await anon.OkAsync("package_list")).AsArray().Count);
    }
}
