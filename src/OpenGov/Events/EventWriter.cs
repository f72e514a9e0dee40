using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using OpenGov.Storage;

namespace OpenGov.Events;

/// <summary>
/// Group commit of an event's writes. Every write of one event goes through one queue on this node; its writer takes
/// all the questions, votes and poll answers waiting at that moment and commits them in ONE transaction (one event
/// lock, one fsync), giving each question or vote its log sequence number in queue order, and answers each request
/// only after the commit. Poll answers of a batch share one log entry per poll (the poll's results after the batch,
/// after the batch's other entries): at a 10,000-viewer symposium a poll is answered by thousands at once, and one
/// frame per batch instead of one per answer is what keeps the fan-out bounded.
/// A write refused by validation (unknown question, second vote or answer, closed poll, ban, ...) is refused alone:
/// each write is checked against what the batch has loaded and changed so far before anything of it is added, so a
/// refusal leaves nothing behind. Should the database refuse the batch anyway (a constraint: the unique index of
/// votes and of poll answers), the batch is rolled back before its commit and each write is retried in a
/// transaction of its own, where a duplicate is answered as the repeated vote or answer it is.
/// Other writes (moderation, creating and opening polls, settings) take their turn in the same queue and run their own transaction, so
/// the order of the log is the order of the queue. Across nodes the event's row lock, taken first in every
/// transaction, still orders the batches.
/// </summary>
public sealed class EventWriter : IDisposable
{
    /// <summary>Most writes committed in one transaction.</summary>
    public const int MaxBatch = 256;

    private readonly ConcurrentDictionary<string, Channel<PendingWrite>> _queues = new(StringComparer.Ordinal);
    private readonly IServiceScopeFactory _scopes;
    private readonly EventBus _bus;
    private readonly ILogger<EventWriter> _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<Task> _loops = [];
    private long _batches;
    private long _writes;

    public EventWriter(IServiceScopeFactory scopes, EventBus bus, ILogger<EventWriter> log)
    {
        _scopes = scopes;
        _bus = bus;
        _log = log;
    }

    /// <summary>Transactions committed by the group writer, and writes in them (for tests and the benchmark).</summary>
    public (long Batches, long Writes) Stats => (Interlocked.Read(ref _batches), Interlocked.Read(ref _writes));

    private Channel<PendingWrite> Queue(string eventId) => _queues.GetOrAdd(eventId, id =>
    {
        var channel = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
        _loops.Add(Task.Run(() => LoopAsync(id, channel.Reader)));
        return channel;
    });

    /// <summary>Queues a question, vote or poll answer; completes after the commit (or with the write's refusal).</summary>
    internal Task<WriteResult> WriteAsync(string eventId, FastWrite write)
    {
        ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
        if (!Queue(eventId).Writer.TryWrite(write))
        {
            throw new OperationCanceledException("The event writer is stopping.");
        }

        return write.Done.Task;
    }

    /// <summary>Waits for this write's turn in the event's queue; dispose the turn when the write has committed.</summary>
    internal async Task<IAsyncDisposable> TurnAsync(string eventId, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
        var turn = new TurnWrite();
        if (!Queue(eventId).Writer.TryWrite(turn))
        {
            throw new OperationCanceledException("The event writer is stopping.");
        }

        try
        {
            await turn.Granted.Task.WaitAsync(ct);
        }
        catch
        {
            turn.Finished.TrySetResult();
            throw;
        }

        return turn;
    }

