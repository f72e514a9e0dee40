using OpenGov.Accounts;
using OpenGov.Ckan;
using OpenGov.Council;

namespace OpenGov.Harvest;

/// <summary>
/// Who may do what with harvesting: sysadmins and the council's secretariat register, change, delete and run
/// sources (ckanext-harvest leaves it to sysadmins and the source's organization admins; here the council keeps
/// its members' catalogs in step); they and the editors and admins of a source's organization read its jobs;
/// anyone reads the sources.
/// </summary>
public sealed class HarvestAuth(CurrentUser user, CouncilAccess council)
{
    public CurrentUser User => user;

    public Task<bool> CanManageAsync(CancellationToken ct) => council.IsSecretariatAsync(ct);

    public async Task<bool> CanReadJobsAsync(HarvestSource source, CancellationToken ct) =>
        await CanManageAsync(ct) || await user.CanEditDatasetsAsync(source.OrganizationId, ct);

    public async Task RequireManageAsync(string action, CancellationToken ct)
    {
        if (!await CanManageAsync(ct))
        {
            throw Denied(action);
        }
    }

    public async Task RequireReadJobsAsync(HarvestSource source, string action, CancellationToken ct)
    {
        if (!await CanReadJobsAsync(source, ct))
        {
            throw Denied(action);
        }
    }

    private CkanException Denied(string action) => user.IsAuthenticated
        ? CkanException.Forbidden($"User {user.Label} not authorized to {action}")
        : CkanException.Forbidden($"Action {action} requires an authenticated user");
}
