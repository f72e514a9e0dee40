using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OpenGov.Hosting;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Council;

/// <summary>Helpers for contest tests: a contest with a two-line rubric, entrants, judges, moving the dates.</summary>
public static class ContestTestKit
{
    public const string Slug = "test-contest";
    public const string Future = "2099-01-01";

    public static object Body(string deadline = Future, string closes = "2099-12-31", string? ceremony = null, string slug = Slug) => new
    {
        slug,
        kind = "idea",
        title = "テストアイデアコンテスト",
        titleEn = "Test idea contest",
        rules = "## 応募要項\n- だれでも応募できます",
        categories = "行政課題\n地域の魅力",
        opens = "2020-01-01",
        deadline,
        judgingCloses = closes,
        ceremony,
        criteria = new object[] { new { name = "独自性", nameEn = "Originality", weight = 2, maxScore = 10 }, new { name = "実現性", nameEn = "Feasibility", weight = 1, maxScore = 5 } },
    };

    public static async Task<JsonNode> CreateContestAsync(this HttpClient secretary, object? body = null)
    {
        var (status, created) = await secretary.PostJsonAsync("/api/council/contests", body ?? Body());
        Assert.True(status == 201, $"create contest: {status} {created}");
        return created!;
    }

    /// <summary>Moves the contest's deadline and close of judging (the secretariat edits the call).</summary>
    public static async Task SetDatesAsync(this HttpClient secretary, string deadline, string closes, string? ceremony = null)
    {
        var (status, body) = await secretary.PutJsonAsync($"/api/council/contests/{Slug}", Body(deadline, closes, ceremony));
        Assert.True(status == 200, $"set dates: {status} {body}");
    }

    public static async Task<long> EnterAsync(this HttpClient entrant, string title, bool submit = true, string datasets = "")
    {
        var (status, body) = await entrant.PostJsonAsync($"/api/council/contests/{Slug}/entries",
            new { title, summary = title + "の概要", category = "行政課題", teamName = "チーム" + title, datasets, links = "https://example.jp/" + title.Length, members = "山田\n佐藤", submit });
        Assert.True(status == 201, $"enter: {status} {body}");
        return body!["id"]!.GetValue<long>();
    }

    public static async Task<long[]> CriteriaAsync(this HttpClient client) =>
        [.. (await client.GetJsonAsync($"/api/council/contests/{Slug}"))["criteria"]!.AsArray().Select(k => k!["id"]!.GetValue<long>())];

    public static async Task<(int Status, JsonNode? Body)> ScoreAsync(this HttpClient judge, long entry, long[] criteria, int first, int second, string comment = "講評")
    {
        var scores = new Dictionary<string, int> { [criteria[0].ToString()] = first, [criteria[1].ToString()] = second };
        return await judge.PutJsonAsync($"/api/council/contests/{Slug}/entries/{entry}/score", new { scores, comment });
    }

    public sealed record Judged(HttpClient Secretary, HttpClient Entrant, HttpClient Judge1, HttpClient Judge2, long Entry1, long Entry2, long[] Criteria);

    /// <summary>Two submitted entries, the deadline passed, both accepted; judge1 judges entry 1, judge2 both.</summary>
    public static async Task<Judged> JudgingAsync(this TestApp app, string? ceremony = null)
    {
        var secretary = await app.SecretaryAsync();
        await secretary.CreateContestAsync(Body(ceremony: ceremony));
        var entrant = app.WithToken((await app.CreateEventUserAsync("entrant")).Token);
        var other = app.WithToken((await app.CreateEventUserAsync("entrant2")).Token);
        var e1 = await entrant.EnterAsync("混雑予報");
        var e2 = await other.EnterAsync("人口ダッシュボード");
        await secretary.SetDatesAsync("2020-01-02", Future, ceremony);
        foreach (var e in new[] { e1, e2 })
        {
            Assert.Equal(200, (await secretary.PostJsonAsync($"/api/council/contests/{Slug}/entries/{e}/screening", new { state = "accepted" })).Status);
        }

        var judge1 = app.WithToken((await app.CreateEventUserAsync("judge1")).Token);
        var judge2 = app.WithToken((await app.CreateEventUserAsync("judge2")).Token);
        Assert.Equal(204, (await secretary.PostJsonAsync($"/api/council/contests/{Slug}/entries/{e1}/judges", new { user = "judge1" })).Status);
        Assert.Equal(204, (await secretary.PostJsonAsync($"/api/council/contests/{Slug}/entries/{e1}/judges", new { user = "judge2" })).Status);
        Assert.Equal(204, (await secretary.PostJsonAsync($"/api/council/contests/{Slug}/entries/{e2}/judges", new { user = "judge2" })).Status);
        return new Judged(secretary, entrant, judge1, judge2, e1, e2, await secretary.CriteriaAsync());
    }

    /// <summary>The seeders the demo contest needs (organizations, events, council, contest).</summary>
    public static Task SeedContestDemoAsync(this TestApp app) => app.SeedDemoAsync(0, 20, 30, 40);
}
