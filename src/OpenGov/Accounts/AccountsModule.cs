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
        services.AddMemoryCache();
        services.AddSingleton<SecurityStamps>();
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
                o.Events.OnValidatePrincipal = ctx => ctx.HttpContext.RequestServices.GetRequiredService<SecurityStamps>().ValidateAsync(ctx);
            });
        services.AddAuthorization();
        services.AddAntiforgery(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        return services;
    }
}
