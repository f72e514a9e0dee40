using Microsoft.AspNetCore.Diagnostics;

namespace OpenGov.Shared;

/// <summary>
/// Error responses: a page of the site (Shared/Error.cshtml at /error/{code}) for what a browser asks, and the API's own
/// JSON (ProblemDetails; CKAN and events endpoints write their envelopes themselves) for /api/... and .../api/... paths.
/// </summary>
public static class ErrorPages
{
    /// <summary>Paths answered in JSON, not with an HTML error page.</summary>
    public static bool IsApi(HttpRequest request)
    {
        var path = request.Path.Value ?? "";
        return request.Path.StartsWithSegments("/api")
            || path.Contains("/api/", StringComparison.OrdinalIgnoreCase)
            || path.EndsWith("/api", StringComparison.OrdinalIgnoreCase)
            || request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The address the visitor asked for, path and query: on an error page the one that failed (not /error/{code}), so
    /// the language switch returns to it.
    /// </summary>
    public static string AddressAsked(HttpContext ctx)
    {
        if (ctx.Features.Get<IStatusCodeReExecuteFeature>() is { } reExecuted)
        {
            return reExecuted.OriginalPathBase + reExecuted.OriginalPath + reExecuted.OriginalQueryString;
        }

        return ctx.Features.Get<IExceptionHandlerPathFeature>() is { } failed
            ? ctx.Request.PathBase + failed.Path + ctx.Request.QueryString
            : ctx.Request.PathBase + ctx.Request.Path + ctx.Request.QueryString;
    }

    /// <summary>Before the request culture is read (so the page keeps ?lang=en) and before routing.</summary>
    public static void UseErrorPages(this IApplicationBuilder app)
    {
        app.UseWhen(ctx => IsApi(ctx.Request), api =>
        {
            api.UseExceptionHandler();
            api.UseStatusCodePages();
        });
        app.UseWhen(ctx => !IsApi(ctx.Request), pages =>
        {
            pages.UseExceptionHandler("/error/500");
            pages.UseStatusCodePagesWithReExecute("/error/{0}");
        });
    }

    /// <summary>GET /q?code=... (the form of the error page for an unknown question code) goes to /q/{code}.</summary>
    public static void MapQuestionCodeForm(this IEndpointRouteBuilder app) =>
        app.MapGet("/q", (string? code) =>
            string.IsNullOrWhiteSpace(code)
                ? TypedResults.Redirect("/")
                : TypedResults.Redirect("/q/" + Uri.EscapeDataString(code.Trim())))
            .ExcludeFromDescription();
}
