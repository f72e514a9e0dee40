using OpenGov.Storage;

namespace OpenGov.Council;

/// <summary>
/// Saves registry changes together with their audit entries (who, when, what changed) in one transaction: the one
/// place every registry write goes through.
/// </summary>
public static class CouncilAudit
{
    private static readonly Type[] Audited = [typeof(CouncilMember), typeof(MembershipPeriod), typeof(MemberRole), typeof(CouncilCharter), typeof(CouncilActivity), typeof(CouncilSecretary),
        typeof(Contests.Contest), typeof(Contests.ContestCriterion), typeof(Contests.ContestEntry), typeof(Contests.ContestAssignment), typeof(Contests.ContestScore), typeof(Contests.ContestAward),
        typeof(Contests.ContestJudge), typeof(Contests.ContestEntryFile)];

    public static Task SaveAsync(OpenGovDb db, string? userId, string userName, CancellationToken ct) =>
        AuditDiff.SaveAsync(db, AuditDiff.Read(db, Audited, Plain), p => new CouncilAuditEntry
        {
            UserId = userId,
            UserName = userName,
            EntityType = p.Entry.Metadata.ClrType.Name,
            EntityId = p.EntityId,
            MemberId = p.Entry.Entity switch
            {
                CouncilMember m => m.Id,
                MembershipPeriod mp => mp.MemberId,
                MemberRole r => r.MemberId,
                _ => null,
            },
            Action = p.Action,
            Changes = p.Changes,
        }, ct);

    private static object? Plain(object? v) => v switch
    {
        DateOnly d => CouncilDate.Iso(d),
        _ => v,
    };
}
