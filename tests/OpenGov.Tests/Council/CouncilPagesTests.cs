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

    [Theory, Databases]
    public async Task Secretariat_creates_a_contest_and_edits_its_call_and_rubric_with_plain_forms(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateUserAsync("jimu", password: "pass-jimu");
        Assert.Equal(204, (await app.Admin().PostJsonAsync("/api/council/secretariat", new { user = "jimu" })).Status);
        var judge = app.WithToken((await app.CreateEventUserAsync("shinsa")).Token);
        var client = app.Anonymous();
        await client.LoginAsync("jimu", "pass-jimu");

        // only the secretariat: anonymous users go to the login, others are refused; the list shows the button to the secretariat only
        using (var anonymous = await app.Anonymous().GetAsync("/council/contests/new", Ct))
        {
            Assert.Equal(302, (int)anonymous.StatusCode);
            Assert.Contains("/user/login", anonymous.Headers.Location!.OriginalString);
        }

        var citizen = app.WithToken((await app.CreateEventUserAsync("taro")).Token);
        using (var forbidden = await citizen.GetAsync("/council/contests/new", Ct))
        {
            Assert.Equal(403, (int)forbidden.StatusCode);
        }

        Assert.DoesNotContain("/council/contests/new", await citizen.GetStringAsync("/council/contests", Ct));
        Assert.Contains("<a class=\"button primary\" href=\"/council/contests/new\" id=\"new-contest\">新しいコンテスト</a>", await client.GetStringAsync("/council/contests", Ct));

        // a refusal is shown beside its field, in the user's language, with what was typed kept
        var (late, lateHtml, _) = await PostFormAsync(client, "/council/contests/new", ContestFields(deadline: "2019-12-01T00:00"));
        Assert.Equal(400, late);
        Assert.Contains("<p class=\"field-error\" id=\"err-deadline\">応募締切が募集開始より前です。</p>", lateHtml);
        Assert.Contains("name=\"Input.Deadline\" type=\"datetime-local\" value=\"2019-12-01T00:00\" required aria-invalid=\"true\"", lateHtml);
        Assert.Contains("value=\"フォームのコンテスト\"", lateHtml);
        var (unknown, unknownHtml, _) = await PostFormAsync(client, "/council/contests/new?lang=en", ContestFields(judges: "shinsa\nnobody"), "/council/contests/new");
        Assert.Equal(400, unknown);
        Assert.Contains("id=\"err-judges\">There is no user “nobody” to be a judge.</p>", unknownHtml);

        // saved unpublished: a draft only the secretariat sees (not listed, 404 to others, no entries)
        var (created, _, location) = await PostFormAsync(client, "/council/contests/new", ContestFields(published: false));
        Assert.Equal(302, created);
        Assert.Equal($"/council/contests/{ContestTestKit.Slug}?saved=1", location);
        Assert.Contains("id=\"draft-notice\"", await client.GetStringAsync($"/council/contests/{ContestTestKit.Slug}", Ct));
        Assert.Contains("下書き（非公開）", await client.GetStringAsync("/council/contests", Ct));
        Assert.DoesNotContain(ContestTestKit.Slug, await app.Anonymous().GetStringAsync("/council/contests", Ct));
        using (var hidden = await app.Anonymous().GetAsync($"/council/contests/{ContestTestKit.Slug}", Ct))
        {
            Assert.Equal(404, (int)hidden.StatusCode);
        }

        using (var hiddenApi = await citizen.GetAsync($"/api/council/contests/{ContestTestKit.Slug}", Ct))
        {
            Assert.Equal(404, (int)hiddenApi.StatusCode);
        }

        var early = app.WithToken((await app.CreateEventUserAsync("early")).Token);
        Assert.Equal(404, (await early.PostJsonAsync($"/api/council/contests/{ContestTestKit.Slug}/entries", new { title = "早すぎる応募", submit = true })).Status);

        Assert.DoesNotContain(ContestTestKit.Slug, (await citizen.GetStringAsync("/api/council/contests", Ct)));
        Assert.False((await client.GetJsonAsync($"/api/council/contests/{ContestTestKit.Slug}"))["published"]!.GetValue<bool>());

        // published with the edit form: everyone reads the call
        Assert.Equal(302, (await PostFormAsync(client, $"/council/contests/{ContestTestKit.Slug}/edit", ContestFields())).Status);

        // the call as everyone reads it: Markdown made safe, eligibility, prizes, rubric descriptions, the panel
        var page = await app.Anonymous().GetStringAsync($"/council/contests/{ContestTestKit.Slug}", Ct);
        Assert.Contains("<strong>学生</strong>", page);
        Assert.DoesNotContain("<script>alert", page);
        Assert.Contains("<li>最優秀賞 10万円</li>", page);
        Assert.Contains("<td>新しさ</td>", page);
        Assert.Matches("<ul id=\"judges\">\\s*<li>shinsa</li>\\s*</ul>", page);
        Assert.DoesNotContain("/edit", page);
        Assert.Contains($"href=\"/council/contests/{ContestTestKit.Slug}/edit\"", await client.GetStringAsync($"/council/contests/{ContestTestKit.Slug}/console", Ct));
        var api = await app.Anonymous().GetJsonAsync($"/api/council/contests/{ContestTestKit.Slug}");
        Assert.True(api["publishResults"]!.GetValue<bool>());
        Assert.Equal("新しさ", api["criteria"]![0]!["description"]!.GetValue<string>());
        Assert.Equal(2, api["criteria"]!.AsArray().Count);
        Assert.Equal(["shinsa"], api["judges"]!.AsArray().Select(j => j!.GetValue<string>()));

        // an entry, the deadline moved with the form, screening and a score: then the rubric's lines are fixed
        var entry = await app.WithToken((await app.CreateEventUserAsync("team")).Token).EnterAsync("混雑予報");
        var edit = $"/council/contests/{ContestTestKit.Slug}/edit";
        Assert.Equal(302, (await PostFormAsync(client, edit, ContestFields(deadline: "2020-01-02T00:00"))).Status);
        var secretary = await app.SecretaryAsync();
        Assert.Equal(200, (await secretary.PostJsonAsync($"/api/council/contests/{ContestTestKit.Slug}/entries/{entry}/screening", new { state = "accepted" })).Status);
        Assert.Equal(204, (await secretary.PostJsonAsync($"/api/council/contests/{ContestTestKit.Slug}/entries/{entry}/judges", new { user = "shinsa" })).Status);
        Assert.Equal(200, (await judge.ScoreAsync(entry, await secretary.CriteriaAsync(), 8, 4)).Status);

        var form = await client.GetStringAsync(edit, Ct);
        Assert.Contains("<p role=\"status\" id=\"rubric-fixed\">採点が始まった後は審査基準の項目と満点を変えられません（重みと説明は変えられます）。</p>", form);
        Assert.Contains("name=\"Input.Criteria[0].Name\" value=\"独自性\" maxlength=\"100\" readonly=\"readonly\"", form);
        var (renamed, renamedHtml, _) = await PostFormAsync(client, edit, ContestFields(deadline: "2020-01-02T00:00", firstCriterion: "新規性"));
        Assert.Equal(400, renamed);
        Assert.Contains("id=\"err-criteria\">採点が始まった後は審査基準の項目と満点を変えられません", renamedHtml);
        Assert.Equal("独自性", (await app.Anonymous().GetJsonAsync($"/api/council/contests/{ContestTestKit.Slug}"))["criteria"]![0]!["name"]!.GetValue<string>());
        Assert.Equal(302, (await PostFormAsync(client, edit, ContestFields(deadline: "2020-01-02T00:00", firstWeight: "3"))).Status);
        Assert.Equal(3, (await app.Anonymous().GetJsonAsync($"/api/council/contests/{ContestTestKit.Slug}"))["criteria"]![0]!["weight"]!.GetValue<double>());
    }

    private static Dictionary<string, string> ContestFields(string deadline = "2099-01-01T23:59", string judges = "shinsa", string firstCriterion = "独自性", string firstWeight = "2", bool published = true) => new()
    {
        ["Input.Published"] = published ? "true" : "false",
        ["Input.Slug"] = ContestTestKit.Slug,
        ["Input.Kind"] = "idea",
        ["Input.Title"] = "フォームのコンテスト",
        ["Input.TitleEn"] = "Form contest",
        ["Input.Opens"] = "2020-01-01T00:00",
        ["Input.Deadline"] = deadline,
        ["Input.JudgingCloses"] = "2099-12-31T00:00",
        ["Input.Rules"] = "## 募集\n<script>alert(1)</script>地域の課題を解くアイデア",
        ["Input.Eligibility"] = "**学生**も応募できます",
        ["Input.Prizes"] = "- 最優秀賞 10万円",
        ["Input.Categories"] = "行政課題\n地域の魅力",
        ["Input.Criteria[0].Name"] = firstCriterion,
        ["Input.Criteria[0].Weight"] = firstWeight,
        ["Input.Criteria[0].MaxScore"] = "10",
        ["Input.Criteria[0].Description"] = "新しさ",
        ["Input.Criteria[1].Name"] = "実現性",
        ["Input.Criteria[1].Weight"] = "１",
        ["Input.Criteria[1].MaxScore"] = "5",
        ["Input.Criteria[2].Name"] = "",
        ["Input.Criteria[2].Weight"] = "",
        ["Input.Judges"] = judges,
        ["Input.PublishResults"] = "true",
    };

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
