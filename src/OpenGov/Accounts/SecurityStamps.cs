using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using OpenGov.Hosting;
using OpenGov.Storage;

namespace OpenGov.Accounts;

/// <summary>
/// Ends login sessions on every node. Each login cookie carries the user's security stamp (<see cref="User.SecurityStamp"/>)
/// as it was at login; logout, a password change and a sysadmin disabling the user give the user a new stamp, and every
/// node then refuses cookies with the old one (and deletes them). Like ASP.NET Identity's SecurityStampValidator, a node
/// reads the stamp from the database at most once per <see cref="OpenGovOptions.SecurityStampCheckSeconds"/> per user, so
/// another node notices within that time; the node that changed the stamp notices at once.
/// </summary>
public sealed class SecurityStamps(IMemoryCache cache, IServiceScopeFactory scopes, IOptions<OpenGovOptions> options)
{
    public const string ClaimType = "opengov:stamp";

    private sealed record Current(string Stamp, bool Active, bool Sysadmin);

    public static string NewStamp() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Cookie event: refuses a principal whose stamp, state or sysadmin flag is no longer the user's.</summary>
    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        var id = principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        var stamp = principal?.FindFirstValue(ClaimType);
        var current = id is null ? null : await CurrentAsync(id, context.HttpContext.RequestAborted);
        if (current is not null && stamp == current.Stamp && current.Active
            && principal!.HasClaim(CurrentUser.SysadminClaim, "true") == current.Sysadmin)
        {
            return;
        }

        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }

    /// <summary>Gives the user a new stamp: every login cookie of theirs, on every node, stops working.</summary>
    public async Task<string> RotateAsync(OpenGovDb db, string userId, CancellationToken ct = default)
    {
        var stamp = NewStamp();
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.SecurityStamp, stamp), ct);
        Forget(userId);
        return stamp;
    }

    /// <summary>
    /// Gives a tracked user a new stamp, saves it with the caller's other changes to the user (one write, by
    /// <paramref name="saveAsync"/>), then drops this node's cached copy: every login cookie of theirs stops working.
    /// The one way a change to a loaded user (password, state, sysadmin flag) ends their sessions.
    /// </summary>
    public async Task<string> RenewAsync(User user, Func<CancellationToken, Task> saveAsync, CancellationToken ct = default)
    {
        user.SecurityStamp = NewStamp();
        await saveAsync(ct);
        Forget(user.Id);
        return user.SecurityStamp;
    }

    /// <summary>Drops this node's cached copy (after a change made here).</summary>
    public void Forget(string userId) => cache.Remove(Key(userId));

    private async Task<Current?> CurrentAsync(string userId, CancellationToken ct)
    {
        if (cache.TryGetValue(Key(userId), out Current? hit))
        {
            return hit;
        }

        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
        var row = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new Current(u.SecurityStamp, u.State == RecordState.Active, u.Sysadmin)).FirstOrDefaultAsync(ct);
        var seconds = options.Value.SecurityStampCheckSeconds;
        if (row is not null && seconds > 0)
        {
            cache.Set(Key(userId), row, TimeSpan.FromSeconds(seconds));
        }

        return row;
    }

    private static string Key(string userId) => "security-stamp:" + userId;
}
