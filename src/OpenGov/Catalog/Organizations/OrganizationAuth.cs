using OpenGov.Accounts;
using OpenGov.Ckan;

namespace OpenGov.Catalog.Organizations;

/// <summary>
/// Who may call the organization, group and member actions (CKAN's auth functions for them), checked at the top of
/// each action. Organizations and groups are changed by their admins and sysadmins; groups are created, and datasets put in them, by sysadmins.
/// </summary>
public sealed class OrganizationAuth(CurrentUser user, Storage.OpenGovDb db)
{
    /// <summary>organization_create: sysadmins.</summary>
    public void CreateOrganization() => RequireSysadmin("create organizations");

    /// <summary>organization_update and organization_patch: the organization's admins, sysadmins.</summary>
    public Task UpdateOrganizationAsync(Organization org, CancellationToken ct) => AdministerAsync(org, $"edit organization {org.Id}", ct);

    /// <summary>group_create: sysadmins.</summary>
    public void CreateGroup() => RequireSysadmin("create groups");

    /// <summary>member_create/member_delete of a dataset in a group: sysadmins.</summary>
    public void EditGroup(Group group) => RequireSysadmin($"edit group {group.Id}");

    /// <summary>group_update, group_patch: the group's admins (group_member_create), sysadmins.</summary>
    public async Task UpdateGroupAsync(Group group, CancellationToken ct)
    {
        if (!await IsGroupAdminAsync(group, ct))
        {
            throw CkanException.Forbidden($"User {user.Label} not authorized to edit group {group.Id}");
        }
    }

    /// <summary>group_member_create/delete and member_create/delete of a user in a group: its admins, sysadmins.</summary>
    public async Task EditGroupMembersAsync(Group group, CancellationToken ct)
    {
        if (!await IsGroupAdminAsync(group, ct))
        {
            throw CkanException.Forbidden($"User {user.Label} not authorized to edit group {group.Id}");
        }
    }

    private async Task<bool> IsGroupAdminAsync(Group group, CancellationToken ct) =>
        user.IsSysadmin || (user.Id is { } id && await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(
            db.GroupRoles, r => r.GroupId == group.Id && r.UserId == id && r.Role == Roles.Admin, ct));

    /// <summary>member_create and member_delete on an organization: its admins, sysadmins.</summary>
    public Task EditMembersAsync(Organization org, CancellationToken ct) => AdministerAsync(org, $"edit group {org.Id}", ct);

    /// <summary>organization_delete: its admins (CKAN's "delete" permission), sysadmins.</summary>
    public Task DeleteOrganizationAsync(Organization org, CancellationToken ct) => AdministerAsync(org, $"delete organization {org.Id}", ct);

    /// <summary>group_delete: its admins (CKAN's "delete" permission), sysadmins.</summary>
    public async Task DeleteGroupAsync(Group group, CancellationToken ct)
    {
        if (!await IsGroupAdminAsync(group, ct))
        {
            throw CkanException.Forbidden($"User {user.Label} not authorized to delete group {group.Id}");
        }
    }

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
