using Microsoft.EntityFrameworkCore;
using OpenGov.Accounts;
using OpenGov.Catalog;
using OpenGov.Ckan;
using OpenGov.Storage;

namespace OpenGov.DataStore;

/// <summary>Finds a resource with its dataset and checks what the current user may do with its DataStore table.</summary>
public sealed class DataStoreAccess(OpenGovDb db, CurrentUser user, DatasetVisibility visibility)
{
    public async Task<(Resource Resource, Dataset Dataset)?> FindAsync(string resourceId, CancellationToken ct)
    {
        var r = await db.Resources.AsNoTracking().FirstOrDefaultAsync(x => x.Id == resourceId && x.State == "active", ct);
        if (r is null)
        {
            return null;
        }

        var d = await db.Datasets.AsNoTracking().FirstOrDefaultAsync(x => x.Id == r.DatasetId && x.State != "deleted", ct);
        return d is null ? null : (r, d);
    }

    /// <summary>The catalog's rule: whoever may see the dataset may read its tables.</summary>
    public Task<bool> CanReadAsync(Dataset d, CancellationToken ct) => visibility.CanSeeAsync(d, ct);

    /// <summary>The resource, readable by the caller; 404 otherwise (private datasets are not revealed).</summary>
    public async Task<(Resource Resource, Dataset Dataset)> ReadableAsync(string resourceId, CancellationToken ct)
    {
        var found = await FindAsync(resourceId, ct);
        if (found is not { } f || !await CanReadAsync(f.Dataset, ct))
        {
            throw CkanException.NotFound($"Resource \"{resourceId}\" was not found.");
        }

        return f;
    }

    /// <summary>The resource, editable by the caller: 404 when missing, 403 without edit rights on its organization.</summary>
    public async Task<(Resource Resource, Dataset Dataset)> EditableAsync(string resourceId, CancellationToken ct)
    {
        var found = await FindAsync(resourceId, ct);
        if (found is not { } f)
        {
            throw CkanException.NotFound($"Resource \"{resourceId}\" was not found.");
        }

        if (!await user.CanEditDatasetsAsync(f.Dataset.OwnerOrgId, ct))
        {
            if (!await CanReadAsync(f.Dataset, ct))
            {
                throw CkanException.NotFound($"Resource \"{resourceId}\" was not found.");
            }

            throw CkanException.Forbidden($"User {user.Name ?? "anonymous"} not authorized to edit resource {resourceId}");
        }

        return f;
    }

    /// <summary>Resource ids among <paramref name="ids"/> that the caller may read.</summary>
    public async Task<HashSet<string>> ReadableIdsAsync(IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        var rows = await (from r in db.Resources.AsNoTracking()
                          join d in db.Datasets.AsNoTracking() on r.DatasetId equals d.Id
                          where ids.Contains(r.Id) && r.State == "active" && d.State != "deleted"
                          select new { r.Id, d.State, d.Private, d.OwnerOrgId }).ToListAsync(ct);
        var result = new HashSet<string>();
        foreach (var row in rows)
        {
            if (await visibility.CanSeeAsync(row.State, row.Private, row.OwnerOrgId, ct))
            {
                result.Add(row.Id);
            }
        }

        return result;
    }
}
