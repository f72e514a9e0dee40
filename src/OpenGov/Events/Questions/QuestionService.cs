using OpenGov.Events.Writing;

namespace OpenGov.Events.Questions;

/// <summary>A participant's questions and votes: checked here, rate-limited, then committed by the group writer.</summary>
public sealed class QuestionService(EventWrites writes, EventRateLimits limits, Microsoft.Extensions.Options.IOptions<EventsOptions> options)
{
    /// <summary>Posts a question of a participant (or, with <paramref name="source"/> youtube, an imported chat message).</summary>
    public Task<WriteResult> PostQuestionAsync(Event ev, string participantId, string? text, string? name, string? affiliation, string? idempotencyKey,
        string source = "web", string? externalId = null, CancellationToken ct = default)
    {
        var (clean, cleanName, cleanAffiliation) = QuestionRules.CheckPost(text, name, affiliation);

        // Banned participants are refused in the batch, under the event's lock.
        return writes.QueueAsync(ev, new PostWrite(participantId, EventWrites.NormalizeKey(idempotencyKey), clean, cleanName, cleanAffiliation, source, externalId, ct),
            source == "web" ? () => limits.TryQuestion(participantId) : null, ct);
    }

    /// <summary>
    /// Whether a participant may vote for their own question in the event: the event's setting and the node's
    /// OpenGov:Events:VoteOwnQuestion must both allow it (the batch refuses such a vote under the event's lock; pages
    /// ask here to leave the button out).
    /// </summary>
    public bool OwnVotesAllowed(Event ev) => options.Value.VoteOwnQuestion && ev.VoteOwnQuestion;

    /// <summary>Whether this node allows votes for one's own question at all (OpenGov:Events:VoteOwnQuestion); the event's setting can only narrow it.</summary>
    public bool NodeAllowsOwnVotes => options.Value.VoteOwnQuestion;

    /// <summary>One vote per participant per question; a repeated vote is refused and counts nothing.</summary>
    public Task<WriteResult> VoteAsync(Event ev, string participantId, long questionId, string? idempotencyKey, CancellationToken ct = default) =>
        writes.QueueAsync(ev, new VoteWrite(participantId, EventWrites.NormalizeKey(idempotencyKey), questionId, ct, options.Value.VoteOwnQuestion), () => limits.TryVote(participantId), ct);

    /// <summary>Takes a participant's vote for a question back; refused when there is none.</summary>
    public Task<WriteResult> UnvoteAsync(Event ev, string participantId, long questionId, string? idempotencyKey, CancellationToken ct = default) =>
        writes.QueueAsync(ev, new VoteWrite(participantId, EventWrites.NormalizeKey(idempotencyKey), questionId, ct, retract: true), () => limits.TryVote(participantId), ct);
}
