using Microsoft.EntityFrameworkCore;
using OpenGov.Accounts;
using OpenGov.Ckan;
using OpenGov.Storage;

namespace OpenGov.Showcases;

/// <summary>
/// Who may call each showcase action, as ckanext-showcase's logic/auth.py: anyone reads; sysadmins and showcase
/// admins create, edit, delete and link datasets; only sysadmins manage the showcase admins.
/// </summary>
public sealed class ShowcaseAuth(OpenGovDb db, CurrentUser user)
{
    private bool? _admin;

    public CurrentUser User => user;

    /// <summary>A sysadmin, or a user on the showcase admin list.</summary>
    public async Task<bool> CanManageAsync(CancellationToken ct)
    {
        if (user.IsSysadmin)
        {
            return true;
        }

        if (user.Id is not { } id)
        {
            return false;
        }

        return _admin ??= await db.Set<ShowcaseAdmin>().AnyAsync(a => a.UserId == id, ct);
    }

    /// <summary>Checks a write action; CKAN's answer when the auth function says no.</summary>
    public async Task RequireManageAsync(string action, CancellationToken ct)
    {
        if (!await CanManageAsync(ct))
        {
            throw Denied(action);
        }
    }

    /// <summary>The showcase admin list: sysadmins only.</summary>
    public void RequireSysadmin(string action)
    {
        if (!user.IsSysadmin)
        {
            throw Denied(action);
        }
    }

    /// <summary>
    /// CKAN's refusal: anonymous callers get "Action X requires an authenticated user"; logged-in users whose auth
    /// function returned no message get the bare "Access denied".
    /// </summary>
    internal CkanException Denied(string action) => user.IsAuthenticated
        ? new CkanException(403, "Authorization Error", "Access denied")
        : CkanException.Forbidden($"Action {action} requires an authenticated user");
}
