using System.Net;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Events;

public sealed class QuestionTests
{
    [Theory, Databases]
    public async Task Participant_posts_anonymously_or_with_name_and_sees_approved_questions(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateEventAsync("sym", new { questionCode = "q1" });
        var viewer = app.Anonymous();
        await viewer.AskAsync("q1", "  オープンデータの今後は？  ");
        var (status, body) = await viewer.PostJsonAsync("/q/q1/api/questions", new { text = "行政のDXは？", name = "山田", affiliation = "つくば市民" });
        Assert.Equal(200, status);
        Assert.Equal("山田", body!["question"]!["name"]!.GetValue<string>());

        var qs = await app.PublicQuestionsAsync("q1");
        Assert.Equal(2, qs.Count);
        Assert.Contains(qs, q => q!["text"]!.GetValue<string>() == "オープンデータの今後は？" && q["name"]!.GetValue<string>() == "");
        Assert.All(qs, q => Assert.Null(q!["participant"])); // participant ids stay with moderators
    }

    [Theory, Databases]
    public async Task Empty_oversized_and_script_questions_are_refused_or_shown_escaped(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateEventAsync("sym", new { questionCode = "q1" });
        var viewer = app.Anonymous();
        var (status, body) = await viewer.PostJsonAsync("/q/q1/api/questions", new { text = "   \n " });
        Assert.Equal(400, status);
        Assert.Equal("質問を入力してください。", body!["message_ja"]!.GetValue<string>());
        (status, _) = await viewer.PostJsonAsync("/q/q1/api/questions", new { text = new string('あ', 501) });
        Assert.Equal(400, status);
        (status, _) = await viewer.PostJsonAsync("/q/q1/api/questions", new { text = new string('あ', 500) });
        Assert.Equal(200, status);
        (status, _) = await viewer.PostJsonAsync("/q/q1/api/questions", "not an object");
        Assert.Equal(400, status);

        await viewer.AskAsync("q1", "<script>alert(1)</script>");
        var page = await app.Anonymous().GetStringAsync("/q/q1", Ct);
        Assert.DoesNotContain("<script>alert(1)</script>", page);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page);
        Assert.Equal(2, (await app.PublicQuestionsAsync("q1")).Count);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, Databases]
    public async Task A_participant_votes_once_and_a_repeated_vote_counts_nothing(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateEventAsync("sym", new { questionCode = "q1" });
        var id = await app.Anonymous().AskAsync("q1", "質問");
        var a = app.Anonymous();
        var b = app.Anonymous();
        Assert.Equal(200, (await a.PostJsonAsync($"/q/q1/api/questions/{id}/vote")).Status);
        var (status, body) = await a.PostJsonAsync($"/q/q1/api/questions/{id}/vote");
        Assert.Equal(409, status);
        Assert.Equal("already_voted", body!["error"]!.GetValue<string>());
        Assert.Equal(200, (await b.PostJsonAsync($"/q/q1/api/questions/{id}/vote")).Status);
        Assert.Equal(2, (await app.PublicQuestionsAsync("q1"))[0]!["votes"]!.GetValue<int>());
        Assert.Equal(404, (await a.PostJsonAsync("/q/q1/api/questions/999999/vote")).Status);
    }

    [Theory, Databases]
    public async Task Replayed_idempotency_keys_count_once(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateEventAsync("sym", new { questionCode = "q1" });
        var viewer = app.Anonymous();
        var first = await viewer.PostJsonAsync("/q/q1/api/questions", new { text = "一度だけ" }, "key-1");
        var again = await viewer.PostJsonAsync("/q/q1/api/questions", new { text = "一度だけ" }, "key-1");
        Assert.Equal(200, again.Status);
        Assert.Equal(first.Body!.ToJsonString(), again.Body!.ToJsonString());
        Assert.Single(await app.PublicQuestionsAsync("q1"));

        var id = first.Body!["question"]!["id"]!.GetValue<long>();
        var voter = app.Anonymous();
        (await voter.GetAsync("/q/q1", Ct)).Dispose(); // the page gives the participant cookie
        var tasks = Enumerable.Range(0, 5).Select(_ => voter.PostJsonAsync($"/q/q1/api/questions/{id}/vote", null, "vote-key")).ToList();
        var results = await Task.WhenAll(tasks);
        Assert.All(results, r => Assert.Equal(200, r.Status));
        Assert.Equal(1, (await app.PublicQuestionsAsync("q1"))[0]!["votes"]!.GetValue<int>());
    }

    [Theory, Databases]
    public async Task Vote_and_question_floods_are_rate_limited_per_participant(Db db)
    {
        await using var app = await TestApp.StartAsync(db, new Dictionary<string, string?>
        {
            ["OpenGov:Events:VoteBurst"] = "3",
            ["OpenGov:Events:VotesPerMinute"] = "6",
            ["OpenGov:Events:QuestionBurst"] = "2",
        });
        await app.CreateEventAsync("sym", new { questionCode = "q1" });
        var flooder = app.Anonymous();
        var ids = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add(await app.Anonymous().AskAsync("q1", "質問" + i));
        }

        var statuses = new List<int>();
        foreach (var id in ids)
        {
            statuses.Add((await flooder.PostJsonAsync($"/q/q1/api/questions/{id}/vote")).Status);
        }

        Assert.Equal([200, 200, 200, 429, 429, 429], statuses);
        Assert.Equal(200, (await app.Anonymous().PostJsonAsync($"/q/q1/api/questions/{ids[5]}/vote")).Status); // others unaffected

        Assert.Equal(200, (await flooder.PostJsonAsync("/q/q1/api/questions", new { text = "a" })).Status);
        Assert.Equal(200, (await flooder.PostJsonAsync("/q/q1/api/questions", new { text = "b" })).Status);
        var (status, body) = await flooder.PostJsonAsync("/q/q1/api/questions", new { text = "c" });
        Assert.Equal(429, status);
        Assert.Contains("しばらく待って", body!["message_ja"]!.GetValue<string>());
    }

    [Theory, Databases]
    public async Task Question_page_works_without_javascript(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateEventAsync("sym", new { questionCode = "q1" });
        var phone = app.Anonymous();
        var page = await phone.GetStringAsync("/q/q1", Ct);
        var token = EventsTestKit.Antiforgery(page);
        using var post = await phone.PostAsync("/q/q1?handler=Ask", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["Text"] = "フォームからの質問",
            ["AuthorName"] = "佐藤",
            ["Idem"] = "form-1",
        }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        var after = await phone.GetStringAsync(post.Headers.Location!.ToString(), Ct);
        Assert.Contains("フォームからの質問", after);
        Assert.Contains("質問を投稿しました。", after);

        var id = (await app.PublicQuestionsAsync("q1"))[0]!["id"]!.GetValue<long>();
        using var vote = await phone.PostAsync($"/q/q1?handler=Vote&id={id}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = EventsTestKit.Antiforgery(after),
            ["Idem"] = "form-2",
        }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, vote.StatusCode);
        Assert.Equal(1, (await app.PublicQuestionsAsync("q1"))[0]!["votes"]!.GetValue<int>());

        using var empty = await phone.PostAsync("/q/q1?handler=Ask", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = EventsTestKit.Antiforgery(after),
            ["Text"] = " ",
        }), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("質問を入力してください。", await empty.Content.ReadAsStringAsync(Ct));
    }

    [Theory, Databases]
    public async Task Participant_cookie_is_http_only(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateEventAsync("sym", new { questionCode = "q1" });
        using var r = await app.Anonymous().GetAsync("/q/q1", Ct);
        var cookie = r.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("og_participant=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Theory, Databases]
    public async Task Votes_without_the_participant_cookie_are_limited_per_address(Db db)
    {
        await using var app = await TestApp.StartAsync(db, new Dictionary<string, string?> { ["OpenGov:Events:CookielessBurst"] = "3" });
        await app.CreateEventAsync("sym", new { questionCode = "q1" });
        var asker = app.Anonymous();
        (await asker.GetAsync("/q/q1", Ct)).Dispose(); // gets its cookie; its first write admits it (one of the three)
        var id = await asker.AskAsync("q1", "質問");
        var statuses = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            // A client that drops its cookie is a new participant each time.
            var noCookies = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false });
            statuses.Add((await noCookies.PostJsonAsync($"/q/q1/api/questions/{id}/vote")).Status);
        }

        Assert.Equal([200, 200, 429, 429, 429], statuses);
        Assert.Equal(2, (await app.PublicQuestionsAsync("q1"))[0]!["votes"]!.GetValue<int>());

        // a participant already admitted is not limited by the address's budget
        Assert.Equal(200, (await asker.PostJsonAsync($"/q/q1/api/questions/{id}/vote")).Status);
        Assert.Equal(3, (await app.PublicQuestionsAsync("q1"))[0]!["votes"]!.GetValue<int>());
    }
}
