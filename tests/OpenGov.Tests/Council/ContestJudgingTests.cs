using System.Text.Json.Nodes;
using OpenGov.Tests.Infrastructure;
using static OpenGov.Tests.Council.ContestTestKit;

namespace OpenGov.Tests.Council;

/// <summary>Contests: who sees and scores what, the deadline, the rubric's bounds, the weighted ranking.</summary>
public sealed class ContestJudgingTests
{
    private static async Task<int> AuditCountAsync(HttpClient secretary) => (await secretary.GetJsonAsync("/api/council/audit")).AsArray().Count;

    [Theory, Databases]
    public async Task A_judge_sees_and_scores_only_assigned_entries_and_no_other_scores_until_judging_closes(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var j = await app.JudgingAsync();

        var mine = (await j.Judge1.GetJsonAsync($"/api/council/contests/{Slug}/judging")).AsArray();
        Assert.Equal([j.Entry1], mine.Select(a => a!["entry"]!["id"]!.GetValue<long>()));
        var (status, body) = await j.Judge1.ScoreAsync(j.Entry2, j.Criteria, 5, 3);
        Assert.Equal(403, status);
        Assert.Equal("この応募の審査員に割り当てられていません。", body!["error"]!.GetValue<string>());

        Assert.Equal(200, (await j.Judge1.ScoreAsync(j.Entry1, j.Criteria, 10, 5)).Status);
        Assert.Equal(200, (await j.Judge2.ScoreAsync(j.Entry1, j.Criteria, 2, 1)).Status);

        // before the close: a judge sees only their own scores; no scores, no ranking
        var judging = (await j.Judge2.GetJsonAsync($"/api/council/contests/{Slug}/judging")).AsArray();
        var own = judging.Single(a => a!["entry"]!["id"]!.GetValue<long>() == j.Entry1)!;
        Assert.Equal(2, own["myScores"]![j.Criteria[0].ToString()]!.GetValue<int>());
        Assert.DoesNotContain("10", own["myScores"]!.ToJsonString(), StringComparison.Ordinal);
        var (scoresStatus, refused) = await j.Judge2.GetJsonAsync2($"/api/council/contests/{Slug}/scores");
        Assert.Equal(403, scoresStatus);
        Assert.Contains("審査終了", refused!["error"]!.GetValue<string>());
        var early = await j.Judge1.GetJsonAsync($"/api/council/contests/{Slug}/results");
        Assert.False(early["scoresVisible"]!.GetValue<bool>());
        Assert.All(early["ranking"]!.AsArray(), r => Assert.Null(r!["score"]));
        var page = await j.Judge1.GetStringAsync($"/council/contests/{Slug}/results", TestContext.Current.CancellationToken);
        Assert.DoesNotContain("83.33", page);

        // the secretariat sees everything all along
        Assert.Equal(2, (await j.Secretary.GetJsonAsync($"/api/council/contests/{Slug}/scores")).AsArray().Single(e => e!["entry"]!.GetValue<long>() == j.Entry1)!["judges"]!.AsArray().Count);

        // after the close: every judge's scores and the ranking are public; scoring is over
        await j.Secretary.SetDatesAsync("2020-01-02", "2020-01-03");
        var scores = (await j.Judge2.GetJsonAsync($"/api/council/contests/{Slug}/scores")).AsArray();
        Assert.Contains(scores.Single(e => e!["entry"]!.GetValue<long>() == j.Entry1)!["judges"]!.AsArray(), x => x!["judge"]!.GetValue<string>() == "judge1" && x["points"]!.GetValue<double>() == 100);
        var (late, lateBody) = await j.Judge2.ScoreAsync(j.Entry2, j.Criteria, 1, 1);
        Assert.Equal(400, late);
        Assert.Contains("審査は", lateBody!["error"]!.GetValue<string>());
    }

