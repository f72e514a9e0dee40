using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenGov.Dashboards;
using OpenGov.Storage;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Dashboards;

/// <summary>The dashboards index, members compared, the static export and the stamp open pages poll.</summary>
public class DashboardCompareTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string CallsHeader = "全国地方公共団体コード,都道府県名,市区町村名,受付_年月日,曜日,相談件数\n";

    private static async Task<string> OrgNameAsync(TestApp app, string orgId)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<OpenGovDb>().Organizations.Where(o => o.Id == orgId).Select(o => o.Name).SingleAsync(Ct);
    }

    /// <summary>A member with a call-centre table loaded, its template dashboard, and (when given) its population dataset.</summary>
    private static async Task<(string Org, string ResourceId)> MemberAsync(TestApp app, string title, string rows, long? population)
    {
        var (orgId, ds) = await app.DatasetAsync();
        var org = await OrgNameAsync(app, orgId);
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
            (await db.Organizations.SingleAsync(o => o.Id == orgId, Ct)).Title = title;
            await db.SaveChangesAsync(Ct);
        }
        var (status, body) = await app.Admin().UploadAsync(ds, "130001_tokyo_covid19_call_center.csv", Encoding.UTF8.GetBytes(CallsHeader + rows));
        Assert.True(status == 200, body.ToJsonString());
        var rid = body["result"]!["id"]!.GetValue<string>();
        Assert.Equal("complete", (await app.WaitForJobAsync(rid, TimeSpan.FromMinutes(3)))["status"]!.GetValue<string>());
        using var created = await app.Admin().PostAsync($"/api/dashboards/{org}/template/covid19", null, Ct);
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        if (population is { } p)
        {
            await app.Admin().OkAsync("package_create", new JsonObject
            {
                ["name"] = org + "-population",
                ["title"] = title + " 人口（令和2年国勢調査）",
                ["owner_org"] = org,
                ["extras"] = new JsonArray(
                    new JsonObject { ["key"] = "population", ["value"] = p.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                    new JsonObject { ["key"] = "population_source", ["value"] = "令和2年国勢調査" },
                    new JsonObject { ["key"] = "population_year", ["value"] = "2020" }),
            });
        }
        return (org, rid);
    }

    private static async Task<(HttpStatusCode Status, string Main)> PageAsync(HttpClient c, string url)
    {
        using var r = await c.GetAsync(url, Ct);
        var html = await r.Content.ReadAsStringAsync(Ct);
        var main = html.Contains("<main", StringComparison.Ordinal) ? html.Split("<main")[1].Split("</main>")[0] : html;
        return (r.StatusCode, main);
    }

    [Theory, Databases]
    public async Task Two_members_are_compared_on_one_date_axis_raw_and_per_100000_residents_with_the_population_source_stated(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var (a, _) = await MemberAsync(app, "東京都", "130001,東京都,,2020-04-01,水,1405\n130001,東京都,,2020-04-02,木,2810\n", 14_047_594);
        var (b, _) = await MemberAsync(app, "福岡市", "401307,福岡県,福岡市,2020-04-02,木,161\n", 1_612_392);
        var aFirst = string.CompareOrdinal(a, b) < 0;
        string Row(string date, string va, string vb) =>
            $"<tr><th scope=\"row\">{date}</th><td>{(aFirst ? va : vb)}</td><td>{(aFirst ? vb : va)}</td></tr>";
        var query = $"/dashboards/compare?card=contacts&m={a}&m={b}&days=0";

        var (rawStatus, raw) = await PageAsync(app.Anonymous(), query + "&scale=raw");
        var (perStatus, per) = await PageAsync(app.Anonymous(), query + "&scale=per100k");

        Assert.Equal(HttpStatusCode.OK, rawStatus);
        Assert.Contains(Row("2020-04-02", "2,810", "161"), raw, StringComparison.Ordinal);
        Assert.Contains(Row("2020-04-01", "1,405", "–"), raw, StringComparison.Ordinal); // 福岡市 has no data that day: undefined, not 0
        Assert.Equal(HttpStatusCode.OK, perStatus);
        Assert.Contains(Row("2020-04-02", "20", "10"), per, StringComparison.Ordinal); // 2,810 / 14,047,594 and 161 / 1,612,392 × 100,000
        Assert.Contains("人口10万人あたり", per, StringComparison.Ordinal);
        Assert.Contains("14,047,594 人", per, StringComparison.Ordinal);
        Assert.Contains("1,612,392 人", per, StringComparison.Ordinal);
        Assert.Contains("令和2年国勢調査 (2020)", per, StringComparison.Ordinal);
        Assert.Contains($"href=\"/dataset/{a}-population\"", per, StringComparison.Ordinal);
        Assert.Equal(3, per.Split("role=\"img\"").Length - 1); // overlaid + one per member
        Assert.DoesNotContain("<script", per, StringComparison.Ordinal);

        var (enStatus, en) = await PageAsync(app.Anonymous(), query + "&scale=per100k&lang=en");
        Assert.Equal(HttpStatusCode.OK, enStatus);
        Assert.Contains("Members compared", en, StringComparison.Ordinal);
        Assert.Contains("14,047,594 residents", en, StringComparison.Ordinal);
    }

    [Theory, Databases]
    public async Task A_member_without_a_population_is_named_and_left_out_of_the_per_100000_view(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var (a, _) = await MemberAsync(app, "東京都", "130001,東京都,,2020-04-01,水,1405\n", 14_047_594);
        var (b, _) = await MemberAsync(app, "人口なし市", "000000,,,2020-04-01,水,3\n", null);

        var (status, page) = await PageAsync(app.Anonymous(), $"/dashboards/compare?card=contacts&m={a}&m={b}&m=nobody&scale=per100k");
        var (unknownCard, _) = await PageAsync(app.Anonymous(), "/dashboards/compare?card=no-such-card");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("人口なし市: カタログに人口がないため", page, StringComparison.Ordinal);
        Assert.Equal(2, page.Split("role=\"img\"").Length - 1); // overlaid + 東京都 only
        Assert.Contains("このカードのダッシュボードがない会員: nobody", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknownCard);
    }

    [Theory, Databases]
    public async Task The_index_lists_every_published_dashboard_by_member_and_the_navigation_links_it(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var (a, _) = await MemberAsync(app, "東京都", "130001,東京都,,2020-04-01,水,5\n", null);

        var html = await app.Anonymous().GetStringAsync("/dashboards", Ct);
        var en = await app.Anonymous().GetStringAsync("/dashboards?lang=en", Ct);

        Assert.Contains("<a href=\"/dashboards\">データダッシュボード</a>", html, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/dashboards/{a}/covid19\">東京都 新型コロナウイルス感染症 ダッシュボード</a>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/dashboards/compare\"", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/dashboards\">Data dashboards</a>", en, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/dashboards/{a}/covid19\">COVID-19 dashboard</a>", en, StringComparison.Ordinal);
    }

    [Theory, Databases]
    public async Task The_stamp_an_open_page_polls_changes_after_a_reload_of_a_source_table(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var (org, rid) = await MemberAsync(app, "東京都", "130001,東京都,,2020-04-01,水,5\n", null);
        async Task<string> StampAsync() =>
            JsonNode.Parse(await app.Anonymous().GetStringAsync($"/dashboards/{org}/covid19/stamp", Ct))!["stamp"]!.GetValue<string>();
        var before = await StampAsync();
        var page = await app.Anonymous().GetStringAsync($"/dashboards/{org}/covid19", Ct);

        Assert.Equal(before, await StampAsync());
        Assert.Contains($"data-stamp=\"{before}\"", page, StringComparison.Ordinal);
        Assert.Contains("src=\"/js/dashboard-live.js", page, StringComparison.Ordinal);
        await app.ReplaceUploadAsync(rid, Encoding.UTF8.GetBytes(CallsHeader + "130001,東京都,,2020-04-01,水,7\n"));
        Assert.Equal("complete", (await app.LoadAndWaitAsync(rid))["status"]!.GetValue<string>());

        Assert.NotEqual(before, await StampAsync());
        using var missing = await app.Anonymous().GetAsync($"/dashboards/{org}/nope/stamp", Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Theory, Databases]
    public async Task The_Tokyo_dashboard_exports_as_a_folder_with_no_links_back_to_the_server_and_a_first_page_under_300_KB_gzipped(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var (orgId, ds) = await app.DatasetAsync();
        var org = await OrgNameAsync(app, orgId);
        foreach (var (project, file) in new[]
        {
            ("OpenGov.Tabular.Tests", "130001_tokyo_covid19_patients.csv"), ("OpenGov.Tabular.Tests", "130001_tokyo_covid19_call_center.csv"),
            ("OpenGov.Dashboards.Tests", "130001_tokyo_covid19_combined_telephone_advice_center.csv"),
        })
        {
            var (status, body) = await app.Admin().UploadAsync(ds, file, await File.ReadAllBytesAsync(Fixture(project, file), Ct));
            Assert.True(status == 200, body.ToJsonString());
            Assert.Equal("complete", (await app.WaitForJobAsync(body["result"]!["id"]!.GetValue<string>(), TimeSpan.FromMinutes(3)))["status"]!.GetValue<string>());
        }
        using (var created = await app.Admin().PostAsync($"/api/dashboards/{org}/template/covid19", null, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        }
        var dir = Path.Combine(app.DataDirectory, "export");

        DashboardExport? export;
        using (var scope = app.Services.CreateScope())
        {
            export = await scope.ServiceProvider.GetRequiredService<DashboardExporter>().ExportAsync(org, "covid19", dir, Ct);
        }

        Assert.NotNull(export);
        foreach (var f in new[] { "index.html", "index.en.html", "style.css", "data.json", "cards/contacts.csv", "charts/patients.svg" })
        {
            Assert.True(File.Exists(Path.Combine(dir, f)), f);
        }
        var host = app.BaseAddress.Host;
        foreach (var f in Directory.GetFiles(dir, "*.html").Concat(Directory.GetFiles(dir, "*.css")).Concat(Directory.GetFiles(Path.Combine(dir, "charts"))))
        {
            var text = await File.ReadAllTextAsync(f, Ct);
            foreach (var m in System.Text.RegularExpressions.Regex.Matches(text, "(?:href|src|action)=\"([^\"]*)\"").Select(m => m.Groups[1].Value))
            {
                Assert.False(m.StartsWith('/') || m.Contains(host, StringComparison.OrdinalIgnoreCase) || m.Contains("/dashboards/", StringComparison.Ordinal), $"{Path.GetFileName(f)} links back to the server: {m}");
                Assert.True(m.StartsWith('#') || m.StartsWith("https://", StringComparison.Ordinal) || File.Exists(Path.Combine(dir, m)), $"{Path.GetFileName(f)}: {m} is not in the folder");
            }
            Assert.DoesNotContain("<script", text, StringComparison.Ordinal);
        }
        var index = await File.ReadAllBytesAsync(Path.Combine(dir, "index.html"), Ct);
        using var gz = new MemoryStream();
        await using (var z = new GZipStream(gz, CompressionLevel.Optimal, leaveOpen: true))
        {
            await z.WriteAsync(index, Ct);
        }
        Assert.True(gz.Length < 300 * 1024, $"index.html is {gz.Length:#,0} bytes gzipped");
        Assert.Equal(gz.Length, export.IndexGzipBytes);
        TestContext.Current.SendDiagnosticMessage($"Tokyo export: index.html {index.Length:#,0} bytes, {gz.Length:#,0} gzipped");
        var html = Encoding.UTF8.GetString(index);
        Assert.Contains("報告日別による陽性者数の推移", html, StringComparison.Ordinal);
        var json = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "data.json"), Ct))!;
        Assert.Equal(14645, json["patients_summary"]!["data"]!.AsArray().Sum(x => x!["小計"]!.GetValue<long>()));
    }

    internal static string Fixture(string project, string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OpenGov.slnx")))
        {
            dir = dir.Parent;
        }
        return Path.Combine(dir!.FullName, "tests", project, "Fixtures", name);
    }
}
