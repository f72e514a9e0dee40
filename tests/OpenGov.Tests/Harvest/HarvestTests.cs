using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenGov.Harvest;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Harvest;

/// <summary>
/// Harvesting as ckanext-harvest's CKAN harvester does it, from a second OpenGov on a real port (and from a stub that
/// fails): datasets arrive with their ids and names, follow changes, are withdrawn when gone, stay read-only here,
/// and a source that fails leaves the catalog as it was.
/// </summary>
public class HarvestTests
{
    private static readonly Dictionary<string, string?> AllowLoopback = new()
    {
        ["OpenGov:Harvest:AllowPrivateAddresses"] = "true",
        ["OpenGov:Harvest:TimeoutSeconds"] = "2",
    };

    [Theory, Databases]
    public async Task Harvest_from_a_second_instance_adds_updates_withdraws_and_refuses_local_edits(Db db)
    {
        await using var source = await TestApp.StartAsync(db, kestrel: true);
        using var remote = source.Admin();
        await remote.OkAsync("organization_create", new { name = "city-b", title = "市B" });
        var air = await remote.OkAsync("package_create", new JsonObject
        {
            ["name"] = "air-quality",
            ["title"] = "大気汚染の測定値",
            ["owner_org"] = "city-b",
            ["license_id"] = "cc-by",
            ["tags"] = new JsonArray(new JsonObject { ["name"] = "環境" }),
            ["extras"] = new JsonArray(new JsonObject { ["key"] = "frequency", ["value"] = "monthly" }),
            ["resources"] = new JsonArray(new JsonObject { ["url"] = "https://example.jp/air-2024.csv", ["name"] = "2024年度", ["format"] = "CSV" }),
        });
        var population = await remote.OkAsync("package_create", new { name = "population", title = "人口", owner_org = "city-b" });
        await remote.OkAsync("package_create", new { name = "parks", title = "公園", owner_org = "city-b" });

        await using var target = await TestApp.StartAsync(db, AllowLoopback);
        using var admin = target.Admin();
        await admin.OkAsync("organization_create", new { name = "harvested", title = "収集した市B" });
        await admin.OkAsync("organization_create", new { name = "local", title = "地元" });
        var localParks = await admin.OkAsync("package_create", new { name = "parks", title = "地元の公園", owner_org = "local" });
        var src = await admin.OkAsync("harvest_source_create", new
        {
            name = "city-b-catalog",
            title = "市Bのカタログ",
            url = source.BaseAddress.ToString().TrimEnd('/') + "/api/3/action",
            source_type = "ckan",
            frequency = "MANUAL",
            owner_org = "harvested",
        });
        var sourceId = src["id"]!.GetValue<string>();
        Assert.Equal("harvest", src["type"]!.GetValue<string>());

        // first run: everything; "parks" clashes with a local dataset's name and is recorded, the local one untouched
        var first = await RunAsync(admin, sourceId, full: false);
        Assert.Equal("Finished", first["status"]!.GetValue<string>());
        Assert.True(first["full"]!.GetValue<bool>());
        Assert.Equal(2, first["stats"]!["added"]!.GetValue<int>());
        Assert.Equal(1, first["stats"]!["errored"]!.GetValue<int>());
        var objectError = first["object_errors"]!.AsArray().Single()!;
        Assert.Equal("parks", objectError["name"]!.GetValue<string>());
        Assert.Contains("That URL is already in use.", objectError["message"]!.GetValue<string>());
        Assert.Equal(localParks["id"]!.GetValue<string>(), (await admin.OkAsync("package_show", new { id = "parks" }))["id"]!.GetValue<string>());

        using var anon = target.Anonymous();
        var copy = await anon.OkAsync("package_show", new { id = air["id"]!.GetValue<string>() });
        Assert.Equal("air-quality", copy["name"]!.GetValue<string>());
        Assert.Equal("harvested", copy["organization"]!["name"]!.GetValue<string>());
        Assert.Equal(air["resources"]![0]!["id"]!.GetValue<string>(), copy["resources"]![0]!["id"]!.GetValue<string>());
        Assert.Equal("https://example.jp/air-2024.csv", copy["resources"]![0]!["url"]!.GetValue<string>());
        var extras = copy["extras"]!.AsArray().ToDictionary(e => e!["key"]!.GetValue<string>(), e => e!["value"]!.GetValue<string>());
        Assert.Equal(sourceId, extras["harvest_source_id"]);
        Assert.Equal("monthly", extras["frequency"]);
        Assert.Contains("harvest_object_id", extras.Keys);

        // read-only here: CKAN's 403 with the reason in both languages, also for a resource
        var (status, body) = await admin.ActionAsync("package_patch", new { id = "air-quality", title = "ローカルで変更" });
        Assert.Equal(403, status);
        Assert.Contains("harvested", body["error"]!["message"]!.GetValue<string>());
        Assert.Contains("収集", body["error"]!["message_ja"]!.GetValue<string>());
        (status, _) = await admin.ActionAsync("resource_create", new { package_id = "air-quality", url = "https://example.jp/x.csv" });
        Assert.Equal(403, status);
        using (var editForm = await admin.GetAsync("/dataset/edit/air-quality", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.Forbidden, editForm.StatusCode);
            Assert.Contains("収集元のカタログで変更してください", await editForm.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        Assert.Contains("「市Bのカタログ」から収集", await anon.GetStringAsync("/dataset/air-quality", TestContext.Current.CancellationToken));

        // a change on the source arrives with an incremental run; the unchanged dataset is skipped
        await remote.OkAsync("package_patch", new { id = "air-quality", title = "大気汚染の測定値（改訂）" });
        var second = await RunAsync(admin, sourceId, full: false);
        Assert.False(second["full"]!.GetValue<bool>());
        Assert.Equal(1, second["stats"]!["updated"]!.GetValue<int>());
        Assert.Equal(1, second["stats"]!["not modified"]!.GetValue<int>());
        Assert.Equal("大気汚染の測定値（改訂）", (await anon.OkAsync("package_show", new { id = "air-quality" }))["title"]!.GetValue<string>());

        // a dataset deleted on the source is withdrawn by a full run
        await remote.OkAsync("package_delete", new { id = "population" });
        var third = await RunAsync(admin, sourceId, full: true);
        Assert.Equal(1, third["stats"]!["deleted"]!.GetValue<int>());
        var names = (await anon.OkAsync("package_list")).AsArray().Select(n => n!.GetValue<string>()).Order().ToList();
        Assert.Equal(["air-quality", "parks"], names);
        Assert.Equal("deleted", (await admin.OkAsync("package_show", new { id = population["id"]!.GetValue<string>() }))["state"]!.GetValue<string>());

        var jobs = await admin.OkAsync("harvest_job_list", new { source_id = "city-b-catalog" });
        Assert.Equal(3, jobs.AsArray().Count);
        var page = await admin.GetStringAsync("/harvest/city-b-catalog", TestContext.Current.CancellationToken);
        Assert.Contains("市Bのカタログ", page);
        Assert.Contains("取り込めなかったデータセット: 1件", page);
        Assert.Contains("今すぐ実行", page);
        (status, _) = await anon.ActionAsync("harvest_job_create", new { source_id = sourceId });
        Assert.Equal(403, status);
    }

    [Theory, Databases]
    public async Task A_source_that_fails_midway_leaves_the_catalog_unchanged_and_fails_the_job(Db db)
    {
        var mode = "500";
        await using var stub = await StartStubAsync(() => mode);
        await using var target = await TestApp.StartAsync(db, AllowLoopback);
        using var admin = target.Admin();
        await admin.OkAsync("organization_create", new { name = "harvested", title = "収集先" });
        var src = await admin.OkAsync("harvest_source_create", new { name = "flaky", url = stub.Url, source_type = "ckan", owner_org = "harvested" });
        var sourceId = src["id"]!.GetValue<string>();

        foreach (var (m, reason) in new[] { ("500", "HTTP 500"), ("json", "malformed"), ("slow", "did not answer") })
        {
            mode = m;
            var job = await RunAsync(admin, sourceId, full: false);
            Assert.Equal("Failed", job["status"]!.GetValue<string>());
            Assert.Contains(reason, job["gather_errors"]![0]!["message"]!.GetValue<string>());
            Assert.False(string.IsNullOrEmpty(job["gather_errors"]![0]!["message_ja"]!.GetValue<string>()));
            Assert.Empty((await admin.OkAsync("package_list")).AsArray());
            var (status, _) = await admin.ActionAsync("package_show", new { id = "first-of-two" });
            Assert.Equal(404, status);
        }

        var page = await admin.GetStringAsync("/harvest/flaky", TestContext.Current.CancellationToken);
        Assert.Contains("失敗の理由", page);

        // production refuses private addresses: the check on the address connected to
        Assert.False(HarvestClient.IsPublic(IPAddress.Loopback));
        Assert.False(HarvestClient.IsPublic(IPAddress.Parse("10.1.2.3")));
        Assert.False(HarvestClient.IsPublic(IPAddress.Parse("169.254.169.254")));
        Assert.False(HarvestClient.IsPublic(IPAddress.Parse("::ffff:192.168.0.1")));
        Assert.False(HarvestClient.IsPublic(IPAddress.Parse("fd00::1")));
        Assert.True(HarvestClient.IsPublic(IPAddress.Parse("8.8.8.8")));
    }

    /// <summary>Creates a job now and waits for it to end (the node's scheduler is woken).</summary>
    private static async Task<JsonNode> RunAsync(HttpClient admin, string sourceId, bool full)
    {
        var job = await admin.OkAsync("harvest_job_create", new { source_id = sourceId, full });
        var id = job["id"]!.GetValue<string>();
        for (var i = 0; i < 300; i++)
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

    private sealed class Stub(WebApplication app, string url) : IAsyncDisposable
    {
        public string Url => url;

        public ValueTask DisposeAsync() => app.DisposeAsync();
    }

    /// <summary>
    /// A CKAN that answers the first page (one dataset of two) and then, by mode, a 500, malformed JSON or nothing
    /// within the harvester's timeout.
    /// </summary>
    private static async Task<Stub> StartStubAsync(Func<string> mode)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/api/3/action/package_search", async (HttpContext ctx) =>
        {
            if (ctx.Request.Query["start"] == "0")
            {
                await ctx.Response.WriteAsJsonAsync(new JsonObject
                {
                    ["success"] = true,
                    ["result"] = new JsonObject
                    {
                        ["count"] = 2,
                        ["results"] = new JsonArray(new JsonObject { ["id"] = "first-of-two", ["name"] = "first-of-two", ["title"] = "一件目" }),
                    },
                });
                return;
            }

            switch (mode())
            {
                case "500":
                    ctx.Response.StatusCode = 500;
                    await ctx.Response.WriteAsync("Internal Server Error");
                    break;
                case "json":
                    ctx.Response.ContentType = "application/json";
                    await ctx.Response.WriteAsync("{\"success\": true, \"result\": {\"count\": 2, \"results\": [");
                    break;
                default:
                    await Task.Delay(TimeSpan.FromSeconds(10), ctx.RequestAborted);
                    break;
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Stub(app, address);
    }
}
