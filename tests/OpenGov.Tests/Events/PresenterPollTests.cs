using Microsoft.Extensions.DependencyInjection;
using OpenGov.Events;
using OpenGov.Storage;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Events;

public sealed class PresenterPollTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, Databases]
    public async Task Presenter_screen_shows_open_polls_and_the_leaderboard_and_streams_their_results(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateEventAsync("sym", new { questionCode = "q1" });
        string secret;
        using (var scope = app.Services.CreateScope())
        {
            secret = scope.ServiceProvider.GetRequiredService<OpenGovDb>().Set<Event>().Single(e => e.QuestionCode == "q1").PresenterSecret;
        }

        var (status, created) = await app.Admin().PostJsonAsync("/api/events/sym/polls", new { kind = "single", questionJa = "参加は何回目？", options = new[] { "初めて", "2回目以上" } });
        Assert.Equal(201, status);
        var poll = created!["poll"]!.GetValue<long>();
        var (_, draft) = await app.Admin().PostJsonAsync("/api/events/sym/polls", new { kind = "leaderboard", questionJa = "シビックパワーバトル 第1ラウンド", options = new[] { "千葉市", "福岡市" } });
        var contest = draft!["poll"]!.GetValue<long>();

        var html = await app.Anonymous().GetStringAsync($"/p/{secret}", Ct);
        Assert.DoesNotContain("参加は何回目？", html); // a draft poll is not on screen

        Assert.Equal(200, (await app.Admin().PostJsonAsync($"/api/events/sym/polls/{poll}/open")).Status);
        Assert.Equal(200, (await app.Admin().PostJsonAsync($"/api/events/sym/polls/{contest}/open")).Status);
        var polls = (await app.Anonymous().GetJsonAsync("/q/q1/api/polls"))["polls"]!.AsArray();
        var first = polls.Single(p => p!["id"]!.GetValue<long>() == poll)!["options"]![0]!["id"]!.GetValue<long>();
        var fukuoka = polls.Single(p => p!["id"]!.GetValue<long>() == contest)!["options"]![1]!["id"]!.GetValue<long>();
        Assert.Equal(200, (await app.Anonymous().PostJsonAsync($"/q/q1/api/polls/{contest}/answer", new { choices = new[] { fukuoka } })).Status);

        html = await app.Anonymous().GetStringAsync($"/p/{secret}", Ct);
        Assert.Contains("参加は何回目？", html);
        Assert.Contains($"data-poll-results=\"{poll}\"", html);
        Assert.Contains("投票ランキング", html);
        var board = html[html.IndexOf($"data-poll-results=\"{contest}\"", StringComparison.Ordinal)..];
        Assert.True(board.IndexOf("福岡市", StringComparison.Ordinal) < board.IndexOf("千葉市", StringComparison.Ordinal), "the leader first");

        // live: an answer reaches the presenter's stream with the new counts
        await using var sse = await EventsTestKit.SseReader.OpenAsync(app.Anonymous(), $"/p/{secret}/stream");
        Assert.Equal(200, (await app.Anonymous().PostJsonAsync($"/q/q1/api/polls/{poll}/answer", new { choices = new[] { first } })).Status);
        await sse.WaitForAsync(change => change["polls"]?.AsArray().Any(p =>
            p!["id"]!.GetValue<long>() == poll && p["counts"]!.AsArray().Any(c => c!["optionId"]!.GetValue<long>() == first && c["votes"]!.GetValue<int>() == 1)) == true);
    }
}
