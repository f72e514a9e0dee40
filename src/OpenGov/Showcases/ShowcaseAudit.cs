using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OpenGov.Storage;

namespace OpenGov.Showcases;

/// <summary>One write to a showcase or its dataset links: who, when, what changed (old and new values as JSON).</summary>
public sealed class ShowcaseAuditEntry
{
    public long Id { get; set; }
    public DateTime At { get; set; } = DateTime.UtcNow;
    public string? UserId { get; set; }
    public string UserName { get; set; } = "";

    /// <summary>The showcase the change concerns (kept after the showcase is deleted).</summary>
    public required string ShowcaseId { get; set; }

    /// <summary>Showcase or ShowcaseDataset.</summary>
    public required string EntityType { get; set; }
    public required string EntityId { get; set; }

    /// <summary>create | update | delete.</summary>
    public required string Action { get; set; }
    public string Changes { get; set; } = "{}";
}

/// <summary>
/// Saves showcase writes with their audit entries in one transaction (the council's mechanism, <see cref="AuditDiff"/>,
/// with the room's own table): the one way <see cref="ShowcaseEditor"/> saves.
/// </summary>
public static class ShowcaseAudit
{
    private static readonly Type[] Audited = [typeof(Showcase), typeof(ShowcaseDataset)];

    public static Task SaveAsync(OpenGovDb db, string? userId, string userName, CancellationToken ct) =>
        AuditDiff.SaveAsync(db, AuditDiff.Read(db, Audited), p => new ShowcaseAuditEntry
        {
            UserId = userId,
            UserName = userName,
            ShowcaseId = p.Entry.Entity switch
            {
                Showcase s => s.Id,
                ShowcaseDataset l => l.ShowcaseId,
                _ => "",
            },
            EntityType = p.Entry.Metadata.ClrType.Name,
            EntityId = p.EntityId,
            Action = p.Action,
            Changes = p.Changes,
        }, ct);

    /// <summary>A showcase's history, newest first.</summary>
    public static Task<List<ShowcaseAuditEntry>> HistoryAsync(OpenGovDb db, string showcaseId, CancellationToken ct) =>
        HistoryAsync(db, showcaseId, 0, 100, ct);

    /// <summary>One page of a showcase's history, newest first: skip <paramref name="offset"/> entries, then at most <paramref name="limit"/>.</summary>
    public static Task<List<ShowcaseAuditEntry>> HistoryAsync(OpenGovDb db, string showcaseId, int offset, int limit, CancellationToken ct) =>
        db.Set<ShowcaseAuditEntry>().AsNoTracking().Where(a => a.ShowcaseId == showcaseId)
            .OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Skip(offset).Take(limit).ToListAsync(ct);

    /// <summary>The showcase id of entries that concern no one showcase: changes of the showcase admins.</summary>
    public const string SiteWide = "";

    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    /// <summary>
    /// Saves a pending change of the showcase admins (the row added or removed by the caller) with its audit entry in
    /// one save: who did it, the admin's user id as the entity and their name as the change.
    /// </summary>
    public static async Task SaveAdminChangeAsync(OpenGovDb db, string? userId, string userName, string action, string adminUserId, string adminName, CancellationToken ct)
    {
        string?[] name = action == "delete" ? [adminName, null] : [null, adminName];
        db.Add(new ShowcaseAuditEntry
        {
            UserId = userId,
            UserName = userName,
            ShowcaseId = SiteWide,
            EntityType = nameof(ShowcaseAdmin),
            EntityId = adminUserId,
            Action = action,
            Changes = JsonSerializer.Serialize(new Dictionary<string, string?[]> { ["UserName"] = name }, Json),
        });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>How many entries a showcase's history has (for the page's page links).</summary>
    public static Task<int> CountAsync(OpenGovDb db, string showcaseId, CancellationToken ct) =>
        db.Set<ShowcaseAuditEntry>().CountAsync(a => a.ShowcaseId == showcaseId, ct);
}

internal sealed class ShowcaseAuditEntryConfiguration : IEntityTypeConfiguration<ShowcaseAuditEntry>
{
    public void Configure(EntityTypeBuilder<ShowcaseAuditEntry> b)
    {
        b.ToTable("showcase_audit");
        b.HasKey(x => x.Id);
        b.HasIndex(x => new { x.ShowcaseId, x.At });
        b.Property(x => x.EntityType).HasMaxLength(40);
    }
}
