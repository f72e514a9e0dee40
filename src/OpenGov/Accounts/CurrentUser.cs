using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using OpenGov.Storage;

namespace OpenGov.Accounts;

/// <summary>Who is acting, and what they may do. Every write checks it.</summary>
public sealed class CurrentUser(IHttpContextAccessor accessor, OpenGovDb db)
{
    private Dictionary<string, string>? _capacities;

    public const string SysadminClaim = "opengov:sysadmin";

    public static IEnumerable<Claim> Claims(string id, string name, bool sysadmin)
    {
        yield return new Claim(ClaimTypes.NameIdentifier, id);
        yield return new Claim(ClaimTypes.Name, name);
        if (sysadmin)
        {
            yield return new Claim(SysadminClaim, "true");
        }
    }

    private ClaimsPrincipal? Principal => accessor.HttpContext?.User;

    public bool IsAuthenticated => Id is not null;

    public string? Id => Principal?.FindFirstValue(ClaimTypes.NameIdentifier);

    public string? Name => Principal?.FindFirstValue(ClaimTypes.Name);

    public bool IsSysadmin => Principal?.HasClaim(SysadminClaim, "true") == true;

    /// <summary>The user's capacity in each organization (organization id → admin|editor|member).</summary>
    public async Task<IReadOnlyDictionary<string, string>> CapacitiesAsync(CancellationToken ct = default)
    {
        if (_capacities is null)
        {
            var id = Id;
            _capacities = id is null
                ? []
                : await db.Memberships.AsNoTracking().Where(m => m.UserId == id).ToDictionaryAsync(m => m.OrganizationId, m => m.Capacity, ct);
        }

        return _capacities;
    }

    public async Task<string?> CapacityInAsync(string organizationId, CancellationToken ct = default) =>
        (await CapacitiesAsync(ct)).GetValueOrDefault(organizationId);

    /// <summary>Read private datasets of the organization: any member, or a sysadmin.</summary>
    public async Task<bool> CanReadPrivateAsync(string organizationId, CancellationToken ct = default) =>
        IsSysadmin || await CapacityInAsync(organizationId, ct) is not null;

    /// <summary>Create, edit and delete datasets of the organization: editors and admins, or a sysadmin.</summary>
    public async Task<bool> CanEditDatasetsAsync(string organizationId, CancellationToken ct = default) =>
        IsSysadmin || await CapacityInAsync(organizationId, ct) is Capacity.Admin or Capacity.Editor;

    /// <summary>Change the organization itself and its members: its admins, or a sysadmin.</summary>
    public async Task<bool> CanAdministerAsync(string organizationId, CancellationToken ct = default) =>
        IsSysadmin || await CapacityInAsync(organizationId, ct) is Capacity.Admin;

    /// <summary>Organizations the user may publish in (all of them for a sysadmin).</summary>
    public async Task<IReadOnlyList<string>> EditableOrganizationIdsAsync(CancellationToken ct = default)
    {
        if (IsSysadmin)
        {
            return await db.Organizations.AsNoTracking().Where(o => o.State == "active").Select(o => o.Id).ToListAsync(ct);
        }

        return [.. (await CapacitiesAsync(ct)).Where(kv => kv.Value is Capacity.Admin or Capacity.Editor).Select(kv => kv.Key)];
    }
}
