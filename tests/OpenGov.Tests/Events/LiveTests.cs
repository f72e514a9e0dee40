using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Events;

public sealed class LiveTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, Databases]
    public async Task A_question_reaches_open_streams_and_pending_ones_only_the_moderators(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateEventAsync("sym", new { questionCode = "q1" });
        await using var viewer = await EventsTestKit.SseReader.OpenAsync(app.Anonymous(), "/q/q1/stream");
        await using var moderator = await EventsTestKit.SseReader.OpenAsync(app.Admin(), "/api/events/sym/stream");

        await app.Anonymous().AskAsync("q1", "ライブの質問");
        var (id, data) = await viewer.WaitForAsync(d => EventsTestKit.HasQuestion(d, "ライブの質問"));
        Assert.Equal(1, id);
        Assert.Null(data["questions"]![0]!["participant"]);
        var (_, modData) = await moderator.WaitForAsync(d => EventsTestKit.HasQuestion(d, "ライブの質問"));
        Assert.NotNull(modData["questions"]![0]!["participant"]);

        await app.Admin().PostJsonAsync("/api/events/sym/questions/1/highlight");
        await viewer.WaitForAsync(d => d["highlighted"]?.GetValue<long>() == 1);

        using var put = await app.Admin().PutAsync("/api/events/sym/settings", System.Net.Http.Json.JsonContent.Create(new { preModeration = true }), Ct);
        await app.Anonymous().AskAsync("q1", "未承認の秘密");
        await moderator.WaitForAsync(d => EventsTestKit.HasQuestion(d, "未承認の秘密"));
        await app.Anonymous().AskAsync("q1", "後続");
        await moderator.WaitForAsync(d => EventsTestKit.HasQuestion(d, "後続"));
        Assert.DoesNotContain(viewer.Events, e => e.Data.ToJsonString().Contains("未承認の秘密", StringComparison.Ordinal));
    }

    [Theory, Databases]
    public async Task A_reconnecting_client_gets_everything_after_its_Last_Event_ID(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateEventAsync("sym", new { questionCode = "q1" });
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await app.Anonymous().AskAsync("q1", "質問" + i));
        }

        await using var resumed = await EventsTestKit.SseReader.OpenAsync(app.Anonymous(), "/q/q1/stream", lastEventId: 2);
        await resumed.WaitForAsync(d => EventsTestKit.HasQuestion(d, "質問4"));
        Assert.Equal([3L, 4L, 5L], resumed.Events.Select(e => e.Id).ToList());

        await using var fromStart = await EventsTestKit.SseReader.OpenAsync(app.Anonymous(), "/q/q1/stream?lastEventId=0");
        await fromStart.WaitForAsync(d => EventsTestKit.HasQuestion(d, "質問4"));
        Assert.Equal([1L, 2L, 3L, 4L, 5L], fromStart.Events.Select(e => e.Id).ToList());
    }

    [Theory, Databases]
    public async Task Idle_streams_receive_heartbeats(Db db)
    {
        await using var app = await TestApp.StartAsync(db, new Dictionary<string, string?> { ["OpenGov:Events:HeartbeatSeconds"] = "1" });
        await app.CreateEventAsync("sym", new { questionCode = "q1" });
        using var response = await app.Anonymous().GetAsync("/q/q1/stream", HttpCompletionOption.ResponseHeadersRead, Ct);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        var lines = new List<string>();
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            lines.Add(line);
            if (line == ":hb")
            {
                break;
            }
        }

        Assert.Equal("retry: 2000", lines[0]);
        Assert.Equal(":hb", lines[^1]);
    }

    [Theory, Databases]
    public async Task Catch_up_older_than_the_memory_ring_comes_from_the_database(Db db)
    {
        await using var app = await TestApp.StartAsync(db, new Dictionary<string, string?> { ["OpenGov:Events:RingSize"] = "2" });
        await app.CreateEventAsync("sym", new { questionCode = "q1" });
        await using (await EventsTestKit.SseReader.OpenAsync(app.Anonymous(), "/q/q1/stream"))
        {
            for (var i = 0; i < 6; i++)
            {
                await app.Anonymous().AskAsync("q1", "質問" + i);
            }
        }

        await using var old = await EventsTestKit.SseReader.OpenAsync(app.Anonymous(), "/q/q1/stream", lastEventId: 1);
        await old.WaitForAsync(d => EventsTestKit.HasQuestion(d, "質問5"));
        Assert.Equal([2L, 3L, 4L, 5L, 6L], old.Events.Select(e => e.Id).ToList());
    }

    [Theory, Databases]
    public async Task A_restart_loses_nothing_acknowledged(Db db)
    {
        var first = await TestApp.StartAsync(db, new Dictionary<string, string?> { ["OpenGov:Events:QuestionBurst"] = "100" });
        first.KeepData = true;
        await first.CreateEventAsync("sym", new { questionCode = "q1" });
        var cookie = await ParticipantCookieAsync(first.Anonymous());
        var viewer = WithCookie(first, cookie);
        var acknowledged = new List<long>();
        for (var i = 0; i < 10; i++)
        {
            acknowledged.Add(await viewer.AskAsync("q1", "再起動前" + i, "k" + i));
        }

        foreach (var id in acknowledged.Take(3))
        {
            Assert.Equal(200, (await first.Anonymous().PostJsonAsync($"/q/q1/api/questions/{id}/vote")).Status);
        }

        await first.Admin().PostJsonAsync($"/api/events/sym/questions/{acknowledged[0]}/highlight");

        // Poll answers acknowledged before the restart (group-committed like the questions): the participant's own
        // with an Idempotency-Key, and nine more from other participants answering at once.
        var (_, created) = await first.Admin().PostJsonAsync("/api/events/sym/polls", new { kind = "single", questionJa = "再起動前の投票", options = new[] { "はい", "いいえ" } });
        var poll = created!["poll"]!.GetValue<long>();
        await first.Admin().PostJsonAsync($"/api/events/sym/polls/{poll}/open");
        var options = (await first.Anonymous().GetJsonAsync("/q/q1/api/polls"))["polls"]![0]!["options"]!.AsArray().Select(o => o!["id"]!.GetValue<long>()).ToArray();
        var mine = await viewer.PostJsonAsync($"/q/q1/api/polls/{poll}/answer", new { choices = new[] { options[0] } }, "poll-k");
        Assert.Equal(200, mine.Status);
        var others = await Task.WhenAll(Enumerable.Range(0, 9).Select(i => WithCookie(first, first.NewParticipantCookie()).PostJsonAsync($"/q/q1/api/polls/{poll}/answer", new { choices = new[] { options[i % 2] } })));
        Assert.All(others, r => Assert.Equal(200, r.Status));
        var seqBeforeRestart = (await first.Anonymous().GetJsonAsync("/q/q1/api/questions"))["lastEventId"]!.GetValue<long>();
        await first.DisposeAsync();

        await using var second = await TestApp.OpenOnSameDataAsync(first);
        var qs = await second.PublicQuestionsAsync("q1");
        Assert.Equal(acknowledged.Order(), qs.Select(q => q!["id"]!.GetValue<long>()).Order());
        Assert.Equal(3, qs.Sum(q => q!["votes"]!.GetValue<int>()));
        Assert.True(qs.Single(q => q!["id"]!.GetValue<long>() == acknowledged[0])!["highlighted"]!.GetValue<bool>());

        var polled = (await second.Anonymous().GetJsonAsync("/q/q1/api/polls"))["polls"]![0]!;
        Assert.Equal(10, polled["responses"]!.GetValue<int>());
        Assert.Equal([6, 4], polled["counts"]!.AsArray().Select(c => c!["votes"]!.GetValue<int>()));

        // The idempotency records survived: a replay after the restart adds nothing.
        var replay = await WithCookie(second, cookie).PostJsonAsync("/q/q1/api/questions", new { text = "再起動前0" }, "k0");
        Assert.Equal(200, replay.Status);
        Assert.Equal(10, (await second.PublicQuestionsAsync("q1")).Count);
        var pollReplay = await WithCookie(second, cookie).PostJsonAsync($"/q/q1/api/polls/{poll}/answer", new { choices = new[] { options[1] } }, "poll-k");
        Assert.Equal((200, mine.Body!.ToJsonString()), (pollReplay.Status, pollReplay.Body!.ToJsonString()));
        Assert.Equal(409, (await WithCookie(second, cookie).PostJsonAsync($"/q/q1/api/polls/{poll}/answer", new { choices = new[] { options[1] } })).Status);
        Assert.Equal(10, (await second.Anonymous().GetJsonAsync("/q/q1/api/polls"))["polls"]![0]!["responses"]!.GetValue<int>());

        // The log replays everything acknowledged, the poll's last entry with all ten answers.
        await using var stream = await EventsTestKit.SseReader.OpenAsync(second.Anonymous(), "/q/q1/stream", lastEventId: 0);
        await stream.WaitForAsync(d => d["polls"]?.AsArray().Any(p => p!["responses"]!.GetValue<int>() == 10) == true);
        Assert.Equal(Enumerable.Range(1, (int)seqBeforeRestart).Select(i => (long)i), stream.Events.Select(e => e.Id));
        Assert.Contains(stream.Events, e => e.Data["highlighted"]?.GetValue<long>() == acknowledged[0]);
    }

    private static async Task<string> ParticipantCookieAsync(HttpClient client)
    {
        using var r = await client.GetAsync("/q/q1", Ct);
        return r.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("og_participant=", StringComparison.Ordinal)).Split(';')[0];
    }

    private static HttpClient WithCookie(TestApp app, string cookie)
    {
        var c = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false });
        c.DefaultRequestHeaders.Add("Cookie", cookie);
        return c;
    }

    [Fact]
    public async Task A_question_posted_on_one_node_reaches_a_viewer_on_another_through_Redis()
    {
        var redis = Environment.GetEnvironmentVariable("OPENGOV_TEST_REDIS");
        if (string.IsNullOrWhiteSpace(redis))
        {
            Assert.Skip("Redis not configured: set OPENGOV_TEST_REDIS (e.g. 127.0.0.1:6379)");
        }

        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = redis,
            ["OpenGov:Events:SafetyReadSeconds"] = "30", // delivery must come from Redis, not from the safety read
        };
        await using var nodeA = await TestApp.StartAsync(Db.Postgres, settings);
        await using var nodeB = await TestApp.OpenOnSameDataAsync(nodeA);
        nodeB.KeepData = true; // node A drops the shared database
        await nodeA.CreateEventAsync("sym", new { questionCode = "q1" });
        await using var viewerOnB = await EventsTestKit.SseReader.OpenAsync(nodeB.Anonymous(), "/q/q1/stream");
        await Task.Delay(300, Ct); // let node B's feed start

        // within 5 s, far sooner than node B's 30-s safety read of the database: the question came through Redis
        // (delivery latency itself is measured by bench/events.sh, not asserted here)
        await nodeA.Anonymous().AskAsync("q1", "ノードAからの質問");
        await viewerOnB.WaitForAsync(d => EventsTestKit.HasQuestion(d, "ノードAからの質問"), TimeSpan.FromSeconds(5));
    }

    [Theory, Databases]
    public async Task Presenter_stream_is_public_at_its_secret_url(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var ev = await app.CreateEventAsync("sym", new { questionCode = "q1" });
        var path = new Uri(ev["presenterUrl"]!.GetValue<string>()).AbsolutePath;
        await using var presenter = await EventsTestKit.SseReader.OpenAsync(app.Anonymous(), path + "/stream");
        var id = await app.Anonymous().AskAsync("q1", "プレゼンターへ");
        await app.Admin().PostJsonAsync($"/api/events/sym/questions/{id}/highlight");
        await presenter.WaitForAsync(d => d["highlighted"]?.GetValue<long>() == id);
        Assert.Equal(404, (int)(await app.Anonymous().GetAsync("/p/wrong-secret/stream", Ct)).StatusCode);
    }
}
