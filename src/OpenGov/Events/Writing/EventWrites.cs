using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using OpenGov.Events.Live;
using OpenGov.Events.Polls;
using OpenGov.Storage;

namespace OpenGov.Events.Writing;

/// <summary>
/// The one way into an event's data. A question, vote or poll answer is queued for the group commit
/// (<see cref="QueueAsync"/>); any other write (moderation, polls, settings) runs in its turn of the same queue in one
/// transaction that first takes the event's next log sequence number (which also serialises writers of one event),
/// changes the data, appends the log entry and, when an Idempotency-Key was sent, records the answer
/// (<see cref="WriteAsync"/>). The bus is told after the commit; nothing here calls back into the services that write.
/// </summary>
public sealed class EventWrites(OpenGovDb db, EventBus bus, EventWriter writer)
{
    /// <summary>What a write changed, for the log entry.</summary>
    public sealed class Change
    {
        public List<Question> Questions { get; } = [];
        public List<long> Polls { get; } = [];

        /// <summary>The event's settings were written: the entry tells open pages the own-question vote setting.</summary>
        public bool Settings { get; set; }
    }

    /// <summary>
    /// Runs <paramref name="action"/> in a transaction with the event's next log sequence number; appends the log
    /// entry; records the answer under the idempotency key; tells live streams after the commit. A repeated key
    /// returns the first answer and changes nothing.
    /// </summary>
    public async Task<WriteResult> WriteAsync(Event ev, string? idempotencyScope, string? idempotencyKey, Func<Change, Task<object>> action, CancellationToken ct = default)
    {
        idempotencyKey = NormalizeKey(idempotencyKey);
        if (idempotencyKey is not null && idempotencyScope is not null)
        {
            var previous = await FindIdempotentAsync(idempotencyScope, idempotencyKey, ct);
            if (previous is not null)
            {
                return previous;
            }
        }

        long seq;
        string json;
        // This node's writes of the event queue in memory (in order with the batched questions and votes) instead of
        // waiting on the database lock with a pooled connection each; the database lock orders the nodes.
        var turn = await writer.TurnAsync(ev.Id, ct);
        var autoSavepoints = db.Database.AutoSavepointsEnabled;
        db.Database.AutoSavepointsEnabled = false; // a failed write rolls back whole: no savepoint round trips
        try
        {
            await using (var tx = await db.Database.BeginTransactionAsync(ct))
            {
                seq = await NextSeqAsync(ev, tx, ct);
                if (idempotencyKey is not null && idempotencyScope is not null
                    && await FindIdempotentAsync(idempotencyScope, idempotencyKey, ct) is { } concurrent)
                {
                    // The same request committed while this one waited for the event's lock.
                    await tx.RollbackAsync(ct);
                    return concurrent;
                }

                var change = new Change();
                var result = await action(change);
                json = EventJson.Serialize(result);
                await db.SaveChangesAsync(ct);
                var (full, pub) = await RenderChangeAsync(ev, change, ct);
                db.Add(new EventLogEntry { EventId = ev.Id, Seq = seq, Kind = "change", Payload = full, PublicPayload = pub });
                if (idempotencyKey is not null && idempotencyScope is not null)
                {
                    db.Add(new IdempotencyRecord { Scope = idempotencyScope, Key = idempotencyKey, Status = 200, Body = json });
                }

                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
            }
        }
        catch (DbUpdateException) when (idempotencyKey is not null && idempotencyScope is not null)
        {
            // A concurrent request with the same key committed first: answer as it did.
            db.ChangeTracker.Clear();
            return await FindIdempotentAsync(idempotencyScope, idempotencyKey, ct)
                ?? throw new EventException(409, "conflict", "同時に更新されました。もう一度お試しください。", "Concurrent update: try again.");
        }
        catch
        {
            db.ChangeTracker.Clear();
            throw;
        }
        finally
        {
            db.Database.AutoSavepointsEnabled = autoSavepoints;
            await turn.DisposeAsync();
        }

        bus.Advanced(ev.Id, seq);
        return new WriteResult(200, json, false);
    }

    /// <summary>A question, vote or poll answer: replays a recorded Idempotency-Key, applies the rate limit, then waits for the group commit.</summary>
    internal async Task<WriteResult> QueueAsync(Event ev, FastWrite write, Func<bool>? admit, CancellationToken ct)
    {
        if (write.Key is not null && await FindIdempotentAsync(write.Scope!, write.Key, ct) is { } previous)
        {
            return previous;
        }

        if (admit is not null && !admit())
        {
            throw EventException.RateLimited();
        }

        return await writer.WriteAsync(ev.Id, write);
    }

    /// <summary>An Idempotency-Key as stored: trimmed, at most 200 characters; null when empty.</summary>
    public static string? NormalizeKey(string? key)
    {
        key = key?.Trim();
        return string.IsNullOrEmpty(key) ? null : key.Length > 200 ? key[..200] : key;
    }

    private async Task<WriteResult?> FindIdempotentAsync(string scope, string key, CancellationToken ct)
    {
        var rec = await db.Set<IdempotencyRecord>().AsNoTracking().FirstOrDefaultAsync(r => r.Scope == scope && r.Key == key, ct);
        return rec is null ? null : new WriteResult(rec.Status, rec.Body, true);
    }

    /// <summary>
    /// Takes the event's lock and next sequence number (<see cref="EventLock"/>), and puts the moderation state read
    /// with them into <paramref name="ev"/>, so the write sees fresh settings without another round trip.
    /// </summary>
    private async Task<long> NextSeqAsync(Event ev, IDbContextTransaction tx, CancellationToken ct)
    {
        var (seq, highlighted, preModeration, ngWords, voteOwn) = await EventLock.TakeAsync(db, tx, ev.Id, nextSeq: true, ct) ?? throw EventException.NotFound();
        var entry = db.Entry(ev);
        if (entry.State == EntityState.Detached)
        {
            ev.HighlightedQuestionId = highlighted;
            ev.PreModeration = preModeration;
            ev.NgWords = ngWords;
            ev.VoteOwnQuestion = voteOwn;
        }
        else
        {
            // What the database holds now: current and original values, so nothing is written back needlessly.
            entry.Property(e => e.HighlightedQuestionId).CurrentValue = highlighted;
            entry.Property(e => e.HighlightedQuestionId).OriginalValue = highlighted;
            entry.Property(e => e.PreModeration).CurrentValue = preModeration;
            entry.Property(e => e.PreModeration).OriginalValue = preModeration;
            entry.Property(e => e.NgWords).CurrentValue = ngWords;
            entry.Property(e => e.NgWords).OriginalValue = ngWords;
            entry.Property(e => e.VoteOwnQuestion).CurrentValue = voteOwn;
            entry.Property(e => e.VoteOwnQuestion).OriginalValue = voteOwn;
        }

        return seq;
    }

    /// <summary>The full (moderator) and public JSON of a change.</summary>
    private async Task<(string Full, string? Public)> RenderChangeAsync(Event ev, Change change, CancellationToken ct)
    {
        var questions = change.Questions.DistinctBy(q => q.Id).ToList();
        var polls = new List<PollView>();
        foreach (var id in change.Polls.Distinct())
        {
            if (await PollResults.LoadAsync(db, id, ct) is { } view)
            {
                polls.Add(view);
            }
        }

        return LogEntries.Render(ev.HighlightedQuestionId, questions, polls, change.Settings ? ev.VoteOwnQuestion : null);
    }
}
