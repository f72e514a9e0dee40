using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Council;

/// <summary>Who may change the registry, how bad input is refused (nothing changed), and the audit history.</summary>
public sealed class RegistryWriteTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly object Chiba = new { kind = "local_government", name = "千葉市", nameEn = "Chiba", localGovCode = "121002", prefecture = "千葉県", population = "980000" };

    private static async Task<string> CreateAsync(HttpClient client, object member)
    {
        var (status, body) = await client.PostJsonAsync("/api/council/members", member);
        Assert.True(status == 201, $"create: {status} {body}");
        return body!["id"]!.GetValue<string>();
    }

    private static async Task<int> CountAsync(TestApp app, string date = "2030-01-01") =>
        (await app.Anonymous().GetJsonAsync("/api/council/members?date=" + date))["members"]!.AsArray().Count;

    private static async Task<int> AuditCountAsync(HttpClient secretary) => (await secretary.GetJsonAsync("/api/council/audit")).AsArray().Count;

    [Theory, Databases]
    public async Task Only_the_secretariat_or_a_sysadmin_adds_members(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var (_, userToken) = await app.CreateEventUserAsync("citizen");

        Assert.Equal(403, (await app.Anonymous().PostJsonAsync("/api/council/members", Chiba)).Status);
        var (status, body) = await app.WithToken(userToken).PostJsonAsync("/api/council/members", Chiba);
        Assert.Equal(403, status);
        Assert.Equal("この操作を行う権限がありません。", body!["error"]!.GetValue<string>());
        Assert.Equal(403, (await app.WithToken(userToken).PostJsonAsync("/api/council/secretariat", new { user = "citizen" })).Status);

        var secretary = await app.SecretaryAsync();
        var id = await CreateAsync(secretary, Chiba);
        Assert.Equal(200, (await secretary.PostJsonAsync($"/api/council/members/{id}/periods", new { joined = "2013-04-01" })).Status);
        Assert.Equal(1, await CountAsync(app));
        Assert.Equal(201, (await app.Admin().PostJsonAsync("/api/council/members", new { kind = "special", name = "ヤフー株式会社" })).Status);
    }

    [Theory, Databases]
    public async Task Wrong_check_digit_is_refused_in_the_users_language_and_nothing_is_added(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var secretary = await app.SecretaryAsync();
        var before = await AuditCountAsync(secretary);

        var (status, body) = await secretary.PostJsonAsync("/api/council/members", new { name = "千葉市", localGovCode = "121003" });
        Assert.Equal(400, status);
        Assert.Equal("localGovCode", body!["field"]!.GetValue<string>());
        Assert.Equal("全国地方公共団体コード「121003」は6桁でないか、検査数字が正しくありません。", body["error"]!.GetValue<string>());
        var (_, en) = await secretary.PostJsonAsync("/api/council/members?lang=en", new { name = "千葉市", localGovCode = "121003" });
        Assert.Equal("Local government code 121003 is not 6 digits or its check digit is wrong.", en!["error"]!.GetValue<string>());
        Assert.Equal(400, (await secretary.PostJsonAsync("/api/council/members", new { kind = "special", name = "ヤフー株式会社", localGovCode = "121002" })).Status);

        Assert.Equal(before, await AuditCountAsync(secretary));
        Assert.Empty((await app.Anonymous().GetJsonAsync("/api/council/timeline"))["members"]!.AsArray());
        Assert.Equal(201, (await secretary.PostJsonAsync("/api/council/members", new { name = "千葉市", localGovCode = "１２１００２" })).Status); // full-width digits are fine
    }

    [Theory, Databases]
    public async Task Overlapping_periods_and_a_leave_before_the_join_are_refused(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var secretary = await app.SecretaryAsync();
        var id = await CreateAsync(secretary, Chiba);
        Assert.Equal(200, (await secretary.PostJsonAsync($"/api/council/members/{id}/periods", new { joined = "平成25年度", left = "平成27年度" })).Status);

        var (overlap, body) = await secretary.PostJsonAsync($"/api/council/members/{id}/periods", new { joined = "2014-10-01" });
        Assert.Equal(400, overlap);
        Assert.Equal("この期間は登録済みの会員期間（平成25年度～平成27年度）と重なっています。", body!["error"]!.GetValue<string>());

        var (backwards, b2) = await secretary.PostJsonAsync($"/api/council/members/{id}/periods", new { joined = "2020-04-01", left = "2019-01-01" });
        Assert.Equal(400, backwards);
        Assert.Equal("left", b2!["field"]!.GetValue<string>());
        Assert.Contains("より前です", b2["error"]!.GetValue<string>());

        var (bad, b3) = await secretary.PostJsonAsync($"/api/council/members/{id}/periods", new { joined = "いつか" });
        Assert.Equal(400, bad);
        Assert.Contains("日付として読めません", b3!["error"]!.GetValue<string>());

        // a second period after the first one ended is fine: member again from 2016
        Assert.Equal(200, (await secretary.PostJsonAsync($"/api/council/members/{id}/periods", new { joined = "平成28年度" })).Status);
        var member = await app.Anonymous().GetJsonAsync($"/api/council/members/{id}");
        Assert.Equal(2, member["periods"]!.AsArray().Count);
        Assert.Equal(0, await CountAsync(app, "2015-06-01"));
        Assert.Equal(1, await CountAsync(app, "2016-06-01"));
    }

    [Theory, Databases]
    public async Task Organization_admins_edit_their_own_member_profile_only(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("chiba", "千葉市");
        await app.CreateOrganizationAsync("nara", "奈良市");
        var chibaAdmin = app.WithToken(await app.CreateUserAsync("chiba-admin", "chiba", "admin"));
        var chibaEditor = app.WithToken(await app.CreateUserAsync("chiba-editor", "chiba", "editor"));
        var naraAdmin = app.WithToken(await app.CreateUserAsync("nara-admin", "nara", "admin"));
        var secretary = await app.SecretaryAsync();
        var id = await CreateAsync(secretary, new { name = "千葉市", localGovCode = "121002", organization = "chiba" });

        var (ok, body) = await chibaAdmin.PutJsonAsync($"/api/council/members/{id}", new { name = "改名市", nameEn = "Chiba City", population = "979,768", prefecture = "千葉県" });
        Assert.Equal(200, ok);
        Assert.Equal("千葉市", body!["name"]!.GetValue<string>()); // the name is the secretariat's
        Assert.Equal(979768, body["population"]!.GetValue<int>());
        Assert.Equal("chiba", body["organization"]!.GetValue<string>());

        Assert.Equal(403, (await naraAdmin.PutJsonAsync($"/api/council/members/{id}", new { population = "1" })).Status);
        Assert.Equal(403, (await chibaEditor.PutJsonAsync($"/api/council/members/{id}", new { population = "1" })).Status);
        Assert.Equal(403, (await chibaAdmin.PostJsonAsync($"/api/council/members/{id}/periods", new { joined = "2013-04-01" })).Status);
        Assert.Equal(403, (await chibaAdmin.GetAsync("/api/council/audit", Ct)).StatusCode is System.Net.HttpStatusCode.Forbidden ? 403 : 0);

        var audit = (await secretary.GetJsonAsync($"/api/council/audit?member={id}")).AsArray();
        var update = audit.First(a => a!["action"]!.GetValue<string>() == "update")!;
        Assert.Equal("chiba-admin", update["user"]!.GetValue<string>());
        var changes = JsonNode.Parse(update["changes"]!.GetValue<string>())!;
        Assert.Equal(979768, changes["Population"]![1]!.GetValue<int>());
        Assert.Null(changes["Population"]![0]);
        Assert.Contains(audit, a => a!["action"]!.GetValue<string>() == "create" && a["user"]!.GetValue<string>() == "jimukyoku");
    }

    [Theory, Databases]
    public async Task Only_one_chair_at_a_time(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var secretary = await app.SecretaryAsync();
        var chiba = await CreateAsync(secretary, Chiba);
        var nara = await CreateAsync(secretary, new { name = "奈良市", localGovCode = "292010" });
        Assert.Equal(200, (await secretary.PostJsonAsync($"/api/council/members/{chiba}/roles", new { role = "chair", starts = "2013-04-01" })).Status);
        var (status, body) = await secretary.PostJsonAsync($"/api/council/members/{nara}/roles", new { role = "chair", starts = "2019-04-01" });
        Assert.Equal(400, status);
        Assert.Equal("その期間には別の会長市が登録されています。", body!["error"]!.GetValue<string>());
    }
}

