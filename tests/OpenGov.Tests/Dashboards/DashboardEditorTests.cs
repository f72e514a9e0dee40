using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenGov.Storage;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Dashboards;

/// <summary>The card editor form (/dashboards/{org}/{slug}/edit), driven over HTTP as a browser without JavaScript would.</summary>
public partial class DashboardEditorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex("name=\"Draft\" value=\"([^\"]*)\"")]
    private static partial Regex DraftPattern();

    private static string Draft(string html) => WebUtility.HtmlDecode(DraftPattern().Match(html).Groups[1].Value);

    /// <summary>Posts the editor's form with the draft and antiforgery token of <paramref name="page"/>.</summary>
    private static async Task<(HttpStatusCode Status, string Html, string? Location)> PostAsync(HttpClient c, string url, string page, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = CatalogFixtures.AntiforgeryToken(page);
        fields.TryAdd("Draft", Draft(page));
        using var r = await c.PostAsync(url, new FormUrlEncodedContent(fields), Ct);
        return (r.StatusCode, await r.Content.ReadAsStringAsync(Ct), r.Headers.Location?.OriginalString);
    }

    private static async Task<string> OrgNameAsync(TestApp app, string orgId)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<OpenGovDb>().Organizations.Where(o => o.Id == orgId).Select(o => o.Name).SingleAsync(Ct);
    }

    private static async Task<HttpClient> LoginAsync(TestApp app, string org, string user, string capacity, bool english = false)
    {
        await app.CreateUserAsync(user, org, capacity, password: "pass-" + user);
        var c = app.Anonymous();
        if (english)
        {
            c.DefaultRequestHeaders.Add("Cookie", ".AspNetCore.Culture=c%3Den%7Cuic%3Den");
        }
        await c.LoginAsync(user, "pass-" + user);
        return c;
    }

    [Theory, Databases]
    public async Task An_editor_maps_the_columns_of_a_non_standard_file_in_the_form_sees_the_preview_and_saves_a_version(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var (orgId, ds) = await app.DatasetAsync();
        var org = await OrgNameAsync(app, orgId);
        // not the standard call-centre shape: other column names, a text column, no municipality code
        var csv = "受付日,窓口,件数\n2020-04-01,本庁,5\n2020-04-02,支所,7\n2020-04-02,本庁,4\n";
        var (status, body) = await app.Admin().UploadAsync(ds, "madoguchi.csv", Encoding.UTF8.GetBytes(csv));
        Assert.True(status == 200, body.ToJsonString());
        var rid = body["result"]!["id"]!.GetValue<string>();
        Assert.Equal("complete", (await app.WaitForJobAsync(rid, TimeSpan.FromMinutes(3)))["status"]!.GetValue<string>());
        var editor = await LoginAsync(app, org, "hanako", "editor");
        var url = $"/dashboards/{org}/madoguchi/edit";

        var orgPage = await editor.GetStringAsync($"/dashboards/{org}", Ct);
        Assert.Contains("新しいダッシュボードを作る", orgPage, StringComparison.Ordinal);
        using var start = await editor.GetAsync($"/dashboards/{org}?handler=New&slug=madoguchi", Ct);
        Assert.Equal(url, start.Headers.Location?.OriginalString);

        var page = await editor.GetStringAsync(url, Ct);
        Assert.Contains("カードはまだありません。", page, StringComparison.Ordinal);
        // the page is one form: the dashboard's title typed before another button is kept in the draft until saved
        var (s1, form, _) = await PostAsync(editor, url, page, new() { ["Do"] = "new", ["TitleJa"] = "窓口の状況", ["TitleEn"] = "Counters" });
        Assert.Equal(HttpStatusCode.OK, s1);
        Assert.Contains("name=\"TitleJa\" value=\"窓口の状況\"", form, StringComparison.Ordinal);
        Assert.Contains($"<option value=\"{rid}\" selected=\"selected\">", form, StringComparison.Ordinal);
        Assert.Contains(">受付日（日付）</option>", form, StringComparison.Ordinal);
        Assert.Contains(">件数（数値）</option>", form, StringComparison.Ordinal);

        Dictionary<string, string> Card(string date, string value) => new()
        {
            ["Do"] = "apply",
            ["Form.EditingId"] = "",
            ["Form.TitleJa"] = "窓口の受付件数",
            ["Form.TitleEn"] = "Counter visits",
            ["Form.NotesJa"] = "**本庁**と支所の合計です。",
            ["Form.Source"] = rid,
            ["Form.Kind"] = "SumPerDay",
            ["Form.DateColumn"] = date,
            ["Form.ValueColumn"] = value,
            ["Form.Series"] = "none",
            ["Form.SecondSource"] = rid,
            ["Form.Chart"] = "Bar",
            ["Form.RangeDays"] = "",
        };

        // a column the table does not have and a text column as the value: refused next to the fields, nothing kept
        var (bad, refused, _) = await PostAsync(editor, url, form, Card("受付_年月日", "窓口"));
        Assert.True(bad == HttpStatusCode.UnprocessableEntity, refused[..Math.Min(3000, refused.Length)]);
        Assert.Contains("<p class=\"field-error\" id=\"field-date-error\"><span>列「受付_年月日」はこの表にありません。</span></p>", refused, StringComparison.Ordinal);
        Assert.Contains("列「窓口」の型（文字）はここに使えません。数値の列を選んでください。", refused, StringComparison.Ordinal);
        Assert.Contains("id=\"field-value\" name=\"Form.ValueColumn\" aria-invalid=\"true\"", refused, StringComparison.Ordinal);
        Assert.DoesNotContain("窓口の受付件数", Draft(refused), StringComparison.Ordinal);

        var (ok, preview, _) = await PostAsync(editor, url, refused, Card("受付日", "件数"));
        Assert.Equal(HttpStatusCode.OK, ok);
        var shown = preview.Split("id=\"preview-h\"")[1];
        Assert.Contains("窓口の受付件数", shown, StringComparison.Ordinal);
        Assert.Contains("<strong>本庁</strong>", shown, StringComparison.Ordinal);
        Assert.Contains("role=\"img\"", shown, StringComparison.Ordinal);
        Assert.Contains("<td>11</td>", shown, StringComparison.Ordinal); // 2020-04-02: 7 + 4
        using (var notYet = await app.Anonymous().GetAsync($"/api/dashboards/{org}/madoguchi", Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, notYet.StatusCode);
        }

        Assert.Contains("value=\"窓口の状況\"", preview, StringComparison.Ordinal);
        var (saved, _, location) = await PostAsync(editor, url, preview, new() { ["Do"] = "save" });
        Assert.Equal(HttpStatusCode.Redirect, saved);
        Assert.Equal($"/dashboards/{org}/madoguchi", location);
        var dashboard = await app.Anonymous().GetStringAsync(location, Ct);
        Assert.Contains("<h1>窓口の状況</h1>", dashboard, StringComparison.Ordinal);
        Assert.Contains("窓口の受付件数", dashboard, StringComparison.Ordinal);
        Assert.Contains("<td>11</td>", dashboard, StringComparison.Ordinal);
        Assert.DoesNotContain("/edit\"", dashboard, StringComparison.Ordinal); // readers get no editor link
        Assert.Contains($"href=\"/dashboards/{org}/madoguchi/edit\"", await editor.GetStringAsync(location, Ct), StringComparison.Ordinal);
        var versions = JsonNode.Parse(await app.Admin().GetStringAsync($"/api/dashboards/{org}/madoguchi/versions", Ct))!.AsArray();
        var v = Assert.Single(versions)!;
        Assert.Equal("カード編集フォームで保存", v["summary"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(v["changedBy"]?.GetValue<string>()));
        var definition = JsonNode.Parse(await app.Anonymous().GetStringAsync($"/api/dashboards/{org}/madoguchi", Ct))!;
        Assert.Equal("件数", definition["cards"]![0]!["computation"]!["valueColumn"]!.GetValue<string>());
        Assert.Equal("Counters", definition["title"]!["en"]!.GetValue<string>());
    }

    [Theory, Databases]
    public async Task An_editor_sets_the_data_json_role_expected_categories_and_a_ratio_scale_and_is_told_what_is_wrong_in_ja_and_en(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var (orgId, ds) = await app.DatasetAsync();
        var org = await OrgNameAsync(app, orgId);
        var patients = await app.UploadAsync(ds, "patients.csv", Encoding.UTF8.GetBytes("公表_年月日,患者_年代\n2020-04-01,10代\n2020-04-01,20代\n2020-04-02,不明\n"));
        var tests = await app.UploadAsync(ds, "tests.csv", Encoding.UTF8.GetBytes("実施_年月日,検査実施_人数\n2020-04-01,10\n2020-04-02,20\n"));
        foreach (var rid in new[] { patients, tests })
        {
            Assert.Equal("complete", (await app.LoadAndWaitAsync(rid))["status"]!.GetValue<string>());
        }
        var url = $"/dashboards/{org}/c/edit";
        var editor = await LoginAsync(app, org, "hanako", "editor");
        var page = await editor.GetStringAsync(url + "?card=new", Ct);
        Dictionary<string, string> ByAge(string categories, string role) => new()
        {
            ["Do"] = "apply",
            ["TitleJa"] = "年代別",
            ["Form.TitleJa"] = "年代別",
            ["Form.Source"] = patients,
            ["Form.Kind"] = "CountByCategory",
            ["Form.CategoryColumn"] = "患者_年代",
            ["Form.Categories"] = categories,
            ["Form.DataJsonRole"] = role,
            ["Form.Chart"] = "Bar",
        };

        // a category written twice, and a role whose standard columns the table lacks: refused next to the fields
        var (bad, refused, _) = await PostAsync(editor, url, page, ByAge("20代\n10代\n20代", "contacts"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad);
        Assert.Contains("区分「20代」が2回書かれています。", refused, StringComparison.Ordinal);
        Assert.Contains("data.json の「コールセンター相談件数（contacts）」には列「受付_年月日」のある表が必要です（標準データセットの列名）。", refused, StringComparison.Ordinal);
        Assert.Contains("id=\"field-categories\" name=\"Form.Categories\" rows=\"4\" aria-invalid=\"true\"", refused, StringComparison.Ordinal);
        Assert.Equal("[]", JsonNode.Parse(Draft(refused))!["cards"]!.ToJsonString());
        var (ok, applied, _) = await PostAsync(editor, url, refused, ByAge("20代\r\n10代\r\n", "patients"));
        Assert.True(ok == HttpStatusCode.OK, applied[..Math.Min(3000, applied.Length)]);

        // a ratio (patients per person tested) in English: the scale must be one offered; a plain ratio is kept
        var english = await LoginAsync(app, org, "john", "editor", english: true);
        Dictionary<string, string> Ratio(string scale) => new()
        {
            ["Do"] = "apply",
            ["Draft"] = Draft(applied),
            ["TitleJa"] = "年代別",
            ["Form.TitleJa"] = "陽性者の割合",
            ["Form.Source"] = patients,
            ["Form.Kind"] = "Ratio",
            ["Form.DateColumn"] = "公表_年月日",
            ["Form.SecondSource"] = tests,
            ["Form.SecondDateColumn"] = "実施_年月日",
            ["Form.SecondValueColumn"] = "検査実施_人数",
            ["Form.Scale"] = scale,
            ["Form.DataJsonRole"] = "patients",
            ["Form.Chart"] = "Line",
        };
        var enPage = await english.GetStringAsync(url, Ct);
        var (badScale, enRefused, _) = await PostAsync(english, url, enPage, Ratio("percent"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badScale);
        Assert.Contains("Choose how the ratio is shown.", enRefused, StringComparison.Ordinal);
        var (ok2, both, _) = await PostAsync(english, url, enRefused, Ratio("1"));
        Assert.Equal(HttpStatusCode.OK, ok2);
        var (reopened, form, _) = await PostAsync(english, url, both, new() { ["Do"] = "edit:card-2" });
        Assert.Equal(HttpStatusCode.OK, reopened);
        Assert.Contains("<option value=\"1\" selected=\"selected\">", form, StringComparison.Ordinal);
        Assert.Contains("<option value=\"patients\" selected=\"selected\">", form, StringComparison.Ordinal);
        var (saved, _, location) = await PostAsync(english, url, both, new() { ["Do"] = "save" });
        Assert.Equal(HttpStatusCode.Redirect, saved);

        var definition = JsonNode.Parse(await app.Anonymous().GetStringAsync($"/api/dashboards/{org}/c", Ct))!;
        Assert.Equal("年代別", definition["title"]!["ja"]!.GetValue<string>());
        Assert.Equal(["20代", "10代"], definition["cards"]![0]!["computation"]!["categories"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Equal(1, definition["cards"]![1]!["computation"]!["scale"]!.GetValue<double>());
        Assert.Equal(patients, definition["tokyoData"]!["patients"]!.GetValue<string>());
        var dataJson = JsonNode.Parse(await app.Anonymous().GetStringAsync(location + "/data.json", Ct))!;
        Assert.Equal(3, dataJson["patients_summary"]!["data"]!.AsArray().Sum(x => x!["小計"]!.GetValue<long>()));
        var shown = await app.Anonymous().GetStringAsync(location + "?card=card-1", Ct);
        Assert.True(shown.IndexOf("20代", StringComparison.Ordinal) < shown.IndexOf("10代", StringComparison.Ordinal), "expected order");
    }

    [Theory, Databases]
    public async Task An_editor_shows_a_count_per_category_as_the_box_diagram_and_is_told_the_box_needs_categories(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var (orgId, ds) = await app.DatasetAsync();
        var org = await OrgNameAsync(app, orgId);
        var patients = await app.UploadAsync(ds, "patients.csv", Encoding.UTF8.GetBytes(
            "公表_年月日,患者_状態\n2020-04-01,入院中\n2020-04-01,入院中\n2020-04-02,退院\n2020-04-02,宿泊療養\n"));
        Assert.Equal("complete", (await app.LoadAndWaitAsync(patients))["status"]!.GetValue<string>());
        var url = $"/dashboards/{org}/status/edit";
        var editor = await LoginAsync(app, org, "hanako", "editor");
        var page = await editor.GetStringAsync(url + "?card=new", Ct);
        Dictionary<string, string> Box(string kind) => new()
        {
            ["Do"] = "apply",
            ["TitleJa"] = "検査陽性者の状況",
            ["Form.TitleJa"] = "検査陽性者の状況",
            ["Form.Source"] = patients,
            ["Form.Kind"] = kind,
            ["Form.DateColumn"] = "公表_年月日",
            ["Form.CategoryColumn"] = "患者_状態",
            ["Form.Categories"] = "入院中\n宿泊療養\n退院",
            ["Form.Chart"] = "Box",
        };

        var (bad, refused, _) = await PostAsync(editor, url, page, Box("CountPerDay"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad);
        Assert.Contains("内訳の図は「区分別の件数」と「最新日の列の値」にだけ使えます。", refused, StringComparison.Ordinal);
        var (ok, applied, _) = await PostAsync(editor, url, refused, Box("CountByCategory"));
        Assert.True(ok == HttpStatusCode.OK, applied[..Math.Min(3000, applied.Length)]);
        var (saved, _, location) = await PostAsync(editor, url, applied, new() { ["Do"] = "save" });
        Assert.Equal(HttpStatusCode.Redirect, saved);

        var definition = JsonNode.Parse(await app.Anonymous().GetStringAsync($"/api/dashboards/{org}/status", Ct))!;
        Assert.Equal("box", definition["cards"]![0]!["chart"]!.GetValue<string>());
        var shown = await app.Anonymous().GetStringAsync(location, Ct);
        Assert.Contains("<span class=\"og-box-label\">合計</span> <span class=\"og-box-value\">4</span>", shown, StringComparison.Ordinal);
        Assert.Contains("<span class=\"og-box-label\">入院中</span> <span class=\"og-box-value\">2</span> <span class=\"og-box-share\">50.0%</span>", shown, StringComparison.Ordinal);

        // the API refuses the same mistake the form does
        definition["cards"]![0]!["computation"] = new JsonObject { ["kind"] = "countPerDay", ["dateColumn"] = "公表_年月日" };
        using var put = await app.Admin().PutAsync($"/api/dashboards/{org}/status", new StringContent(definition.ToJsonString(), Encoding.UTF8, "application/json"), Ct);
        var body = await put.Content.ReadAsStringAsync(Ct);
        Assert.True(put.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity, $"{(int)put.StatusCode} {body}");
        Assert.Contains("box", body, StringComparison.Ordinal);
    }

    [Theory, Databases]
    public async Task An_editor_builds_the_status_box_from_a_status_tables_columns_and_reopening_the_card_keeps_its_parts(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var (orgId, ds) = await app.DatasetAsync();
        var org = await OrgNameAsync(app, orgId);
        // the last day is not complete yet (退院 blank): the box shows the day before
        var status = await app.UploadAsync(ds, "status.csv", Encoding.UTF8.GetBytes(
            "日付,陽性者数（累計）,入院中,軽症・中等症,重症,宿泊療養,退院,備考\n2020-08-05,100,30,25,5,20,50,a\n2020-08-06,110,35,29,6,22,,b\n"));
        Assert.Equal("complete", (await app.LoadAndWaitAsync(status))["status"]!.GetValue<string>());
        var url = $"/dashboards/{org}/status/edit";
        var editor = await LoginAsync(app, org, "hanako", "editor");
        var page = await editor.GetStringAsync(url + "?card=new", Ct);
        Assert.Contains("最新日の列の値（例: 検査陽性者の状況の内訳）", page, StringComparison.Ordinal);
        Dictionary<string, string> Box(string columns) => new()
        {
            ["Do"] = "apply",
            ["TitleJa"] = "検査陽性者の状況",
            ["Form.TitleJa"] = "検査陽性者の状況",
            ["Form.Source"] = status,
            ["Form.Kind"] = "LatestColumns",
            ["Form.DateColumn"] = "日付",
            ["Form.ValueColumn"] = "陽性者数（累計）",
            ["Form.StatusColumns"] = columns,
            ["Form.Chart"] = "Box",
        };

        var (missing, refused, _) = await PostAsync(editor, url, page, Box("入院中\n死亡"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing);
        Assert.Contains("列「死亡」はこの表にありません。", refused, StringComparison.Ordinal);
        var (text, refused2, _) = await PostAsync(editor, url, refused, Box("入院中\n備考"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, text);
        Assert.Contains("列「備考」の型（文字）はここに使えません。", refused2, StringComparison.Ordinal);
        var (ok, applied, _) = await PostAsync(editor, url, refused2, Box("入院中：軽症・中等症、重症\r\n宿泊療養\r\n退院\r\n"));
        Assert.True(ok == HttpStatusCode.OK, applied[..Math.Min(3000, applied.Length)]);

        // reopened, the form shows the kind and the parts as typed; applied again unchanged, the card stays a status box
        var (reopened, form, _) = await PostAsync(editor, url, applied, new() { ["Do"] = "edit:card-1" });
        Assert.Equal(HttpStatusCode.OK, reopened);
        Assert.Contains("<option value=\"LatestColumns\" selected=\"selected\">", form, StringComparison.Ordinal);
        Assert.Contains(">入院中: 軽症・中等症, 重症\n宿泊療養\n退院</textarea>", WebUtility.HtmlDecode(form), StringComparison.Ordinal);
        var again = Box("入院中: 軽症・中等症, 重症\n宿泊療養\n退院");
        again["Form.EditingId"] = "card-1";
        var (ok2, reapplied, _) = await PostAsync(editor, url, form, again);
        Assert.True(ok2 == HttpStatusCode.OK, reapplied[..Math.Min(3000, reapplied.Length)]);
        var (saved, _, location) = await PostAsync(editor, url, reapplied, new() { ["Do"] = "save" });
        Assert.Equal(HttpStatusCode.Redirect, saved);

        var definition = JsonNode.Parse(await app.Anonymous().GetStringAsync($"/api/dashboards/{org}/status", Ct))!;
        var card = Assert.Single(definition["cards"]!.AsArray())!;
        Assert.Equal("latestColumns", card["computation"]!["kind"]!.GetValue<string>());
        Assert.Equal(["入院中", "宿泊療養", "退院"], card["computation"]!["columns"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Equal(["軽症・中等症", "重症"], card["computation"]!["parts"]!["入院中"]!.AsArray().Select(x => x!.GetValue<string>()));
        var shown = await app.Anonymous().GetStringAsync(location, Ct);
        Assert.Contains("<span class=\"og-box-label\">入院中</span> <span class=\"og-box-value\">30</span>", shown, StringComparison.Ordinal);
    }

    [Theory, Databases]
    public async Task Only_editors_of_the_organization_may_use_the_editor_and_a_table_they_may_not_read_is_refused(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var (orgId, _) = await app.DatasetAsync();
        var org = await OrgNameAsync(app, orgId);
        var (_, otherDs) = await app.DatasetAsync(isPrivate: true);
        var secret = await app.UploadAsync(otherDs, "secret.csv", Encoding.UTF8.GetBytes("日付,件数\n2020-04-01,1\n"));
        var url = $"/dashboards/{org}/x/edit";

        using (var anonymous = await app.Anonymous().GetAsync(url, Ct))
        {
            Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
            Assert.Contains("/user/login", anonymous.Headers.Location?.OriginalString, StringComparison.Ordinal);
        }
        var member = await LoginAsync(app, org, "taro", "member");
        using (var get = await member.GetAsync(url, Ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, get.StatusCode);
        }
        var token = CatalogFixtures.AntiforgeryToken(await member.GetStringAsync("/user/login", Ct));
        using (var post = await member.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["Draft"] = $$"""{"slug":"x","title":{"ja":"乗っ取り"},"organization":"{{org}}","cards":[]}""",
            ["Do"] = "save",
            ["TitleJa"] = "乗っ取り",
        }), Ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        }
        Assert.DoesNotContain("/edit\"", await member.GetStringAsync($"/dashboards/{org}", Ct), StringComparison.Ordinal);

        var editor = await LoginAsync(app, org, "hanako", "editor", english: true);
        var page = await editor.GetStringAsync(url + "?card=new", Ct);
        Assert.Contains("This organization has no tables loaded into the DataStore.", page, StringComparison.Ordinal);
        var (status, html, _) = await PostAsync(editor, url, page, new()
        {
            ["Do"] = "apply",
            ["Form.TitleJa"] = "",
            ["Form.Source"] = secret,
            ["Form.Kind"] = "CountPerDay",
            ["Form.DateColumn"] = "日付",
            ["Form.Chart"] = "Bar",
        });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("This table cannot be chosen (only the organization&#x27;s DataStore tables that you may read can be used).", html, StringComparison.Ordinal);
        Assert.Contains("Enter the title in Japanese.", html, StringComparison.Ordinal);
        Assert.Equal("[]", JsonNode.Parse(Draft(html))!["cards"]!.ToJsonString());
        using var none = await app.Anonymous().GetAsync($"/api/dashboards/{org}/x", Ct);
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
    }
}
