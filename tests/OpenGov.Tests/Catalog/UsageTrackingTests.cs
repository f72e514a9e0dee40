using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenGov.Catalog.Usage;
using OpenGov.Storage;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Catalog;

/// <summary>
/// Counts in the API as CKAN's tracking (issue 14, point 4): package_show and package_search with include_tracking
/// add tracking_summary {total, recent} (recent: the last 14 days) to the package (page views) and to each resource
/// (downloads); downloads of link resources count through the pages' local redirect to the stored URL.
/// </summary>
public class UsageTrackingTests
{
    private const string Browser = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";

    private static readonly Dictionary<string, string?> SlowFlush = new() { ["OpenGov:UsageFlushSeconds"] = "3600" };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HttpClient Reader(TestApp app)
    {
        var c = app.Anonymous();
        c.DefaultRequestHeaders.UserAgent.ParseAdd(Browser);
        return c;
    }

    private static async Task<(string DatasetId, string FileId, string LinkId)> SeedAsync(TestApp app)
    {
        await app.OrganizationAsync("chiba", "千葉市");
        var dataset = CatalogFixtures.Dataset("shelters", "chiba");
        dataset["resources"] = new JsonArray(new JsonObject { ["name"] = "避難所（外部サイト）", ["url"] = "https://www.city.chiba.jp/data/hinanjo.csv", ["format"] = "CSV" });
        await app.Admin().OkAsync("package_create", dataset);
        var (status, created) = await app.Admin().UploadAsync("shelters", "避難所.csv", "名称,住所\nA,千葉\n"u8.ToArray());
        Assert.Equal(200, status);
        var shown = await app.Admin().GetOkAsync("package_show?id=shelters");
        var link = shown["resources"]!.AsArray().Single(r => r!["url_type"]?.GetValue<string>() != "upload")!["id"]!.GetValue<string>();
        return (shown["id"]!.GetValue<string>(), created["result"]!["id"]!.GetValue<string>(), link);
    }

    private static JsonNode Summary(JsonNode package, string? resourceId = null) =>
        (resourceId is null ? package : package["resources"]!.AsArray().Single(r => r!["id"]!.GetValue<string>() == resourceId)!)["tracking_summary"]!;

    [Theory, Databases]
    public async Task Package_show_and_search_with_include_tracking_give_total_and_recent_views_and_downloads_as_CKAN(Db db)
    {
        await using var app = await TestApp.StartAsync(db, SlowFlush);
        var (datasetId, fileId, linkId) = await SeedAsync(app);

        // twenty days ago (outside CKAN's 14 recent days): 5 views and 3 downloads; stored as a flush would have
        using (var scope = app.Services.CreateScope())
        {
            var sdb = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
            var old = UsageDays.Today(TimeProvider.System).AddDays(-20);
            sdb.Set<UsageCount>().AddRange(new UsageCount { TargetId = datasetId, Views = 5 }, new UsageCount { TargetId = fileId, Downloads = 3 });
            sdb.Set<UsageDay>().AddRange(new UsageDay { TargetId = datasetId, Day = old, Views = 5 }, new UsageDay { TargetId = fileId, Day = old, Downloads = 3 });
            await sdb.SaveChangesAsync(Ct);
        }

        // today: a view of the dataset page and a download of the file, one of them stored by a flush
        var reader = Reader(app);
        await reader.GetStringAsync("/dataset/shelters", Ct);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/dataset/shelters/resource/{fileId}/download/{Uri.EscapeDataString("避難所.csv")}", Ct)).StatusCode);
        await app.Services.GetRequiredService<UsageFlusher>().FlushAsync(Ct);
        await reader.GetStringAsync("/dataset/shelters", Ct); // pending on this node: counted as today's

        var anonymous = app.Anonymous();
        var plain = await anonymous.GetOkAsync("package_show?id=shelters");
        Assert.Null(plain["tracking_summary"]);
        Assert.Null(plain["resources"]![0]!["tracking_summary"]);

        var shown = await anonymous.GetOkAsync("package_show?id=shelters&include_tracking=true");
        Assert.Equal(7, Summary(shown)["total"]!.GetValue<long>());
        Assert.Equal(2, Summary(shown)["recent"]!.GetValue<long>());
        Assert.Equal(4, Summary(shown, fileId)["total"]!.GetValue<long>());
        Assert.Equal(1, Summary(shown, fileId)["recent"]!.GetValue<long>());
        Assert.Equal(0, Summary(shown, linkId)["total"]!.GetValue<long>());
        Assert.Equal(2, Summary(shown, linkId).AsObject().Count); // CKAN's shape: total and recent only

        // counts move without any change to the catalog: a repeated call is not answered from the read cache
        await reader.GetStringAsync("/dataset/shelters", Ct);
        Assert.Equal(8, Summary(await anonymous.GetOkAsync("package_show?id=shelters&include_tracking=true"))["total"]!.GetValue<long>());

        var found = (await anonymous.GetOkAsync("package_search?include_tracking=true"))["results"]!.AsArray().Single()!;
        Assert.Equal(8, Summary(found)["total"]!.GetValue<long>());
        Assert.Equal(3, Summary(found)["recent"]!.GetValue<long>());
        Assert.Equal(1, Summary(found, fileId)["recent"]!.GetValue<long>());
        Assert.Null((await anonymous.GetOkAsync("package_search"))["results"]![0]!["tracking_summary"]);

        using var scope2 = app.Services.CreateScope();
        var days = await scope2.ServiceProvider.GetRequiredService<OpenGovDb>().Set<UsageDay>().AsNoTracking()
            .Where(u => u.TargetId == datasetId).OrderBy(u => u.Day).ToListAsync(Ct);
        Assert.Equal([5L, 1L], days.Select(d => d.Views)); // the flush added today's row beside the old one
    }

