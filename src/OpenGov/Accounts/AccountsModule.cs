using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;

namespace OpenGov.Accounts;

public static class AccountsModule
{
    public const string DefaultScheme = "OpenGov";

    public static IServiceCollection AddAccounts(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddScoped<CurrentUser>();
        services.AddScoped<AccountService>();
        services.AddScoped<UserAuth>();
        services.AddScoped<UserQueries>();
        services.AddScoped<UserEditor>();
        services.AddAuthentication(DefaultScheme)
            .AddPolicyScheme(DefaultScheme, "API token or cookie", o =>
                o.ForwardDefaultSelector = ctx => ApiTokenAuthenticationHandler.ReadToken(ctx.Request) is not null
                    ? ApiTokenAuthenticationHandler.SchemeName
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null)
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, o =>
            {
                o.LoginPath = "/user/login";
                o.LogoutPath = "/user/logout";
                o.AccessDeniedPath = "/user/login";
                o.Cookie.Name = "opengov_auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest; // Secure whenever served over HTTPS
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = TimeSpan.FromDays(7);
                o.Events.OnValidatePrincipal = ValidateSessionAsync;
            });
        services.AddAuthorization();
        services.AddAntiforgery(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        return services;
    }

    /// <summary>
    /// A login cookie holds for a user that is still active and whose sysadmin flag is the one signed in with:
    /// user_delete (or a sysadmin demoted by user_update) ends the user's sessions, as it ends their API tokens.
    /// </summary>
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var id = context.Principal?.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value;
        if (id is null)
        {
            return;
        }

        var db = context.HttpContext.RequestServices.GetRequiredService<Storage.OpenGovDb>();
        var found = await db.Users.AsNoTracking().Where(u => u.Id == id).Select(u => new { u.State, u.Sysadmin })
            .FirstOrDefaultAsync(context.HttpContext.RequestAborted);
        if (found is null || found.State != Storage.RecordState.Active || found.Sysadmin != context.Principal!.HasClaim(CurrentUser.SysadminClaim, "true"))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }
}