    [Theory, Databases]
    public async Task Entries_after_the_deadline_are_refused_in_the_users_language_and_nothing_changes(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var secretary = await app.SecretaryAsync();
        await secretary.CreateContestAsync();
        var entrant = app.WithToken((await app.CreateEventUserAsync("entrant")).Token);
        var id = await entrant.EnterAsync("締切前の応募", submit: false);
        Assert.Equal(200, (await entrant.PutJsonAsync($"/api/council/contests/{Slug}/entries/{id}", new { title = "直した題名", category = "地域の魅力", submit = true })).Status);

        await secretary.SetDatesAsync("2020-01-02", Future);
        var before = await AuditCountAsync(secretary);
        var (status, body) = await entrant.PostJsonAsync($"/api/council/contests/{Slug}/entries", new { title = "遅れた応募", category = "行政課題" });
        Assert.Equal(400, status);
        Assert.Equal("応募の締切（2020年1月3日 00:00）を過ぎているため、応募・編集できません。", body!["error"]!.GetValue<string>());
        var (_, en) = await entrant.PostJsonAsync($"/api/council/contests/{Slug}/entries?lang=en", new { title = "遅れた応募", category = "行政課題" });
        Assert.Equal("The deadline (2020年1月3日 00:00) has passed: entries can no longer be made or changed.", en!["error"]!.GetValue<string>());
        var (edit, _) = await entrant.PutJsonAsync($"/api/council/contests/{Slug}/entries/{id}", new { title = "締切後の修正", category = "行政課題" });
        Assert.Equal(400, edit);

        var entry = await entrant.GetJsonAsync($"/api/council/contests/{Slug}/entries/{id}");
        Assert.Equal("直した題名", entry["title"]!.GetValue<string>());
        Assert.Equal("submitted", entry["state"]!.GetValue<string>());
        Assert.Single((await secretary.GetJsonAsync($"/api/council/contests/{Slug}/entries")).AsArray());
        Assert.Equal(before, await AuditCountAsync(secretary));
    }

    [Theory, Databases]
    public async Task Scores_outside_the_rubric_are_refused_and_nothing_is_stored(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var j = await app.JudgingAsync();
        var before = await AuditCountAsync(j.Secretary);

        var (over, body) = await j.Judge1.ScoreAsync(j.Entry1, j.Criteria, 11, 5);
        Assert.Equal(400, over);
        Assert.Equal("「独自性」の点数11は審査基準の範囲（0～10点）の外です。", body!["error"]!.GetValue<string>());
        Assert.Equal("score-" + j.Criteria[0], body["field"]!.GetValue<string>());
        Assert.Equal(400, (await j.Judge1.ScoreAsync(j.Entry1, j.Criteria, 5, 6)).Status);
        Assert.Equal(400, (await j.Judge1.ScoreAsync(j.Entry1, j.Criteria, -1, 2)).Status);
        var (missing, m) = await j.Judge1.PutJsonAsync($"/api/council/contests/{Slug}/entries/{j.Entry1}/score", new { scores = new Dictionary<string, int> { [j.Criteria[0].ToString()] = 3 } });
        Assert.Equal(400, missing);
        Assert.Equal("「実現性」の点数を入力してください（0～5点）。", m!["error"]!.GetValue<string>());
        var (_, en) = await j.Judge1.PutJsonAsync($"/api/council/contests/{Slug}/entries/{j.Entry1}/score?lang=en", new { scores = new Dictionary<string, int> { [j.Criteria[0].ToString()] = 30, [j.Criteria[1].ToString()] = 1 } });
        Assert.Equal("The score 30 for “独自性” is outside the rubric (0 to 10).", en!["error"]!.GetValue<string>());

        var own = (await j.Judge1.GetJsonAsync($"/api/council/contests/{Slug}/judging")).AsArray().Single()!;
        Assert.Empty(own["myScores"]!.AsObject());
        Assert.Equal(before, await AuditCountAsync(j.Secretary));
    }

