using Microsoft.EntityFrameworkCore;
using OpenGov.Events.Questions;
using OpenGov.Events.Writing;
using OpenGov.Storage;

namespace OpenGov.Events.Polls;

/// <summary>
/// What a moderator sends to create a poll. Old names are still accepted: the kind "contest" (see
/// <see cref="PollKinds.Normalize"/>) and "questionJa" for <see cref="Question"/>.
/// </summary>
public sealed record PollInput(string? Kind, string? Question, string? QuestionEn, List<string>? Options, List<string>? OptionsEn, int? MaxRating, string? QuestionJa = null);

/// <summary>
/// Polls of an event: the lists with results, a moderator's poll and its state, and a participant's answer (committed
/// by the group writer). The moderator's writes are authorised by the caller (route group or console page).
/// </summary>
public sealed class PollService(OpenGovDb db, EventWrites writes, EventRateLimits limits)
{
    public async Task<List<PollView>> ListAsync(Event ev, bool includeDrafts, CancellationToken ct = default)
    {
        var polls = await db.Set<Poll>().AsNoTracking().Include(p => p.Options)
            .Where(p => p.EventId == ev.Id && (includeDrafts || p.State != "draft")).OrderBy(p => p.Id).ToListAsync(ct);
        return await PollResults.OfAsync(db, polls, ct);
    }

    /// <summary>The polls the participant has answered in their current round.</summary>
    public async Task<HashSet<long>> AnsweredPollIdsAsync(Event ev, string participantId, CancellationToken ct = default)
    {
        var rows = await db.Set<PollResponse>().AsNoTracking()
            .Where(r => r.ParticipantId == participantId && db.Set<Poll>().Any(p => p.Id == r.PollId && p.EventId == ev.Id && p.Round == r.Round))
            .Select(r => r.PollId).ToListAsync(ct);
        return [.. rows];
    }

    /// <summary>Creates a poll (a draft).</summary>
    public Task<WriteResult> CreateAsync(Event ev, PollInput input, CancellationToken ct = default) => CreateAsync(ev, input, null, ct);

    /// <summary>
    /// Creates a poll (a draft); <c>alongside</c>, when given, runs in the same transaction once the poll has its id
    /// (another room saving its link to the poll): if it throws, the poll is not created either.
    /// </summary>
    public async Task<WriteResult> CreateAsync(Event ev, PollInput input, Func<Poll, Task>? alongside, CancellationToken ct)
    {
        var kind = PollKinds.Normalize(input.Kind);
        if (!PollKinds.IsValid(kind))
        {
            throw EventException.Invalid("投票の種類が不正です。", "kind must be single, multiple, rating, words or leaderboard.");
        }

        var question = input.Question ?? input.QuestionJa;
        if (string.IsNullOrWhiteSpace(question))
        {
            throw EventException.Invalid("設問を入力してください。", "question is required.");
        }

        var options = (input.Options ?? []).Select(o => o.Trim()).Where(o => o.Length > 0).ToList();
        if (PollKinds.HasOptions(kind!) && (options.Count < 2 || options.Count > 50))
        {
            throw EventException.Invalid("選択肢を2～50個指定してください。", "options: 2 to 50 choices.");
        }

        var maxRating = input.MaxRating ?? 5;
        if (maxRating is < 2 or > 10)
        {
            throw EventException.Invalid("評価の最大値は2～10です。", "max_rating: 2 to 10.");
        }

        return await writes.WriteAsync(ev, null, null, async change =>
        {
            var poll = new Poll
            {
                EventId = ev.Id,
                Kind = kind!,
                Question = question.Trim(),
                QuestionEn = input.QuestionEn?.Trim() ?? "",
                MaxRating = maxRating,
                Options = options.Select((o, i) => new PollOption { Order = i, Label = o, LabelEn = input.OptionsEn?.ElementAtOrDefault(i)?.Trim() ?? "" }).ToList(),
            };
            db.Add(poll);
            await db.SaveChangesAsync(ct);
            if (alongside is not null)
            {
                await alongside(poll);
            }

            change.Polls.Add(poll.Id);
            return new { poll = poll.Id };
        }, ct);
    }

    /// <summary>open | close | draft | next-round (leaderboard).</summary>
    public Task<WriteResult> ActAsync(Event ev, long pollId, string action, CancellationToken ct = default) => ActAsync(ev, pollId, action, null, ct);

    /// <summary>open | close | draft | next-round; <c>alongside</c> runs in the same transaction, as with a poll's creation.</summary>
    public Task<WriteResult> ActAsync(Event ev, long pollId, string action, Func<Poll, Task>? alongside, CancellationToken ct) =>
        writes.WriteAsync(ev, null, null, async change =>
        {
            var poll = await db.Set<Poll>().FirstOrDefaultAsync(p => p.Id == pollId && p.EventId == ev.Id, ct)
                ?? throw EventException.NotFound("poll");
            switch (action)
            {
                case "open":
                    poll.State = "open";
                    break;
                case "close":
                    poll.State = "closed";
                    break;
                case "draft":
                    poll.State = "draft";
                    break;
                case "next-round":
                    poll.Round++;
                    poll.State = "open";
                    break;
                default:
                    throw EventException.Invalid("不明な操作です。", "action must be open, close, draft or next-round.");
            }

            await db.SaveChangesAsync(ct);
            if (alongside is not null)
            {
                await alongside(poll);
            }

            change.Polls.Add(poll.Id);
            return new { poll = poll.Id, state = poll.State, round = poll.Round };
        }, ct);

    /// <summary>
    /// A participant's answer: one per poll and round. Committed in a batch with the other questions, votes and
    /// answers waiting (group commit); checked there against the poll as it is under the event's lock.
    /// </summary>
    public Task<WriteResult> AnswerAsync(Event ev, string participantId, long pollId, IReadOnlyList<long>? choices, int? rating, string? text, string? idempotencyKey, CancellationToken ct = default) =>
        writes.QueueAsync(ev, new PollAnswerWrite(participantId, EventWrites.NormalizeKey(idempotencyKey), pollId, [.. (choices ?? []).Distinct()], rating, text is null ? null : QuestionRules.CleanLine(text), ct),
            () => limits.TryVote(participantId), ct);
}
