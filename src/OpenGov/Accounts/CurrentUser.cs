using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using OpenGov.Storage;

namespace OpenGov.Accounts;

/// <summary>Who is acting, and what they may do. Every write checks it.</summary>
public sealed class CurrentUser(IHttpContextAccessor accessor, OpenGovDb db)
{
    private Dictionary<string, string>? _roles;

    public const string SysadminClaim = "opengov:sysadmin";

    /// <param name="stamp">The user's security stamp, for a login cookie (see <see cref="SecurityStamps"/>); null for API tokens.</param>
    public static IEnumerable<Claim> Claims(string id, string name, bool sysadmin, string? stamp = null)
    {
        yield return new Claim(ClaimTypes.NameIdentifier, id);
        yield return new Claim(ClaimTypes.Name, name);
        if (sysadmin)
        {
            yield return new Claim(SysadminClaim, "true");
        }

        if (stamp is not null)
        {
            yield return new Claim(SecurityStamps.ClaimType, stamp);
        }
    }

    private ClaimsPrincipal? Principal => accessor.HttpContext?.User;

    public bool IsAuthenticated => Id is not null;

    public string? Id => Principal?.FindFirstValue(ClaimTypes.NameIdentifier);

    public string? Name => Principal?.FindFirstValue(ClaimTypes.Name);

    public bool IsSysadmin => Principal?.HasClaim(SysadminClaim, "true") == true;

    /// <summary>How CKAN's "not authorized" messages name the caller.</summary>
    public string Label => Name ?? "not logged in";

    /// <summary>The user's role in each organization (organization id → admin|editor|member, see <see cref="Roles"/>).</summary>
    public async Task<IReadOnlyDictionary<string, string>> OrganizationRolesAsync(CancellationToken ct = default)
    {
        if (_roles is null)
        {
            var id = Id;
            _roles = id is null
                ? []
                : await db.OrganizationRoles.AsNoTracking().Where(r => r.UserId == id).ToDictionaryAsync(r => r.OrganizationId, r => r.Role, ct);
        }

        return _roles;
    }

    /// <summary>The user's role in one organization; null when they hold none.</summary>
    public async Task<string?> RoleInAsync(string organizationId, CancellationToken ct = default) =>
        (await OrganizationRolesAsync(ct)).GetValueOrDefault(organizationId);

    /// <summary>Read private datasets of the organization: anyone with a role in it, or a sysadmin.</summary>
    public async Task<bool> CanReadPrivateAsync(string organizationId, CancellationToken ct = default) =>
        IsSysadmin || await RoleInAsync(organizationId, ct) is not null;

    /// <summary>Create, edit and delete datasets of the organization: editors and admins, or a sysadmin.</summary>
    public async Task<bool> CanEditDatasetsAsync(string organizationId, CancellationToken ct = default) =>
        IsSysadmin || await RoleInAsync(organizationId, ct) is Roles.Admin or Roles.Editor;

    /// <summary>Change the organization itself and its members: its admins, or a sysadmin.</summary>
    public async Task<bool> CanAdministerAsync(string organizationId, CancellationToken ct = default) =>
        IsSysadmin || await RoleInAsync(organizationId, ct) is Roles.Admin;

    /// <summary>Organizations the user may publish in (all of them for a sysadmin).</summary>
    public async Task<IReadOnlyList<string>> EditableOrganizationIdsAsync(CancellationToken ct = default)
    {
        if (IsSysadmin)
        {
            return await db.Organizations.AsNoTracking().Where(o => o.State == RecordState.Active).Select(o => o.Id).ToListAsync(ct);
        }

        return [.. (await OrganizationRolesAsync(ct)).Where(kv => kv.Value is Roles.Admin or Roles.Editor).Select(kv => kv.Key)];
    }
}
