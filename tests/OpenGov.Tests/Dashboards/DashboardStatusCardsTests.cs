using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenGov.Storage;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Dashboards;

/// <summary>
/// Tokyo's status table (入院中・重症… per day) uploaded through the normal path gives the template's 入院患者数 and
/// 重症患者数 cards, and the 検査陽性者の状況 box when the table has every category.
/// </summary>
public class DashboardStatusCardsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string StatusFile = "130001_tokyo_covid19_details_testing_positive_cases.csv";

    private static string Fixture(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OpenGov.slnx")))
        {
            dir = dir.Parent;
        }
        return Path.Combine(dir!.FullName, "tests", "OpenGov.Dashboards.Tests", "Fixtures", name);
    }

    /// <summary>Uploads <paramref name="bytes"/> as a new organization's resource, waits for its load, and makes the template's dashboard.</summary>
    private static async Task<(string Org, JsonNode Definition)> TemplateOverAsync(TestApp app, string file, byte[] bytes)
    {
        var (orgId, ds) = await app.DatasetAsync();
        string org;
        using (var scope = app.Services.CreateScope())
        {
            org = await scope.ServiceProvider.GetRequiredService<OpenGovDb>().Organizations.Where(o => o.Id == orgId).Select(o => o.Name).SingleAsync(Ct);
        }
        var (status, body) = await app.Admin().UploadAsync(ds, file, bytes);
        Assert.True(status == 200, body.ToJsonString());
        var job = await app.WaitForJobAsync(body["result"]!["id"]!.GetValue<string>(), TimeSpan.FromMinutes(3));
        Assert.True(job["status"]!.GetValue<string>() == "complete", job.ToJsonString());
        using var created = await app.Admin().PostAsync($"/api/dashboards/{org}/template/covid19", null, Ct);
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var definition = JsonNode.Parse(await app.Anonymous().GetStringAsync($"/api/dashboards/{org}/covid19", Ct))!;
        return (org, definition);
    }

    private static async Task<string> PageAsync(HttpClient c, string url, string? lang = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (lang is not null)
        {
            request.Headers.TryAddWithoutValidation("Cookie", ".AspNetCore.Culture=c%3D" + lang + "%7Cuic%3D" + lang);
        }
        using var r = await c.SendAsync(request, Ct);
        var body = await r.Content.ReadAsStringAsync(Ct);
        Assert.True(r.StatusCode == HttpStatusCode.OK, $"{url}: {(int)r.StatusCode} {body[..Math.Min(2000, body.Length)]}");
        return body;
    }

    [Theory, Databases]
    public async Task Tokyos_status_file_gives_the_hospitalized_and_severe_cards_and_the_box_readable_without_script_as_a_table_and_as_CSV(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var (org, definition) = await TemplateOverAsync(app, StatusFile, await File.ReadAllBytesAsync(Fixture(StatusFile), Ct));

        var cards = definition["cards"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()).ToList();
        Assert.Equal(["status", "hospitalized", "severe"], cards);
        Assert.Equal("box", definition["cards"]![0]!["chart"]!.GetValue<string>());
        Assert.Equal("latestColumns", definition["cards"]![0]!["computation"]!["kind"]!.GetValue<string>());

        var page = await PageAsync(app.Anonymous(), $"/dashboards/{org}/covid19");
        var main = page.Split("<main")[1].Split("</main>")[0];
        Assert.DoesNotContain("<script", main, StringComparison.Ordinal);
        Assert.Contains("入院患者数", main, StringComparison.Ordinal);
        Assert.Contains("重症患者数", main, StringComparison.Ordinal);
        Assert.Contains("2020-08-06 時点", main, StringComparison.Ordinal);
        Assert.Contains("<span class=\"og-box-label\">陽性者数（累計）</span> <span class=\"og-box-value\">14,645</span>", main, StringComparison.Ordinal);
        Assert.Contains("<span class=\"og-box-label\">重症</span> <span class=\"og-box-value\">21</span> <span class=\"og-box-share\">0.1%</span>", main, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">入院中 › 軽症・中等症</th><td>1,455</td>", main, StringComparison.Ordinal); // the table alternative
        Assert.Contains("<th scope=\"row\">2020-08-06</th><td>1,476</td>", main, StringComparison.Ordinal); // the 入院中 series' table
        Assert.Contains("href=\"/dashboards/" + org + "/covid19/cards/status.csv\"", main, StringComparison.Ordinal);

        var box = (await app.Anonymous().GetStringAsync($"/dashboards/{org}/covid19/cards/status.csv", Ct)).TrimStart('\uFEFF');
        Assert.Equal("区分,値\r\n陽性者数（累計）,14645\r\n入院中,1476\r\n入院中 › 軽症・中等症,1455\r\n入院中 › 重症,21\r\n宿泊療養,408\r\n自宅療養,492\r\n調整中,929\r\n死亡,333\r\n退院,11007\r\n", box);
        var hospitalized = (await app.Anonymous().GetStringAsync($"/dashboards/{org}/covid19/cards/hospitalized.csv", Ct)).TrimStart('\uFEFF');
        Assert.StartsWith("日付,入院中\r\n2020-02-28,21\r\n", hospitalized, StringComparison.Ordinal);
        Assert.EndsWith("2020-08-05,1475\r\n2020-08-06,1476\r\n", hospitalized, StringComparison.Ordinal);
        Assert.Equal(162, hospitalized.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        var severe = (await app.Anonymous().GetStringAsync($"/dashboards/{org}/covid19/cards/severe.csv", Ct)).TrimStart('\uFEFF');
        Assert.EndsWith("2020-08-06,21\r\n", severe, StringComparison.Ordinal);

        // data.json's main_summary is broken down as Tokyo's real one of that day
        var data = JsonNode.Parse(await app.Anonymous().GetStringAsync($"/dashboards/{org}/covid19/data.json", Ct))!;
        var real = JsonNode.Parse(await File.ReadAllTextAsync(Fixture("tokyo-2020-08-06-data-extract.json"), Ct))!;
        Assert.Equal(real["main_summary"]!["children"]![0]!["children"]!.ToJsonString(), data["main_summary"]!["children"]![0]!["children"]!.ToJsonString());

        var en = await PageAsync(app.Anonymous(), $"/dashboards/{org}/covid19?card=status", "en");
        Assert.Contains("Status of people who tested positive", en, StringComparison.Ordinal);
        Assert.Contains("As of 2020-08-06", en, StringComparison.Ordinal);
    }

    [Theory, Databases]
    public async Task A_table_of_hospitalized_and_severe_only_gives_their_cards_and_no_box(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var csv = "全国地方公共団体コード,都道府県名,市区町村名,日付,入院中,重症\n130001,東京都,,2020-10-30,973,31\n130001,東京都,,2020-10-31,943,33\n";
        var (org, definition) = await TemplateOverAsync(app, "130001_tokyo_covid19_positive_status.csv", Encoding.UTF8.GetBytes(csv));

        Assert.Equal(["hospitalized", "severe"], definition["cards"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()));
        var page = await PageAsync(app.Anonymous(), $"/dashboards/{org}/covid19");
        Assert.DoesNotContain("og-box", page.Split("<main")[1].Split("</main>")[0], StringComparison.Ordinal);
        var severe = (await app.Anonymous().GetStringAsync($"/dashboards/{org}/covid19/cards/severe.csv", Ct)).TrimStart('\uFEFF');
        Assert.Equal("日付,重症\r\n2020-10-30,31\r\n2020-10-31,33\r\n", severe);
    }

    [Theory, Databases]
    public async Task The_demos_Tokyo_dashboard_shows_hospitalized_and_severe_from_its_status_file_derived_from_positive_status(Db db)
    {
        await using var app = await TestApp.StartAsync(db, new Dictionary<string, string?> { ["OpenGov:Demo"] = "true" });
        var pkg = await app.Anonymous().GetOkAsync("package_show?id=130001-tokyo-covid19-positive-status");
        Assert.Contains("デモ用", pkg["title"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("positive_status.json", pkg["notes"]!.GetValue<string>(), StringComparison.Ordinal);
        var job = await app.WaitForJobAsync(pkg["resources"]![0]!["id"]!.GetValue<string>(), TimeSpan.FromMinutes(3));
        Assert.True(job["status"]!.GetValue<string>() == "complete", job.ToJsonString());

        var definition = JsonNode.Parse(await app.Anonymous().GetStringAsync("/api/dashboards/tokyo/covid19", Ct))!;
        var cards = definition["cards"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()).ToList();
        Assert.Contains("hospitalized", cards);
        Assert.Contains("severe", cards);
        Assert.DoesNotContain("status", cards); // positive_status.json has no 宿泊療養, 退院…
        var severe = (await app.Anonymous().GetStringAsync("/dashboards/tokyo/covid19/cards/severe.csv", Ct)).TrimStart('\uFEFF');
        Assert.StartsWith("日付,重症\r\n2020-02-28,5\r\n", severe, StringComparison.Ordinal);
        Assert.EndsWith("2020-10-30,31\r\n2020-10-31,33\r\n", severe, StringComparison.Ordinal);
    }
}
