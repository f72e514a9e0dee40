using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OpenGov.Accounts;
using OpenGov.Storage;

namespace OpenGov.Catalog.Editing.Pages;

/// <summary>/dashboard/datasets: the datasets of the user's organizations (all of them for a sysadmin), with edit links.</summary>
[Authorize]
public sealed class DashboardModel(OpenGovDb db, CurrentUser user) : PageModel
{
    public sealed record Row(string Name, string Title, string OrganizationTitle, bool Private, string State, DateTime Modified, bool CanEdit, int Resources);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public bool CanCreate { get; private set; }

    public int Total { get; private set; }

    public const int PageSize = 200;

    public async Task OnGetAsync(CancellationToken ct)
    {
        var capacities = await user.OrganizationRolesAsync(ct);
        var orgIds = capacities.Keys.ToList();
        var editable = (await user.EditableOrganizationIdsAsync(ct)).ToHashSet();
        CanCreate = editable.Count > 0;
        var query = db.Datasets.AsNoTracking().Where(d => d.State != RecordState.Deleted && (user.IsSysadmin || orgIds.Contains(d.OwnerOrgId)));
        Total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(d => d.MetadataModified).Take(PageSize)
            .Select(d => new
            {
                d.Name,
                d.Title,
                d.OwnerOrgId,
                d.Private,
                d.State,
                d.MetadataModified,
                Resources = d.Resources.Count(r => r.State == RecordState.Active),
            })
            .ToListAsync(ct);
        var ids = rows.Select(r => r.OwnerOrgId).Distinct().ToList();
        var orgs = await db.Organizations.AsNoTracking().Where(o => ids.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Title, ct);
        Rows = [.. rows.Select(r => new Row(r.Name, r.Title, orgs.GetValueOrDefault(r.OwnerOrgId, ""), r.Private, r.State, r.MetadataModified, editable.Contains(r.OwnerOrgId), r.Resources))];
    }
}
