using Microsoft.EntityFrameworkCore;
using OpenGov.Accounts;
using OpenGov.Events.Questions;
using OpenGov.Events.Writing;
using OpenGov.Storage;

namespace OpenGov.Events.Moderation;

/// <summary>
/// A moderator's actions: on questions (approve, dismiss, highlight, answer, pin, edit, merge), bans and the event's
/// settings. Authorised by the caller, once per request: the moderator route group (<see cref="ModeratorFilter"/>)
/// or the console page.
/// </summary>
public sealed class ModerationService(OpenGovDb db, CurrentUser user, EventWrites writes)
{

    public static readonly string[] Actions = ["approve", "dismiss", "highlight", "unhighlight", "answer", "unanswer", "pin", "unpin", "edit", "merge"];

    /// <summary>A moderator's action on a question.</summary>
    public async Task<WriteResult> ModerateAsync(Event ev, long questionId, string action, string? text, long? into, string? idempotencyKey, CancellationToken ct = default)
    {
        if (!Actions.Contains(action))
        {
            throw EventException.Invalid("不明な操作です。", $"Unknown action '{action}'; one of {string.Join(", ", Actions)}.");
        }

        var clean = action == "edit" ? QuestionRules.CheckEdit(text) : "";
        return await writes.WriteAsync(ev, "user:" + user.Id, idempotencyKey, async change =>
        {
            var q = await db.Set<Question>().FirstOrDefaultAsync(x => x.Id == questionId && x.EventId == ev.Id, ct)
                ?? throw EventException.NotFound("question");
            if (q.State == QuestionStates.Merged)
            {
                throw new EventException(409, "merged", "この質問は統合済みです。", "The question was merged into another.");
            }

            change.Questions.Add(q);
            switch (action)
            {
                case "approve":
                    q.State = QuestionStates.Approved;
                    break;
                case "dismiss":
                    q.State = QuestionStates.Dismissed;
                    if (ev.HighlightedQuestionId == q.Id)
                    {
                        ev.HighlightedQuestionId = null;
                    }

                    break;
                case "highlight":
                    if (ev.HighlightedQuestionId is { } old && old != q.Id && await db.Set<Question>().FindAsync([old], ct) is { } previous)
                    {
                        change.Questions.Add(previous);
                    }

                    q.State = QuestionStates.Approved;
                    ev.HighlightedQuestionId = q.Id;
                    break;
                case "unhighlight":
                    if (ev.HighlightedQuestionId == q.Id)
                    {
                        ev.HighlightedQuestionId = null;
                    }

                    break;
                case "answer":
                    q.Answered = true;
                    if (ev.HighlightedQuestionId == q.Id)
                    {
                        ev.HighlightedQuestionId = null;
                    }

                    break;
                case "unanswer":
                    q.Answered = false;
                    break;
                case "pin":
                    q.Pinned = true;
                    break;
                case "unpin":
                    q.Pinned = false;
                    break;
                case "edit":
                    q.Text = clean;
                    q.Edited = DateTime.UtcNow;
                    break;
                case "merge":
                    await MergeAsync(ev, q, into, change, ct);
                    break;
            }

            await db.SaveChangesAsync(ct);
            return new { question = QuestionView.Of(q, ev.HighlightedQuestionId, true) };
        }, ct);
    }

