using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace OpenGov.Storage;

/// <summary>
/// What a room's audit history records of the pending changes of some entity types: the action, the key and the
/// changed properties (old and new values). Each room keeps its own audit table and saves its entries with its
/// writes, in one transaction (<c>Council/CouncilAudit</c>, <c>Showcases/ShowcaseAudit</c>).
/// </summary>
public static class AuditDiff
{
    /// <summary>Japanese values stay readable in the stored JSON (HTML-sensitive characters are still escaped).</summary>
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    /// <summary>A change of one entity, read before saving (the key of a created row is read again after).</summary>
    public sealed record Pending(EntityEntry Entry, string KeyBefore, string Action, string Changes)
    {
        /// <summary>The entity's key: for creations the key the database gave.</summary>
        public string EntityId => Action == "create" ? Key(Entry) : KeyBefore;
    }

    /// <summary>The added, modified (with at least one changed property) and deleted entities of the given types.</summary>
    public static List<Pending> Read(DbContext db, IReadOnlyCollection<Type> audited, Func<object?, object?>? plain = null) =>
        [.. db.ChangeTracker.Entries()
            .Where(e => audited.Contains(e.Entity.GetType()) && e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .Select(e => (Entry: e, Action: e.State switch { EntityState.Added => "create", EntityState.Deleted => "delete", _ => "update" }, Changes: Changes(e, plain)))
            .Where(x => x.Action != "update" || x.Changes.Count > 0)
            .Select(x => new Pending(x.Entry, Key(x.Entry), x.Action, JsonSerializer.Serialize(x.Changes, Json)))];

    /// <summary>
    /// Saves in a transaction of its own, or in the caller's when one is open (a write of two rooms in one commit):
    /// the changes first, then the audit entries made from <paramref name="pending"/>.
    /// </summary>
    public static async Task SaveAsync(DbContext db, List<Pending> pending, Func<Pending, object> entry, CancellationToken ct)
    {
        await using var tx = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        await db.SaveChangesAsync(ct);
        foreach (var p in pending)
        {
            db.Add(entry(p));
        }

        await db.SaveChangesAsync(ct);
        if (tx is not null)
        {
            await tx.CommitAsync(ct);
        }
    }

    public static string Key(EntityEntry e) =>
        string.Join("/", e.Metadata.FindPrimaryKey()!.Properties.Select(p => e.Property(p.Name).CurrentValue?.ToString() ?? ""));

    /// <summary>Changed properties as name → [old, new] (creations: new only; deletions: old only).</summary>
    private static Dictionary<string, object?[]> Changes(EntityEntry e, Func<object?, object?>? plain)
    {
        plain ??= v => v;
        var result = new Dictionary<string, object?[]>();
        foreach (var p in e.Properties.Where(p => !p.Metadata.IsPrimaryKey() && p.Metadata.Name is not "Created" and not "Modified" and not "MetadataModified"))
        {
            var old = e.State == EntityState.Added ? null : p.OriginalValue;
            var now = e.State == EntityState.Deleted ? null : p.CurrentValue;
            if (e.State == EntityState.Modified && Equals(old, now))
            {
                continue;
            }

            result[p.Metadata.Name] = [plain(old), plain(now)];
        }

        return result;
    }
}
