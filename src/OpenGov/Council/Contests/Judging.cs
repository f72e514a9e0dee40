using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OpenGov.Storage;

namespace OpenGov.Council.Contests;

/// <summary>
/// Judges score the entries assigned to them, on the contest's rubric, between the deadline and the close of judging;
/// a judge sees only their own scores until judging closes.
/// </summary>
public sealed class Judging(OpenGovDb db, CouncilAccess access)
{
    /// <summary>An assigned entry as its judge sees it: the entry, the judge's own scores and comment.</summary>
    public sealed record Assigned(ContestEntry Entry, ContestAssignment Assignment, Dictionary<long, int> Scores);

    public async Task<List<Assigned>> AssignedAsync(Contest contest, CancellationToken ct)
    {
        var userId = access.User.Id ?? throw CouncilException.LoginRequired();
        var assignments = await db.Set<ContestAssignment>().AsNoTracking().Where(a => a.ContestId == contest.Id && a.JudgeUserId == userId).ToListAsync(ct);
        var ids = assignments.Select(a => a.EntryId).ToList();
        var entries = await db.Set<ContestEntry>().AsNoTracking().Where(e => ids.Contains(e.Id)).ToDictionaryAsync(e => e.Id, ct);
        var scores = await db.Set<ContestScore>().AsNoTracking().Where(s => ids.Contains(s.EntryId) && s.JudgeUserId == userId).ToListAsync(ct);
        return [.. assignments.OrderBy(a => a.EntryId).Select(a => new Assigned(entries[a.EntryId], a, scores.Where(s => s.EntryId == a.EntryId).ToDictionary(s => s.CriterionId, s => s.Score)))];
    }

    /// <summary>One entry for its judge (404 for anyone not assigned to it, so its existence is not told).</summary>
    public async Task<Assigned> AssignedAsync(Contest contest, long entryId, CancellationToken ct)
    {
        var all = await AssignedAsync(contest, ct);
        return all.FirstOrDefault(a => a.Entry.Id == entryId) ?? throw new CouncilException(403, "この応募の審査員に割り当てられていません。");
    }

    /// <summary>Sets the judge's scores of an entry (every criterion, within 0..max) and comment.</summary>
    public async Task ScoreAsync(string slug, long entryId, ScoreInput input, CancellationToken ct)
    {
        var userId = access.User.Id ?? throw CouncilException.LoginRequired();
        var contest = await db.Set<Contest>().AsNoTracking().Include(c => c.Criteria).FirstOrDefaultAsync(c => c.Slug == slug, ct) ?? throw CouncilException.NotFound();
        var assignment = await db.Set<ContestAssignment>().FirstOrDefaultAsync(a => a.EntryId == entryId && a.ContestId == contest.Id && a.JudgeUserId == userId, ct)
            ?? throw new CouncilException(403, "この応募の審査員に割り当てられていません。");
        var now = DateTime.UtcNow;
        if (now < contest.Deadline)
        {
            throw CouncilException.Invalid("scores", "採点は応募締切（{0}）の後にできます。", ContestText.Format(contest.Deadline, false));
        }

        if (contest.JudgingClosedAt(now))
        {
            throw CouncilException.Invalid("scores", "審査は{0}に終了しました。採点は変更できません。", ContestText.Format(contest.JudgingClosesAt, false));
        }

        var given = input.Scores ?? [];
        var values = new Dictionary<long, int>();
        foreach (var k in contest.Criteria.OrderBy(k => k.Order))
        {
            var key = k.Id.ToString(CultureInfo.InvariantCulture);
            if (!given.TryGetValue(key, out var v) || v is null)
            {
                throw CouncilException.Invalid("score-" + key, "「{0}」の点数を入力してください（0～{1}点）。", k.Name, k.MaxScore);
            }

            if (v < 0 || v > k.MaxScore)
            {
                throw CouncilException.Invalid("score-" + key, "「{0}」の点数{1}は審査基準の範囲（0～{2}点）の外です。", k.Name, v.Value, k.MaxScore);
            }

            values[k.Id] = v.Value;
        }

        var extra = given.Keys.FirstOrDefault(key => !contest.Criteria.Any(k => k.Id.ToString(CultureInfo.InvariantCulture) == key));
        if (extra is not null)
        {
            throw CouncilException.Invalid("scores", "審査基準「{0}」はこのコンテストにありません。", extra);
        }

        var existing = await db.Set<ContestScore>().Where(s => s.EntryId == entryId && s.JudgeUserId == userId).ToListAsync(ct);
        foreach (var (criterion, value) in values)
        {
            if (existing.FirstOrDefault(s => s.CriterionId == criterion) is { } row)
            {
                row.Score = value;
            }
            else
            {
                db.Add(new ContestScore { EntryId = entryId, JudgeUserId = userId, CriterionId = criterion, Score = value });
            }
        }

        assignment.Comment = ContestText.Limit(input.Comment, 4000, "comment");
        assignment.ScoredAt = now;
        await CouncilAudit.SaveAsync(db, userId, access.User.Name ?? "", ct);
    }
}
