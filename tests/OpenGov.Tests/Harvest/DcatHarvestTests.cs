using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenGov.Harvest.Dcat;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Harvest;

/// <summary>
/// DCAT sources as ckanext-dcat's dcat_rdf harvester reads them: a second OpenGov's own /catalog.ttl, .jsonld and
/// .rdf (our DCAT output read back), and real published DCAT files recorded in ckanext-dcat's examples (datos.gob.es
/// in Turtle, GovData/Rostock in RDF/XML) served as two hydra pages; a page that fails leaves the catalog as it was.
/// And ckanext-dcat's dcat_json harvester: a Project Open Data style data.json paged with ?page=N.
/// </summary>
public class DcatHarvestTests
{
    private const string MadridUri = "https://datos.gob.es/catalogo/l01280796-estudio-de-satisfaccion-con-el-programa-de-escuelas-municipales-de-promocion-deportiva-en-centros-escolares";

    internal static readonly Dictionary<string, string?> AllowLoopback = new()
    {
        ["OpenGov:Harvest:AllowPrivateAddresses"] = "true",
        ["OpenGov:Harvest:TimeoutSeconds"] = "30",
    };

    [Theory, Databases]
    public async Task Harvest_of_a_second_instance_catalog_in_turtle_json_ld_and_rdf_xml_keeps_ids_follows_changes_and_withdraws(Db db)
    {
        await using var source = await TestApp.StartAsync(db, kestrel: true);
        using var remote = source.Admin();
        await remote.OkAsync("organization_create", new { name = "city-b", title = "市B" });
        var air = await remote.OkAsync("package_create", new JsonObject
        {
            ["name"] = "air-quality",
            ["title"] = "大気汚染の測定値",
            ["notes"] = "毎月の測定値です。",
            ["owner_org"] = "city-b",
            ["license_id"] = "cc-by",
            ["tags"] = new JsonArray(new JsonObject { ["name"] = "環境" }, new JsonObject { ["name"] = "air" }),
            ["resources"] = new JsonArray(new JsonObject { ["url"] = "https://example.jp/air-2024.csv", ["name"] = "2024年度", ["format"] = "CSV", ["size"] = 1234 }),
        });
        var population = await remote.OkAsync("package_create", new { name = "population", title = "Population by ward", owner_org = "city-b" });
        var airId = air["id"]!.GetValue<string>();
        var site = source.BaseAddress.ToString().TrimEnd('/');

        await using var target = await TestApp.StartAsync(db, AllowLoopback);
        using var admin = target.Admin();
        using var anon = target.Anonymous();
        await admin.OkAsync("organization_create", new { name = "harvested", title = "収集した市B" });
        var src = await admin.OkAsync("harvest_source_create", new { name = "city-b-dcat", url = site + "/catalog.ttl", source_type = "dcat_rdf", owner_org = "harvested" });
        var sourceId = src["id"]!.GetValue<string>();
        Assert.Equal("dcat_rdf", src["source_type"]!.GetValue<string>());

        var first = await HarvestRuns.RunAsync(admin, sourceId);
        Assert.Equal("Finished", first["status"]!.GetValue<string>());
        Assert.Equal(2, first["stats"]!["added"]!.GetValue<int>());
        Assert.Equal(0, first["stats"]!["errored"]!.GetValue<int>());

        // the dataset keeps its id (dct:identifier), its title, notes, tags, licence and distribution
        var copy = await anon.OkAsync("package_show", new { id = airId });
        Assert.Equal("大気汚染の測定値", copy["title"]!.GetValue<string>());
        Assert.Equal("毎月の測定値です。", copy["notes"]!.GetValue<string>());
        Assert.Equal("harvested", copy["organization"]!["name"]!.GetValue<string>());
        Assert.Equal("cc-by", copy["license_id"]!.GetValue<string>());
        Assert.Equal(["air", "環境"], copy["tags"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        var resource = copy["resources"]!.AsArray().Single()!;
        Assert.Equal("https://example.jp/air-2024.csv", resource["url"]!.GetValue<string>());
        Assert.Equal("CSV", resource["format"]!.GetValue<string>());
        Assert.Equal(1234, resource["size"]!.GetValue<long>());
        Assert.Equal(air["resources"]![0]!["id"]!.GetValue<string>(), resource["id"]!.GetValue<string>());
        var extras = copy["extras"]!.AsArray().ToDictionary(e => e!["key"]!.GetValue<string>(), e => e!["value"]!.GetValue<string>());
        Assert.Equal(site + "/dataset/" + airId, extras["guid"]);
        Assert.Equal(sourceId, extras["harvest_source_id"]);
        Assert.Equal("population-by-ward", (await anon.OkAsync("package_show", new { id = population["id"]!.GetValue<string>() }))["name"]!.GetValue<string>());
        var (status, _) = await admin.ActionAsync("package_patch", new { id = airId, title = "ここで変更" });
        Assert.Equal(403, status);

        // the object: the guid (the dataset's URI), the dataset here and what the source said
        var obj = await anon.OkAsync("harvest_object_show", new { dataset_id = airId });
        Assert.Equal(site + "/dataset/" + airId, obj["guid"]!.GetValue<string>());
        Assert.Equal(airId, obj["package_id"]!.GetValue<string>());
        Assert.Equal("added", obj["report_status"]!.GetValue<string>());
        Assert.Contains("大気汚染の測定値", obj["content"]!.GetValue<string>());

        // the same catalog as JSON-LD: the same datasets (not modified), the one changed on the source updated
        await admin.OkAsync("harvest_source_update", new { id = sourceId, url = site + "/catalog.jsonld" });
        await remote.OkAsync("package_patch", new { id = airId, title = "大気汚染の測定値（改訂）" });
        var second = await HarvestRuns.RunAsync(admin, sourceId);
        Assert.Equal("Finished", second["status"]!.GetValue<string>());
        Assert.Equal(1, second["stats"]!["updated"]!.GetValue<int>());
        Assert.Equal(1, second["stats"]!["not modified"]!.GetValue<int>());
        Assert.Equal(0, second["stats"]!["added"]!.GetValue<int>());
        Assert.Equal("大気汚染の測定値（改訂）", (await anon.OkAsync("package_show", new { id = airId }))["title"]!.GetValue<string>());

        // and as RDF/XML: a dataset gone from the catalog is withdrawn
        await admin.OkAsync("harvest_source_update", new { id = sourceId, url = site + "/catalog.rdf" });
        await remote.OkAsync("package_delete", new { id = "population" });
        var third = await HarvestRuns.RunAsync(admin, sourceId);
        Assert.Equal("Finished", third["status"]!.GetValue<string>());
        Assert.Equal(1, third["stats"]!["deleted"]!.GetValue<int>());
        Assert.Equal(1, third["stats"]!["not modified"]!.GetValue<int>());
        Assert.Equal([airId], (await anon.OkAsync("package_list")).AsArray().Select(n => n!.GetValue<string>()).ToList());
        Assert.Equal("deleted", (await admin.OkAsync("package_show", new { id = population["id"]!.GetValue<string>() }))["state"]!.GetValue<string>());
    }

    [Theory, Databases]
    public async Task Harvest_of_recorded_real_dcat_files_follows_hydra_pages_and_a_failing_page_leaves_the_catalog_unchanged(Db db)
    {
        var mode = "500";
        await using var stub = await DcatStub.StartAsync(() => mode);
        await using var target = await TestApp.StartAsync(db, AllowLoopback);
        using var admin = target.Admin();
        using var anon = target.Anonymous();
        await admin.OkAsync("organization_create", new { name = "europe", title = "欧州の例" });
        var src = await admin.OkAsync("harvest_source_create", new { name = "europe", url = stub.Url + "/catalog.ttl", source_type = "dcat_rdf", owner_org = "europe" });
        var sourceId = src["id"]!.GetValue<string>();

        // the second page fails (an HTTP 500, then RDF/XML cut off): the job fails with the reason, nothing is written
        foreach (var (m, reason) in new[] { ("500", "HTTP 500"), ("malformed", "Error parsing the RDF file") })
        {
            mode = m;
            var failed = await HarvestRuns.RunAsync(admin, sourceId);
            Assert.Equal("Failed", failed["status"]!.GetValue<string>());
            Assert.Contains(reason, failed["gather_errors"]![0]!["message"]!.GetValue<string>());
            Assert.False(string.IsNullOrEmpty(failed["gather_errors"]![0]!["message_ja"]!.GetValue<string>()));
            Assert.Empty((await admin.OkAsync("package_list")).AsArray());
        }

        mode = "ok";
        var job = await HarvestRuns.RunAsync(admin, sourceId);
        Assert.Equal("Finished", job["status"]!.GetValue<string>());
        Assert.Equal(2, job["stats"]!["added"]!.GetValue<int>());

        // datos.gob.es (Turtle): no UUID identifier, so an id derived from its URI; the publisher's skos:prefLabel, the IMT's label
        var madrid = await anon.OkAsync("package_show", new { id = DcatMapping.DerivedId(MadridUri) });
        Assert.StartsWith("estudio-de-satisfaccion-con-el-programa-de-escuelas-municipales", madrid["name"]!.GetValue<string>());
        Assert.Equal(["deporte escolar", "escuelas", "promoción"], madrid["tags"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        var madridExtras = madrid["extras"]!.AsArray().ToDictionary(e => e!["key"]!.GetValue<string>(), e => e!["value"]!.GetValue<string>());
        Assert.Equal("Ayuntamiento de Madrid", madridExtras["publisher_name"]);
        Assert.Equal("https://datos.madrid.es/egob/catalogo/300676-0-deporte-encuesta-escuelas", madridExtras["identifier"]);
        var xls = madrid["resources"]!.AsArray().Single()!;
        Assert.Equal("XLS", xls["format"]!.GetValue<string>());
        Assert.Equal(43008, xls["size"]!.GetValue<long>());
        Assert.Equal("https://datos.madrid.es/egob/catalogo/300676-0-deporte-encuesta-escuelas.xlsx", xls["url"]!.GetValue<string>());

        // GovData / Rostock (RDF/XML, the second page): its UUID identifier kept as the id, distributions with download URLs
        var rostock = await anon.OkAsync("package_show", new { id = "c1be4007-d811-48fb-8818-2cb358b06a63" });
        Assert.Equal("Liefer- und Abholservices (Gastronomie)", rostock["title"]!.GetValue<string>());
        Assert.Contains("ökonomie", rostock["tags"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()));
        var geojson = rostock["resources"]!.AsArray().First(r => string.Equals(r!["format"]?.GetValue<string>(), "GeoJSON", StringComparison.OrdinalIgnoreCase))!;
        Assert.Equal("https://geo.sv.rostock.de/download/opendata/lieferservices/lieferservices.json", geojson["url"]!.GetValue<string>());
        Assert.Equal(147253, geojson["size"]!.GetValue<long>());
        Assert.Equal("application/geo+json", geojson["mimetype"]!.GetValue<string>());

        // a later run that fails midway changes nothing of what is there
        mode = "malformed";
        var later = await HarvestRuns.RunAsync(admin, sourceId);
        Assert.Equal("Failed", later["status"]!.GetValue<string>());
        Assert.Equal(2, (await admin.OkAsync("package_list")).AsArray().Count);
        Assert.Equal("active", (await admin.OkAsync("package_show", new { id = "c1be4007-d811-48fb-8818-2cb358b06a63" }))["state"]!.GetValue<string>());

        // a source type nobody harvests, and an rdf_format rdflib would not know, are refused with CKAN's 409
        var (status, body) = await admin.ActionAsync("harvest_source_create", new { name = "bad", url = stub.Url + "/x.ttl", source_type = "csw", owner_org = "europe" });
        Assert.Equal(409, status);
        Assert.Contains("source_type", body["error"]!.AsObject().Select(kv => kv.Key));
        (status, body) = await admin.ActionAsync("harvest_source_create", new { name = "bad", url = stub.Url + "/x.ttl", source_type = "dcat_rdf", owner_org = "europe", config = "{\"rdf_format\": \"csv\"}" });
        Assert.Equal(409, status);
        Assert.Contains("config", body["error"]!.AsObject().Select(kv => kv.Key));
    }

    [Theory, Databases]
    public async Task Harvest_of_a_dcat_json_catalog_reads_every_page_follows_changes_withdraws_and_fails_whole_on_a_bad_page(Db db)
    {
        // a Project Open Data style data.json on 127.0.0.1: page 1 at the URL itself, page 2 at ?page=2, then a 404
        const string Population = "5b7d9f0e-3c1a-4e8b-9a6d-2f4c8e1b7a30";
        const string BusStops = "https://opendata.example.jp/dataset/bus-stops";
        var title = "人口統計（町丁別）";
        var listsBusStops = true;
        var page2 = "ok";
        JsonObject Dataset(string identifier, string datasetTitle, string keyword, string file, string format, string mediaType) => new()
        {
            ["@type"] = "dcat:Dataset",
            ["identifier"] = identifier,
            ["title"] = datasetTitle,
            ["description"] = datasetTitle + "のデータです。",
            ["keyword"] = new JsonArray(keyword, "オープンデータ"),
            ["modified"] = "2024-04-01",
            ["issued"] = "2020-04-01",
            ["publisher"] = new JsonObject { ["@type"] = "org:Organization", ["name"] = "例示市" },
            ["landingPage"] = "https://opendata.example.jp/dataset/" + keyword,
            ["license"] = "https://creativecommons.org/licenses/by/4.0/",
            ["distribution"] = new JsonArray(new JsonObject
            {
                ["@type"] = "dcat:Distribution",
                ["downloadURL"] = "https://opendata.example.jp/files/" + file,
                ["mediaType"] = mediaType,
                ["format"] = format,
                ["title"] = file,
                ["byteSize"] = 2048,
            }),
        };
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var stub = builder.Build();
        stub.MapGet("/data.json", async (HttpContext ctx) =>
        {
            var page = ctx.Request.Query["page"].ToString();
            JsonArray datasets;
            switch (page)
            {
                case "":
                    datasets = [Dataset(Population, title, "人口", "population.csv", "CSV", "text/csv")];
                    if (listsBusStops)
                    {
                        datasets.Add(Dataset(BusStops, "Bus stops", "bus", "bus-stops.geojson", "GeoJSON", "application/geo+json"));
                    }

                    break;
                case "2" when page2 == "malformed":
                    ctx.Response.ContentType = "application/json";
                    await ctx.Response.WriteAsync("{\"dataset\": [{\"title\": ");
                    return;
                case "2":
                    datasets = [Dataset("https://opendata.example.jp/dataset/aed", "AED設置場所", "aed", "aed.csv", "CSV", "text/csv")];
                    break;
                default:
                    ctx.Response.StatusCode = 404;
                    return;
            }

            ctx.Response.ContentType = "application/json; charset=utf-8";
            await ctx.Response.WriteAsync(new JsonObject { ["conformsTo"] = "https://project-open-data.cio.gov/v1.1/schema", ["dataset"] = datasets }.ToJsonString());
        });
        await stub.StartAsync(TestContext.Current.CancellationToken);
        var url = stub.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/data.json";

        await using var target = await TestApp.StartAsync(db, AllowLoopback);
        using var admin = target.Admin();
        using var anon = target.Anonymous();
        await admin.OkAsync("organization_create", new { name = "example-city", title = "例示市" });
        var sourceId = (await admin.OkAsync("harvest_source_create", new { name = "example-json", url, source_type = "dcat_json", owner_org = "example-city" }))["id"]!.GetValue<string>();

        var first = await HarvestRuns.RunAsync(admin, sourceId);
        Assert.Equal("Finished", first["status"]!.GetValue<string>());
        Assert.Equal(3, first["stats"]!["added"]!.GetValue<int>()); // both pages
        Assert.Equal(0, first["stats"]!["errored"]!.GetValue<int>());

        // a UUID identifier is kept as the id; the title, notes, tags, licence, publisher and distribution mapped
        var population = await anon.OkAsync("package_show", new { id = Population });
        Assert.Equal(title, population["title"]!.GetValue<string>());
        Assert.Equal(title + "のデータです。", population["notes"]!.GetValue<string>());
        Assert.Equal("example-city", population["organization"]!["name"]!.GetValue<string>());
        Assert.Equal("cc-by-4.0", population["license_id"]!.GetValue<string>());
        Assert.Equal(["オープンデータ", "人口"], population["tags"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        var csv = population["resources"]!.AsArray().Single()!;
        Assert.Equal("https://opendata.example.jp/files/population.csv", csv["url"]!.GetValue<string>());
        Assert.Equal("CSV", csv["format"]!.GetValue<string>());
        Assert.Equal("text/csv", csv["mimetype"]!.GetValue<string>());
        Assert.Equal(2048, csv["size"]!.GetValue<long>());
        var extras = population["extras"]!.AsArray().ToDictionary(e => e!["key"]!.GetValue<string>(), e => e!["value"]!.GetValue<string>());
        Assert.Equal("例示市", extras["dcat_publisher_name"]);
        Assert.Equal(sourceId, extras["harvest_source_id"]);

        // an identifier that is a URL: an id derived from it, the name from the English title
        var bus = await anon.OkAsync("package_show", new { id = DcatMapping.DerivedId(BusStops) });
        Assert.Equal("bus-stops", bus["name"]!.GetValue<string>());
        Assert.Equal("application/geo+json", bus["resources"]![0]!["mimetype"]!.GetValue<string>());
        Assert.Equal(DcatMapping.DerivedId("https://opendata.example.jp/dataset/aed"), (await anon.OkAsync("package_show", new { id = DcatMapping.DerivedId("https://opendata.example.jp/dataset/aed") }))["id"]!.GetValue<string>());

        // a title changed and a dataset gone from the catalog: updated, not modified, withdrawn
        title = "人口統計（町丁別・改訂）";
        listsBusStops = false;
        var second = await HarvestRuns.RunAsync(admin, sourceId);
        Assert.Equal("Finished", second["status"]!.GetValue<string>());
        Assert.Equal(1, second["stats"]!["updated"]!.GetValue<int>());
        Assert.Equal(1, second["stats"]!["not modified"]!.GetValue<int>());
        Assert.Equal(1, second["stats"]!["deleted"]!.GetValue<int>());
        Assert.Equal(title, (await anon.OkAsync("package_show", new { id = Population }))["title"]!.GetValue<string>());
        Assert.Equal("deleted", (await admin.OkAsync("package_show", new { id = DcatMapping.DerivedId(BusStops) }))["state"]!.GetValue<string>());

        // page 2 cut off: the job fails with the reason and nothing changes, not even page 1's new title
        title = "書き込まれないタイトル";
        page2 = "malformed";
        var failed = await HarvestRuns.RunAsync(admin, sourceId);
        Assert.Equal("Failed", failed["status"]!.GetValue<string>());
        Assert.Contains("is malformed: not JSON", failed["gather_errors"]![0]!["message"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(failed["gather_errors"]![0]!["message_ja"]!.GetValue<string>()));
        Assert.Equal("人口統計（町丁別・改訂）", (await anon.OkAsync("package_show", new { id = Population }))["title"]!.GetValue<string>());
        Assert.Equal(2, (await anon.OkAsync("package_list")).AsArray().Count);
    }
}

/// <summary>Runs a job now and waits for it to end.</summary>
internal static class HarvestRuns
{
    public static async Task<JsonNode> RunAsync(HttpClient admin, string sourceId, bool full = false)
    {
        var job = await admin.OkAsync("harvest_job_create", new { source_id = sourceId, full });
        return await WaitAsync(admin, job["id"]!.GetValue<string>());
    }

    public static async Task<JsonNode> WaitAsync(HttpClient admin, string id)
    {
        for (var i = 0; i < 1200; i++)
        {
            var shown = await admin.OkAsync("harvest_job_show", new { id });
            if (shown["status"]!.GetValue<string>() is "Finished" or "Failed")
            {
                return shown;
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException("harvest job " + id + " did not end");
    }
}

/// <summary>
/// A DCAT catalog in two hydra pages: /catalog.ttl is datos.gob.es's recorded Turtle with a hydra:PagedCollection
/// whose hydra:nextPage is /page2 (no extension: RDF/XML told by its content type), GovData's recorded RDF/XML. By
/// mode, page 2 answers a 500, RDF/XML cut off, or waits for <see cref="Gate"/>.
/// </summary>
internal sealed class DcatStub(WebApplication app, string url) : IAsyncDisposable
{
    public string Url => url;

    public TaskCompletionSource Requested { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ValueTask DisposeAsync() => app.DisposeAsync();

    public static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Harvest", "Fixtures", name));

    public static async Task<DcatStub> StartAsync(Func<string> mode)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        DcatStub? stub = null;
        app.MapGet("/catalog.ttl", async (HttpContext ctx) =>
        {
            stub!.Requested.TrySetResult();
            if (mode() == "gate")
            {
                await stub.Gate.Task.WaitAsync(ctx.RequestAborted);
            }

            var hydra = "http://www.w3.org/ns/hydra/core#";
            ctx.Response.ContentType = "text/turtle; charset=utf-8";
            await ctx.Response.WriteAsync(Fixture("dataset_gob_es.ttl")
                + $"\n<{stub.Url}/catalog.ttl> a <{hydra}PagedCollection> ;\n    <{hydra}nextPage> \"{stub.Url}/page2\" .\n");
        });
        app.MapGet("/page2", async (HttpContext ctx) =>
        {
            switch (mode())
            {
                case "500":
                    ctx.Response.StatusCode = 500;
                    await ctx.Response.WriteAsync("Internal Server Error");
                    return;
                case "malformed":
                    ctx.Response.ContentType = "application/rdf+xml";
                    var xml = Fixture("dataset_gov_de.rdf");
                    await ctx.Response.WriteAsync(xml[..(xml.Length / 2)]);
                    return;
                default:
                    ctx.Response.ContentType = "application/rdf+xml";
                    await ctx.Response.WriteAsync(Fixture("dataset_gov_de.rdf"));
                    return;
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        stub = new DcatStub(app, address);
        return stub;
    }
}