    private async Task LoopAsync(string eventId, ChannelReader<PendingWrite> reader)
    {
        var batch = new List<PendingWrite>();
        try
        {
            while (await reader.WaitToReadAsync(_stop.Token))
            {
                while (batch.Count < MaxBatch && reader.TryRead(out var w))
                {
                    batch.Add(w);
                }

                var i = 0;
                while (i < batch.Count)
                {
                    if (batch[i] is TurnWrite turn)
                    {
                        turn.Granted.TrySetResult();
                        await turn.Finished.Task;
                        i++;
                        continue;
                    }

                    var run = new List<FastWrite>();
                    while (i < batch.Count && batch[i] is FastWrite f)
                    {
                        run.Add(f);
                        i++;
                    }

                    await CommitAsync(eventId, run);
                }

                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            _log.LogError(ex, "The writer of event {Event} stopped", eventId);
        }
        finally
        {
            foreach (var w in batch)
            {
                w.Cancel();
            }

            while (reader.TryRead(out var w))
            {
                w.Cancel();
            }
        }
    }

    /// <summary>Commits a run of questions, votes and poll answers; on a database error before the commit, each alone.</summary>
    private async Task CommitAsync(string eventId, List<FastWrite> run)
    {
        try
        {
            await CommitBatchAsync(eventId, run);
        }
        catch (BatchFailedException ex) when (run.Count > 1)
        {
            _log.LogWarning(ex.InnerException, "A batch of {Count} writes of event {Event} failed; retrying each alone", run.Count, eventId);
            foreach (var w in run)
            {
                await CommitAsync(eventId, [w]);
            }
        }
        catch (BatchFailedException ex)
        {
            run[0].Done.TrySetException(ex.InnerException is DbUpdateException db && DbErrors.IsUniqueViolation(db) && run[0] is PollAnswerWrite or VoteWrite
                ? run[0] is PollAnswerWrite ? EventService.AlreadyAnswered() : EventService.AlreadyVoted()
                : ex.InnerException!);
        }
        catch (Exception ex)
        {
            // The commit itself failed: the outcome is unknown, so nothing is retried.
            foreach (var w in run)
            {
                w.Done.TrySetException(ex);
            }
        }
    }

    private sealed class BatchFailedException(Exception inner) : Exception("batch failed", inner);

    /// <summary>What became of one write of a batch.</summary>
    private sealed class Outcome
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

    private async Task CommitBatchAsync(string eventId, List<FastWrite> run)
    {
        var outcomes = run.Select(_ => new Outcome()).ToArray();
        long last;
        using (var scope = _scopes.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
            db.Database.AutoSavepointsEnabled = false;
            IDbContextTransaction? tx = null;
            try
            {
                tx = await db.Database.BeginTransactionAsync(CancellationToken.None);
                var state = await LockAsync(db, tx, eventId);
                if (state is null)
                {
                    foreach (var w in run)
                    {
                        w.Done.TrySetException(EventException.NotFound());
                    }

                    return;
                }

                var (seq0, highlighted, preModeration, ngWords) = state.Value;
                var pollEntries = await ApplyAsync(db, eventId, run, outcomes, highlighted, preModeration, ngWords);
                last = seq0;
                for (var i = 0; i < run.Count; i++)
                {
                    var o = outcomes[i];
                    if (o.Full is not null)
                    {
                        o.Seq = ++last;
                        db.Add(new EventLogEntry { EventId = eventId, Seq = o.Seq, Kind = "change", Payload = o.Full, PublicPayload = o.Public });
                    }

                    if (o.Accepted && run[i].Key is { } key)
                    {
                        db.Add(new IdempotencyRecord { Scope = run[i].Scope!, Key = key, Status = 200, Body = o.Result!.Json });
                    }
                }

                foreach (var (full, pub) in pollEntries)
                {
                    db.Add(new EventLogEntry { EventId = eventId, Seq = ++last, Kind = "change", Payload = full, PublicPayload = pub });
                }

                if (last != seq0)
                {
                    await db.Set<Event>().Where(e => e.Id == eventId).ExecuteUpdateAsync(s => s.SetProperty(e => e.LastSeq, last));
                    await db.SaveChangesAsync();
                }
            }
            catch (Exception ex)
            {
                if (tx is not null)
                {
                    await tx.DisposeAsync();
                }

                throw new BatchFailedException(ex);
            }

            await using (tx)
            {
                await tx.CommitAsync();
            }
        }

        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _writes, outcomes.Count(o => o.Accepted));
        for (var i = 0; i < run.Count; i++)
        {
            var o = outcomes[i];
            if (o.Error is not null)
            {
                run[i].Done.TrySetException(o.Error);
            }
            else if (o.ReplayOf >= 0)
            {
                var first = outcomes[o.ReplayOf].Result!;
                run[i].Done.TrySetResult(first with { Replayed = true });
            }
            else
            {
                run[i].Done.TrySetResult(o.Result!);
            }
        }

        _bus.Advanced(eventId, last);
    }

    /// <summary>Takes the event's lock (row lock on PostgreSQL, the write lock on SQLite) and reads its settings.</summary>
    private static async Task<(long Seq, long? Highlighted, bool PreModeration, string NgWords)?> LockAsync(OpenGovDb db, IDbContextTransaction tx, string eventId)
    {
        var conn = db.Database.GetDbConnection();
        await using var cmd = conn.CreateCommand();
        cmd.Transaction = tx.GetDbTransaction();
        cmd.CommandText = "UPDATE \"event\" SET last_seq = last_seq WHERE id = @id RETURNING last_seq, highlighted_question_id, pre_moderation, ng_words";
        var p = cmd.CreateParameter();
        p.ParameterName = "@id";
        p.Value = eventId;
        cmd.Parameters.Add(p);
        await using var reader = await cmd.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }

