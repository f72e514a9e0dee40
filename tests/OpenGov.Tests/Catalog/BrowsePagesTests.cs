using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OpenGov.Catalog;
using OpenGov.Catalog.Search.Pages;
using OpenGov.Storage;
using OpenGov.Tests.Infrastructure;
using static OpenGov.Tests.Infrastructure.SearchSeed;

namespace OpenGov.Tests.Catalog;

public class BrowsePagesTests
{
    private static async Task<(Organization Chiba, Dataset Age, Dataset Shelters)> SeedAsync(TestApp app)
    {
        var chiba = await app.OrganizationAsync("chiba", "千葉市", "121002");
        var tsukuba = await app.OrganizationAsync("tsukuba", "つくば市", "082201");
        await app.GroupAsync("bousai", "防災");
        var age = await app.DatasetAsync(chiba, "age-population", "年齢別人口統計", notes: "年齢別の**人口**です。<script>alert(1)</script>",
            tags: ["人口"], resources: [new Res("人口.csv", "CSV", Size: 2048)], modified: new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var shelters = await app.DatasetAsync(chiba, "shelters", "避難所一覧", tags: ["防災"], resources: [new Res("shelters.json", "JSON")], groups: ["bousai"],
            license: "pdl-1.0", modified: new DateTime(2020, 3, 1, 0, 0, 0, DateTimeKind.Utc));
        await app.DatasetAsync(tsukuba, "covid-patients", "新型コロナウイルス感染症陽性患者属性", tags: ["感染症"], resources: [new Res("p.csv", "CSV")],
            modified: new DateTime(2020, 2, 1, 0, 0, 0, DateTimeKind.Utc));
        await app.DatasetAsync(chiba, "secret", "非公開人口", isPrivate: true);
        return (chiba, age, shelters);
    }

    private static Task<string> GetAsync(HttpClient c, string url) => c.GetStringAsync(url, TestContext.Current.CancellationToken);

    [Theory, Databases]
    public async Task Home_page_shows_search_box_counts_recent_datasets_and_organizations(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await SeedAsync(app);
        var html = await GetAsync(app.Anonymous(), "/");
        Assert.Contains("<html lang=\"ja\">", html);
        Assert.Contains("action=\"/dataset\"", html);
        Assert.Contains("<label for=\"q\">", html);
        Assert.Contains("<strong>3</strong>", html); // public datasets only
        Assert.Contains("href=\"/dataset/shelters\"", html);
        Assert.Contains("href=\"/organization/chiba\"", html);
        Assert.DoesNotContain("非公開人口", html);
    }

    [Theory, Databases]
    public async Task Dataset_search_page_finds_japanese_words_and_offers_facet_links_and_chips(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await SeedAsync(app);
        var c = app.Anonymous();
        var html = await GetAsync(c, "/dataset?q=" + Uri.EscapeDataString("人口"));
        Assert.Contains("1 件のデータセットが見つかりました", html);
        Assert.Contains("role=\"status\"", html);
        Assert.Contains("年齢別人口統計", html);
        Assert.DoesNotContain("避難所一覧", html);

        var all = await GetAsync(c, "/dataset");
        Assert.Contains("3 件のデータセットが見つかりました", all);
        Assert.Contains("href=\"/dataset?organization=chiba\"", all);
        Assert.Contains("千葉市 <span class=\"count\">(2)</span>", all);

        var filtered = await GetAsync(c, "/dataset?organization=chiba&res_format=JSON");
        Assert.Contains("1 件のデータセットが見つかりました", filtered);
        Assert.Contains("避難所一覧", filtered);
        Assert.Contains("class=\"chip\" href=\"/dataset?organization=chiba\"", filtered); // removing the JSON chip keeps the organization
        Assert.Contains("aria-current=\"true\"", filtered);
    }

    [Theory, Databases]
    public async Task Dataset_search_page_sorts_and_pages_without_javascript(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await SeedAsync(app);
        var html = await GetAsync(app.Anonymous(), "/dataset?sort=" + Uri.EscapeDataString("name asc"));
        Assert.True(html.IndexOf("年齢別人口統計", StringComparison.Ordinal) < html.IndexOf("避難所一覧", StringComparison.Ordinal));
        Assert.Contains("<option value=\"name asc\" selected=\"selected\">", html);
        var desc = await GetAsync(app.Anonymous(), "/dataset?sort=" + Uri.EscapeDataString("name desc"));
        Assert.True(desc.IndexOf("年齢別人口統計", StringComparison.Ordinal) > desc.IndexOf("避難所一覧", StringComparison.Ordinal));
        var bad = await app.Anonymous().GetAsync("/dataset?q=" + Uri.EscapeDataString("name:(x") + "&page=-3", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        Assert.Contains("検索語を解釈できませんでした", await bad.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Theory, Databases]
    public async Task Dataset_page_shows_notes_safely_licence_tags_resources_and_metadata_links(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await SeedAsync(app);
        var html = await GetAsync(app.Anonymous(), "/dataset/age-population");
        Assert.Contains("<h1><span>年齢別人口統計", html);
        Assert.Contains("<strong>人口</strong>", html);
        Assert.DoesNotContain("<script>alert(1)</script>", html);
        Assert.Contains("href=\"https://creativecommons.org/licenses/by/4.0/\" rel=\"license\"", html);
        Assert.Contains("href=\"/dataset?tags=%E4%BA%BA%E5%8F%A3\"", html);
        Assert.Contains("data-format=\"csv\">CSV</span>", html);
        Assert.Contains("href=\"/dataset/age-population.ttl\"", html);
        Assert.Contains("href=\"/dataset/age-population.jsonld\"", html);
        Assert.Contains("href=\"/api/3/action/package_show?id=age-population\"", html);
        Assert.Contains("121002", html);

        var shelters = await GetAsync(app.Anonymous(), "/dataset/shelters");
        Assert.Contains("href=\"/group/bousai\"", shelters);
    }

    [Theory, Databases]
    public async Task Private_and_unknown_datasets_are_not_found_for_outsiders(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await SeedAsync(app);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Anonymous().GetAsync("/dataset/secret", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Anonymous().GetAsync("/dataset/nope", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Anonymous().GetAsync("/organization/nope", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Admin().GetAsync("/dataset/secret", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Theory, Databases]
    public async Task Resource_page_previews_a_stored_shift_jis_csv(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var (chiba, _, _) = await SeedAsync(app);
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var csv = new StringBuilder("No,市区町村名,人数\r\n");
        for (var i = 1; i <= 30; i++)
        {
            csv.Append(i).Append(",千葉市,").Append(i * 10).Append("\r\n");
        }

        var dir = Path.Combine(app.DataDirectory, "uploads", "t");
        Directory.CreateDirectory(dir);
        await File.WriteAllBytesAsync(Path.Combine(dir, "sjis.csv"), Encoding.GetEncoding(932).GetBytes(csv.ToString()), TestContext.Current.CancellationToken);
        var d = await app.DatasetAsync(chiba, "upload-test", "アップロード");
        string resourceId;
        using (var scope = app.Services.CreateScope())
        {
            var ogdb = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
            var r = new Resource { DatasetId = d.Id, Name = "人数.csv", Format = "CSV", Url = "sjis.csv", UrlType = "upload", StoragePath = "t/sjis.csv", Size = 400, Description = "説明文です" };
            ogdb.Resources.Add(r);
            await ogdb.SaveChangesAsync(TestContext.Current.CancellationToken);
            resourceId = r.Id;
        }

        var html = await GetAsync(app.Anonymous(), $"/dataset/upload-test/resource/{resourceId}");
        Assert.Contains("<th scope=\"col\">市区町村名</th>", html);
        Assert.Contains("<td>200</td>", html); // row 20
        Assert.DoesNotContain("<td>210</td>", html); // row 21 is beyond the preview
        Assert.Contains("Shift_JIS", html);
        Assert.Contains($"/dataset/{d.Id}/resource/{resourceId}/download/sjis.csv", html);
        Assert.Contains("説明文です", html);

        Assert.Equal(HttpStatusCode.NotFound, (await app.Anonymous().GetAsync("/dataset/upload-test/resource/nope", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Theory, Databases]
    public async Task Organization_and_group_pages_list_their_datasets(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await SeedAsync(app);
        var c = app.Anonymous();
        var orgs = await GetAsync(c, "/organization");
        Assert.Contains("<td>121002</td>", orgs);
        Assert.Contains("<td>082201</td>", orgs);
        Assert.Contains("<td class=\"num\">2</td>", orgs);

        var chiba = await GetAsync(c, "/organization/chiba");
        Assert.Contains("<h1>千葉市</h1>", chiba);
        Assert.Contains("2 件のデータセットが見つかりました", chiba);
        Assert.DoesNotContain("新型コロナウイルス", chiba);

        var groups = await GetAsync(c, "/group");
        Assert.Contains("1 件のデータセット", groups);
        var bousai = await GetAsync(c, "/group/bousai");
        Assert.Contains("避難所一覧", bousai);
        Assert.DoesNotContain("年齢別人口統計", bousai);
    }

    [Theory, Databases]
    public async Task Pages_switch_to_english(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await SeedAsync(app);
        var html = await GetAsync(app.Anonymous(), "/dataset?lang=en");
        Assert.Contains("<html lang=\"en\">", html);
        Assert.Contains("3 datasets found", html);
        Assert.Contains("Search datasets", html);
    }

    [Theory, Databases]
    public async Task Demo_catalog_is_searchable_and_its_real_tokyo_csv_is_previewed(Db db)
    {
        await using var app = await TestApp.StartAsync(db, new Dictionary<string, string?> { ["OpenGov:Demo"] = "true" });
        var c = app.Anonymous();
        Assert.Equal(["130001-tokyo-covid19-call-center", "130001-tokyo-covid19-combined-telephone-advice-center"],
            [.. (await c.SearchAsync(("q", "相談件数"))).Names().Order(StringComparer.Ordinal)]);
        var patients = await c.SearchAsync(("q", "陽性患者"), ("fq", "organization:tokyo"));
        Assert.Equal(["130001-tokyo-covid19-patients"], patients.Names());

        var resourceId = patients["results"]![0]!["resources"]![0]!["id"]!.GetValue<string>();
        var html = await GetAsync(c, $"/dataset/130001-tokyo-covid19-patients/resource/{resourceId}");
        Assert.Contains("<th scope=\"col\">全国地方公共団体コード</th>", html);
        Assert.Contains("<td>130001</td>", html);
        Assert.Contains("先頭 20 行", html);
    }
}
