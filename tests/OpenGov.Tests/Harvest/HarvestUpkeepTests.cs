using System.Text.Json.Nodes;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Harvest;

/// <summary>
/// ckanext-harvest's upkeep and object actions: harvest_job_abort stops a running job (nothing more written),
/// harvest_object_show/list read what a job imported, harvest_source_reindex and harvest_source_clear (datasets
/// withdrawn, jobs and objects gone, the source kept); writes are the harvest managers' (403 to others).
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
}
