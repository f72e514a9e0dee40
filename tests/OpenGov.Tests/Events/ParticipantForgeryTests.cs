using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Events;

/// <summary>
/// Participants are issued by the server: made-up or collected cookies do not turn one address into hundreds of
/// voters (docs/security.md).
/// </summary>
public class ParticipantForgeryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HttpClient WithCookie(TestApp app, string? cookie)
    {
        var c = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        if (cookie is not null)
        {
            c.DefaultRequestHeaders.Add("Cookie", cookie);
        }

        return c;
    }

    private static async Task<long> QuestionAsync(TestApp app)
    {
        await app.CreateEventAsync("sym", new { questionCode = "q1" });
        return await app.Participant().AskAsync("q1", "投票される質問");
    }

    private static async Task<int> VotesAsync(TestApp app) => (await app.PublicQuestionsAsync("q1"))[0]!["votes"]!.GetValue<int>();

    [Theory, Databases]
    public async Task Made_up_participant_cookies_from_one_address_cannot_add_hundreds_of_votes_or_questions(Db db)
    {
        await using var app = await TestApp.StartAsync(db); // default limits
        var id = await QuestionAsync(app);

        var accepted = 0;
        var refused = 0;
        for (var i = 0; i < 300; i++)
        {
            // a value of the right shape the server never issued: a new participant each time
            var (status, _) = await WithCookie(app, "og_participant=" + Guid.NewGuid().ToString("N")).PostJsonAsync($"/q/q1/api/questions/{id}/vote");
            accepted += status == 200 ? 1 : 0;
            refused += status == 429 ? 1 : 0;
        }

        Assert.Equal(300, accepted + refused);
        Assert.True(accepted < 100, $"{accepted} of 300 forged votes counted");
        Assert.Equal(accepted, await VotesAsync(app));

        var posted = 0;
        for (var i = 0; i < 200; i++)
        {
            var (status, _) = await WithCookie(app, null).PostJsonAsync("/q/q1/api/questions", new { text = "水増しの質問 " + i });
            posted += status == 200 ? 1 : 0;
        }

        Assert.True(posted < 50, $"{posted} of 200 questions without a cookie were posted");
    }

    [Theory, Databases]
    public async Task Cookies_collected_by_the_hundred_from_one_address_do_not_become_hundreds_of_votes(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var id = await QuestionAsync(app);
        var cookies = new List<string>();
        for (var i = 0; i < 200; i++)
        {
            using var page = await WithCookie(app, null).GetAsync("/q/q1", Ct);
            cookies.Add(page.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("og_participant=", StringComparison.Ordinal)).Split(';')[0]);
        }

        Assert.Equal(200, cookies.Distinct().Count()); // reading is free: each page view is issued a participant

        var accepted = 0;
        foreach (var cookie in cookies)
        {
            accepted += (await WithCookie(app, cookie).PostJsonAsync($"/q/q1/api/questions/{id}/vote")).Status == 200 ? 1 : 0;
        }

        Assert.True(accepted < 100, $"{accepted} of 200 collected cookies voted");
        Assert.Equal(accepted, await VotesAsync(app));
    }

    [Theory, Databases]
    public async Task A_signed_cookie_is_one_participant_and_a_tampered_one_is_a_new_participant(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var id = await QuestionAsync(app);
        var cookie = app.NewParticipantCookie();
        Assert.Equal(200, (await WithCookie(app, cookie).PostJsonAsync($"/q/q1/api/questions/{id}/vote")).Status);
        var (again, body) = await WithCookie(app, cookie).PostJsonAsync($"/q/q1/api/questions/{id}/vote");
        Assert.Equal(409, again);
        Assert.Equal("already_voted", body!["error"]!.GetValue<string>());

        // change one character of the protected value: not the server's, so someone new (one more vote, not a replay)
        var value = cookie[(cookie.IndexOf('=') + 1)..];
        var tampered = "og_participant=" + value[..10] + (value[10] == 'A' ? 'B' : 'A') + value[11..];
        Assert.Equal(200, (await WithCookie(app, tampered).PostJsonAsync($"/q/q1/api/questions/{id}/vote")).Status);
        Assert.Equal(2, await VotesAsync(app));
    }

    [Theory, Databases]
    public async Task A_venue_behind_one_address_gets_room_for_its_audience_by_setting(Db db)
    {
        await using var app = await TestApp.StartAsync(db, new Dictionary<string, string?> { ["OpenGov:Events:CookielessBurst"] = "150" });
        var id = await QuestionAsync(app);
        var statuses = new List<int>();
        for (var i = 0; i < 120; i++)
        {
            var phone = WithCookie(app, null);
            using var page = await phone.GetAsync("/q/q1", Ct);
            var cookie = page.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("og_participant=", StringComparison.Ordinal)).Split(';')[0];
            statuses.Add((await WithCookie(app, cookie).PostJsonAsync($"/q/q1/api/questions/{id}/vote")).Status);
        }

        Assert.All(statuses, s => Assert.Equal(200, s));
        Assert.Equal(120, await VotesAsync(app));
    }

    [Theory, Databases]
    public async Task Voting_for_ones_own_question_follows_the_setting(Db db)
    {
        await using (var allowing = await TestApp.StartAsync(db))
        {
            await allowing.CreateEventAsync("sym", new { questionCode = "q1" });
            var poster = allowing.Participant();
            var id = await poster.AskAsync("q1", "自分の質問");
            Assert.Equal(200, (await poster.PostJsonAsync($"/q/q1/api/questions/{id}/vote")).Status);
        }

        await using var app = await TestApp.StartAsync(db, new Dictionary<string, string?> { ["OpenGov:Events:VoteOwnQuestion"] = "false" });
        await app.CreateEventAsync("sym", new { questionCode = "q1" });
        var asker = app.Participant();
        var own = await asker.AskAsync("q1", "自分の質問");
        var (status, body) = await asker.PostJsonAsync($"/q/q1/api/questions/{own}/vote");
        Assert.Equal(409, status);
        Assert.Equal("own_question", body!["error"]!.GetValue<string>());
        Assert.Equal(200, (await app.Participant().PostJsonAsync($"/q/q1/api/questions/{own}/vote")).Status);
        Assert.Equal(1, await VotesAsync(app));
    }
}