        return (Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture),
            reader.IsDBNull(1) ? null : Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture),
            Convert.ToBoolean(reader.GetValue(2), CultureInfo.InvariantCulture),
            reader.IsDBNull(3) ? "" : reader.GetString(3));
    }

    /// <summary>
    /// Checks and applies the writes in order against what the batch loaded up front (bans, recorded idempotency
    /// keys, the voted questions and their voters, the answered polls and who answered them in their current
    /// round), keeping that state current as it goes. Returns the log entries of the polls answered (one each).
    /// </summary>
    private static async Task<List<(string Full, string? Public)>> ApplyAsync(OpenGovDb db, string eventId, List<FastWrite> run, Outcome[] outcomes, long? highlighted, bool preModeration, string ngWords)
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
                    throw EventService.Banned();
                }

                switch (w)
                {
                    case PostWrite p:
                        var held = EventService.ContainsNgWord(ngWords, p.Text + " " + p.Name + " " + p.Affiliation);
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

                        if (!voted.Add((target.Id, v.ParticipantId)))
                        {
                            throw EventService.AlreadyVoted();
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

                        var row = EventService.BuildAnswer(answeredPoll, a.ParticipantId, a.Choices, a.Rating, a.Text);
                        if (!answered.Add((answeredPoll.Id, a.ParticipantId)))
                        {
                            throw EventService.AlreadyAnswered();
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
            : (await EventService.PollViewsAsync(db, [.. answeredPolls.Select(id => polls[id])])).Select(view => EventService.RenderPoll(highlighted, view)).ToList();
    }

    /// <summary>The log entry (moderator and public JSON) and the answer of a write that changed one question.</summary>
    private static void Render(Outcome o, Question q, long? highlighted)
    {
        var (full, pub) = EventService.RenderQuestions(highlighted, [q]);
        o.Full = full;
        o.Public = pub;
        o.Accepted = true;
        o.Result = new WriteResult(200, EventJson.Serialize(new { question = QuestionView.Of(q, highlighted, false) }), false);
    }

    public void Dispose()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        _stop.Cancel();
        foreach (var q in _queues.Values)
        {
            q.Writer.TryComplete();
        }

        try
        {
            Task.WaitAll([.. _loops], TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        _stop.Dispose();
    }
}

/// <summary>A write waiting in an event's queue.</summary>
internal abstract class PendingWrite
{
    public TaskCompletionSource<WriteResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public virtual void Cancel() => Done.TrySetCanceled();
}

/// <summary>A write that runs its own transaction when its turn comes (moderation, polls, settings).</summary>
internal sealed class TurnWrite : PendingWrite, IAsyncDisposable
{
    public TaskCompletionSource Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override void Cancel()
    {
        Granted.TrySetCanceled();
        Finished.TrySetResult();
    }

    public ValueTask DisposeAsync()
    {
        Finished.TrySetResult();
        return ValueTask.CompletedTask;
    }
}

/// <summary>A question, vote or poll answer, committed in a batch with the others waiting.</summary>
internal abstract class FastWrite(string participantId, string? scope, string? key, CancellationToken ct) : PendingWrite
{
    public string ParticipantId { get; } = participantId;
    public string? Scope { get; } = scope;
    public string? Key { get; } = key;

    /// <summary>A request gone before its batch started is not written.</summary>
    public bool Cancelled => ct.IsCancellationRequested;
}

internal sealed class PostWrite(string participantId, string? key, string text, string name, string affiliation, string source, string? externalId, CancellationToken ct)
    : FastWrite(participantId, participantId, key, ct)
{
    public string Text { get; } = text;
    public string Name { get; } = name;
    public string Affiliation { get; } = affiliation;
    public string Source { get; } = source;
    public string? ExternalId { get; } = externalId;
}

internal sealed class VoteWrite(string participantId, string? key, long questionId, CancellationToken ct)
    : FastWrite(participantId, participantId, key, ct)
{
    public long QuestionId { get; } = questionId;
}

/// <summary>An answer to a poll (choices already de-duplicated, free words already cleaned); checked against the poll in the batch.</summary>
internal sealed class PollAnswerWrite(string participantId, string? key, long pollId, IReadOnlyList<long> choices, int? rating, string? text, CancellationToken ct)
    : FastWrite(participantId, participantId, key, ct)
{
    public long PollId { get; } = pollId;
    public IReadOnlyList<long> Choices { get; } = choices;
    public int? Rating { get; } = rating;
    public string? Text { get; } = text;
}
