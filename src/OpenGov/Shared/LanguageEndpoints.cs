using Microsoft.AspNetCore.Localization;

namespace OpenGov.Shared;

/// <summary>The language switch: /lang/en or /lang/ja sets the culture cookie and returns to the page.</summary>
public static class LanguageEndpoints
{
    public static IEndpointRouteBuilder MapLanguageSwitch(this IEndpointRouteBuilder app)
    {
        app.MapGet("/lang/{code}", (string code, string? returnUrl, HttpContext ctx) =>
        {
            var culture = code == "en" ? "en" : "ja-JP";
            ctx.Response.Cookies.Append(
                CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = false, Secure = ctx.Request.IsHttps });
            var target = LocalUrls.Or(returnUrl, "/");
            return TypedResults.LocalRedirect(target);
        }).ExcludeFromDescription();
        return app;
    }
}
