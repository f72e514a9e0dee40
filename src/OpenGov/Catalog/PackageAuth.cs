using OpenGov.Accounts;
using OpenGov.Ckan;

namespace OpenGov.Catalog;

/// <summary>
/// Who may call the dataset and resource actions (CKAN's auth functions for package_* and resource_*), checked at
/// the top of each action before anything is read or changed. A failed check is CKAN's 403 "Authorization Error".
/// Reading goes by <see cref="DatasetVisibility"/>; writing by the caller's role in the dataset's organization.
/// </summary>
public sealed class PackageAuth(CurrentUser user, DatasetVisibility visibility)
{
    /// <summary>package_show, package_activity_list: whoever may see the dataset.</summary>
    public async Task ReadPackageAsync(Dataset d, CancellationToken ct)
    {
        if (!await visibility.CanSeeAsync(d, ct))
        {
            throw CkanException.Forbidden($"User {user.Label} not authorized to read package {d.Name}");
        }
    }

    /// <summary>resource_show: whoever may see the resource's dataset.</summary>
    public async Task ReadResourceAsync(Dataset d, string resourceId, CancellationToken ct)
    {
        if (!await visibility.CanSeeAsync(d, ct))
        {
            throw CkanException.Forbidden($"User {user.Label} not authorized to read resource {resourceId}");
        }
    }

    /// <summary>package_create: a logged-in editor or admin of some organization, or a sysadmin.</summary>
    public async Task CreatePackageAsync(CancellationToken ct)
    {
        if (!user.IsAuthenticated || (!user.IsSysadmin && (await user.EditableOrganizationIdsAsync(ct)).Count == 0))
        {
            throw CkanException.Forbidden($"User {user.Label} not authorized to create packages");
        }
    }

    /// <summary>package_create with owner_org: an editor or admin of that organization, or a sysadmin.</summary>
    public async Task AddPackageToAsync(Organization? org, CancellationToken ct)
    {
        if (!user.IsSysadmin && (org is null || !await user.CanEditDatasetsAsync(org.Id, ct)))
        {
            throw CkanException.Forbidden($"User {user.Label} not authorized to add dataset to this organization");
        }
    }

    /// <summary>package_update and package_patch.</summary>
    public Task UpdatePackageAsync(Dataset d, CancellationToken ct) => EditAsync(d, $"edit package {d.Id}", ct);

    /// <summary>Whether the current user may edit the dataset (for the page's edit link; harvested ones are read-only).</summary>
    public async Task<bool> CanUpdateAsync(Dataset d, CancellationToken ct) =>
        user.IsAuthenticated && d.HarvestSourceId is null && await user.CanEditDatasetsAsync(d.OwnerOrgId, ct);

    /// <summary>package_delete.</summary>
    public Task DeletePackageAsync(Dataset d, CancellationToken ct) => EditAsync(d, $"delete package {d.Id}", ct);

    /// <summary>dataset_purge: sysadmins only; CKAN's bare "Access denied".</summary>
    public void PurgePackage()
    {
        if (!user.IsSysadmin)
        {
            throw CkanException.Forbidden();
        }
    }

    /// <summary>resource_create.</summary>
    public Task CreateResourceAsync(Dataset d, CancellationToken ct) => EditAsync(d, $"create resources on dataset {d.Id}", ct);

    /// <summary>resource_update and resource_patch.</summary>
    public Task UpdateResourceAsync(Dataset d, string resourceId, CancellationToken ct) => EditAsync(d, $"edit resource {resourceId}", ct);

    /// <summary>resource_delete.</summary>
    public Task DeleteResourceAsync(Dataset d, string resourceId, CancellationToken ct) => EditAsync(d, $"delete resource {resourceId}", ct);

    /// <summary>Whether the caller may move a dataset into another organization (a validation error, not a 403).</summary>
    public Task<bool> CanMoveToAsync(Organization org, CancellationToken ct) => user.CanEditDatasetsAsync(org.Id, ct);

    /// <summary>Every change of a dataset and its resources: editors and admins of its organization, sysadmins.</summary>
    private async Task EditAsync(Dataset d, string what, CancellationToken ct)
    {
        if (!await user.CanEditDatasetsAsync(d.OwnerOrgId, ct))
        {
            throw CkanException.Forbidden($"User {user.Label} not authorized to {what}");
        }

        if (d.HarvestSourceId is { } source)
        {
            throw new HarvestedDatasetException(d.Name, source, what);
        }
    }
}

/// <summary>
/// A change refused because the dataset is harvested from another catalog: CKAN's 403 "Authorization Error", with
/// the reason in English and Japanese (<c>message_ja</c>). Only the dataset's harvest jobs change it.
/// </summary>
public sealed class HarvestedDatasetException(string name, string sourceId, string what)
    : CkanException(403, "Authorization Error", $"Access denied: dataset {name} is harvested (harvest source {sourceId}) and read-only here; change it at its source catalog (refused: {what})")
{
    public const string EnglishStart = "Access denied: dataset ";

    public override string? MessageJa =>
        $"データセット「{name}」は他のカタログから収集（ハーベスト）したもので、このサイトでは変更できません。収集元のカタログで変更してください。";
}