    /// <summary>Merges <paramref name="source"/> into the question <paramref name="into"/>: each participant's vote counts once.</summary>
    private async Task MergeAsync(Event ev, Question source, long? into, EventWrites.Change change, CancellationToken ct)
    {
        if (into is not { } targetId || targetId == source.Id)
        {
            throw EventException.Invalid("統合先の質問を指定してください。", "merge needs 'into', another question of the event.");
        }

        var target = await db.Set<Question>().FirstOrDefaultAsync(x => x.Id == targetId && x.EventId == ev.Id, ct) ?? throw EventException.NotFound("question");
        if (target.State is QuestionStates.Merged or QuestionStates.Dismissed)
        {
            throw new EventException(409, "merged", "統合先の質問は統合済みか却下済みです。", "The target question was merged or dismissed.");
        }

        var targetVoters = await db.Set<QuestionVote>().Where(v => v.QuestionId == target.Id).Select(v => v.ParticipantId).ToListAsync(ct);
        var known = targetVoters.ToHashSet();
        var sourceVotes = await db.Set<QuestionVote>().Where(v => v.QuestionId == source.Id).ToListAsync(ct);
        db.RemoveRange(sourceVotes);
        foreach (var v in sourceVotes.Where(v => known.Add(v.ParticipantId)))
        {
            db.Add(new QuestionVote { QuestionId = target.Id, ParticipantId = v.ParticipantId, EventId = ev.Id, Created = v.Created });
        }

        // The author of the duplicate supports the target too.
        if (!string.IsNullOrEmpty(source.ParticipantId) && source.ParticipantId != target.ParticipantId && known.Add(source.ParticipantId))
        {
            db.Add(new QuestionVote { QuestionId = target.Id, ParticipantId = source.ParticipantId, EventId = ev.Id });
        }

        target.Votes = known.Count;
        source.Votes = 0;
        source.State = QuestionStates.Merged;
        source.MergedIntoId = target.Id;
        if (ev.HighlightedQuestionId == source.Id)
        {
            ev.HighlightedQuestionId = target.Id;
        }

        change.Questions.Add(target);
    }

    /// <summary>Bans the participant who wrote a question (or given by id) from posting and voting.</summary>
    public async Task<WriteResult> BanAsync(Event ev, string? participantId, long? questionId, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(participantId) && questionId is { } qid)
        {
            participantId = await db.Set<Question>().Where(q => q.Id == qid && q.EventId == ev.Id).Select(q => q.ParticipantId).FirstOrDefaultAsync(ct);
        }

        if (string.IsNullOrEmpty(participantId))
        {
            throw EventException.Invalid("参加者を指定してください。", "participant or question is required.");
        }

        return await writes.WriteAsync(ev, null, null, async change =>
        {
            if (!await db.Set<EventBan>().AnyAsync(b => b.EventId == ev.Id && b.ParticipantId == participantId, ct))
            {
                db.Add(new EventBan { EventId = ev.Id, ParticipantId = participantId });
            }

            // Their questions leave the public list.
            var theirs = await db.Set<Question>().Where(q => q.EventId == ev.Id && q.ParticipantId == participantId && q.State == QuestionStates.Approved).ToListAsync(ct);
            foreach (var q in theirs)
            {
                q.State = QuestionStates.Dismissed;
                if (ev.HighlightedQuestionId == q.Id)
                {
                    ev.HighlightedQuestionId = null;
                }

                change.Questions.Add(q);
            }

            await db.SaveChangesAsync(ct);
            return new { banned = participantId, dismissed = theirs.Count };
        }, ct);
    }

    /// <summary>Pre-moderation on or off, the NG-word list (one a line) and whether one may vote for one's own question; null leaves a setting as it is.</summary>
    public async Task<WriteResult> SettingsAsync(Event ev, bool? preModeration, string? ngWords, bool? voteOwnQuestion = null, CancellationToken ct = default)
    {
        var words = ngWords is null ? null : QuestionRules.NormalizeNgWords(ngWords);
        return await writes.WriteAsync(ev, null, null, async change =>
        {
            change.Settings = true;
            if (preModeration is { } pm)
            {
                ev.PreModeration = pm;
            }

            if (words is not null)
            {
                ev.NgWords = words;
            }

            if (voteOwnQuestion is { } own)
            {
                ev.VoteOwnQuestion = own;
            }

            await db.SaveChangesAsync(ct);
            return new { preModeration = ev.PreModeration, ngWords = ev.NgWords.Split('\n', StringSplitOptions.RemoveEmptyEntries), voteOwnQuestion = ev.VoteOwnQuestion };
        }, ct);
    }
}