    [Theory, Databases]
    public async Task Results_rank_entries_by_the_mean_weighted_score_of_their_judges(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var j = await app.JudgingAsync();
        Assert.Equal(200, (await j.Judge1.ScoreAsync(j.Entry1, j.Criteria, 10, 5)).Status); // 100
        Assert.Equal(200, (await j.Judge2.ScoreAsync(j.Entry1, j.Criteria, 5, 0)).Status);  // (2×0.5 + 0) / 3 = 33.33
        Assert.Equal(200, (await j.Judge2.ScoreAsync(j.Entry2, j.Criteria, 8, 4)).Status);  // (2×0.8 + 0.8) / 3 = 80
        Assert.Equal(200, (await j.Judge2.ScoreAsync(j.Entry2, j.Criteria, 8, 4, "再採点")).Status); // a judge may change their scores while judging

        await j.Secretary.SetDatesAsync("2020-01-02", "2020-01-03");
        var ranking = (await app.Anonymous().GetJsonAsync($"/api/council/contests/{Slug}/results"))["ranking"]!.AsArray();
        Assert.Equal([j.Entry2, j.Entry1], ranking.Select(r => r!["entry"]!.GetValue<long>()));
        Assert.Equal([1, 2], ranking.Select(r => r!["rank"]!.GetValue<int>()));
        Assert.Equal(80, ranking[0]!["score"]!.GetValue<double>());
        Assert.Equal(66.67, ranking[1]!["score"]!.GetValue<double>());
        Assert.Equal(2, ranking[1]!["judges"]!.GetValue<int>());

        var page = await app.Anonymous().GetStringAsync($"/council/contests/{Slug}/results", TestContext.Current.CancellationToken);
        Assert.True(page.IndexOf("人口ダッシュボード", StringComparison.Ordinal) < page.IndexOf("混雑予報", StringComparison.Ordinal));
        Assert.Contains("66.67", page);
    }

    [Theory, Databases]
    public async Task Drafts_are_seen_only_by_their_owner_and_the_secretariat(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var secretary = await app.SecretaryAsync();
        await secretary.CreateContestAsync();
        var entrant = app.WithToken((await app.CreateEventUserAsync("entrant")).Token);
        var stranger = app.WithToken((await app.CreateEventUserAsync("stranger")).Token);
        var id = await entrant.EnterAsync("秘密の下書き", submit: false);

        Assert.Single((await entrant.GetJsonAsync($"/api/council/contests/{Slug}/entries")).AsArray());
        Assert.Single((await secretary.GetJsonAsync($"/api/council/contests/{Slug}/entries")).AsArray());
        Assert.Empty((await stranger.GetJsonAsync($"/api/council/contests/{Slug}/entries")).AsArray());
        Assert.Empty((await app.Anonymous().GetJsonAsync($"/api/council/contests/{Slug}/entries")).AsArray());
        Assert.Equal(404, (await stranger.GetAsync($"/api/council/contests/{Slug}/entries/{id}", TestContext.Current.CancellationToken)).StatusCode is var s ? (int)s : 0);
        var (edit, _) = await stranger.PutJsonAsync($"/api/council/contests/{Slug}/entries/{id}", new { title = "乗っ取り" });
        Assert.Equal(404, edit);
        Assert.DoesNotContain("秘密の下書き", await app.Anonymous().GetStringAsync($"/council/contests/{Slug}", TestContext.Current.CancellationToken));
        Assert.Contains("秘密の下書き", await entrant.GetStringAsync("/council/contests/mine", TestContext.Current.CancellationToken));
    }

    [Theory, Databases]
    public async Task Only_the_secretariat_changes_contests_screens_and_assigns(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var j = await app.JudgingAsync();
        var before = await AuditCountAsync(j.Secretary);

        var (status, body) = await j.Entrant.PostJsonAsync("/api/council/contests", Body(slug: "mine-too"));
        Assert.Equal(403, status);
        Assert.Equal("コンテストを変更できるのは協議会事務局だけです。", body!["error"]!.GetValue<string>());
        Assert.Equal(403, (await j.Judge1.PutJsonAsync($"/api/council/contests/{Slug}", Body())).Status);
        Assert.Equal(403, (await j.Judge1.PostJsonAsync($"/api/council/contests/{Slug}/entries/{j.Entry1}/screening", new { state = "rejected" })).Status);
        Assert.Equal(403, (await j.Entrant.PostJsonAsync($"/api/council/contests/{Slug}/entries/{j.Entry1}/judges", new { user = "entrant" })).Status);
        Assert.Equal(403, (await j.Judge1.PostJsonAsync($"/api/council/contests/{Slug}/awards", new { entry = j.Entry1, name = "最優秀賞" })).Status);
        Assert.Equal(401, (await app.Anonymous().PostJsonAsync($"/api/council/contests/{Slug}/entries", new { title = "x" })).Status);
        var (owner, ob) = await j.Secretary.PostJsonAsync($"/api/council/contests/{Slug}/entries/{j.Entry1}/judges", new { user = "entrant" });
        Assert.Equal(400, owner);
        Assert.Equal("応募者を自分の応募の審査員にはできません。", ob!["error"]!.GetValue<string>());
        Assert.Equal(before, await AuditCountAsync(j.Secretary));

        Assert.Equal(201, (await j.Secretary.PostJsonAsync($"/api/council/contests/{Slug}/awards", new { entry = j.Entry1, name = "最優秀賞", nameEn = "Grand prize" })).Status);
        var audit = (await j.Secretary.GetJsonAsync("/api/council/audit")).AsArray();
        Assert.Contains(audit, a => a!["entityType"]!.GetValue<string>() == "ContestAward" && a["action"]!.GetValue<string>() == "create");
        Assert.Contains(audit, a => a!["entityType"]!.GetValue<string>() == "ContestAssignment");
        Assert.Contains(audit, a => a!["entityType"]!.GetValue<string>() == "ContestEntry" && a["changes"]!.GetValue<string>().Contains("accepted", StringComparison.Ordinal));
    }

