using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenGov.Catalog.Usage;
using OpenGov.Storage;
using OpenGov.Tests.Infrastructure;
using static OpenGov.Tests.Infrastructure.SearchSeed;

namespace OpenGov.Tests.Catalog;

/// <summary>
/// What data portals show (issue 14, point 4): licence and format badges, view and download counts, the data's own
/// modification date, times in Japan time, and the edit link for those who may edit.
/// </summary>
public class PortalPagesTests
{
    private const string Browser = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";

    /// <summary>The background flush is slowed down so that the test decides when counts are stored.</summary>
    private static readonly Dictionary<string, string?> SlowFlush = new() { ["OpenGov:UsageFlushSeconds"] = "3600" };

    private static HttpClient Reader(TestApp app, string agent = Browser)
    {
        var c = app.Anonymous();
        c.DefaultRequestHeaders.UserAgent.ParseAdd(agent);
        return c;
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, Databases]
    public async Task Dataset_pages_show_licence_and_format_badges_and_the_datas_own_modification_in_japan_time(Db db)
    {
        await using var app = await TestApp.StartAsync(db, SlowFlush);
        var org = await app.OrganizationAsync("chiba", "千葉市");
        // metadata saved at 2020-01-01 20:00 UTC (2020-01-02 in Japan); the publisher says the data changed 2021-03-31 16:00 UTC (04-01 JST)
        var d = await app.DatasetAsync(org, "age", "年齢別人口", resources: [new Res("人口.csv", "CSV"), new Res("人口.xlsx", "XLSX")],
            modified: new DateTime(2020, 1, 1, 20, 0, 0, DateTimeKind.Utc));
        using (var scope = app.Services.CreateScope())
        {
            var sdb = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
            var r = await sdb.Resources.FirstAsync(x => x.DatasetId == d.Id && x.Format == "CSV", Ct);
            r.LastModified = new DateTime(2021, 3, 31, 16, 0, 0, DateTimeKind.Utc);
            await sdb.SaveChangesAsync(Ct);
        }

        var c = Reader(app);
        var page = await c.GetStringAsync("/dataset/age", Ct);
        Assert.Contains("<a class=\"badge badge-license\" href=\"https://creativecommons.org/licenses/by/4.0/\" rel=\"license\"", page);
        Assert.Contains(">CC BY 4.0</a>", page);
        Assert.Contains("<li class=\"format\" data-format=\"csv\">CSV</li>", page);
        Assert.Contains("<li class=\"format\" data-format=\"xlsx\">XLSX</li>", page);
        Assert.Contains("<time datetime=\"2021-04-01T01:00:00&#x2B;09:00\">2021-04-01</time>", page);
        Assert.Contains("<th scope=\"row\">最終更新日</th><td>2021-04-01</td>", page);
        Assert.Contains("<th scope=\"row\">メタデータの更新日</th><td>2020-01-02</td>", page);

        var list = await c.GetStringAsync("/dataset", Ct);
        Assert.Contains("rel=\"license\"", list);
        Assert.Contains(">CC BY 4.0</a>", list);
        Assert.Contains("更新 2021-04-01", list);

        var en = await c.GetStringAsync("/dataset/age?lang=en", Ct);
        Assert.Contains("Last updated", en);
        Assert.Contains("<th scope=\"row\">Metadata updated</th><td>2020-01-02</td>", en);
    }

    [Theory, Databases]
    public async Task Views_and_downloads_are_counted_in_memory_and_added_to_the_stored_counts_by_each_flush(Db db)
    {
        await using var app = await TestApp.StartAsync(db, SlowFlush);
        await app.OrganizationAsync("chiba", "千葉市");
        await app.Admin().OkAsync("package_create", CatalogFixtures.Dataset("shelters", "chiba"));
        var (status, created) = await app.Admin().UploadAsync("shelters", "避難所.csv", "名称,住所\nA,千葉\n"u8.ToArray());
        Assert.Equal(200, status);
        var resourceId = created["result"]!["id"]!.GetValue<string>();
        var datasetId = (await app.Admin().GetOkAsync("package_show?id=shelters"))["id"]!.GetValue<string>();
        var download = $"/dataset/shelters/resource/{resourceId}/download/{Uri.EscapeDataString("避難所.csv")}";

        var reader = Reader(app);
        var bot = Reader(app, "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)");
        await reader.GetStringAsync("/dataset/shelters", Ct);
        await reader.GetStringAsync($"/dataset/shelters/resource/{resourceId}", Ct);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync(download, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync(download, Ct)).StatusCode);
        using (var head = new HttpRequestMessage(HttpMethod.Head, "/dataset/shelters"))
        {
            Assert.Equal(HttpStatusCode.OK, (await reader.SendAsync(head, Ct)).StatusCode);
        }

        await bot.GetStringAsync("/dataset/shelters", Ct);
        Assert.Equal(HttpStatusCode.OK, (await bot.GetAsync(download, Ct)).StatusCode);

        // nothing written yet: the counts are this node's, shown with the stored ones
        Assert.Equal(0, await CountRowsAsync(app));
        var page = await reader.GetStringAsync("/dataset/shelters", Ct);
        Assert.Contains("閲覧 2 回", page); // this view and the first; HEAD and the bot's are not counted
        var flusher = app.Services.GetRequiredService<UsageFlusher>();
        await flusher.FlushAsync(Ct);
        var stored = await ReadAsync(app, datasetId, resourceId);
        Assert.Equal((2L, 0L), stored[datasetId]);
        Assert.Equal(1L, stored[resourceId].Views);
        Assert.Equal(2L, stored[resourceId].Downloads); // the bot's download is not counted

