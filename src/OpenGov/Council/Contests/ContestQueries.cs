using Microsoft.EntityFrameworkCore;
using OpenGov.Events;
using OpenGov.Events.Polls;
using OpenGov.Shared;
using OpenGov.Storage;
using OpenGov.Tabular;

namespace OpenGov.Council.Contests;

/// <summary>
/// Reads of contests and who may see what: drafts and unscreened entries to their owner and the secretariat, accepted
/// entries to everyone; scores to the secretariat, and to everyone once judging has closed. A contest that is not
/// published is the secretariat's draft: to everyone else it does not exist (<see cref="FindAsync"/> is the one place).
/// </summary>
public sealed class ContestQueries(OpenGovDb db, CouncilAccess access)
{
    public sealed record Results(
        Contest Contest, bool Visible, List<ContestRanking.Ranked> Ranking, Dictionary<long, ContestEntry> Entries,
        List<ContestAward> Awards, PollView? AudienceVote, Event? Ceremony, Dictionary<long, string> Showcases);

    public async Task<List<Contest>> ListAsync(CancellationToken ct)
    {
        var drafts = await access.IsSecretariatAsync(ct);
        return await db.Set<Contest>().AsNoTracking().Include(c => c.Criteria).Where(c => c.Published || drafts).OrderByDescending(c => c.Deadline).ToListAsync(ct);
    }

    /// <summary>The contest, if the caller may see it: published, or a draft and the caller is the secretariat.</summary>
    public async Task<Contest?> FindAsync(string slug, CancellationToken ct)
    {
        var c = await db.Set<Contest>().AsNoTracking().Include(c => c.Criteria).FirstOrDefaultAsync(c => c.Slug == slug, ct);
        return c is not null && (c.Published || await access.IsSecretariatAsync(ct)) ? c : null;
    }

    public async Task<Contest> GetAsync(string slug, CancellationToken ct) => await FindAsync(slug, ct) ?? throw CouncilException.NotFound();

    public Task<Event?> CeremonyAsync(Contest c, CancellationToken ct) =>
        c.CeremonyEventId is null ? Task.FromResult<Event?>(null) : db.Set<Event>().AsNoTracking().FirstOrDefaultAsync(e => e.Id == c.CeremonyEventId, ct);

    /// <summary>The entries the caller may see: all for the secretariat; else accepted ones and the caller's own.</summary>
    public async Task<List<ContestEntry>> EntriesAsync(Contest c, CancellationToken ct)
    {
        var q = db.Set<ContestEntry>().AsNoTracking().Where(e => e.ContestId == c.Id);
        if (!await access.IsSecretariatAsync(ct))
        {
            var me = access.User.Id;
            q = q.Where(e => e.State == EntryStates.Accepted || e.OwnerUserId == me);
        }

        return await q.OrderBy(e => e.Id).ToListAsync(ct);
    }

    /// <summary>One entry, if the caller may see it (its owner, the secretariat, its judges, or anyone once accepted).</summary>
    public async Task<ContestEntry> EntryAsync(Contest c, long id, CancellationToken ct)
    {
        var e = await db.Set<ContestEntry>().AsNoTracking().FirstOrDefaultAsync(e => e.Id == id && e.ContestId == c.Id, ct) ?? throw CouncilException.NotFound();
        var me = access.User.Id;
        return e.State == EntryStates.Accepted || e.OwnerUserId == me || await access.IsSecretariatAsync(ct)
            || (me is not null && await db.Set<ContestAssignment>().AnyAsync(a => a.EntryId == id && a.JudgeUserId == me, ct))
            ? e : throw CouncilException.NotFound();
    }

    /// <summary>The caller's entries in every contest.</summary>
    public async Task<List<(Contest Contest, ContestEntry Entry)>> MineAsync(CancellationToken ct)
    {
        var me = access.User.Id ?? throw CouncilException.LoginRequired();
        var entries = await db.Set<ContestEntry>().AsNoTracking().Where(e => e.OwnerUserId == me).OrderByDescending(e => e.Id).ToListAsync(ct);
        var ids = entries.Select(e => e.ContestId).Distinct().ToList();
        var contests = await db.Set<Contest>().AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        return [.. entries.Select(e => (contests[e.ContestId], e))];
    }

    /// <summary>
    /// A member's entries as everyone sees them: accepted entries of published contests made by a user of the member's
    /// catalog organization, or under the member's name as the team (as the events where it spoke are found by the
    /// speakers' affiliation); newest contest first.
    /// </summary>
    public async Task<List<(Contest Contest, ContestEntry Entry)>> OfMemberAsync(CouncilMember member, CancellationToken ct)
    {
        var org = member.OrganizationId;
        var staff = db.OrganizationRoles.Where(r => org != null && r.OrganizationId == org).Select(r => r.UserId);
        var name = member.Name;
        var rows = await db.Set<ContestEntry>().AsNoTracking()
            .Where(e => e.State == EntryStates.Accepted && (e.TeamName == name || staff.Contains(e.OwnerUserId)))
            .Join(db.Set<Contest>().AsNoTracking().Where(c => c.Published), e => e.ContestId, c => c.Id, (e, c) => new { c, e })
            .ToListAsync(ct);
        return [.. rows.OrderByDescending(r => r.c.Deadline).ThenBy(r => r.e.Id).Select(r => (r.c, r.e))];
    }