    [Theory, Databases]
    public async Task Entry_files_are_typed_by_their_bytes_and_reach_the_team_judges_secretariat_and_after_publishing_everyone(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var ct = TestContext.Current.CancellationToken;
        var secretary = await app.SecretaryAsync();
        await secretary.CreateContestAsync();
        var entrant = app.WithToken((await app.CreateEventUserAsync("entrant")).Token);
        var other = app.WithToken((await app.CreateEventUserAsync("other")).Token);
        var entry = await entrant.EnterAsync("混雑予報");
        var files = $"/api/council/contests/{Slug}/entries/{entry}/files";
        byte[] pdf = [.. "%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"u8];
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];

        // the type is read from the bytes: a PDF sent as octet-stream is a PDF, PNG bytes named .html are stored as .png, HTML named .png is refused
        var (s1, pdfView) = await UploadAsync(entrant, files, "企画書.pdf", pdf, "application/octet-stream");
        Assert.Equal(201, s1);
        Assert.Equal("application/pdf", pdfView!["contentType"]!.GetValue<string>());
        Assert.Equal("企画書.pdf", pdfView["fileName"]!.GetValue<string>());
        var (s2, pngView) = await UploadAsync(entrant, files, "screen.html", png, "text/html");
        Assert.Equal(201, s2);
        Assert.Equal("screen.png", pngView!["fileName"]!.GetValue<string>());
        Assert.Equal("image/png", pngView["contentType"]!.GetValue<string>());
        var (s3, pptxView) = await UploadAsync(entrant, files, "発表.pptx", Pptx(), "application/octet-stream");
        Assert.Equal(201, s3);
        Assert.Equal("application/vnd.openxmlformats-officedocument.presentationml.presentation", pptxView!["contentType"]!.GetValue<string>());
        var (bad, why) = await UploadAsync(entrant, files, "evil.png", "<html><script>alert(1)</script>"u8.ToArray(), "image/png");
        Assert.Equal(400, bad);
        Assert.Equal("file", why!["field"]!.GetValue<string>());
        Assert.StartsWith("添付できるのは PDF・PNG・JPEG・PowerPoint", why["error"]!.GetValue<string>());
        Assert.Single(Directory.EnumerateFiles(Path.Combine(app.DataDirectory, "uploads"), "企画書.pdf", SearchOption.AllDirectories));

        // another user can neither see the unscreened entry's files nor add to them; the team downloads and removes its own
        Assert.Equal(404, (await UploadAsync(other, files, "x.pdf", pdf, "application/pdf")).Status);
        Assert.Equal(404, (int)(await app.Anonymous().GetAsync(files, ct)).StatusCode);
        using (var download = await entrant.GetAsync(pdfView["url"]!.GetValue<string>(), ct))
        {
            Assert.Equal(200, (int)download.StatusCode);
            Assert.Equal("application/pdf", download.Content.Headers.ContentType!.MediaType);
            Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
            Assert.Equal(pdf, await download.Content.ReadAsByteArrayAsync(ct));
        }