        // another node's flush adds to the same rows; so does ours
        using (var scope = app.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<OpenGovDb>().Database.ExecuteSqlRawAsync(
                "UPDATE usage_counts SET views = views + 10 WHERE target_id = {0}", [datasetId], Ct);
        }

        await reader.GetStringAsync("/dataset/shelters", Ct);
        await flusher.FlushAsync(Ct);
        Assert.Equal(13L, (await ReadAsync(app, datasetId, resourceId))[datasetId].Views);
        var again = await reader.GetStringAsync("/dataset/shelters", Ct);
        Assert.Contains("閲覧 14 回", again);
        Assert.Contains("ダウンロード 2 回", again);
        var resourcePage = await reader.GetStringAsync($"/dataset/shelters/resource/{resourceId}", Ct);
        Assert.Contains("閲覧 2 回", resourcePage);
    }

    private static async Task<int> CountRowsAsync(TestApp app)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<OpenGovDb>().Set<UsageCount>().CountAsync(Ct);
    }

    private static async Task<Dictionary<string, (long Views, long Downloads)>> ReadAsync(TestApp app, params string[] ids)
    {
        using var scope = app.Services.CreateScope();
        var rows = await scope.ServiceProvider.GetRequiredService<OpenGovDb>().Set<UsageCount>().AsNoTracking().Where(u => ids.Contains(u.TargetId)).ToListAsync(Ct);
        return rows.ToDictionary(r => r.TargetId, r => (r.Views, r.Downloads));
    }

    [Theory, Databases]
    public async Task Dataset_page_links_to_its_edit_form_only_for_those_who_may_edit_it(Db db)
    {
        await using var app = await TestApp.StartAsync(db, SlowFlush);
        var chiba = await app.OrganizationAsync("chiba", "千葉市");
        await app.OrganizationAsync("tsukuba", "つくば市");
        await app.DatasetAsync(chiba, "age", "年齢別人口", resources: [new Res("人口.csv", "CSV")]);
        await app.CreateUserAsync("hanako", "chiba", "editor", password: "pass-hanako");
        await app.CreateUserAsync("taro", "tsukuba", "editor", password: "pass-taro");

        Assert.DoesNotContain("/dataset/edit/age", await Reader(app).GetStringAsync("/dataset/age", Ct));
        var other = Reader(app);
        await other.LoginAsync("taro", "pass-taro");
        Assert.DoesNotContain("/dataset/edit/age", await other.GetStringAsync("/dataset/age", Ct));
        var editor = Reader(app);
        await editor.LoginAsync("hanako", "pass-hanako");
        var page = await editor.GetStringAsync("/dataset/age", Ct);
        Assert.Contains("<a class=\"button\" href=\"/dataset/edit/age\">データセットを編集</a>", page);
        Assert.Contains("href=\"/dataset/age/resource/new\"", page);
    }

    [Theory, Databases]
    public async Task A_resources_last_modified_from_the_publisher_is_kept_and_a_bad_one_refused(Db db)
    {
        await using var app = await TestApp.StartAsync(db, SlowFlush);
        await app.OrganizationAsync("chiba", "千葉市");
        await app.Admin().OkAsync("package_create", CatalogFixtures.Dataset("age", "chiba"));
        var r = await app.Admin().OkAsync("resource_create", new { package_id = "age", url = "https://example.jp/a.csv", name = "a", last_modified = "2024-05-01T00:00:00" });
        Assert.Equal("2024-05-01T00:00:00.000000", r["last_modified"]!.GetValue<string>());
        var id = r["id"]!.GetValue<string>();
        var page = await Reader(app).GetStringAsync($"/dataset/age/resource/{id}", Ct);
        Assert.Contains("最終更新 2024-05-01", page);

        var (status, body) = await app.Admin().ActionAsync("resource_patch", new { id, last_modified = "五月一日" });
        Assert.Equal(409, status);
        Assert.Contains("last_modified", body["error"]!.ToJsonString());
        Assert.Equal("2024-05-01T00:00:00.000000", (await app.Admin().GetOkAsync("resource_show?id=" + id))["last_modified"]!.GetValue<string>());
    }

    [Theory, Databases]
    public async Task English_organization_group_and_showcase_pages_mark_japanese_names_lang_ja(Db db)
    {
        await using var app = await TestApp.StartAsync(db, SlowFlush);
        var org = await app.OrganizationAsync("chiba", "千葉市");
        await app.GroupAsync("bousai", "防災");
        await app.DatasetAsync(org, "shelters", "避難所一覧", groups: ["bousai"]);
        await app.Admin().OkAsync("ckanext_showcase_create", new { name = "shelter-map", title = "避難所マップ", notes = "地図で避難所を探せます。" });
        var c = Reader(app);
        Assert.Contains("<h1 lang=\"ja\">千葉市</h1>", await c.GetStringAsync("/organization/chiba?lang=en", Ct));
        Assert.Contains("<h1 lang=\"ja\">防災</h1>", await c.GetStringAsync("/group/bousai?lang=en", Ct));
        Assert.Contains("lang=\"ja\">千葉市</a>", await c.GetStringAsync("/organization?lang=en", Ct));
        var showcase = await c.GetStringAsync("/showcase/shelter-map?lang=en", Ct);
        Assert.Contains("<h1 lang=\"ja\">避難所マップ</h1>", showcase);
        Assert.Contains("<div class=\"notes\" lang=\"ja\">", showcase);
        Assert.Contains("<h1>千葉市</h1>", await c.GetStringAsync("/organization/chiba", Ct)); // the Japanese page needs no mark
    }
}
