using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.EntityFrameworkCore;
using OpenGov.Accounts;
using OpenGov.Storage;

namespace OpenGov.Council;

/// <summary>Who may change the registry: the secretariat (or a sysadmin) everything; an organization's admins their own member's profile.</summary>
public sealed class CouncilAccess(CurrentUser user, OpenGovDb db)
{
    private bool? _secretariat;

    public CurrentUser User => user;

    public async Task<bool> IsSecretariatAsync(CancellationToken ct = default)
    {
        if (_secretariat is null)
        {
            var id = user.Id;
            _secretariat = user.IsSysadmin || (id is not null && await db.Set<CouncilSecretary>().AnyAsync(s => s.UserId == id, ct));
        }

        return _secretariat.Value;
    }

    /// <summary>Edit the member's profile (English name, prefecture, population, notes).</summary>
    public async Task<bool> CanEditProfileAsync(CouncilMember member, CancellationToken ct = default) =>
        await IsSecretariatAsync(ct) || (member.OrganizationId is { } org && await user.CanAdministerAsync(org, ct));

    /// <summary>
    /// A page filter's gate for the secretariat's pages: anonymous users get the login, others without the role 403,
    /// before the handler reads or writes anything.
    /// </summary>
    public async Task SecretariatOnlyAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (!user.IsAuthenticated)
        {
            context.Result = new ChallengeResult();
            return;
        }

        if (!await IsSecretariatAsync(context.HttpContext.RequestAborted))
        {
            context.Result = new ForbidResult();
            return;
        }

        await next();
    }
}
