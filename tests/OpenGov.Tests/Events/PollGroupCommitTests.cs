using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenGov.Events;
using OpenGov.Events.Writing;
using OpenGov.Storage;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Events;

/// <summary>
/// Poll answers (single and multiple choice, rating, free words, leaderboard votes) go through the group commit with the
/// questions and votes: each request is answered after its row is committed, one answer per participant per poll
/// and round (the unique index backs the check), a repeated Idempotency-Key answers as the first request, nothing is
/// counted twice, a refused answer refuses only itself, and the results reach the live streams after the commit.
/// </summary>
public sealed class PollGroupCommitTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(int Status, string Body, bool Replayed)> AnswerAsync(HttpClient c, long poll, object body, string? key = null)
    {
        using var req = new HttpRequestMessage(HttpMethod.Post, $"/q/q1/api/polls/{poll}/answer") { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            req.Headers.Add("Idempotency-Key", key);
        }

        using var r = await c.SendAsync(req, Ct);
        return ((int)r.StatusCode, await r.Content.ReadAsStringAsync(Ct), r.Headers.Contains("Idempotent-Replayed"));
    }

    private static int Votes(JsonNode poll, long option) =>
        poll["counts"]!.AsArray().Single(c => c!["optionId"]!.GetValue<long>() == option)!["votes"]!.GetValue<int>();

    [Theory, Databases]
    public async Task Concurrent_answers_from_many_participants_are_batched_and_each_counted_exactly_once(Db db)
    {
        // a hall of participants behind one address (the test client): the venue setting of docs/security.md
        await using var app = await TestApp.StartAsync(db, new Dictionary<string, string?> { ["OpenGov:Events:CookielessBurst"] = "1000" });
        var ev = await app.CreateEventAsync("sym", new { questionCode = "q1" });
        var eventId = ev["id"]!.GetValue<string>();
        var single = await app.CreatePollAsync(new { kind = "single", questionJa = "参加は何回目？", options = new[] { "初めて", "2回目", "3回目以上" } });
        var multiple = await app.CreatePollAsync(new { kind = "multiple", questionJa = "関心は？", options = new[] { "オープンデータ", "DX", "防災" } });
        var rating = await app.CreatePollAsync(new { kind = "rating", questionJa = "満足度", maxRating = 5 });
        var words = await app.CreatePollAsync(new { kind = "words", questionJa = "ひとことで" });
        var contest = await app.CreatePollAsync(new { kind = "leaderboard", questionJa = "シビックパワーバトル", options = new[] { "千葉市", "つくば市", "福岡市" } });
        var closed = await app.CreatePollAsync(new { kind = "single", questionJa = "締切済み", options = new[] { "はい", "いいえ" } });
        Assert.Equal(200, (await app.Admin().PostJsonAsync($"/api/events/sym/polls/{closed}/close")).Status);
        var draft = await app.CreatePollAsync(new { kind = "single", questionJa = "下書き", options = new[] { "はい", "いいえ" } }, open: false);
        var s = await app.OptionIdsAsync(single);
        var m = await app.OptionIdsAsync(multiple);
        var t = await app.OptionIdsAsync(contest);
        var c = await app.OptionIdsAsync(closed);

        var banned = app.Participant();
        var bannedQuestion = await banned.AskAsync("q1", "禁止される人の質問");
        Assert.Equal(200, (await app.Admin().PostJsonAsync("/api/events/sym/bans", new { question = bannedQuestion })).Status);

        await using var viewer = await EventsTestKit.SseReader.OpenAsync(app.Anonymous(), "/q/q1/stream");
        long seqBefore;
        using (var scope = app.Services.CreateScope())
        {
            seqBefore = await scope.ServiceProvider.GetRequiredService<OpenGovDb>().Set<Event>().Where(e => e.Id == eventId).Select(e => e.LastSeq).SingleAsync(Ct);
        }

        var statsBefore = app.Services.GetRequiredService<EventWriter>().Stats;

        // What each accepted answer should add, kept by the test: option -> votes, rating -> count, word answers.
        var expectedOptions = new Dictionary<long, int>();
        var expectedRatings = new int[6];
        var requests = new List<(string Kind, Func<Task<(int Status, string Body, bool Replayed)>> Send, Action? Counted)>();
        for (var i = 0; i < 120; i++)
        {
            var option = s[i % s.Length];
            requests.Add(("ok", () => AnswerAsync(app.Participant(), single, new { choices = new[] { option } }), () => expectedOptions[option] = expectedOptions.GetValueOrDefault(option) + 1));
        }

        for (var i = 0; i < 40; i++)
        {
            var chosen = i % 2 == 0 ? new[] { m[0], m[2] } : new[] { m[1] };
            requests.Add(("ok", () => AnswerAsync(app.Participant(), multiple, new { choices = chosen }), () =>
            {
                foreach (var o in chosen)
                {
                    expectedOptions[o] = expectedOptions.GetValueOrDefault(o) + 1;
                }
            }
            ));
        }

        for (var i = 0; i < 50; i++)
        {
            var value = 1 + (i % 5);
            requests.Add(("ok", () => AnswerAsync(app.Participant(), rating, new { rating = value }), () => expectedRatings[value]++));
        }

        for (var i = 0; i < 30; i++)
        {
            var text = i % 3 == 0 ? "オープンデータ" : "行政改革";
            requests.Add(("ok", () => AnswerAsync(app.Participant(), words, new { text }), null));
        }

        for (var i = 0; i < 30; i++)
        {
            var team = t[i % t.Length];
            requests.Add(("ok", () => AnswerAsync(app.Participant(), contest, new { choices = new[] { team } }), () => expectedOptions[team] = expectedOptions.GetValueOrDefault(team) + 1));
        }

        // 20 participants answering the same poll twice at the same moment (different choices): one of the two counts.
        for (var i = 0; i < 20; i++)
        {
            var twice = app.Participant();
            requests.Add(("double", () => AnswerAsync(twice, single, new { choices = new[] { s[0] } }), null));
            requests.Add(("double", () => AnswerAsync(twice, single, new { choices = new[] { s[1] } }), null));
        }

        // 10 requests sent twice at once with the same Idempotency-Key.
        for (var i = 0; i < 10; i++)
        {
            var same = app.Participant();
            var key = "poll-key-" + i;
            requests.Add(("idem", () => AnswerAsync(same, rating, new { rating = 3 }, key), null));
            requests.Add(("idem", () => AnswerAsync(same, rating, new { rating = 3 }, key), null));
        }

        // Refusals, each alone: unknown and draft polls, a closed poll, invalid answers, a banned participant.
        for (var i = 0; i < 5; i++)
        {
            requests.Add(("unknown", () => AnswerAsync(app.Participant(), 999999, new { choices = new[] { s[0] } }), null));
            requests.Add(("unknown", () => AnswerAsync(app.Participant(), draft, new { choices = new[] { s[0] } }), null));
            requests.Add(("closed", () => AnswerAsync(app.Participant(), closed, new { choices = new[] { c[0] } }), null));
            requests.Add(("invalid", () => AnswerAsync(app.Participant(), single, new { choices = new[] { s[0], s[1] } }), null));
            requests.Add(("invalid", () => AnswerAsync(app.Participant(), rating, new { rating = 6 }), null));
            requests.Add(("invalid", () => AnswerAsync(app.Participant(), single, new { choices = new[] { m[0] } }), null)); // another poll's option
            requests.Add(("banned", () => AnswerAsync(banned, single, new { choices = new[] { s[0] } }), null));
        }

        // 40 in flight at a time: a PostgreSQL server shared with other tests has a hundred connections in all.
        var shuffled = requests.OrderBy(_ => Random.Shared.Next()).ToList();
        using var start = new SemaphoreSlim(0);
        using var inFlight = new SemaphoreSlim(40);
        var running = shuffled.Select(r => Task.Run(async () =>
        {
            await start.WaitAsync(Ct);
            await inFlight.WaitAsync(Ct);
            try
            {
                return (r.Kind, Result: await r.Send(), r.Counted);
            }
            finally
            {
                inFlight.Release();
            }
        }, Ct)).ToList();
        start.Release(running.Count);
        var results = await Task.WhenAll(running);

        Assert.All(results.Where(r => r.Kind == "ok"), r => Assert.True(r.Result.Status == 200, $"{r.Result.Status} {r.Result.Body}"));
        foreach (var r in results.Where(r => r.Kind == "ok"))
        {
            r.Counted?.Invoke();
        }

        var doubles = results.Where(r => r.Kind == "double").Select(r => r.Result).ToList();
        var doubleAnswers = string.Join(", ", doubles.GroupBy(r => r.Status).Select(g => g.Key + " x" + g.Count()));
        Assert.True(doubles.Count(r => r.Status == 200) == 20, doubleAnswers);
        Assert.True(doubles.Count(r => r.Status == 409 && r.Body.Contains("already_answered", StringComparison.Ordinal)) == 20, doubleAnswers);
        var idem = results.Where(r => r.Kind == "idem").Select(r => r.Result).ToList();
        Assert.All(idem, r => Assert.Equal(200, r.Status));
        Assert.Equal(10, idem.Count(r => r.Replayed));
        Assert.Single(idem.Select(r => r.Body).Distinct()); // the replays answer as the first requests did
        Assert.All(results.Where(r => r.Kind == "unknown"), r => Assert.Equal(404, r.Result.Status));
        Assert.All(results.Where(r => r.Kind == "closed"), r => Assert.True(r.Result.Status == 409 && r.Result.Body.Contains("\"closed\"", StringComparison.Ordinal), r.Result.Body));
        Assert.All(results.Where(r => r.Kind == "invalid"), r => Assert.Equal(400, r.Result.Status));
        Assert.All(results.Where(r => r.Kind == "banned"), r => Assert.Equal(403, r.Result.Status));

        // The answers shared transactions, and each poll's results went out once per batch rather than per answer.
        var accepted = 120 + 40 + 50 + 30 + 30 + 20 + 10;
        var stats = app.Services.GetRequiredService<EventWriter>().Stats;
        Assert.Equal(accepted, stats.Writes - statsBefore.Writes);
        Assert.True(stats.Batches - statsBefore.Batches < accepted, $"{stats.Batches - statsBefore.Batches} transactions for {accepted} answers: no group commit");

        // Nothing lost, nothing counted twice.
        var singleView = await app.PollAsync(single);
        Assert.Equal(120 + 20, singleView["responses"]!.GetValue<int>());
        Assert.Equal(expectedOptions.GetValueOrDefault(s[2]), Votes(singleView, s[2]));

        // Each of the 20 doubles counted once, for s[0] or s[1] (whichever of the two came first in the queue).
        Assert.Equal(expectedOptions.GetValueOrDefault(s[0]) + expectedOptions.GetValueOrDefault(s[1]) + 20, Votes(singleView, s[0]) + Votes(singleView, s[1]));
        var multipleView = await app.PollAsync(multiple);
        Assert.Equal(40, multipleView["responses"]!.GetValue<int>());
        Assert.Equal(m.Select(o => expectedOptions.GetValueOrDefault(o)), m.Select(o => Votes(multipleView, o)));
        var ratingView = await app.PollAsync(rating);
        Assert.Equal(50 + 10, ratingView["responses"]!.GetValue<int>());
        expectedRatings[3] += 10;
        Assert.Equal(expectedRatings[1..], ratingView["ratingDistribution"]!.AsArray().Select(x => x!.GetValue<int>()));
        var wordsView = await app.PollAsync(words);
        Assert.Equal(30, wordsView["responses"]!.GetValue<int>());
        Assert.Equal(20, wordsView["words"]!.AsArray().Single(w => w!["word"]!.GetValue<string>() == "行政改革")!["count"]!.GetValue<int>());
        var contestView = await app.PollAsync(contest);
        Assert.Equal(t.Select(o => expectedOptions.GetValueOrDefault(o)), t.Select(o => Votes(contestView, o)));
        Assert.Equal(0, (await app.PollAsync(closed))["responses"]!.GetValue<int>());

        using (var scope = app.Services.CreateScope())
        {
            var store = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
            var pollIds = new[] { single, multiple, rating, words, contest, closed, draft };
            var rows = await store.Set<PollResponse>().AsNoTracking().Where(r => pollIds.Contains(r.PollId)).ToListAsync(Ct);
            Assert.Equal(accepted, rows.Count);
            Assert.Equal(rows.Count, rows.DistinctBy(r => (r.PollId, r.Round, r.ParticipantId)).Count());

            // The log stays gap-free; the answers of one batch share one entry per poll.
            var seqAfter = await store.Set<Event>().Where(e => e.Id == eventId).Select(e => e.LastSeq).SingleAsync(Ct);
            var log = await store.Set<EventLogEntry>().AsNoTracking().Where(e => e.EventId == eventId).OrderBy(e => e.Seq).Select(e => e.Seq).ToListAsync(Ct);
            Assert.Equal(Enumerable.Range(1, (int)seqAfter).Select(i => (long)i), log);
            Assert.InRange(seqAfter - seqBefore, 5, accepted);
        }

        // The live stream carries each poll's final results.
        foreach (var (poll, responses) in new[] { (single, 140), (multiple, 40), (rating, 60), (words, 30), (contest, 30) })
        {
            await viewer.WaitForAsync(d => d["polls"]?.AsArray().Any(p => p!["id"]!.GetValue<long>() == poll && p["responses"]!.GetValue<int>() == responses) == true, TimeSpan.FromSeconds(20));
        }
    }

    [Theory, Databases]
    public async Task A_repeated_answer_is_refused_with_a_clear_error_in_Japanese_and_English_and_counts_nothing(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateEventAsync("sym", new { questionCode = "q1" });
        var poll = await app.CreatePollAsync(new { kind = "single", questionJa = "はい／いいえ", options = new[] { "はい", "いいえ" } });
        var o = await app.OptionIdsAsync(poll);
        var a = app.Participant();
        Assert.Equal(200, (await AnswerAsync(a, poll, new { choices = new[] { o[0] } })).Status);

        var (status, body, _) = await AnswerAsync(a, poll, new { choices = new[] { o[1] } });
        Assert.Equal(409, status);
        var error = JsonNode.Parse(body)!;
        Assert.Equal("already_answered", error["error"]!.GetValue<string>());
        Assert.Equal("This participant has already answered the poll in this round.", error["message"]!.GetValue<string>());
        Assert.Equal("この投票にはすでに回答しています。", error["message_ja"]!.GetValue<string>());

        var view = await app.PollAsync(poll);
        Assert.Equal(1, view["responses"]!.GetValue<int>());
        Assert.Equal(1, Votes(view, o[0]));
        Assert.Equal(0, Votes(view, o[1]));
    }

    [Theory, Databases]
    public async Task A_replayed_Idempotency_Key_returns_the_original_answer_and_counts_once(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateEventAsync("sym", new { questionCode = "q1" });
        var contest = await app.CreatePollAsync(new { kind = "leaderboard", questionJa = "シビックパワーバトル", options = new[] { "千葉市", "つくば市" } });
        var t = await app.OptionIdsAsync(contest);
        var a = app.Participant();

        var first = await AnswerAsync(a, contest, new { choices = new[] { t[0] } }, "vote-round-1");
        Assert.Equal(200, first.Status);
        Assert.False(first.Replayed);
        Assert.Equal(1, JsonNode.Parse(first.Body)!["round"]!.GetValue<int>());

        // The same key again, even with another body and after the round moved on: the first answer, nothing added.
        var again = await AnswerAsync(a, contest, new { choices = new[] { t[1] } }, "vote-round-1");
        Assert.Equal((200, first.Body, true), again);
        Assert.Equal(200, (await app.Admin().PostJsonAsync($"/api/events/sym/polls/{contest}/next-round")).Status);
        Assert.Equal((200, first.Body, true), await AnswerAsync(a, contest, new { choices = new[] { t[1] } }, "vote-round-1"));

        var view = await app.PollAsync(contest);
        Assert.Equal(0, view["responses"]!.GetValue<int>()); // round 2 has no answer yet
        Assert.Equal([1, 0], view["counts"]!.AsArray().Select(x => x!["total"]!.GetValue<int>()));

        // A new key in the new round is a new answer.
        var second = await AnswerAsync(a, contest, new { choices = new[] { t[1] } }, "vote-round-2");
        Assert.Equal(200, second.Status);
        Assert.Equal(2, JsonNode.Parse(second.Body)!["round"]!.GetValue<int>());
        Assert.Equal([1, 1], (await app.PollAsync(contest))["counts"]!.AsArray().Select(x => x!["total"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Participants_answering_on_two_nodes_sharing_PostgreSQL_at_once_are_counted_once_each()
    {
        await using var nodeA = await TestApp.StartAsync(Db.Postgres);
        await using var nodeB = await TestApp.OpenOnSameDataAsync(nodeA);
        nodeB.KeepData = true; // node A drops the shared database
        await nodeA.CreateEventAsync("sym", new { questionCode = "q1" });
        var poll = await nodeA.CreatePollAsync(new { kind = "leaderboard", questionJa = "シビックパワーバトル", options = new[] { "千葉市", "つくば市", "福岡市" } });
        var t = await nodeA.OptionIdsAsync(poll);

        // 30 participants each send the same answer to both nodes at the same moment; each node batches its own
        // queue, the event's row lock orders the two nodes' batches: one of each pair counts.
        var tasks = new List<Task<(int Status, string Body, bool Replayed)>>();
        for (var i = 0; i < 30; i++)
        {
            var cookie = nodeA.NewParticipantCookie();
            var team = t[i % t.Length];
            foreach (var node in new[] { nodeA, nodeB })
            {
                var c = node.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
                c.DefaultRequestHeaders.Add("Cookie", cookie);
                tasks.Add(Task.Run(() => AnswerAsync(c, poll, new { choices = new[] { team } }), Ct));
            }
        }

        var results = await Task.WhenAll(tasks);
        var answers = string.Join(", ", results.GroupBy(r => r.Status).Select(g => g.Key + " x" + g.Count()));
        for (var i = 0; i < results.Length; i += 2)
        {
            Assert.True(new[] { results[i].Status, results[i + 1].Status }.Order().SequenceEqual([200, 409]), answers);
        }

        var view = await nodeB.PollAsync(poll);
        Assert.Equal(30, view["responses"]!.GetValue<int>());
        Assert.Equal([10, 10, 10], t.Select(o => Votes(view, o)));
    }

    [Theory, Databases]
    public async Task The_database_refuses_a_second_answer_of_a_participant_in_the_same_round(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateEventAsync("sym", new { questionCode = "q1" });
        var poll = await app.CreatePollAsync(new { kind = "rating", questionJa = "満足度", maxRating = 5 });
        using var scope = app.Services.CreateScope();
        var store = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
        store.Add(new PollResponse { PollId = poll, Round = 1, ParticipantId = "p1", Rating = 4 });
        await store.SaveChangesAsync(Ct);
        store.ChangeTracker.Clear();

        store.Add(new PollResponse { PollId = poll, Round = 1, ParticipantId = "p1", Rating = 2 });
        var e = await Assert.ThrowsAsync<DbUpdateException>(() => store.SaveChangesAsync(Ct));
        Assert.True(DbErrors.IsUniqueViolation(e), e.InnerException?.Message);
        store.ChangeTracker.Clear();

        // Another round is another answer.
        store.Add(new PollResponse { PollId = poll, Round = 2, ParticipantId = "p1", Rating = 2 });
        await store.SaveChangesAsync(Ct);
        Assert.Equal(2, await store.Set<PollResponse>().CountAsync(r => r.PollId == poll && r.ParticipantId == "p1", Ct));
    }
}
