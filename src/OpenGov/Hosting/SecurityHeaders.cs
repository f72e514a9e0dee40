namespace OpenGov.Hosting;

/// <summary>
/// Headers on every response (pages, API, files, errors; docs/security.md): a Content-Security-Policy without inline
/// script (the pages' scripts are files under /js; their data sits in type="application/json" blocks, which are never
/// executed), X-Content-Type-Options nosniff, a Referrer-Policy, frame-ancestors 'self' (plus X-Frame-Options for old
/// browsers), and HSTS only when the request came over HTTPS. The one exception: a single dashboard card
/// (/dashboards/{org}/{slug}?card=ID), the target of the embed snippet, may be framed by any site.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>The policy of every page; frame-ancestors is appended per request.</summary>
    public const string Policy =
        "default-src 'self'; " +
        "script-src 'self'; " +
        "style-src 'self' 'unsafe-inline'; " + // style="--w:..." on poll bars and chart legends; no script can run from a style
        "img-src 'self' data: https://cyberjapandata.gsi.go.jp; " + // 地理院タイル, the map views' tiles (docs/security.md)
        "font-src 'self'; " +
        "connect-src 'self'; " +
        "frame-src https://www.youtube-nocookie.com https://www.youtube.com; " +
        "object-src 'none'; " +
        "base-uri 'self'; " +
        "form-action 'self'";

    public const string HstsValue = "max-age=31536000; includeSubDomains";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((ctx, next) =>
    {
        // decided on the request as it came: an error page re-executed for it has another path by the time headers go
        var embeddable = IsEmbed(ctx.Request);
        ctx.Response.OnStarting(state =>
        {
            var c = (HttpContext)state;
            var h = c.Response.Headers;
            h.ContentSecurityPolicy = Policy + (embeddable ? "; frame-ancestors *" : "; frame-ancestors 'self'");
            if (!embeddable)
            {
                h.XFrameOptions = "SAMEORIGIN";
            }

            h.XContentTypeOptions = "nosniff";
            h["Referrer-Policy"] = "strict-origin-when-cross-origin";
            if (c.Request.IsHttps)
            {
                h.StrictTransportSecurity = HstsValue;
            }

            return Task.CompletedTask;
        }, ctx);
        return next(ctx);
    });

    /// <summary>A single dashboard card: what the embed snippet of a dashboard page frames on other sites.</summary>
    public static bool IsEmbed(HttpRequest request) =>
        HttpMethods.IsGet(request.Method)
        && request.Query.ContainsKey("card")
        && request.Path.StartsWithSegments("/dashboards")
        && (request.Path.Value ?? "").Count(ch => ch == '/') == 3;
}
