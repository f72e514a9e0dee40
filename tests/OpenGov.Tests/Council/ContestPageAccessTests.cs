using System.Text.Json.Nodes;
using OpenGov.Tests.Infrastructure;
using static OpenGov.Tests.Council.ContestTestKit;

namespace OpenGov.Tests.Council;

/// <summary>
/// Who may see and act on each contest page and its API, for the four kinds of caller: anonymous, a logged-in user
/// without the role, the council secretariat, a sysadmin. Draft entries stay hidden from the public; the console, the
/// call form, exports and the scores before judging closes are the secretariat's; refused writes answer in the
/// council API's own error shape ({"error", "field"}) in the caller's language and change nothing.
/// </summary>
public sealed class ContestPageAccessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Accepted = "公開される応募";
    private const string Draft = "非公開の下書き";

    private sealed record Setup(
        TestApp App, HttpClient Anonymous, HttpClient Citizen, HttpClient Secretary, HttpClient Sysadmin,
        HttpClient Entrant, HttpClient Drafter, HttpClient Judge, long Entry, long DraftEntry)
    {
        /// <summary>The four callers the brief names, in order.</summary>
        public (string Who, HttpClient Client)[] Callers =>
            [("anonymous", Anonymous), ("citizen", Citizen), ("secretariat", Secretary), ("sysadmin", Sysadmin)];
    }

    /// <summary>
    /// A contest in judging: one accepted entry (judged by judge1), one entry left as a draft by another team before the
    /// deadline passed; a logged-in citizen with no part in it.
    /// </summary>
    private static async Task<Setup> SetupAsync(TestApp app)
    {
        var secretary = await app.SecretaryAsync();
        await secretary.CreateContestAsync();
        var entrant = app.WithToken((await app.CreateEventUserAsync("entrant")).Token);
        var drafter = app.WithToken((await app.CreateEventUserAsync("drafter")).Token);
        var entry = await entrant.EnterAsync(Accepted);
        var draft = await drafter.EnterAsync(Draft, submit: false);
        await secretary.SetDatesAsync("2020-01-02", Future);
        Assert.Equal(200, (await secretary.PostJsonAsync($"/api/council/contests/{Slug}/entries/{entry}/screening", new { state = "accepted" })).Status);
        var judge = app.WithToken((await app.CreateEventUserAsync("judge1")).Token);
        Assert.Equal(204, (await secretary.PostJsonAsync($"/api/council/contests/{Slug}/entries/{entry}/judges", new { user = "judge1" })).Status);
        var citizen = app.WithToken((await app.CreateEventUserAsync("citizen")).Token);
        return new Setup(app, app.Anonymous(), citizen, secretary, app.Admin(), entrant, drafter, judge, entry, draft);
    }

    private static async Task<(int Status, string Body, string? Location)> GetAsync(HttpClient client, string url)
    {
        using var r = await client.GetAsync(url, Ct);
        return ((int)r.StatusCode, await r.Content.ReadAsStringAsync(Ct), r.Headers.Location?.OriginalString);
    }

    private static async Task<(int Status, JsonNode? Body)> SendAsync(HttpClient client, HttpMethod method, string url, object? body = null)
    {
        using var req = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            req.Content = System.Net.Http.Json.JsonContent.Create(body);
        }

        using var r = await client.SendAsync(req, Ct);
        var text = await r.Content.ReadAsStringAsync(Ct);
        return ((int)r.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private static async Task<int> AuditCountAsync(HttpClient secretary) => (await secretary.GetJsonAsync("/api/council/audit")).AsArray().Count;

    /// <summary>The council API's error: an object with the message in "error" and nothing else but "field".</summary>
    private static void AssertError(JsonNode? body, string message)
    {
        Assert.NotNull(body);
        var o = body!.AsObject();
        Assert.Equal(message, o["error"]!.GetValue<string>());
        Assert.All(o.Select(p => p.Key), k => Assert.Contains(k, new[] { "error", "field" }));
    }

    [Theory, Databases]
    public async Task Public_pages_show_everyone_the_call_and_accepted_entries_but_drafts_only_to_the_secretariat(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var s = await SetupAsync(app);

        foreach (var (who, client) in s.Callers)
        {
            var staff = who is "secretariat" or "sysadmin";

            var (listStatus, list, _) = await GetAsync(client, "/council/contests");
            Assert.True(listStatus == 200, $"{who}: /council/contests {listStatus}");
            Assert.Contains("テストアイデアコンテスト", list);
            Assert.Equal(staff, list.Contains("href=\"/council/contests/new\"", StringComparison.Ordinal));

            var (callStatus, call, _) = await GetAsync(client, $"/council/contests/{Slug}");
            Assert.True(callStatus == 200, $"{who}: the call {callStatus}");
            Assert.Contains(Accepted, call);
            Assert.True(staff == call.Contains(Draft, StringComparison.Ordinal), $"{who}: the draft on the call page");
            Assert.True(staff == call.Contains("id=\"console-link\"", StringComparison.Ordinal), $"{who}: the console link");
            Assert.True(staff == call.Contains("id=\"edit-link\"", StringComparison.Ordinal), $"{who}: the edit link");

            var (resultsStatus, results, _) = await GetAsync(client, $"/council/contests/{Slug}/results");
            Assert.True(resultsStatus == 200, $"{who}: results {resultsStatus}");
            Assert.DoesNotContain(Draft, results);
            Assert.True(staff != results.Contains("id=\"hidden-scores\"", StringComparison.Ordinal), $"{who}: scores hidden until judging closes");

            // the entries through the API: the draft is not there for the public, and does not exist for them
            var entries = (await client.GetJsonAsync($"/api/council/contests/{Slug}/entries")).AsArray().Select(e => e!["title"]!.GetValue<string>()).ToList();
            Assert.Contains(Accepted, entries);
            Assert.True(staff == entries.Contains(Draft), $"{who}: the draft in the entries list");
            var (one, body) = await SendAsync(client, HttpMethod.Get, $"/api/council/contests/{Slug}/entries/{s.DraftEntry}");
            if (staff)
            {
                Assert.Equal(200, one);
                Assert.Equal(Draft, body!["title"]!.GetValue<string>());
            }
            else
            {
                Assert.Equal(404, one);
                AssertError(body, "見つかりません。");
                Assert.Equal(404, (await SendAsync(client, HttpMethod.Get, $"/api/council/contests/{Slug}/entries/{s.DraftEntry}/files")).Status);
            }
        }

        // the draft's own team sees it, on its page and through the API; a judge of another entry does not
        Assert.Contains(Draft, (await GetAsync(s.Drafter, "/council/contests/mine")).Body);
        Assert.Equal(200, (await SendAsync(s.Drafter, HttpMethod.Get, $"/api/council/contests/{Slug}/entries/{s.DraftEntry}")).Status);
        Assert.Equal(404, (await SendAsync(s.Judge, HttpMethod.Get, $"/api/council/contests/{Slug}/entries/{s.DraftEntry}")).Status);
        Assert.DoesNotContain(Draft, (await GetAsync(s.Judge, $"/council/contests/{Slug}")).Body);

        // an entry's form is its team's only: everyone else gets 404 (anonymous users the login)
        Assert.Equal(200, (await GetAsync(s.Drafter, $"/council/contests/{Slug}/entry/{s.DraftEntry}")).Status);
        foreach (var (who, client) in s.Callers)
        {
            var (status, _, location) = await GetAsync(client, $"/council/contests/{Slug}/entry/{s.DraftEntry}");
            if (who == "anonymous")
            {
                Assert.Equal(302, status);
                Assert.Contains("/user/login", location);
            }
            else
            {
                Assert.True(status == 404, $"{who}: another team's entry form {status}");
            }
        }

        // an unknown contest is 404 for everyone, the secretariat included
        Assert.Equal(404, (await GetAsync(s.Anonymous, "/council/contests/no-such-contest")).Status);
        Assert.Equal(404, (await GetAsync(s.Secretary, "/council/contests/no-such-contest/console")).Status);
        AssertError((await SendAsync(s.Secretary, HttpMethod.Get, "/api/council/contests/no-such-contest")).Body, "見つかりません。");
    }

    [Theory, Databases]
    public async Task The_console_call_form_and_judging_pages_are_kept_from_those_without_the_role(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var s = await SetupAsync(app);

        // the secretariat's pages: anonymous users go to the login, a logged-in user without the role gets 403
        foreach (var url in new[] { "/council/contests/new", $"/council/contests/{Slug}/edit", $"/council/contests/{Slug}/console" })
        {
            foreach (var (who, client) in s.Callers)
            {
                var (status, body, location) = await GetAsync(client, url);
                switch (who)
                {
                    case "anonymous":
                        Assert.True(status == 302, $"{who} {url}: {status}");
                        Assert.StartsWith("/user/login", new Uri(new Uri("http://x"), location).PathAndQuery);
                        break;
                    case "citizen":
                        Assert.True(status == 403, $"{who} {url}: {status}");
                        Assert.DoesNotContain(Accepted, body);
                        break;
                    default:
                        Assert.True(status == 200, $"{who} {url}: {status}");
                        break;
                }
            }
        }

        // the console shows the secretariat every entry, drafts too, with the exports
        var console = (await GetAsync(s.Secretary, $"/council/contests/{Slug}/console")).Body;
        Assert.Contains(Draft, console);
        Assert.Contains($"/api/council/contests/{Slug}/export/scores.xlsx", console);

        // the judging page: logged-in users only; each sees the entries assigned to them and nothing else
        var (anonymousJudging, _, judgingLogin) = await GetAsync(s.Anonymous, $"/council/contests/{Slug}/judge");
        Assert.Equal(302, anonymousJudging);
        Assert.Contains("/user/login", judgingLogin);
        var judging = (await GetAsync(s.Judge, $"/council/contests/{Slug}/judge")).Body;
        Assert.Contains(Accepted, judging);
        foreach (var (who, client) in s.Callers.Skip(1))
        {
            var (status, body, _) = await GetAsync(client, $"/council/contests/{Slug}/judge");
            Assert.True(status == 200, $"{who}: judge page {status}");
            Assert.Contains("割り当てられた応募はありません。", body);
            Assert.DoesNotContain(Accepted, body);
        }

        // the scores before judging closes and the exports: the secretariat's, refused to others in the API's shape
        foreach (var (who, client) in s.Callers)
        {
            var staff = who is "secretariat" or "sysadmin";
            var (scores, scoresBody) = await SendAsync(client, HttpMethod.Get, $"/api/council/contests/{Slug}/scores");
            Assert.True(scores == (staff ? 200 : 403), $"{who}: scores {scores}");
            if (!staff)
            {
                AssertError(scoresBody, "審査員の採点は審査終了（2099年1月2日 00:00）まで公開されません。");
            }

            foreach (var export in new[] { "entries.csv", "entries.xlsx", "scores.csv", "scores.xlsx" })
            {
                using var r = await client.GetAsync($"/api/council/contests/{Slug}/export/{export}", Ct);
                var expected = who switch { "anonymous" => 401, "citizen" => 403, _ => 200 };
                Assert.True((int)r.StatusCode == expected, $"{who}: export {export} {(int)r.StatusCode}");
                if (expected == 200)
                {
                    Assert.Contains(export.EndsWith(".csv", StringComparison.Ordinal) ? "text/csv" : "spreadsheetml", r.Content.Headers.ContentType!.ToString());
                }
                else
                {
                    AssertError(JsonNode.Parse(await r.Content.ReadAsStringAsync(Ct)), expected == 401 ? "ログインしてください。" : "応募と採点を書き出せるのは協議会事務局だけです。");
                }
            }
        }

        // the judge scores only what is assigned, and not the secretariat's exports
        Assert.Equal(403, (await SendAsync(s.Judge, HttpMethod.Get, $"/api/council/contests/{Slug}/export/scores.csv")).Status);

        // in English
        var (_, en) = await SendAsync(s.Citizen, HttpMethod.Get, $"/api/council/contests/{Slug}/export/entries.csv?lang=en");
        AssertError(en, "Only the council secretariat can export entries and scores.");
        var (_, enLogin) = await SendAsync(s.Anonymous, HttpMethod.Get, $"/api/council/contests/{Slug}/export/entries.csv?lang=en");
        AssertError(enLogin, "Please log in.");
    }

    [Theory, Databases]
    public async Task Writes_without_authorization_are_refused_in_the_APIs_error_shape_and_change_nothing(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var s = await SetupAsync(app);
        var (_, award) = await s.Secretary.PostJsonAsync($"/api/council/contests/{Slug}/awards", new { entry = s.Entry, name = "最優秀賞" });
        var awardId = award!["id"]!.GetValue<long>();
        var before = await AuditCountAsync(s.Secretary);
        var contestBefore = (await s.Secretary.GetJsonAsync($"/api/council/contests/{Slug}")).ToJsonString();
        var resultsBefore = (await s.Secretary.GetJsonAsync($"/api/council/contests/{Slug}/results")).ToJsonString();
        var criteria = await s.Secretary.CriteriaAsync();

        (HttpMethod Method, string Url, object? Body)[] secretariatWrites =
        [
            (HttpMethod.Post, "/api/council/contests", Body(slug: "not-allowed")),
            (HttpMethod.Put, $"/api/council/contests/{Slug}", Body()),
            (HttpMethod.Post, $"/api/council/contests/{Slug}/entries/{s.Entry}/screening", new { state = "rejected" }),
            (HttpMethod.Post, $"/api/council/contests/{Slug}/entries/{s.Entry}/judges", new { user = "citizen" }),
            (HttpMethod.Delete, $"/api/council/contests/{Slug}/entries/{s.Entry}/judges/judge1", null),
            (HttpMethod.Post, $"/api/council/contests/{Slug}/awards", new { entry = s.Entry, name = "優秀賞" }),
            (HttpMethod.Delete, $"/api/council/contests/{Slug}/awards/{awardId}", null),
            (HttpMethod.Post, $"/api/council/contests/{Slug}/audience-vote", new { action = "create" }),
            (HttpMethod.Post, $"/api/council/contests/{Slug}/entries/{s.Entry}/showcase", null),
        ];
        foreach (var (method, url, body) in secretariatWrites)
        {
            var (anonymous, anonymousBody) = await SendAsync(s.Anonymous, method, url, body);
            Assert.True(anonymous == 401, $"anonymous {method} {url}: {anonymous} {anonymousBody?.ToJsonString()}");
            AssertError(anonymousBody, "ログインしてください。");

            foreach (var (who, client) in new[] { ("citizen", s.Citizen), ("judge", s.Judge), ("entrant", s.Entrant) })
            {
                var (status, refused) = await SendAsync(client, method, url, body);
                Assert.True(status == 403, $"{who} {method} {url}: {status} {refused?.ToJsonString()}");
                Assert.False(string.IsNullOrEmpty(refused?["error"]?.GetValue<string>()), $"{who} {method} {url}: no error message");
                AssertError(refused, refused!["error"]!.GetValue<string>());
            }
        }

        var (_, en) = await SendAsync(s.Citizen, HttpMethod.Put, $"/api/council/contests/{Slug}?lang=en", Body());
        AssertError(en, "Only the council secretariat can change contests.");

        // a team's entry and a judge's scores are theirs: others are refused (an entry another team cannot see does not exist)
        Assert.Equal(401, (await SendAsync(s.Anonymous, HttpMethod.Put, $"/api/council/contests/{Slug}/entries/{s.DraftEntry}", new { title = "乗っ取り" })).Status);
        var (hijack, hijackBody) = await SendAsync(s.Citizen, HttpMethod.Put, $"/api/council/contests/{Slug}/entries/{s.DraftEntry}", new { title = "乗っ取り" });
        Assert.Equal(404, hijack);
        AssertError(hijackBody, "見つかりません。");
        var (notOwner, _) = await SendAsync(s.Citizen, HttpMethod.Put, $"/api/council/contests/{Slug}/entries/{s.Entry}", new { title = "乗っ取り" });
        Assert.True(notOwner is 403 or 404, $"another team's accepted entry: {notOwner}");
        var (unassigned, unassignedBody) = await s.Citizen.ScoreAsync(s.Entry, criteria, 5, 3);
        Assert.Equal(403, unassigned);
        Assert.NotNull(unassignedBody!["error"]);
        var (secretaryScore, _) = await s.Secretary.ScoreAsync(s.Entry, criteria, 5, 3);
        Assert.Equal(403, secretaryScore); // the secretariat does not score in a judge's place
        Assert.Equal(401, (await s.Anonymous.ScoreAsync(s.Entry, criteria, 5, 3)).Status);

        // nothing changed: no audit entry, the same call and the same results
        Assert.Equal(before, await AuditCountAsync(s.Secretary));
        Assert.Equal(contestBefore, (await s.Secretary.GetJsonAsync($"/api/council/contests/{Slug}")).ToJsonString());
        Assert.Equal(resultsBefore, (await s.Secretary.GetJsonAsync($"/api/council/contests/{Slug}/results")).ToJsonString());
        Assert.Equal(404, (await SendAsync(s.Secretary, HttpMethod.Get, "/api/council/contests/not-allowed")).Status);
        Assert.Equal(Draft, (await s.Drafter.GetJsonAsync($"/api/council/contests/{Slug}/entries/{s.DraftEntry}"))["title"]!.GetValue<string>());
    }

    [Theory, Databases]
    public async Task Console_form_posts_from_a_user_without_the_role_are_refused_and_change_nothing(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var s = await SetupAsync(app);
        await app.CreateUserAsync("hanako", password: "pass-hanako");
        var browser = app.Anonymous();
        await browser.LoginAsync("hanako", "pass-hanako");
        var token = CatalogFixtures.AntiforgeryToken((await GetAsync(browser, $"/council/contests/{Slug}/entry")).Body);
        var before = await AuditCountAsync(s.Secretary);

        var posts = new (string Url, Dictionary<string, string> Fields)[]
        {
            ($"/council/contests/{Slug}/console?handler=Screen", new() { ["entryId"] = s.Entry.ToString(), ["state"] = "rejected" }),
            ($"/council/contests/{Slug}/console?handler=Award", new() { ["entry"] = s.Entry.ToString(), ["name"] = "優秀賞" }),
            ($"/council/contests/{Slug}/console?handler=Audience", new() { ["action"] = "create" }),
            ($"/council/contests/{Slug}/edit", new() { ["Input.Title"] = "乗っ取られた題名" }),
            ("/council/contests/new", new() { ["Input.Slug"] = "by-form", ["Input.Title"] = "勝手なコンテスト" }),
        };
        foreach (var (url, fields) in posts)
        {
            fields["__RequestVerificationToken"] = token;
            using var r = await browser.PostAsync(url, new FormUrlEncodedContent(fields), Ct);
            // a cookie session without the role is sent to the login page (the cookie handler's access-denied path)
            Assert.True((int)r.StatusCode is 302 or 403, $"{url}: {(int)r.StatusCode}");
            if ((int)r.StatusCode == 302)
            {
                Assert.Contains("/user/login", r.Headers.Location!.OriginalString);
            }
        }

        // anonymous posts (with no session) go to the login as well
        using (var anonymous = await app.Anonymous().PostAsync($"/council/contests/{Slug}/console?handler=Screen", new FormUrlEncodedContent(new Dictionary<string, string> { ["entryId"] = s.Entry.ToString(), ["state"] = "rejected" }), Ct))
        {
            Assert.True((int)anonymous.StatusCode is 302 or 400, $"anonymous console post: {(int)anonymous.StatusCode}");
        }

        Assert.Equal(before, await AuditCountAsync(s.Secretary));
        var contest = await s.Secretary.GetJsonAsync($"/api/council/contests/{Slug}");
        Assert.Equal("テストアイデアコンテスト", contest["title"]!.GetValue<string>());
        Assert.Equal("accepted", (await s.Secretary.GetJsonAsync($"/api/council/contests/{Slug}/entries/{s.Entry}"))["state"]!.GetValue<string>());
        Assert.Equal(404, (await SendAsync(s.Secretary, HttpMethod.Get, "/api/council/contests/by-form")).Status);
    }
}
