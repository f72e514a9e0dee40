using System.Text.RegularExpressions;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Council;

/// <summary>The council's pages, and the secretariat's forms without JavaScript.</summary>
public sealed partial class CouncilPagesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, Databases]
    public async Task Members_page_timeline_and_year_pages_show_the_history(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.SeedCouncilAsync();
        var client = app.Anonymous();

        var page = await client.GetStringAsync("/council?date=2020-11-06", Ct);
        var local = Regex.Match(page, "<ol class=\"council-members\" id=\"local-members\">(.*?)</ol>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Equal(CouncilTestKit.Twelve, LinkText().Matches(local).Select(m => m.Groups[1].Value));
        Assert.Contains("千葉市</a>（会長市）", page);
        Assert.Contains("2020年11月6日現在の会員", page);

        var year = await client.GetStringAsync("/council/year/2015", Ct);
        Assert.Contains("平成27年度 (2015年度)", year);
        Assert.Contains("<li>オープンガバメント推進協議会に名称変更</li>", year);
        var y2020 = await client.GetStringAsync("/council/year/令和2年度", Ct);
        Assert.Contains("href=\"/event/symposium-2020\"", y2020);
        Assert.Contains("href=\"/council/press/symposium-2020\"", y2020);
        Assert.Contains("FY2020", await client.GetStringAsync("/council/year/2020?lang=en", Ct));

        var timeline = await client.GetStringAsync("/council/timeline", Ct);
        Assert.Contains("平成25年度", timeline);
        Assert.Contains("横須賀市", timeline);

        using var bad = await client.GetAsync("/council?date=someday", Ct);
        Assert.Equal(400, (int)bad.StatusCode);
        Assert.Contains("日付として読めません", await bad.Content.ReadAsStringAsync(Ct));
    }

    [Theory, Databases]
    public async Task Secretariat_adds_a_member_and_its_periods_with_plain_forms(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateUserAsync("jimu", password: "pass-jimu");
        Assert.Equal(204, (await app.Admin().PostJsonAsync("/api/council/secretariat", new { user = "jimu" })).Status);
        var client = app.Anonymous();
        await client.LoginAsync("jimu", "pass-jimu");

        var (wrong, html, _) = await PostFormAsync(client, "/council/member/new", new() { ["Input.Kind"] = "local_government", ["Input.Name"] = "千葉市", ["Input.LocalGovCode"] = "121009" });
        Assert.Equal(400, wrong);
        Assert.Contains("検査数字が正しくありません", html);
        Assert.Contains("id=\"field-code\" name=\"Input.LocalGovCode\" value=\"121009\" inputmode=\"numeric\" maxlength=\"6\" aria-invalid=\"true\"", html);

        var (created, _, location) = await PostFormAsync(client, "/council/member/new", new() { ["Input.Kind"] = "local_government", ["Input.Name"] = "千葉市", ["Input.LocalGovCode"] = "121002" });
        Assert.Equal(302, created);
        Assert.StartsWith("/council/member/", location);

        var (ok, _, _) = await PostFormAsync(client, location + "?handler=Period", new() { ["Joined"] = "平成25年度", ["Left"] = "" }, location);
        Assert.Equal(302, ok);
        var (refused, page, _) = await PostFormAsync(client, location + "?handler=Period", new() { ["Joined"] = "2019-04-01", ["Left"] = "2018-01-01" }, location);
        Assert.Equal(400, refused);
        Assert.Contains("脱退（2018-01-01）が加入（2019-04-01）より前です。", page);

        var member = await client.GetStringAsync(location, Ct);
        Assert.Contains("加入：平成25年度中", member);
        Assert.DoesNotContain("2019-04-01", member);

        var audit = await client.GetStringAsync("/council/audit", Ct);
        Assert.Contains("MembershipPeriod", audit);
        Assert.Contains("jimu", audit);

        var citizen = app.Anonymous();
        await app.CreateUserAsync("taro", password: "pass-taro");
        await citizen.LoginAsync("taro", "pass-taro");
        using var forbidden = await citizen.GetAsync("/council/member/new", Ct);
        Assert.NotEqual(200, (int)forbidden.StatusCode);
        Assert.DoesNotContain("name=\"Joined\"", await citizen.GetStringAsync(location, Ct));
    }

    private static async Task<(int Status, string Html, string? Location)> PostFormAsync(HttpClient client, string path, Dictionary<string, string> fields, string? formPage = null)
    {
        var page = await client.GetStringAsync(formPage ?? path);
        fields["__RequestVerificationToken"] = CatalogFixtures.AntiforgeryToken(page);
        using var response = await client.PostAsync(path, new FormUrlEncodedContent(fields));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location?.OriginalString);
    }

    [GeneratedRegex("<a href=\"/council/member/[0-9a-f]+\">([^<]+)</a>")]
    private static partial Regex LinkText();
}
