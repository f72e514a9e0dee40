using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OpenGov.Events;
using OpenGov.Storage;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Events;

/// <summary>The audience view /q/{code} as the event's own page, taking back votes, the own-question setting, the presenter's join code.</summary>
public sealed class AudienceViewTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(int Status, JsonNode? Body)> DeleteJsonAsync(HttpClient client, string url)
    {
        using var r = await client.DeleteAsync(url, Ct);
        var text = await r.Content.ReadAsStringAsync(Ct);
        return ((int)r.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private static async Task<int> VotesAsync(TestApp app, long id) =>
        (await app.PublicQuestionsAsync("q1")).Single(q => q!["id"]!.GetValue<long>() == id)!["votes"]!.GetValue<int>();

    [Theory, Databases]
    public async Task Audience_view_is_the_events_own_page_with_its_title_and_language_switch_and_no_catalog_menu(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateEventAsync("sym", new { questionCode = "q1" });
        using var r = await app.Anonymous().GetAsync("/q/q1", Ct);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var page = await r.Content.ReadAsStringAsync(Ct);
        Assert.Contains("<html lang=\"ja\"", page);
        Assert.Contains("class=\"ev-audience-header\"", page);
        Assert.Contains("テストシンポジウム", page);
        Assert.Contains("href=\"/lang/en?returnUrl=", page);
        Assert.DoesNotContain("href=\"/dataset\"", page); // no catalog menu
        Assert.DoesNotContain("href=\"/council\"", page);
        Assert.DoesNotContain("ページを更新してください", page);

        var en = await app.Anonymous().GetStringAsync("/q/q1?lang=en", Ct);
        Assert.Contains("<html lang=\"en\"", en);
        Assert.Contains("Test symposium", en);
        Assert.Contains("href=\"/lang/ja?returnUrl=", en);
    }

    [Theory, Databases]
    public async Task Audience_view_with_polls_of_every_kind_and_state_answers_200_in_Japanese_and_English(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateEventAsync("sym", new { questionCode = "q1" });
        var single = await app.CreatePollAsync(new { kind = "single", questionJa = "参加は何回目？", options = new[] { "初めて", "2回目以上" } });
        await app.CreatePollAsync(new { kind = "multiple", questionJa = "関心のある分野", options = new[] { "防災", "福祉" } });
        await app.CreatePollAsync(new { kind = "rating", questionJa = "満足度", maxRating = 5 });
        await app.CreatePollAsync(new { kind = "words", questionJa = "ひとことで" });
        await app.CreatePollAsync(new { kind = "leaderboard", questionJa = "シビックパワーバトル", options = new[] { "千葉市", "福岡市" } });
        await app.CreatePollAsync(new { kind = "single", questionJa = "下書きの設問", options = new[] { "a", "b" } }, open: false);
        var closed = await app.CreatePollAsync(new { kind = "single", questionJa = "締め切った設問", options = new[] { "x", "y" } });
        Assert.Equal(200, (await app.Admin().PostJsonAsync($"/api/events/sym/polls/{closed}/close")).Status);
        var phone = app.Participant();
        var first = (await app.OptionIdsAsync(single))[0];
        Assert.Equal(200, (await phone.PostJsonAsync($"/q/q1/api/polls/{single}/answer", new { choices = new[] { first } })).Status);

        foreach (var lang in new[] { "", "?lang=en" })
        {
            using var r = await phone.GetAsync("/q/q1" + lang, Ct);
            var page = await r.Content.ReadAsStringAsync(Ct);
            Assert.True(r.StatusCode == HttpStatusCode.OK, $"/q/q1{lang}: {(int)r.StatusCode} {page[..Math.Min(page.Length, 2000)]}");
            Assert.Contains("id=\"ev-polls\"", page);
            Assert.Contains($"data-poll=\"{single}\"", page);
            Assert.Contains("シビックパワーバトル", page);
            Assert.DoesNotContain("下書きの設問", page);
        }
    }

    [Theory, Databases]
    public async Task A_new_poll_reaches_the_audience_stream_and_the_page_has_its_form_without_a_reload_message(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateEventAsync("sym", new { questionCode = "q1" });
        await using var sse = await EventsTestKit.SseReader.OpenAsync(app.Anonymous(), "/q/q1/stream");
        var poll = await app.CreatePollAsync(new { kind = "single", questionJa = "新しい設問", options = new[] { "はい", "いいえ" } });
        await sse.WaitForAsync(change => change["polls"]?.AsArray().Any(p => p!["id"]!.GetValue<long>() == poll && p["state"]!.GetValue<string>() == "open") == true);

        // what the page's script fetches to add the poll: its section with the answer form
        var page = await app.Anonymous().GetStringAsync("/q/q1", Ct);
        var polls = page[page.IndexOf("id=\"ev-polls\"", StringComparison.Ordinal)..];
        Assert.Contains($"data-poll=\"{poll}\"", polls);
        Assert.Contains("handler=Poll", polls);
        Assert.DoesNotContain("ページを更新", page);
        var script = await app.Anonymous().GetStringAsync("/js/events.js", Ct);
        Assert.Contains("refreshPolls", script);
    }

    [Theory, Databases]
    public async Task A_vote_can_be_taken_back_through_the_api(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateEventAsync("sym", new { questionCode = "q1" });
        var asker = app.Participant();
        var id = await asker.AskAsync("q1", "取り消せる投票");
        var voter = app.Participant();

        Assert.Equal(200, (await voter.PostJsonAsync($"/q/q1/api/questions/{id}/vote")).Status);
        Assert.Equal(1, await VotesAsync(app, id));

        await using var sse = await EventsTestKit.SseReader.OpenAsync(app.Anonymous(), "/q/q1/stream");
        var (status, body) = await DeleteJsonAsync(voter, $"/q/q1/api/questions/{id}/vote");
        Assert.Equal(200, status);
        Assert.Equal(0, body!["question"]!["votes"]!.GetValue<int>());
        Assert.Equal(0, await VotesAsync(app, id));
        await sse.WaitForAsync(change => change["questions"]?.AsArray().Any(q => q!["id"]!.GetValue<long>() == id && q["votes"]!.GetValue<int>() == 0) == true);

        (status, body) = await DeleteJsonAsync(voter, $"/q/q1/api/questions/{id}/vote");
        Assert.Equal(409, status);
        Assert.Equal("not_voted", body!["error"]!.GetValue<string>());
        Assert.Equal("この質問には投票していません。", body["message_ja"]!.GetValue<string>());

        // and vote again
        Assert.Equal(200, (await voter.PostJsonAsync($"/q/q1/api/questions/{id}/vote")).Status);
        Assert.Equal(1, await VotesAsync(app, id));
        using (var scope = app.Services.CreateScope())
        {
            Assert.Equal(1, scope.ServiceProvider.GetRequiredService<OpenGovDb>().Set<QuestionVote>().Count(v => v.QuestionId == id));
        }
    }

    [Theory, Databases]
    public async Task A_vote_can_be_taken_back_without_javascript(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateEventAsync("sym", new { questionCode = "q1" });
        var id = await app.Participant().AskAsync("q1", "フォームで取り消す");
        var phone = app.Anonymous();
        var page = await phone.GetStringAsync("/q/q1", Ct);
        using var vote = await phone.PostAsync($"/q/q1?handler=Vote&id={id}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = EventsTestKit.Antiforgery(page),
            ["Idem"] = "v-1",
        }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, vote.StatusCode);
        var after = await phone.GetStringAsync(vote.Headers.Location!.ToString(), Ct);
        Assert.Contains($"?id={id}&amp;handler=Unvote", after);
        Assert.Contains("投票を取り消す", after);

        using var unvote = await phone.PostAsync($"/q/q1?handler=Unvote&id={id}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = EventsTestKit.Antiforgery(after),
            ["Idem"] = "v-2",
        }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, unvote.StatusCode);
        Assert.Equal(0, await VotesAsync(app, id));
        var done = await phone.GetStringAsync(unvote.Headers.Location!.ToString(), Ct);
        Assert.Contains("投票を取り消しました。", done);
        Assert.Contains($"?id={id}&amp;handler=Vote", done);
    }

    [Theory, Databases]
    public async Task Voting_for_ones_own_question_is_an_event_setting_stored_and_enforced_in_Japanese_and_English(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateEventAsync("sym", new { questionCode = "q1" });
        var asker = app.Participant();
        var first = await asker.AskAsync("q1", "自分の質問その1");
        Assert.True((await app.Admin().GetJsonAsync("/api/events/sym"))["voteOwnQuestion"]!.GetValue<bool>()); // allowed by default
        Assert.Equal(200, (await asker.PostJsonAsync($"/q/q1/api/questions/{first}/vote")).Status);

        using (var put = await app.Admin().SendAsync(new HttpRequestMessage(HttpMethod.Put, "/api/events/sym/settings") { Content = JsonContent.Create(new { voteOwnQuestion = false }) }, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        Assert.False((await app.Admin().GetJsonAsync("/api/events/sym"))["voteOwnQuestion"]!.GetValue<bool>());
        using (var scope = app.Services.CreateScope())
        {
            Assert.False(scope.ServiceProvider.GetRequiredService<OpenGovDb>().Set<Event>().Single(e => e.Slug == "sym").VoteOwnQuestion);
        }

        var second = await asker.AskAsync("q1", "自分の質問その2");
        var (status, body) = await asker.PostJsonAsync($"/q/q1/api/questions/{second}/vote");
        Assert.Equal(409, status);
        Assert.Equal("own_question", body!["error"]!.GetValue<string>());
        Assert.Equal("自分の質問には投票できません。", body["message_ja"]!.GetValue<string>());
        Assert.Equal("Participants may not vote for their own question in this event.", body["message"]!.GetValue<string>());
        Assert.Equal(200, (await app.Participant().PostJsonAsync($"/q/q1/api/questions/{second}/vote")).Status); // others may

        // the moderator console shows the setting (off now) in its settings form
        var console = await app.Admin().GetStringAsync("/event/sym/moderate", Ct);
        Assert.Contains("<input type=\"checkbox\" name=\"voteOwnQuestion\" value=\"true\" >", console);

        using (var put = await app.Admin().SendAsync(new HttpRequestMessage(HttpMethod.Put, "/api/events/sym/settings") { Content = JsonContent.Create(new { voteOwnQuestion = true }) }, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        Assert.Contains("name=\"voteOwnQuestion\" value=\"true\" checked>", await app.Admin().GetStringAsync("/event/sym/moderate", Ct));
        var third = await asker.AskAsync("q1", "自分の質問その3");
        Assert.Equal(200, (await asker.PostJsonAsync($"/q/q1/api/questions/{third}/vote")).Status);
    }

    private static async Task PutSettingsAsync(TestApp app, object settings)
    {
        using var put = await app.Admin().SendAsync(new HttpRequestMessage(HttpMethod.Put, "/api/events/sym/settings") { Content = JsonContent.Create(settings) }, Ct);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
    }

    [Theory, Databases]
    public async Task Where_the_event_forbids_voting_for_ones_own_question_the_poster_sees_no_vote_button_on_it_also_without_javascript(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateEventAsync("sym", new { questionCode = "q1" });
        await PutSettingsAsync(app, new { voteOwnQuestion = false });
        var others = await app.Participant().AskAsync("q1", "ほかの人の質問");

        // a phone without script posts through the page's form
        var phone = app.Anonymous();
        var page = await phone.GetStringAsync("/q/q1", Ct);
        using var ask = await phone.PostAsync("/q/q1?handler=Ask", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = EventsTestKit.Antiforgery(page),
            ["Text"] = "自分の質問",
            ["Idem"] = "a-1",
        }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, ask.StatusCode);
        var own = (await app.PublicQuestionsAsync("q1")).Single(q => q!["text"]!.GetValue<string>() == "自分の質問")!["id"]!.GetValue<long>();

        var after = await phone.GetStringAsync(ask.Headers.Location!.ToString(), Ct);
        Assert.Contains($"?id={others}&amp;handler=Vote", after);
        Assert.DoesNotContain($"?id={own}&amp;handler=Vote", after);
        Assert.Contains("<span class=\"ev-own-label\">あなたの質問</span>", after);
        Assert.Contains($"\"own\":[{own}]", after); // the live view's script knows it too
        Assert.Contains("\"ownVotes\":false", after);
        Assert.Contains("Your question", await phone.GetStringAsync("/q/q1?lang=en", Ct));

        // others still see a vote button on it
        var stranger = await app.Anonymous().GetStringAsync("/q/q1", Ct);
        Assert.Contains($"?id={own}&amp;handler=Vote", stranger);
        Assert.DoesNotContain("ev-own-label", stranger);

        // a vote sent from an old page is still refused, in the page's language
        using var vote = await phone.PostAsync($"/q/q1?handler=Vote&id={own}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = EventsTestKit.Antiforgery(after),
            ["Idem"] = "v-1",
        }), Ct);
        Assert.Equal(HttpStatusCode.Conflict, vote.StatusCode);
        Assert.Contains("自分の質問には投票できません。", await vote.Content.ReadAsStringAsync(Ct));

        // when the event allows it again, the button is back
        await PutSettingsAsync(app, new { voteOwnQuestion = true });
        var allowed = await phone.GetStringAsync("/q/q1", Ct);
        Assert.Contains($"?id={own}&amp;handler=Vote", allowed);
        Assert.DoesNotContain("ev-own-label", allowed);
        Assert.Contains($"\"own\":[{own}]", allowed); // the script still knows them, for a change of the setting
        Assert.Contains("\"ownVotes\":true", allowed);
    }

    [Theory, Databases]
    public async Task A_change_of_the_own_question_setting_reaches_open_audience_pages_through_the_live_stream(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateEventAsync("sym", new { questionCode = "q1" });
        await using var viewer = await EventsTestKit.SseReader.OpenAsync(app.Anonymous(), "/q/q1/stream");

        await PutSettingsAsync(app, new { voteOwnQuestion = false });
        await viewer.WaitForAsync(change => change["voteOwnQuestion"]?.GetValue<bool>() == false);
        await PutSettingsAsync(app, new { voteOwnQuestion = true });
        await viewer.WaitForAsync(change => change["voteOwnQuestion"]?.GetValue<bool>() == true);

        // a change that is not the settings' says nothing about it
        await app.Participant().AskAsync("q1", "設定と関係のない質問");
        var (_, asked) = await viewer.WaitForAsync(change => EventsTestKit.HasQuestion(change, "設定と関係のない質問"));
        Assert.False(asked.AsObject().ContainsKey("voteOwnQuestion"));
    }

    [Theory, Databases]
    public async Task English_mode_marks_Japanese_content_with_lang_ja_and_vote_buttons_carry_their_visible_text(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateEventAsync("sym", new { questionCode = "q1", titleEn = "" });
        await app.Participant().AskAsync("q1", "日本語の質問です");
        await app.CreatePollAsync(new { kind = "single", questionJa = "参加は何回目？", options = new[] { "初めて", "2回目以上" } });

        var en = await app.Anonymous().GetStringAsync("/q/q1?lang=en", Ct);
        Assert.Contains("lang=\"ja\">テストシンポジウム", en); // the title has no English: marked
        Assert.Contains("lang=\"ja\">日本語の質問です", en);
        Assert.Contains("lang=\"ja\">参加は何回目？", en);
        Assert.Contains("lang=\"ja\">初めて", en);

        var ja = await app.Anonymous().GetStringAsync("/q/q1", Ct);
        Assert.DoesNotContain("lang=\"ja\">日本語の質問です", ja); // the page is Japanese already

        // the vote button's name is its visible text (▲ hidden) followed by the hidden words: no aria-label to disagree with it
        var button = ja[ja.IndexOf("class=\"ev-vote\"", StringComparison.Ordinal)..];
        button = button[..button.IndexOf("</form>", StringComparison.Ordinal)];
        Assert.DoesNotContain("aria-label", button);
        Assert.Contains("<span class=\"ev-votes\">0</span>", button);
        Assert.Contains("この質問に投票する", button);

        var detail = await app.Anonymous().GetStringAsync("/event/sym?lang=en", Ct);
        Assert.Contains("lang=\"ja\"", detail);
    }

    [Theory, Databases]
    public async Task Presenter_screen_shows_a_large_join_code_the_QR_code_of_the_question_url_and_a_full_screen_button(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateEventAsync("sym", new { questionCode = "q1" });
        string secret;
        using (var scope = app.Services.CreateScope())
        {
            secret = scope.ServiceProvider.GetRequiredService<OpenGovDb>().Set<Event>().Single(e => e.QuestionCode == "q1").PresenterSecret;
        }

        var html = await app.Anonymous().GetStringAsync($"/p/{secret}", Ct);
        Assert.Contains("<p class=\"ev-p-code\">q1</p>", html);
        Assert.Contains("src=\"/q/q1/qr.svg\"", html);
        Assert.Contains("alt=\"質問ページのQRコード\"", html);
        Assert.Contains("id=\"ev-fullscreen\"", html);
        Assert.Contains("/q/q1</p>", html);
        using var qr = await app.Anonymous().GetAsync("/q/q1/qr.svg", Ct);
        Assert.Equal(HttpStatusCode.OK, qr.StatusCode);

        var en = await app.Anonymous().GetStringAsync($"/p/{secret}?lang=en", Ct);
        Assert.Contains("Full screen", en);
    }
}