        Assert.Equal(204, (int)(await entrant.DeleteAsync(pngView["url"]!.GetValue<string>(), ct)).StatusCode);
        Assert.Equal(2, (await entrant.GetJsonAsync(files)).AsArray().Count);
        var entryPage = await entrant.GetStringAsync($"/council/contests/{Slug}/entry/{entry}", ct);
        Assert.Contains(">企画書.pdf</a>", entryPage);
        Assert.Contains("id=\"upload-form\"", entryPage);

        // the same through the pages, without JavaScript: a draft saved with the entry form, then a file attached with the multipart form
        await app.CreateUserAsync("pageteam", password: "pass-team");
        var browser = app.Anonymous();
        await browser.LoginAsync("pageteam", "pass-team");
        var form = await browser.GetStringAsync($"/council/contests/{Slug}/entry", ct);
        using var draft = await browser.PostAsync($"/council/contests/{Slug}/entry", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Title"] = "紙の応募",
            ["Input.Category"] = "行政課題",
            ["submit"] = "draft",
            ["__RequestVerificationToken"] = CatalogFixtures.AntiforgeryToken(form),
        }), ct);
        Assert.Equal(302, (int)draft.StatusCode);
        var pageEntry = draft.Headers.Location!.OriginalString.Split("saved=")[1];
        var entryForm = await browser.GetStringAsync($"/council/contests/{Slug}/entry/{pageEntry}", ct);
        async Task<HttpResponseMessage> AttachAsync(string name, byte[] bytes)
        {
            using var multipart = new MultipartFormDataContent { { new StringContent(CatalogFixtures.AntiforgeryToken(entryForm)), "__RequestVerificationToken" }, { new ByteArrayContent(bytes), "file", name } };
            return await browser.PostAsync($"/council/contests/{Slug}/entry/{pageEntry}?handler=Upload", multipart, ct);
        }

        using (var attached = await AttachAsync("図.png", png))
        {
            Assert.Equal(302, (int)attached.StatusCode);
        }

        using (var refusedPage = await AttachAsync("図.pdf", "not a pdf"u8.ToArray()))
        {
            Assert.Equal(400, (int)refusedPage.StatusCode);
            Assert.Contains("添付できるのは PDF・PNG・JPEG・PowerPoint", await refusedPage.Content.ReadAsStringAsync(ct));
        }

        Assert.Contains(">図.png</a>", await browser.GetStringAsync($"/council/contests/{Slug}/entry/{pageEntry}", ct));

        // after the deadline nothing changes; the entry's judge and the secretariat download, another judge and the public do not
        await secretary.SetDatesAsync("2020-01-02", Future);
        var (closed, closedWhy) = await UploadAsync(entrant, files, "late.pdf", pdf, "application/pdf");
        Assert.Equal(400, closed);
        Assert.Contains("締切", closedWhy!["error"]!.GetValue<string>());
        Assert.DoesNotContain("id=\"upload-form\"", await entrant.GetStringAsync($"/council/contests/{Slug}/entry/{entry}", ct));
        Assert.Equal(200, (await secretary.PostJsonAsync($"/api/council/contests/{Slug}/entries/{entry}/screening", new { state = "accepted" })).Status);
        var judge = app.WithToken((await app.CreateEventUserAsync("judge1")).Token);
        var otherJudge = app.WithToken((await app.CreateEventUserAsync("judge2")).Token);
        Assert.Equal(204, (await secretary.PostJsonAsync($"/api/council/contests/{Slug}/entries/{entry}/judges", new { user = "judge1" })).Status);
        Assert.Equal(2, (await judge.GetJsonAsync(files)).AsArray().Count);
        Assert.Contains(">企画書.pdf</a>", await judge.GetStringAsync($"/council/contests/{Slug}/judge", ct));
        Assert.Equal(2, (await secretary.GetJsonAsync(files)).AsArray().Count);
        Assert.Equal(403, (int)(await otherJudge.GetAsync(files, ct)).StatusCode);
        Assert.Equal(403, (int)(await app.Anonymous().GetAsync(pdfView["url"]!.GetValue<string>(), ct)).StatusCode);

        // awarded, but the results are not published: still private; published: anyone downloads, the call page lists them
        Assert.Equal(201, (await secretary.PostJsonAsync($"/api/council/contests/{Slug}/awards", new { entry, name = "最優秀賞" })).Status);
        Assert.Equal(403, (int)(await app.Anonymous().GetAsync(files, ct)).StatusCode);
        Assert.DoesNotContain("企画書.pdf", await app.Anonymous().GetStringAsync($"/council/contests/{Slug}", ct));
        var publish = System.Text.Json.JsonSerializer.SerializeToNode(Body("2020-01-02", Future))!.AsObject();
        publish["publishResults"] = true;
        Assert.Equal(200, (await secretary.PutJsonAsync($"/api/council/contests/{Slug}", publish)).Status);

        using (var open = await app.Anonymous().GetAsync(pdfView["url"]!.GetValue<string>(), ct))
        {
            Assert.Equal(200, (int)open.StatusCode);
        }

        Assert.Contains(">企画書.pdf</a>", await app.Anonymous().GetStringAsync($"/council/contests/{Slug}", ct));
        var audit = (await secretary.GetJsonAsync("/api/council/audit")).AsArray();
        Assert.Equal(5, audit.Count(a => a!["entityType"]!.GetValue<string>() == "ContestEntryFile"));
    }

    private static async Task<(int Status, JsonNode? Body)> UploadAsync(HttpClient client, string url, string name, byte[] bytes, string type)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(type);
        form.Add(file, "file", name);
        using var r = await client.PostAsync(url, form);
        var text = await r.Content.ReadAsStringAsync();
        return ((int)r.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>The smallest zip PowerPoint's sniffing accepts: [Content_Types].xml and ppt/presentation.xml.</summary>
    private static byte[] Pptx()
    {
        using var ms = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(ms, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var name in new[] { "[Content_Types].xml", "ppt/presentation.xml" })
            {
                using var w = new StreamWriter(zip.CreateEntry(name).Open());
                w.Write("<?xml version=\"1.0\"?><x/>");
            }
        }

        return ms.ToArray();
    }

    [Theory, Databases]
    public async Task Entries_name_only_public_datasets_of_the_catalog(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("chiba", "千葉市");
        await app.Admin().OkAsync("package_create", CatalogFixtures.Dataset("chiba-aed", "chiba"));
        await app.Admin().OkAsync("package_create", CatalogFixtures.Dataset("chiba-secret", "chiba", isPrivate: true));
        var secretary = await app.SecretaryAsync();
        await secretary.CreateContestAsync();
        var entrant = app.WithToken((await app.CreateEventUserAsync("entrant")).Token);

        var (status, body) = await entrant.PostJsonAsync($"/api/council/contests/{Slug}/entries", new { title = "AEDマップ", category = "行政課題", datasets = "chiba-aed, chiba-secret、no-such" });
        Assert.Equal(400, status);
        Assert.Equal("datasets", body!["field"]!.GetValue<string>());
        Assert.Equal("データセット「chiba-secret、no-such」はカタログにありません（データセットのURL名で入力してください）。", body["error"]!.GetValue<string>());
        Assert.Equal(400, (await entrant.PostJsonAsync($"/api/council/contests/{Slug}/entries", new { title = "AEDマップ", category = "なし" })).Status);
        Assert.Equal(400, (await entrant.PostJsonAsync($"/api/council/contests/{Slug}/entries", new { title = "AEDマップ", category = "行政課題", links = "javascript:alert(1)" })).Status);
        Assert.Empty((await entrant.GetJsonAsync($"/api/council/contests/{Slug}/entries")).AsArray());

        var id = await entrant.EnterAsync("AEDマップ", datasets: "chiba-aed");
        Assert.Equal(["chiba-aed"], (await entrant.GetJsonAsync($"/api/council/contests/{Slug}/entries/{id}"))["datasets"]!.AsArray().Select(d => d!.GetValue<string>()));
    }
}

internal static class JsonGet
{
    public static async Task<(int Status, JsonNode? Body)> GetJsonAsync2(this HttpClient client, string url)
    {
        using var r = await client.GetAsync(url);
        var text = await r.Content.ReadAsStringAsync();
        return ((int)r.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }
}