internal static class PutExtensions
{
    public static async Task<(int Status, JsonNode? Body)> PutJsonAsync(this HttpClient client, string url, object body)
    {
        using var r = await client.PutAsJsonAsync(url, body);
        var text = await r.Content.ReadAsStringAsync();
        return ((int)r.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }
}

/// <summary>Activities recorded by the secretariat feed the fiscal-year pages and the 主な活動内容 lines.</summary>
public sealed class ActivityWriteTests
{
    [Theory, Databases]
    public async Task Secretariat_records_an_activity_that_appears_in_its_fiscal_year(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var secretary = await app.SecretaryAsync();
        Assert.Equal(403, (await app.Anonymous().PostJsonAsync("/api/council/activities", new { date = "令和3年度", title = "公開シンポジウム" })).Status);
        var (bad, body) = await secretary.PostJsonAsync("/api/council/activities", new { date = "令和3年度", title = "報告書", url = "javascript:alert(1)" });
        Assert.Equal(400, bad);
        Assert.Equal("url", body!["field"]!.GetValue<string>());

        var (created, _) = await secretary.PostJsonAsync("/api/council/activities", new { date = "令和3年度", kind = "symposium", title = "公開シンポジウム（取組事業報告）" });
        Assert.Equal(201, created);
        var year = await app.Anonymous().GetJsonAsync("/api/council/years/2021");
        Assert.Equal("公開シンポジウム（取組事業報告）", year["lines"]![0]!.GetValue<string>());
        Assert.Equal("fiscal_year", year["activities"]![0]!["date"]!["precision"]!.GetValue<string>());
    }
}