    [Theory, Databases]
    public async Task A_link_resources_download_button_counts_and_redirects_only_to_its_stored_url(Db db)
    {
        await using var app = await TestApp.StartAsync(db, SlowFlush);
        var (_, fileId, linkId) = await SeedAsync(app);
        var reader = Reader(app);

        var page = await reader.GetStringAsync($"/dataset/shelters/resource/{linkId}", Ct);
        var go = $"/dataset/shelters/resource/{linkId}/link";
        Assert.Contains($"href=\"{go}\"", page);
        Assert.Contains("https://www.city.chiba.jp/data/hinanjo.csv", page); // the address is still shown
        Assert.Contains($"href=\"{go}\"", await reader.GetStringAsync("/dataset/shelters", Ct));

        using (var follow = await reader.GetAsync(go, Ct))
        {
            Assert.Equal(HttpStatusCode.Redirect, follow.StatusCode);
            Assert.Equal("https://www.city.chiba.jp/data/hinanjo.csv", follow.Headers.Location?.OriginalString);
            Assert.True(follow.Headers.CacheControl?.NoStore);
        }

        // the address comes only from the resource: nothing in the request is redirected to
        using (var sneaky = await reader.GetAsync(go + "?url=https://evil.example/&returnUrl=https://evil.example/", Ct))
        {
            Assert.Equal("https://www.city.chiba.jp/data/hinanjo.csv", sneaky.Headers.Location?.OriginalString);
        }

        // an uploaded file has no such redirect, nor has an unknown resource
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"/dataset/shelters/resource/{fileId}/link", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync("/dataset/shelters/resource/no-such-id/link", Ct)).StatusCode);

        await app.Services.GetRequiredService<UsageFlusher>().FlushAsync(Ct);
        var shown = await app.Anonymous().GetOkAsync("package_show?id=shelters&include_tracking=true");
        Assert.Equal(2, Summary(shown, linkId)["total"]!.GetValue<long>());
        Assert.Contains("ダウンロード 2 回", await reader.GetStringAsync($"/dataset/shelters/resource/{linkId}", Ct));
    }

    [Theory, Databases]
    public async Task A_link_resource_of_a_private_dataset_redirects_no_stranger(Db db)
    {
        await using var app = await TestApp.StartAsync(db, SlowFlush);
        await app.OrganizationAsync("chiba", "千葉市");
        var dataset = CatalogFixtures.Dataset("secret", "chiba", isPrivate: true);
        dataset["resources"] = new JsonArray(new JsonObject { ["name"] = "内部", ["url"] = "https://intranet.example/x.csv", ["format"] = "CSV" });
        await app.Admin().OkAsync("package_create", dataset);
        var linkId = (await app.Admin().GetOkAsync("package_show?id=secret"))["resources"]![0]!["id"]!.GetValue<string>();

        using var stranger = await Reader(app).GetAsync($"/dataset/secret/resource/{linkId}/link", Ct);
        Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode);
        Assert.Null(stranger.Headers.Location);
    }
}
