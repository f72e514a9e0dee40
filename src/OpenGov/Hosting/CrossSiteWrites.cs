using System.Globalization;
using Microsoft.Extensions.Options;
using OpenGov.Accounts;
using OpenGov.Ckan;
using OpenGov.Events;

namespace OpenGov.Hosting;

/// <summary>
/// CSRF defence of the JSON APIs (docs/security.md). A write (POST, PUT, PATCH, DELETE) to the CKAN Action API, the
/// events API, the participants' API (/q/{code}/api), the council or the dashboards API that carries one of the
/// site's cookies and no API token must come from the site itself. With the login cookie its Origin header, or when a
/// browser sends none its Referer, must name this site: a missing or foreign origin is refused with 403 in the API's
/// own error shape. With only a participant's cookie (no privilege beyond one vote identity) a foreign origin is
/// refused and a missing one allowed (every browser sends Origin on a cross-origin POST; SameSite=Lax keeps the
/// cookie off older browsers' cross-site posts). Calls with an API token (Authorization, X-CKAN-API-Key) are unchanged, as in CKAN 2.10+:
/// a browser never adds those headers by itself. Pages' forms keep ASP.NET's antiforgery tokens.
/// </summary>
public static class CrossSiteWrites
{
    /// <summary>The login cookie (Accounts): a write riding on it needs a same-site Origin or Referer.</summary>
    public const string LoginCookie = "opengov_auth";

    public static IApplicationBuilder UseCrossSiteWriteGuard(this IApplicationBuilder app) => app.Use(async (ctx, next) =>
    {
        if (Guard(ctx.Request) is { } strict && !IsSameSite(ctx, strict))
        {
            await Refuse(ctx);
            return;
        }

        await next(ctx);
    });

    /// <summary>
    /// For a write to an API path riding on a cookie without an API token: true when the login cookie is sent (origin
    /// required), false when only the participant cookie is (a foreign origin refused); null when not guarded.
    /// </summary>
    public static bool? Guard(HttpRequest request)
    {
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method))
        {
            return null;
        }

        if (!IsApiPath(request.Path) || ApiTokenAuthenticationHandler.ReadToken(request) is not null)
        {
            return null;
        }

        return request.Cookies.ContainsKey(LoginCookie) ? true
            : request.Cookies.ContainsKey(Participants.CookieName) ? false
            : null;
    }

    private static bool IsApiPath(PathString path)
    {
        if (path.StartsWithSegments("/api"))
        {
            return true;
        }

        // /q/{code}/api/...
        var s = path.Value ?? "";
        if (!s.StartsWith("/q/", StringComparison.Ordinal))
        {
            return false;
        }

        var slash = s.IndexOf('/', 3);
        return slash > 0 && new PathString(s[slash..]).StartsWithSegments("/api");
    }

    /// <summary>Origin (or, when absent, Referer) names this site: the request's own scheme and host, or the configured SiteUrl.</summary>
    public static bool IsSameSite(HttpContext ctx, bool originRequired = true)
    {
        var origin = ctx.Request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin))
        {
            var referer = ctx.Request.Headers.Referer.ToString();
            if (string.IsNullOrEmpty(referer))
            {
                return !originRequired;
            }

            if (!Uri.TryCreate(referer, UriKind.Absolute, out var r))
            {
                return false;
            }

            origin = r.GetLeftPart(UriPartial.Authority);
        }

        if (!Uri.TryCreate(origin, UriKind.Absolute, out var o) || o.Scheme is not ("http" or "https"))
        {
            return false; // includes the opaque "null" origin of sandboxed frames and data: URLs
        }

        return SameOrigin(o, ctx.Request.Scheme + "://" + ctx.Request.Host.Value)
            || (ctx.RequestServices.GetService<IOptions<OpenGovOptions>>()?.Value.SiteUrl is { Length: > 0 } site && SameOrigin(o, site));
    }

    private static bool SameOrigin(Uri origin, string site) =>
        Uri.TryCreate(site, UriKind.Absolute, out var s)
        && string.Equals(origin.Scheme, s.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(origin.IdnHost, s.IdnHost, StringComparison.OrdinalIgnoreCase)
        && origin.Port == s.Port;

    private static Task Refuse(HttpContext ctx)
    {
        const string ja = "別のサイトからの書き込みは受け付けません。このサイトのページから操作するか、API トークンを使ってください。";
        const string en = "Cross-site request refused: a write carrying the login or participant cookie must come from this site (Origin or Referer); API clients send an API token instead.";
        var english = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";
        var path = ctx.Request.Path;
        if (path.StartsWithSegments(CkanApi.Prefix))
        {
            var help = CkanApi.SiteUrl(ctx) + "/api/3/action/help_show";
            return CkanApi.Error(help, CkanException.Forbidden(english ? en : en + " " + ja)).ExecuteAsync(ctx);
        }

        if (path.StartsWithSegments("/api/dashboards"))
        {
            return TypedResults.Json(new { message = ja, messageEn = en }, statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(ctx);
        }

        if (path.StartsWithSegments("/api/council"))
        {
            return TypedResults.Json(new { error = english ? en : ja, field = (string?)null }, statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(ctx);
        }

        return OpenGov.Events.Api.EventApi.Error(new EventException(403, "cross_site", ja, en)).ExecuteAsync(ctx);
    }
}
