using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using OpenGov.Storage;

namespace OpenGov.Council;

/// <summary>
/// Saves registry changes together with their audit entries (who, when, what changed) in one transaction: the one
/// place every registry write goes through.
/// </summary>
public static class CouncilAudit
{
    private static readonly Type[] Audited = [typeof(CouncilMember), typeof(MembershipPeriod), typeof(MemberRole), typeof(CouncilCharter), typeof(CouncilActivity), typeof(CouncilSecretary),
        typeof(Contests.Contest), typeof(Contests.ContestCriterion), typeof(Contests.ContestEntry), typeof(Contests.ContestAssignment), typeof(Contests.ContestScore), typeof(Contests.ContestAward)];

    public static async Task SaveAsync(OpenGovDb db, string? userId, string userName, CancellationToken ct)
    {
        var pending = db.ChangeTracker.Entries()
            .Where(e => Audited.Contains(e.Entity.GetType()) && e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .Select(e => (Entry: e, KeyBefore: Key(e), Action: e.State switch { EntityState.Added => "create", EntityState.Deleted => "delete", _ => "update" }, Changes: Changes(e)))
            .Where(x => x.Action != "update" || x.Changes.Count > 0)
            .ToList();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        foreach (var (entry, keyBefore, action, changes) in pending)
        {
            db.Add(new CouncilAuditEntry
            {
                UserId = userId,
                UserName = userName,
                EntityType = entry.Metadata.ClrType.Name,
                EntityId = action == "create" ? Key(entry) : keyBefore,
                MemberId = entry.Entity switch
                {
                    CouncilMember m => m.Id,
                    MembershipPeriod p => p.MemberId,
                    MemberRole r => r.MemberId,
                    _ => null,
                },
                Action = action,
                Changes = JsonSerializer.Serialize(changes),
            });
        }

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    private static string Key(EntityEntry e) =>
        string.Join("/", e.Metadata.FindPrimaryKey()!.Properties.Select(p => e.Property(p.Name).CurrentValue?.ToString() ?? ""));

    /// <summary>Changed properties as name → [old, new] (creations: new only; deletions: old only).</summary>
    private static Dictionary<string, object?[]> Changes(EntityEntry e)
    {
        var result = new Dictionary<string, object?[]>();
        foreach (var p in e.Properties.Where(p => !p.Metadata.IsPrimaryKey() && p.Metadata.Name is not "Created" and not "Modified"))
        {
            var old = e.State == EntityState.Added ? null : p.OriginalValue;
            var now = e.State == EntityState.Deleted ? null : p.CurrentValue;
            if (e.State == EntityState.Modified && Equals(old, now))
            {
                continue;
            }

            result[p.Metadata.Name] = [Plain(old), Plain(now)];
        }

        return result;
    }

    private static object? Plain(object? v) => v switch
    {
        DateOnly d => CouncilDate.Iso(d),
        _ => v,
    };
}
