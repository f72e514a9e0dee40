using System.Collections.Concurrent;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenGov.Events;
using OpenGov.Events.Writing;
using OpenGov.Storage;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Events;

/// <summary>
/// Questions and votes arriving together are committed in shared transactions (group commit): none lost, none
/// counted twice, one log entry each with gap-free sequence numbers in commit order, and a refused write refuses
/// only itself.
/// </summary>
public sealed class GroupCommitTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(int Status, string Body, bool Replayed)> PostAsync(HttpClient c, string url, object body, string? key = null)
    {
        using var req = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            req.Headers.Add("Idempotency-Key", key);
        }

        using var r = await c.SendAsync(req, Ct);
        return ((int)r.StatusCode, await r.Content.ReadAsStringAsync(Ct), r.Headers.Contains("Idempotent-Replayed"));
    }

    private static async Task<(string Kind, int Status, string Body, bool Replayed)> Tagged(string kind, Task<(int Status, string Body, bool Replayed)> request)
    {
        var (status, body, replayed) = await request;
        return (kind, status, body, replayed);
    }

    [Theory, Databases]
    public async Task Concurrent_posts_and_votes_are_batched_with_none_lost_none_doubled_and_gap_free_sequence_numbers(Db db)
    {
        // a hall of participants behind one address (the test client): the venue setting of docs/security.md
        await using var app = await TestApp.StartAsync(db, new Dictionary<string, string?> { ["OpenGov:Events:CookielessBurst"] = "1000" });
        var ev = await app.CreateEventAsync("sym", new { questionCode = "q1", ngWords = new[] { "禁句" } });
        var eventId = ev["id"]!.GetValue<string>();
        var seeded = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            seeded.Add(await app.Participant().AskAsync("q1", "種の質問 " + i));
        }

        // A banned participant, and a question that is no longer public.
        var bannedClient = app.Participant();
        var bannedQuestion = await bannedClient.AskAsync("q1", "禁止される人の質問");
        Assert.Equal(200, (await app.Admin().PostJsonAsync("/api/events/sym/bans", new { question = bannedQuestion })).Status);

        await using var moderatorStream = await EventsTestKit.SseReader.OpenAsync(app.Admin(), "/api/events/sym/stream?lastEventId=0");
        long seqBefore;
        using (var scope = app.Services.CreateScope())
        {
            seqBefore = await scope.ServiceProvider.GetRequiredService<OpenGovDb>().Set<Event>().Where(e => e.Id == eventId).Select(e => e.LastSeq).SingleAsync(Ct);
        }

        var statsBefore = app.Services.GetRequiredService<EventWriter>().Stats;

        // 60 new questions (one with an NG word), 160 votes by 160 participants, 20 participants voting twice for
        // the same question at once, 10 votes for a question that does not exist, 5 writes of the banned
        // participant, and 10 requests sent twice at once with the same Idempotency-Key: all at the same moment.
        var requests = new List<Func<Task<(string Kind, int Status, string Body, bool Replayed)>>>();
        for (var i = 0; i < 60; i++)
        {
            var text = i == 7 ? "禁句を含む質問" : "同時の質問 " + i;
            requests.Add(() => Tagged("post", PostAsync(app.Participant(), "/q/q1/api/questions", new { text })));
        }

        for (var i = 0; i < 160; i++)
        {
            var q = seeded[i % seeded.Count];
            requests.Add(() => Tagged("vote", PostAsync(app.Participant(), $"/q/q1/api/questions/{q}/vote", new { })));
        }

        for (var i = 0; i < 20; i++)
        {
            var twice = app.Participant();
            var q = seeded[i % seeded.Count];
            requests.Add(() => Tagged("double", PostAsync(twice, $"/q/q1/api/questions/{q}/vote", new { })));
            requests.Add(() => Tagged("double", PostAsync(twice, $"/q/q1/api/questions/{q}/vote", new { })));
        }

        for (var i = 0; i < 10; i++)
        {
            requests.Add(() => Tagged("unknown", PostAsync(app.Participant(), "/q/q1/api/questions/999999/vote", new { })));
        }

        for (var i = 0; i < 5; i++)
        {
            var q = seeded[i % seeded.Count];
            requests.Add(() => Tagged("banned", PostAsync(bannedClient, i % 2 == 0 ? "/q/q1/api/questions" : $"/q/q1/api/questions/{q}/vote", new { text = "禁止後の質問" })));
        }

        for (var i = 0; i < 10; i++)
        {
            var same = app.Participant();
            var key = "key-" + i;
            var text = "冪等な質問 " + i;
            requests.Add(() => Tagged("idem", PostAsync(same, "/q/q1/api/questions", new { text }, key)));
            requests.Add(() => Tagged("idem", PostAsync(same, "/q/q1/api/questions", new { text }, key)));
        }

        // 40 in flight at a time: a PostgreSQL server shared with other tests has a hundred connections in all.
        var shuffled = requests.OrderBy(_ => Random.Shared.Next()).ToList();
        using var start = new SemaphoreSlim(0);
        using var inFlight = new SemaphoreSlim(40);
        var running = shuffled.Select(f => Task.Run(async () =>
        {
            await start.WaitAsync(Ct);
            await inFlight.WaitAsync(Ct);
            try
            {
                return await f();
            }
            finally
            {
                inFlight.Release();
            }
        }, Ct)).ToList();
        start.Release(running.Count);
        var results = await Task.WhenAll(running);

        // Every answer is the one its request deserves.
        Assert.All(results.Where(r => r.Kind is "post" or "vote"), r => Assert.True(r.Status == 200, $"{r.Kind}: {r.Status} {r.Body}"));
        var doubles = results.Where(r => r.Kind == "double").ToList();
        var doubleAnswers = string.Join(", ", doubles.GroupBy(r => r.Status).Select(g => g.Key + " x" + g.Count())) + " " + string.Join(", ", doubles.Where(r => r.Status is not (200 or 409)).Select(r => r.Body));
        Assert.True(doubles.Count(r => r.Status == 200) == 20, doubleAnswers);
        Assert.True(doubles.Count(r => r.Status == 409 && r.Body.Contains("already_voted", StringComparison.Ordinal)) == 20, doubleAnswers);
        Assert.All(results.Where(r => r.Kind == "unknown"), r => Assert.Equal(404, r.Status));
        Assert.All(results.Where(r => r.Kind == "banned"), r => Assert.Equal(403, r.Status));
        var idem = results.Where(r => r.Kind == "idem").ToList();
        Assert.All(idem, r => Assert.Equal(200, r.Status));
        Assert.Equal(10, idem.Count(r => r.Replayed));
        Assert.Equal(10, idem.Select(r => r.Body).Distinct().Count()); // the replay answers exactly as the first

        // The writes shared transactions.
        var stats = app.Services.GetRequiredService<EventWriter>().Stats;
        var accepted = 60 + 160 + 20 + 10;
        Assert.Equal(accepted, stats.Writes - statsBefore.Writes);
        Assert.True(stats.Batches - statsBefore.Batches < accepted, $"{stats.Batches - statsBefore.Batches} transactions for {accepted} writes: no group commit");

        using (var scope = app.Services.CreateScope())
        {
            var store = scope.ServiceProvider.GetRequiredService<OpenGovDb>();

            // Nothing lost, nothing counted twice: each question's count is its votes, one per participant.
            var questions = await store.Set<Question>().AsNoTracking().Where(q => q.EventId == eventId).ToListAsync(Ct);
            Assert.Equal(4 + 1 + 60 + 10, questions.Count);
            Assert.Equal(10, questions.Count(q => q.Text.StartsWith("冪等な質問", StringComparison.Ordinal)));
            Assert.Equal(QuestionStates.Held, questions.Single(q => q.Text == "禁句を含む質問").State);
            var votes = await store.Set<QuestionVote>().AsNoTracking().Where(v => v.EventId == eventId).ToListAsync(Ct);
            Assert.Equal(160 + 20, votes.Count);
            foreach (var q in questions)
            {
                Assert.Equal(votes.Count(v => v.QuestionId == q.Id), q.Votes);
            }

            Assert.Equal(votes.Count, votes.DistinctBy(v => (v.QuestionId, v.ParticipantId)).Count());

            // One log entry per accepted write, numbered without gaps after what was there.
            var seqAfter = await store.Set<Event>().Where(e => e.Id == eventId).Select(e => e.LastSeq).SingleAsync(Ct);
            Assert.Equal(seqBefore + accepted, seqAfter);
            var log = await store.Set<EventLogEntry>().AsNoTracking().Where(e => e.EventId == eventId).OrderBy(e => e.Seq).Select(e => e.Seq).ToListAsync(Ct);
            Assert.Equal(Enumerable.Range(1, (int)seqAfter).Select(i => (long)i), log);
        }

        // The live stream delivers every entry once, in order.
        var lastSeq = seqBefore + accepted;
        await moderatorStream.WaitForAsync(_ => moderatorStream.Events.Count > 0 && moderatorStream.Events[^1].Id == lastSeq, TimeSpan.FromSeconds(20));
        Assert.Equal(Enumerable.Range(1, (int)lastSeq).Select(i => (long)i), moderatorStream.Events.Select(e => e.Id));
    }

    [Theory, Databases]
    public async Task Votes_within_one_batch_carry_the_count_after_each_vote_and_the_last_is_the_total(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateEventAsync("sym", new { questionCode = "q1" });
        var id = await app.Participant().AskAsync("q1", "人気の質問");
        await using var stream = await EventsTestKit.SseReader.OpenAsync(app.Anonymous(), "/q/q1/stream?lastEventId=1");
        var answers = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => Task.Run(() => PostAsync(app.Participant(), $"/q/q1/api/questions/{id}/vote", new { }), Ct)));
        Assert.All(answers, a => Assert.Equal(200, a.Status));

        // Each vote's entry shows the count at its place in the order: 1, 2, ... 30.
        await stream.WaitForAsync(c => c["questions"]?.AsArray().Any(q => q!["votes"]!.GetValue<int>() == 30) == true);
        var counts = stream.Events.Select(e => e.Data["questions"]!.AsArray().Single()!["votes"]!.GetValue<int>()).ToList();
        Assert.Equal(Enumerable.Range(1, 30), counts);
        Assert.Equal(30, (await app.PublicQuestionsAsync("q1")).Single()!["votes"]!.GetValue<int>());
    }

    [Theory, Databases]
    public async Task A_question_posted_and_voted_for_in_the_same_batch_counts_the_vote(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateEventAsync("sym", new { questionCode = "q1" });
        var first = await app.Participant().AskAsync("q1", "最初の質問");

        // Votes for ids not yet written (the next questions) race with the posts that create them: whatever the
        // order, a vote counts exactly when it was answered 200.
        var tasks = new List<Task<(int Status, string Body, bool Replayed)>>();
        for (var i = 1; i <= 5; i++)
        {
            var text = "次の質問 " + i;
            var next = first + i;
            tasks.Add(Task.Run(() => PostAsync(app.Participant(), "/q/q1/api/questions", new { text }), Ct));
            tasks.Add(Task.Run(() => PostAsync(app.Participant(), $"/q/q1/api/questions/{next}/vote", new { }), Ct));
        }

        var results = await Task.WhenAll(tasks);
        Assert.All(results, r => Assert.Contains(r.Status, new[] { 200, 404 }));
        var okVotes = results.Where((r, i) => i % 2 == 1 && r.Status == 200).Count();
        var qs = await app.PublicQuestionsAsync("q1");
        Assert.Equal(6, qs.Count);
        Assert.Equal(okVotes, qs.Sum(q => q!["votes"]!.GetValue<int>()));
    }
}
