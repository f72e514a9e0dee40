namespace OpenGov.Events.Writing;

/// <summary>The answer of a write, replayable for a repeated Idempotency-Key.</summary>
public sealed record WriteResult(int Status, string Json, bool Replayed);

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

internal sealed class VoteWrite(string participantId, string? key, long questionId, CancellationToken ct, bool allowOwn = true, bool retract = false)
    : FastWrite(participantId, participantId, key, ct)
{
    public long QuestionId { get; } = questionId;

    /// <summary>Takes the participant's vote back instead of casting one.</summary>
    public bool Retract { get; } = retract;

    /// <summary>Whether the question's own poster may vote for it (EventsOptions.VoteOwnQuestion).</summary>
    public bool AllowOwn { get; } = allowOwn;
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