    /// <summary>The judging panel's user names, in order of name.</summary>
    public Task<List<string>> JudgeNamesAsync(Contest c, CancellationToken ct) =>
        db.Set<ContestJudge>().Where(j => j.ContestId == c.Id).Join(db.Users, j => j.UserId, u => u.Id, (j, u) => u.Name).OrderBy(n => n).ToListAsync(ct);

    /// <summary>Whether the caller judges any entry of the contest.</summary>
    public async Task<bool> IsJudgeAsync(Contest c, CancellationToken ct) =>
        access.User.Id is { } me && await db.Set<ContestAssignment>().AnyAsync(a => a.ContestId == c.Id && a.JudgeUserId == me, ct);

    /// <summary>Every judge's scores per entry (secretariat, exports and results once visible).</summary>
    public async Task<Dictionary<long, List<(ContestAssignment Assignment, string JudgeName, Dictionary<long, int> Scores)>>> ScoresAsync(Contest c, CancellationToken ct)
    {
        var assignments = await db.Set<ContestAssignment>().AsNoTracking().Where(a => a.ContestId == c.Id).ToListAsync(ct);
        var judgeIds = assignments.Select(a => a.JudgeUserId).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => judgeIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        var entryIds = assignments.Select(a => a.EntryId).Distinct().ToList();
        var scores = await db.Set<ContestScore>().AsNoTracking().Where(s => entryIds.Contains(s.EntryId)).ToListAsync(ct);
        return assignments.GroupBy(a => a.EntryId).ToDictionary(g => g.Key, g => g.OrderBy(a => names.GetValueOrDefault(a.JudgeUserId)).Select(a =>
            (a, names.GetValueOrDefault(a.JudgeUserId) ?? "", scores.Where(s => s.EntryId == a.EntryId && s.JudgeUserId == a.JudgeUserId).ToDictionary(s => s.CriterionId, s => s.Score))).ToList());
    }

    /// <summary>Whether the caller sees the scores and the ranking now: the secretariat always, everyone after judging.</summary>
    public async Task<bool> ScoresVisibleAsync(Contest c, CancellationToken ct) => c.JudgingClosedAt(DateTime.UtcNow) || await access.IsSecretariatAsync(ct);

    public async Task<Results> ResultsAsync(Contest c, CancellationToken ct)
    {
        var visible = await ScoresVisibleAsync(c, ct);
        var accepted = await db.Set<ContestEntry>().AsNoTracking().Where(e => e.ContestId == c.Id && e.State == EntryStates.Accepted).ToDictionaryAsync(e => e.Id, ct);
        var ranking = new List<ContestRanking.Ranked>();
        if (visible)
        {
            var scores = await ScoresAsync(c, ct);
            var criteria = c.Criteria.OrderBy(k => k.Order).ToList();
            ranking = ContestRanking.Rank(criteria, accepted.Keys.Select(id => (id, (IReadOnlyList<ContestRanking.JudgeScore>)
                [.. scores.GetValueOrDefault(id, []).Select(s => new ContestRanking.JudgeScore(s.Assignment.JudgeUserId, s.Scores))])));
        }

        var awards = await db.Set<ContestAward>().AsNoTracking().Where(a => a.ContestId == c.Id).OrderBy(a => a.Order).ThenBy(a => a.Id).ToListAsync(ct);
        var vote = c.AudiencePollId is { } pid ? await PollResults.LoadAsync(db, pid, ct) : null;
        return new Results(c, visible, ranking, accepted, awards, vote, await CeremonyAsync(c, ct), await ShowcaseNamesAsync(c, ct));
    }

    /// <summary>The names of the showcases made from the contest's entries, by entry.</summary>
    public async Task<Dictionary<long, string>> ShowcaseNamesAsync(Contest c, CancellationToken ct) =>
        (await db.Set<ContestEntry>().AsNoTracking().Where(e => e.ContestId == c.Id && e.ShowcaseId != null)
            .Join(db.Set<Showcases.Showcase>(), e => e.ShowcaseId, s => s.Id, (e, s) => new { e.Id, s.Name }).ToListAsync(ct))
        .ToDictionary(x => x.Id, x => x.Name);

    /// <summary>Contests whose judging closes in the fiscal year, with their awards and the entries awarded (the 年度 page).</summary>
    public async Task<List<(Contest Contest, List<(ContestAward Award, ContestEntry Entry)> Awards)>> InYearAsync(FiscalYear fy, CancellationToken ct)
    {
        var from = JapanTime.StartUtc(fy.Start);
        var to = JapanTime.StartUtc(fy.End.AddDays(1));
        var contests = await db.Set<Contest>().AsNoTracking().Where(c => c.Published && c.JudgingClosesAt > from && c.JudgingClosesAt <= to).OrderBy(c => c.JudgingClosesAt).ToListAsync(ct);
        var ids = contests.Select(c => c.Id).ToList();
        var awards = await db.Set<ContestAward>().AsNoTracking().Where(a => ids.Contains(a.ContestId)).OrderBy(a => a.Order).ThenBy(a => a.Id).ToListAsync(ct);
        var entryIds = awards.Select(a => a.EntryId).ToList();
        var entries = await db.Set<ContestEntry>().AsNoTracking().Where(e => entryIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id, ct);
        return [.. contests.Select(c => (c, awards.Where(a => a.ContestId == c.Id).Select(a => (a, entries[a.EntryId])).ToList()))];
    }
}
