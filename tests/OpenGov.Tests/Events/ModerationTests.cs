using System.Text.Json.Nodes;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Events;

public sealed class ModerationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonArray> ModQuestionsAsync(HttpClient mod, string slug) =>
        (await mod.GetJsonAsync($"/api/events/{slug}/questions"))["questions"]!.AsArray();

    [Theory, Databases]
    public async Task Moderator_actions_need_the_moderator_role_of_that_event(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateEventAsync("sym", new { questionCode = "q1" });
        await app.CreateEventAsync("other", new { questionCode = "q2" });
        var id = await app.Anonymous().AskAsync("q1", "質問");
        var panelist = await app.StaffAsync("sym", "mayor", "panelist");
        var otherMod = await app.StaffAsync("other", "othermod");
        var mod = await app.StaffAsync("sym", "mod");

        Assert.Equal(401, (await app.Anonymous().PostJsonAsync($"/api/events/sym/questions/{id}/dismiss")).Status);
        Assert.Equal(403, (await panelist.PostJsonAsync($"/api/events/sym/questions/{id}/dismiss")).Status);
        Assert.Equal(403, (await otherMod.PostJsonAsync($"/api/events/sym/questions/{id}/dismiss")).Status);
        Assert.Equal(403, (await otherMod.PostJsonAsync("/api/events/sym/moderators", new { user = "othermod", role = "moderator" })).Status);
        Assert.Equal(403, (int)(await panelist.GetAsync("/event/sym/moderate", Ct)).StatusCode);
        Assert.Equal(403, (int)(await panelist.GetAsync("/event/sym/export/questions.csv", Ct)).StatusCode);
        Assert.Equal(403, (int)(await panelist.GetAsync("/api/events/sym/stream", Ct)).StatusCode);
        Assert.Single(await app.PublicQuestionsAsync("q1"));

        Assert.Equal(200, (await mod.PostJsonAsync($"/api/events/sym/questions/{id}/dismiss")).Status);
        Assert.Empty(await app.PublicQuestionsAsync("q1"));
        Assert.Equal(400, (await mod.PostJsonAsync($"/api/events/sym/questions/{id}/explode")).Status);
        Assert.Equal(404, (await mod.PostJsonAsync("/api/events/sym/questions/424242/approve")).Status);
        var console = await mod.GetStringAsync("/event/sym/moderate", Ct);
        Assert.Contains("モデレータ画面", console);
    }

    [Theory, Databases]
    public async Task Pre_moderation_holds_questions_until_approved_and_NG_words_always_hold(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateEventAsync("sym", new { questionCode = "q1", ngWords = new[] { "ばか" } });
        var mod = app.Admin();
        var viewer = app.Anonymous();
        var ng = await viewer.AskAsync("q1", "ＢＡＫＡ？　いや、ばかげた質問です");
        Assert.Empty(await app.PublicQuestionsAsync("q1"));
        Assert.Equal("held", (await ModQuestionsAsync(mod, "sym")).Single()!["state"]!.GetValue<string>());

        Assert.Equal(200, (await mod.SendAsync(new HttpRequestMessage(HttpMethod.Put, "/api/events/sym/settings") { Content = System.Net.Http.Json.JsonContent.Create(new { preModeration = true }) }, Ct)).StatusCode is System.Net.HttpStatusCode.OK ? 200 : 0);
        var pending = await viewer.AskAsync("q1", "普通の質問");
        Assert.Empty(await app.PublicQuestionsAsync("q1"));
        Assert.Equal(200, (await mod.PostJsonAsync($"/api/events/sym/questions/{pending}/approve")).Status);
        var pub = await app.PublicQuestionsAsync("q1");
        Assert.Equal(pending, pub.Single()!["id"]!.GetValue<long>());
        Assert.Equal(200, (await mod.PostJsonAsync($"/api/events/sym/questions/{ng}/edit", new { text = "編集後の質問" })).Status);
        Assert.Equal(400, (await mod.PostJsonAsync($"/api/events/sym/questions/{ng}/edit", new { text = "" })).Status);
        Assert.Contains(await ModQuestionsAsync(mod, "sym"), q => q!["text"]!.GetValue<string>() == "編集後の質問");
    }

    [Theory, Databases]
    public async Task Merging_duplicates_combines_votes_without_counting_a_participant_twice(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateEventAsync("sym", new { questionCode = "q1" });
        var mod = app.Admin();
        var authorA = app.Anonymous();
        var authorB = app.Anonymous();
        var a = await authorA.AskAsync("q1", "オープンデータの予算は？");
        var b = await authorB.AskAsync("q1", "オープンデータの予算はいくら？");
        var both = app.Anonymous();
        var onlyB = app.Anonymous();
        await both.PostJsonAsync($"/q/q1/api/questions/{a}/vote");
        await both.PostJsonAsync($"/q/q1/api/questions/{b}/vote");
        await onlyB.PostJsonAsync($"/q/q1/api/questions/{b}/vote");
        await authorA.PostJsonAsync($"/q/q1/api/questions/{b}/vote");

        var (status, _) = await mod.PostJsonAsync($"/api/events/sym/questions/{b}/merge", new { into = a });
        Assert.Equal(200, status);
        var pub = await app.PublicQuestionsAsync("q1");
        var merged = Assert.Single(pub);
        // voters of a: both; of b: both, onlyB, authorA; plus b's author: {both, onlyB, authorA, authorB} = 4
        Assert.Equal(4, merged!["votes"]!.GetValue<int>());
        Assert.Equal(409, (await onlyB.PostJsonAsync($"/q/q1/api/questions/{a}/vote")).Status);
        Assert.Equal(409, (await mod.PostJsonAsync($"/api/events/sym/questions/{b}/approve")).Status);
        Assert.Equal(400, (await mod.PostJsonAsync($"/api/events/sym/questions/{a}/merge", new { into = a })).Status);
    }

    [Theory, Databases]
    public async Task Highlight_is_one_at_a_time_and_answered_pinned_states_show_publicly(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var ev = await app.CreateEventAsync("sym", new { questionCode = "q1" });
        var mod = app.Admin();
        var viewer = app.Anonymous();
        var a = await viewer.AskAsync("q1", "最初の質問");
        var b = await viewer.AskAsync("q1", "二番目の質問");
        await mod.PostJsonAsync($"/api/events/sym/questions/{a}/highlight");
        await mod.PostJsonAsync($"/api/events/sym/questions/{b}/highlight");
        await mod.PostJsonAsync($"/api/events/sym/questions/{a}/answer");
        await mod.PostJsonAsync($"/api/events/sym/questions/{a}/pin");
        var pub = await app.PublicQuestionsAsync("q1");
        Assert.Single(pub, q => q!["highlighted"]!.GetValue<bool>());
        Assert.True(pub.Single(q => q!["id"]!.GetValue<long>() == b)!["highlighted"]!.GetValue<bool>());
        var qa = pub.Single(q => q!["id"]!.GetValue<long>() == a)!;
        Assert.True(qa["answered"]!.GetValue<bool>());
        Assert.True(qa["pinned"]!.GetValue<bool>());
        Assert.Equal(a, pub[0]!["id"]!.GetValue<long>()); // pinned first

        var presenterUrl = new Uri(ev["presenterUrl"]!.GetValue<string>()).AbsolutePath;
        var presenter = await app.Anonymous().GetStringAsync(presenterUrl, Ct);
        Assert.Contains("二番目の質問", presenter);
        Assert.Contains("ev-presenter", presenter);
        var page = await viewer.GetStringAsync("/q/q1", Ct);
        Assert.Contains("画面に表示中", page);
        Assert.Contains("回答済み", page);
    }

    [Theory, Databases]
    public async Task A_banned_participant_can_neither_post_nor_vote(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateEventAsync("sym", new { questionCode = "q1" });
        var troll = app.Anonymous();
        var id = await troll.AskAsync("q1", "荒らし");
        var good = await app.Anonymous().AskAsync("q1", "良い質問");
        Assert.Equal(200, (await app.Admin().PostJsonAsync("/api/events/sym/bans", new { question = id })).Status);
        Assert.Equal(403, (await troll.PostJsonAsync("/q/q1/api/questions", new { text = "また" })).Status);
        Assert.Equal(403, (await troll.PostJsonAsync($"/q/q1/api/questions/{good}/vote")).Status);
        Assert.Equal(good, Assert.Single(await app.PublicQuestionsAsync("q1"))!["id"]!.GetValue<long>());
        Assert.Equal(400, (await app.Admin().PostJsonAsync("/api/events/sym/bans", new { })).Status);
    }

    [Theory, Databases]
    public async Task Moderators_sort_by_votes_or_time(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateEventAsync("sym", new { questionCode = "q1" });
        var old = await app.Anonymous().AskAsync("q1", "古い");
        var popular = await app.Anonymous().AskAsync("q1", "人気");
        var newest = await app.Anonymous().AskAsync("q1", "新しい");
        await app.Anonymous().PostJsonAsync($"/q/q1/api/questions/{popular}/vote");
        var byVotes = (await app.Admin().GetJsonAsync("/api/events/sym/questions?sort=votes"))["questions"]!.AsArray().Select(q => q!["id"]!.GetValue<long>()).ToList();
        var byTime = (await app.Admin().GetJsonAsync("/api/events/sym/questions?sort=time"))["questions"]!.AsArray().Select(q => q!["id"]!.GetValue<long>()).ToList();
        Assert.Equal([popular, old, newest], byVotes);
        Assert.Equal([newest, popular, old], byTime);
    }
}
