using OpenGov.Tests.Infrastructure;
using static OpenGov.Tests.Council.ContestTestKit;

namespace OpenGov.Tests.Council;

/// <summary>The audience vote on the events' polls, the exports, and the demo contest on its pages.</summary>
public sealed class ContestVoteAndExportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, Databases]
    public async Task The_audience_vote_is_a_poll_of_the_ceremony_event_with_one_vote_per_participant(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var ev = await app.CreateEventAsync("sym");
        var code = ev["questionCode"]?.GetValue<string>() ?? "q1";
        var j = await app.JudgingAsync(ceremony: "sym");

        var (status, created) = await j.Secretary.PostJsonAsync($"/api/council/contests/{Slug}/audience-vote", new { action = "create" });
        Assert.True(status == 200, $"create vote: {status} {created}");
        var pollId = created!["audiencePoll"]!.GetValue<long>();
        Assert.Equal(400, (await j.Secretary.PostJsonAsync($"/api/council/contests/{Slug}/audience-vote", new { action = "create" })).Status);
        Assert.Equal(403, (await j.Judge1.PostJsonAsync($"/api/council/contests/{Slug}/audience-vote", new { action = "open" })).Status);
        Assert.Equal(200, (await j.Secretary.PostJsonAsync($"/api/council/contests/{Slug}/audience-vote", new { action = "open" })).Status);

        // the event's own poll list and answer endpoint: the same machinery as any poll of the event
        var poll = (await app.Anonymous().GetJsonAsync($"/q/{code}/api/polls"))["polls"]!.AsArray().Single(p => p!["id"]!.GetValue<long>() == pollId)!;
        var options = poll["options"]!.AsArray();
        Assert.Equal(2, options.Count);
        Assert.Contains("人口ダッシュボード", options[1]!["labelJa"]!.GetValue<string>());
        var voter = app.Participant();
        Assert.Equal(200, (await voter.PostJsonAsync($"/q/{code}/api/polls/{pollId}/answer", new { choices = new[] { options[1]!["id"]!.GetValue<long>() } })).Status);
        var (second, refused) = await voter.PostJsonAsync($"/q/{code}/api/polls/{pollId}/answer", new { choices = new[] { options[0]!["id"]!.GetValue<long>() } });
        Assert.Equal(409, second);
        Assert.Contains("すでに回答", refused!["message_ja"]!.GetValue<string>());
        Assert.Equal(200, (await app.Participant().PostJsonAsync($"/q/{code}/api/polls/{pollId}/answer", new { choices = new[] { options[1]!["id"]!.GetValue<long>() } })).Status);

        var results = await app.Anonymous().GetJsonAsync($"/api/council/contests/{Slug}/results");
        Assert.Equal(2, results["audienceResponses"]!.GetValue<int>());
        Assert.Equal(2, results["ranking"]!.AsArray().Single(r => r!["entry"]!.GetValue<long>() == j.Entry2)!["audienceVotes"]!.GetValue<int>());
        Assert.Equal(0, results["ranking"]!.AsArray().Single(r => r!["entry"]!.GetValue<long>() == j.Entry1)!["audienceVotes"]!.GetValue<int>());
        Assert.Equal(200, (await j.Secretary.PostJsonAsync($"/api/council/contests/{Slug}/audience-vote", new { action = "close" })).Status);
        Assert.Contains((await j.Secretary.GetJsonAsync("/api/council/audit")).AsArray(), a => a!["entityType"]!.GetValue<string>() == "ContestAudienceVote" && a["action"]!.GetValue<string>() == "close");
    }

    [Theory, Databases]
    public async Task Entries_and_scores_export_to_csv_and_xlsx_for_the_secretariat_only(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var j = await app.JudgingAsync();
        Assert.Equal(200, (await j.Judge1.ScoreAsync(j.Entry1, j.Criteria, 10, 5, "=HYPERLINK(\"x\")")).Status);

        var csv = await j.Secretary.GetByteArrayAsync($"/api/council/contests/{Slug}/export/entries.csv", Ct);
        Assert.Equal([0xEF, 0xBB, 0xBF], csv[..3]);
        var text = System.Text.Encoding.UTF8.GetString(csv);
        Assert.StartsWith("\uFEFFentry_id,state,title,team", text);
        Assert.Contains("混雑予報", text);
        Assert.Contains("人口ダッシュボード", text);

        var scores = System.Text.Encoding.UTF8.GetString(await j.Secretary.GetByteArrayAsync($"/api/council/contests/{Slug}/export/scores.csv", Ct));
        Assert.Contains("judge1,独自性,2,10,10", scores);
        Assert.Contains("'=HYPERLINK", scores); // a comment is never a formula

        foreach (var kind in new[] { "entries", "scores" })
        {
            using var xlsx = await j.Secretary.GetAsync($"/api/council/contests/{Slug}/export/{kind}.xlsx", Ct);
            Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType!.MediaType);
            var bytes = await xlsx.Content.ReadAsByteArrayAsync(Ct);
            Assert.Equal((byte)'P', bytes[0]);
            Assert.Equal((byte)'K', bytes[1]);
        }

        Assert.Equal(403, (int)(await j.Judge1.GetAsync($"/api/council/contests/{Slug}/export/scores.csv", Ct)).StatusCode);
        Assert.Equal(401, (int)(await app.Anonymous().GetAsync($"/api/council/contests/{Slug}/export/entries.xlsx", Ct)).StatusCode);
    }

    [Theory, Databases]
    public async Task The_demo_contest_is_finished_with_judged_entries_an_audience_vote_and_awards_on_its_year_page(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.SeedContestDemoAsync();
        var client = app.Anonymous();

        var results = await client.GetJsonAsync("/api/council/contests/idea-contest-2020/results");
        Assert.True(results["scoresVisible"]!.GetValue<bool>());
        Assert.Equal("symposium-2020", results["ceremony"]!.GetValue<string>());
        var ranking = results["ranking"]!.AsArray();
        Assert.Equal(4, ranking.Count);
        Assert.Equal("混雑予報で受診相談をなめらかに", ranking[0]!["title"]!.GetValue<string>());
        Assert.All(ranking, r => Assert.Equal(2, r!["judges"]!.GetValue<int>()));
        Assert.Equal(144, results["audienceResponses"]!.GetValue<int>());
        Assert.Equal(["最優秀賞", "優秀賞", "オーディエンス賞"], results["awards"]!.AsArray().Select(a => a!["name"]!.GetValue<string>()));

        var year = await client.GetStringAsync("/council/year/2020", Ct);
        Assert.Contains("/council/contests/idea-contest-2020", year);
        Assert.Contains("最優秀賞：混雑予報で受診相談をなめらかに", year);
        var page = await client.GetStringAsync("/council/contests/idea-contest-2020/results", Ct);
        Assert.Contains("/event/symposium-2020", page);
        Assert.Contains("観客投票：144票", page);
        var en = await client.GetStringAsync("/council/contests/idea-contest-2020?lang=en", Ct);
        Assert.Contains("Open Data Idea Contest 2020", en);
        Assert.Contains("Rubric", en);
        Assert.DoesNotContain("（未完成）防災マップ", await client.GetStringAsync("/council/contests/idea-contest-2020", Ct));
    }

    [Theory, Databases]
    public async Task The_console_is_the_secretariats_and_the_judging_page_shows_a_judge_only_their_entries(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.SeedContestDemoAsync();
        var secretary = await app.SecretaryAsync();
        var console = await secretary.GetStringAsync("/council/contests/idea-contest-2020/console", Ct);
        Assert.Contains("/api/council/contests/idea-contest-2020/export/scores.xlsx", console);
        Assert.Contains("（未完成）防災マップ", console); // the secretariat sees the rejected entry too
        Assert.Contains("demo-judge2", console);

        var (_, token) = await app.CreateEventUserAsync("outsider");
        Assert.Equal(403, (int)(await app.WithToken(token).GetAsync("/council/contests/idea-contest-2020/console", Ct)).StatusCode);
        Assert.Equal(302, (int)(await app.Anonymous().GetAsync("/council/contests/mine", Ct)).StatusCode);
        var judging = await app.WithToken(token).GetStringAsync("/council/contests/idea-contest-2020/judge", Ct);
        Assert.Contains("割り当てられた応募はありません。", judging);
        Assert.DoesNotContain("混雑予報で受診相談をなめらかに", judging);
    }
}
