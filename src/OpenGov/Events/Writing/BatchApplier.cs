using Microsoft.EntityFrameworkCore;
using OpenGov.Events.Polls;
using OpenGov.Events.Questions;
using OpenGov.Storage;

namespace OpenGov.Events.Writing;

/// <summary>What became of one write of a batch.</summary>
internal sealed class Outcome
{
    public WriteResult? Result;
    public Exception? Error;

    /// <summary>The write changed the data (not a replay, not refused): its answer is recorded under its key.</summary>
    public bool Accepted;
    public int ReplayOf = -1;
    public long Seq;
    public string? Full;
    public string? Public;
    public Question? NewQuestion;
}

/// <summary>The checks and changes of one batch of questions, votes and poll answers, inside the writer's transaction.</summary>
internal static class BatchApplier
{
    /// <summary>
    /// Checks and applies the writes in order against what the batch loaded up front (bans, recorded idempotency
    /// keys, the voted questions and their voters, the answered polls and who answered them in their current
    /// round), keeping that state current as it goes. Returns the log entries of the polls answered (one each).
    /// </summary>
    public static async Task<List<(string Full, string? Public)>> ApplyAsync(OpenGovDb db, string eventId, List<FastWrite> run, Outcome[] outcomes, long? highlighted, bool preModeration, string ngWords, bool voteOwnQuestion = true)
    {
        var participants = run.Select(w => w.ParticipantId).Distinct().ToList();
        var banned = (await db.Set<EventBan>().AsNoTracking().Where(b => b.EventId == eventId && participants.Contains(b.ParticipantId))
            .Select(b => b.ParticipantId).ToListAsync()).ToHashSet(StringComparer.Ordinal);

        var keys = run.Where(w => w.Key is not null).Select(w => w.Key!).Distinct().ToList();
        var recorded = keys.Count == 0 ? [] : (await db.Set<IdempotencyRecord>().AsNoTracking().Where(r => keys.Contains(r.Key)).ToListAsync())
            .ToDictionary(r => (r.Scope, r.Key));

        var votes = run.OfType<VoteWrite>().ToList();
        var questionIds = votes.Select(v => v.QuestionId).Distinct().ToList();
        var voters = votes.Select(v => v.ParticipantId).Distinct().ToList();
        var questions = questionIds.Count == 0 ? [] : await db.Set<Question>().Where(q => q.EventId == eventId && questionIds.Contains(q.Id)).ToDictionaryAsync(q => q.Id);
        var voted = questionIds.Count == 0 ? [] : (await db.Set<QuestionVote>().AsNoTracking()
            .Where(v => questionIds.Contains(v.QuestionId) && voters.Contains(v.ParticipantId))
            .Select(v => new { v.QuestionId, v.ParticipantId }).ToListAsync()).Select(v => (v.QuestionId, v.ParticipantId)).ToHashSet();

        // Polls as they are under the event's lock (their state and round change only under it), and who has
        // answered each in its current round among this batch's participants.
        var answers = run.OfType<PollAnswerWrite>().ToList();
        var pollIds = answers.Select(a => a.PollId).Distinct().ToList();
        var polls = pollIds.Count == 0 ? [] : await db.Set<Poll>().AsNoTracking().Include(p => p.Options)
            .Where(p => p.EventId == eventId && pollIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id);
        var answered = new HashSet<(long PollId, string ParticipantId)>();
        if (polls.Count > 0)
        {
            // One query for all: every column of the unique index (poll, round, participant) is constrained, so
            // it is an index lookup however many answers the polls have; rows of another poll's round are dropped.
            var ids = polls.Keys.ToList();
            var rounds = polls.Values.Select(p => p.Round).Distinct().ToList();
            var answerers = answers.Select(a => a.ParticipantId).Distinct().ToList();
            foreach (var r in await db.Set<PollResponse>().AsNoTracking()
                .Where(r => ids.Contains(r.PollId) && rounds.Contains(r.Round) && answerers.Contains(r.ParticipantId))
                .Select(r => new { r.PollId, r.Round, r.ParticipantId }).ToListAsync())
            {
                if (polls[r.PollId].Round == r.Round)
                {
                    answered.Add((r.PollId, r.ParticipantId));
                }
            }
        }

        var answeredPolls = new List<long>();

        var firstOfKey = new Dictionary<(string, string), int>();
        var unrendered = new List<Outcome>();

        // Writes new questions so they have ids, then renders them: before a vote that needs the database, and at the end.
        async Task FlushAsync()
        {
            await db.SaveChangesAsync();
            foreach (var o in unrendered)
            {
                Render(o, o.NewQuestion!, highlighted);
            }

            unrendered.Clear();
        }

        for (var i = 0; i < run.Count; i++)
        {
            var w = run[i];
            var o = outcomes[i];
            if (w.Key is { } key)
            {
                if (recorded.TryGetValue((w.Scope!, key), out var rec))
                {
                    o.Result = new WriteResult(rec.Status, rec.Body, true);
                    continue;
                }

                if (firstOfKey.TryGetValue((w.Scope!, key), out var first))
                {
                    o.ReplayOf = first;
                    continue;
                }
            }

            if (w.Cancelled)
            {
                o.Error = new OperationCanceledException();
                continue;
            }

            try
            {
                if (banned.Contains(w.ParticipantId))
                {
                    throw EventException.Banned();
                }

                switch (w)
                {
                    case PostWrite p:
                        var held = QuestionRules.ContainsNgWord(ngWords, p.Text + " " + p.Name + " " + p.Affiliation);
                        var q = new Question
                        {
                            EventId = eventId,
                            Text = p.Text,
                            AuthorName = p.Name,
                            AuthorAffiliation = p.Affiliation,
                            ParticipantId = p.ParticipantId,
                            Source = p.Source,
                            ExternalId = p.ExternalId,
                            State = held ? QuestionStates.Held : preModeration ? QuestionStates.Pending : QuestionStates.Approved,
                        };
                        db.Add(q);
                        o.NewQuestion = q;
                        unrendered.Add(o);
                        break;
                    case VoteWrite v:
                        if (!questions.TryGetValue(v.QuestionId, out var target))
                        {
                            // Not loaded up front (e.g. a question of this very batch): ask the database.
                            await FlushAsync();
                            target = await db.Set<Question>().FirstOrDefaultAsync(x => x.Id == v.QuestionId && x.EventId == eventId);
                            if (target is not null)
                            {
                                questions[target.Id] = target;
                                foreach (var pid in await db.Set<QuestionVote>().Where(x => x.QuestionId == target.Id).Select(x => x.ParticipantId).ToListAsync())
                                {
                                    voted.Add((target.Id, pid));
                                }
                            }
                        }

                        if (target is null || target.State != QuestionStates.Approved)
                        {
                            throw EventException.NotFound("question");
                        }

                        if (v.Retract)
                        {
                            if (!voted.Remove((target.Id, v.ParticipantId)))
                            {
                                throw EventException.NotVoted();
                            }

                            // The vote may be one of this very batch, not yet written: write first, then delete.
                            await FlushAsync();
                            await db.Set<QuestionVote>().Where(x => x.QuestionId == target.Id && x.ParticipantId == v.ParticipantId).ExecuteDeleteAsync();
                            target.Votes = Math.Max(0, target.Votes - 1);
                            Render(o, target, highlighted);
                            break;
                        }

                        if ((!v.AllowOwn || !voteOwnQuestion) && target.ParticipantId == v.ParticipantId)
                        {
                            throw EventException.OwnQuestion();
                        }

                        if (!voted.Add((target.Id, v.ParticipantId)))
                        {
                            throw EventException.AlreadyVoted();
                        }

                        db.Add(new QuestionVote { QuestionId = target.Id, ParticipantId = v.ParticipantId, EventId = eventId });
                        target.Votes++;
                        Render(o, target, highlighted);
                        break;
                    case PollAnswerWrite a:
                        if (!polls.TryGetValue(a.PollId, out var answeredPoll))
                        {
                            throw EventException.NotFound("poll");
                        }

                        var row = PollAnswers.Build(answeredPoll, a.ParticipantId, a.Choices, a.Rating, a.Text);
                        if (!answered.Add((answeredPoll.Id, a.ParticipantId)))
                        {
                            throw EventException.AlreadyAnswered();
                        }

                        db.Add(row);
                        o.Accepted = true;
                        o.Result = new WriteResult(200, EventJson.Serialize(new { poll = answeredPoll.Id, round = answeredPoll.Round }), false);
                        if (!answeredPolls.Contains(answeredPoll.Id))
                        {
                            answeredPolls.Add(answeredPoll.Id);
                        }

                        break;
                }

                if (w.Key is { } k)
                {
                    firstOfKey[(w.Scope!, k)] = i;
                }
            }
            catch (EventException e)
            {
                o.Error = e;
            }
        }

        await FlushAsync();

        // Each answered poll's results with this batch's answers (read inside the transaction): one log entry each.
        return answeredPolls.Count == 0 ? []
            : (await PollResults.OfAsync(db, [.. answeredPolls.Select(id => polls[id])])).Select(view => LogEntries.RenderPoll(highlighted, view)).ToList();
    }

    /// <summary>The log entry (moderator and public JSON) and the answer of a write that changed one question.</summary>
    private static void Render(Outcome o, Question q, long? highlighted)
    {
        var (full, pub) = LogEntries.RenderQuestions(highlighted, [q]);
        o.Full = full;
        o.Public = pub;
        o.Accepted = true;
        o.Result = new WriteResult(200, EventJson.Serialize(new { question = QuestionView.Of(q, highlighted, false) }), false);
    }
}
