using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using OpenGov.Events.Live;
using OpenGov.Storage;

namespace OpenGov.Events.Writing;

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
                ? run[0] is PollAnswerWrite ? EventException.AlreadyAnswered() : EventException.AlreadyVoted()
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
                var state = await EventLock.TakeAsync(db, tx, eventId, nextSeq: false, CancellationToken.None);
                if (state is null)
                {
                    foreach (var w in run)
                    {
                        w.Done.TrySetException(EventException.NotFound());
                    }

                    return;
                }

                var (seq0, highlighted, preModeration, ngWords, voteOwn) = state.Value;
                var pollEntries = await BatchApplier.ApplyAsync(db, eventId, run, outcomes, highlighted, preModeration, ngWords, voteOwn);
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
