using Microsoft.EntityFrameworkCore;
using OpenGov.Accounts;
using OpenGov.Catalog;
using OpenGov.Storage;

namespace OpenGov.Dashboards;

/// <summary>A stored dashboard with its organization and parsed definition.</summary>
public sealed record StoredDashboard(Organization Organization, Dashboard Record, DashboardDefinition Definition);

/// <summary>Refused write: <see cref="Status"/> is the HTTP status, the message is Japanese (English in <see cref="MessageEn"/>).</summary>
public sealed class DashboardWriteException(int status, string message, string messageEn) : Exception(message)
{
    public int Status { get; } = status;

    public string MessageEn { get; } = messageEn;

    public DashboardWriteException() : this(400, "", "") { }

    public DashboardWriteException(string message) : this(400, message, message) { }

    public DashboardWriteException(string message, Exception inner) : this(400, message, message) => _ = inner;
}

/// <summary>Reads and writes dashboard definitions, keeping every version with who saved it; writes need an editor of the organization.</summary>
public sealed class DashboardStore(OpenGovDb db, CurrentUser user, Notifications.IChangeNotifications notifications)
{
    public async Task<Organization?> OrganizationAsync(string name, CancellationToken ct) =>
        await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Name == name && o.State == "active", ct);

    public async Task<StoredDashboard?> GetAsync(string orgName, string slug, CancellationToken ct)
    {
        var org = await OrganizationAsync(orgName, ct);
        if (org is null)
        {
            return null;
        }
        var rec = await db.Set<Dashboard>().AsNoTracking().FirstOrDefaultAsync(d => d.OrganizationId == org.Id && d.Slug == slug, ct);
        return rec is null ? null : new StoredDashboard(org, rec, DashboardJson.Deserialize(rec.DefinitionJson));
    }

    public async Task<IReadOnlyList<(string Slug, DashboardDefinition Definition)>> ListAsync(string organizationId, CancellationToken ct) =>
        (await db.Set<Dashboard>().AsNoTracking().Where(d => d.OrganizationId == organizationId).OrderBy(d => d.Slug).ToListAsync(ct))
        .Select(d => (d.Slug, DashboardJson.Deserialize(d.DefinitionJson))).ToList();

    /// <summary>Every stored dashboard of an active organization (optionally of one slug), by organization then slug.</summary>
    public async Task<IReadOnlyList<StoredDashboard>> AllAsync(CancellationToken ct, string? slug = null)
    {
        var rows = await db.Set<Dashboard>().AsNoTracking()
            .Where(d => slug == null || d.Slug == slug)
            .Join(db.Organizations.Where(o => o.State == "active"), d => d.OrganizationId, o => o.Id, (d, o) => new { d, o })
            .ToListAsync(ct);
        return rows.OrderBy(x => x.o.Name, StringComparer.Ordinal).ThenBy(x => x.d.Slug, StringComparer.Ordinal)
            .Select(x => new StoredDashboard(x.o, x.d, DashboardJson.Deserialize(x.d.DefinitionJson))).ToList();
    }

    public async Task<IReadOnlyList<DashboardVersion>> VersionsAsync(string dashboardId, CancellationToken ct) =>
        await db.Set<DashboardVersion>().AsNoTracking().Where(v => v.DashboardId == dashboardId).OrderByDescending(v => v.Version).ToListAsync(ct);

    public Task<bool> CanEditAsync(Organization org, CancellationToken ct) => user.CanEditDatasetsAsync(org.Id, ct);

    /// <summary>Resource ids among <paramref name="ids"/> the current reader may read (public, or private to an organization they belong to).</summary>
    public async Task<IReadOnlySet<string>> ReadableAsync(IEnumerable<string> ids, CancellationToken ct)
    {
        var list = ids.Distinct().ToList();
        var rows = await db.Resources.AsNoTracking().Where(r => list.Contains(r.Id) && r.State == "active")
            .Join(db.Datasets.Where(d => d.State == "active"), r => r.DatasetId, d => d.Id, (r, d) => new { r.Id, d.Private, d.OwnerOrgId })
            .ToListAsync(ct);
        var readable = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in rows)
        {
            if (!r.Private || await user.CanReadPrivateAsync(r.OwnerOrgId, ct))
            {
                readable.Add(r.Id);
            }
        }
        return readable;
    }

    /// <summary>
    /// A short stamp of what a dashboard's page shows from the catalog: its organization's names and, for each source
    /// resource, its name and state and its dataset's name, title, visibility, state and last change. It moves when one
    /// of them changes (a source dataset made private, say), and not when other datasets change.
    /// </summary>
    public async Task<string> CatalogStampAsync(StoredDashboard d, CancellationToken ct)
    {
        var ids = DashboardSources.Of(d.Definition).ToList();
        var rows = await db.Resources.AsNoTracking().Where(r => ids.Contains(r.Id))
            .Join(db.Datasets, r => r.DatasetId, x => x.Id, (r, x) => new
            {
                r.Id,
                r.Name,
                r.State,
                Dataset = x.Name,
                x.Title,
                x.Private,
                DatasetState = x.State,
                DatasetModified = x.MetadataModified,
            })
            .ToListAsync(ct);
        var o = d.Organization;
        var text = string.Join('|', rows.OrderBy(r => r.Id, StringComparer.Ordinal).Select(r =>
            $"{r.Id}:{r.Name}:{r.State}:{r.Dataset}:{r.Title}:{r.Private}:{r.DatasetState}:{r.DatasetModified.Ticks}"))
            + $"|{o.Name}:{o.Title}:{o.TitleEn}";
        return DashboardData.ShortHash(text, 12);
    }

    /// <summary>
    /// Saves <paramref name="definition"/> as the organization's dashboard of its slug: checks the editor's right, the
    /// definition, and that every source is a resource the editor may read; writes a new version.
    /// </summary>
    /// <param name="system">The demo seeder: no user check.</param>
    public async Task<Dashboard> SaveAsync(Organization org, DashboardDefinition definition, string summary, CancellationToken ct, bool system = false)
    {
        if (!system && !await CanEditAsync(org, ct))
        {
            throw new DashboardWriteException(403, "この組織のダッシュボードを編集する権限がありません。", "You may not edit this organization's dashboards.");
        }
        definition = definition with { Organization = org.Name };
        var errors = DashboardValidator.Validate(definition);
        if (errors.Count > 0)
        {
            throw new DashboardWriteException(400, string.Join(" ", errors), "The definition is not valid: " + string.Join(" ", errors));
        }
        var sources = DashboardSources.Of(definition).ToList();
        if (!system)
        {
            var readable = await ReadableAsync(sources, ct);
            var refused = sources.Where(s => !readable.Contains(s)).ToList();
            if (refused.Count > 0)
            {
                throw new DashboardWriteException(403, $"読めないリソースを参照しています: {string.Join(", ", refused)}", $"The definition refers to resources you may not read: {string.Join(", ", refused)}");
            }
        }
        var json = DashboardJson.Serialize(definition);
        var rec = await db.Set<Dashboard>().FirstOrDefaultAsync(d => d.OrganizationId == org.Id && d.Slug == definition.Slug, ct);
        if (rec is null)
        {
            rec = new Dashboard { OrganizationId = org.Id, Slug = definition.Slug, DefinitionJson = json };
            db.Add(rec);
        }
        else if (rec.DefinitionJson == json)
        {
            return rec;
        }
        else
        {
            rec.DefinitionJson = json;
            rec.Version++;
            rec.Modified = DateTime.UtcNow;
        }
        db.Add(new DashboardVersion { DashboardId = rec.Id, Version = rec.Version, DefinitionJson = json, ChangedBy = system ? null : user.Id, Summary = summary });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            throw new DashboardWriteException(409, "同時に別の変更が保存されました。読み込み直してからやり直してください。", "Another change was saved at the same time; reload and try again.");
        }
        await notifications.PublishAsync(new DashboardSaved(org.Name, rec.Slug, rec.Version), ct);
        return rec;
    }
}
