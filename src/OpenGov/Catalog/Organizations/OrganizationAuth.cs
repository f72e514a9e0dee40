using OpenGov.Accounts;
using OpenGov.Ckan;

namespace OpenGov.Catalog.Organizations;

/// <summary>
/// Who may call the organization, group and member actions (CKAN's auth functions for them), checked at the top of
/// each action. Organizations are changed by their admins and sysadmins; groups only by sysadmins.
/// </summary>
public sealed class OrganizationAuth(CurrentUser user)
{
    /// <summary>organization_create: sysadmins.</summary>
    public void CreateOrganization() => RequireSysadmin("create organizations");

    /// <summary>organization_update and organization_patch: the organization's admins, sysadmins.</summary>
    public Task UpdateOrganizationAsync(Organization org, CancellationToken ct) => AdministerAsync(org, $"edit organization {org.Id}", ct);

    /// <summary>group_create: sysadmins.</summary>
    public void CreateGroup() => RequireSysadmin("create groups");

    /// <summary>group_update, group_patch, and member_create/member_delete on a group: sysadmins.</summary>
    public void EditGroup(Group group) => RequireSysadmin($"edit group {group.Id}");

    /// <summary>member_create and member_delete on an organization: its admins, sysadmins.</summary>
    public Task EditMembersAsync(Organization org, CancellationToken ct) => AdministerAsync(org, $"edit group {org.Id}", ct);

    /// <summary>organization_delete: its admins (CKAN's "delete" permission), sysadmins.</summary>
    public Task DeleteOrganizationAsync(Organization org, CancellationToken ct) => AdministerAsync(org, $"delete organization {org.Id}", ct);

    /// <summary>group_delete: sysadmins (groups here have no admins of their own).</summary>
    public void DeleteGroup(Group group) => RequireSysadmin($"delete group {group.Id}");

    /// <summary>organization_purge and group_purge: sysadmins only; CKAN's bare "Access denied".</summary>
    public void Purge()
    {
        if (!user.IsSysadmin)
        {
            throw CkanException.Forbidden();
        }
    }

    private void RequireSysadmin(string what)
    {
        if (!user.IsSysadmin)
        {
            throw CkanException.Forbidden($"User {user.Label} not authorized to {what}");
        }
    }

    private async Task AdministerAsync(Organization org, string what, CancellationToken ct)
    {
        if (!await user.CanAdministerAsync(org.Id, ct))
        {
            throw CkanException.Forbidden($"User {user.Label} not authorized to {what}");
        }
    }
}
