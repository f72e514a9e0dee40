using System.Globalization;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using OpenGov.Shared;

namespace OpenGov.Dashboards;

/// <summary>
/// ASP.NET Core's output cache for a dashboard's page, data.json and card CSVs, for anonymous GET/HEAD requests only
/// (a logged-in reader may see the editor's link or private sources: never looked up, never stored). The key holds
/// the path, the whole query string, host, scheme, path base, the reader's language and the dashboard's stamp from
/// <see cref="DashboardStamps"/>, so a reload of a source table or a saved definition makes the dashboard's old
/// answers unreachable (and only its own). Answers carry an ETag (the dashboard's stamp and the language) and Last-Modified (the later of the
/// last load and the definition's save); the middleware answers 304 to a matching If-None-Match from memory.
/// Only 200 answers without cookies are stored.
/// </summary>
public sealed class DashboardCachePolicy : IOutputCachePolicy
{
    public const string Name = "dashboard";

    public async ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var http = context.HttpContext;
        var request = http.Request;
        var stamps = http.RequestServices.GetRequiredService<DashboardStamps>();
        var anonymousRead = stamps.Enabled && OutputCacheRules.IsAnonymousRead(http);
        var current = anonymousRead && http.GetRouteValue("org") is string org && http.GetRouteValue("slug") is string slug
            ? await stamps.CurrentAsync(org, slug, http.RequestServices, cancellation)
            : null;
        var cacheable = current is not null;
        context.EnableOutputCaching = cacheable;
        context.AllowCacheLookup = cacheable;
        context.AllowCacheStorage = cacheable;
        context.AllowLocking = true;
        if (current is null)
        {
            return;
        }
        // set before the page runs (the answer is stored with them): the ETag names the data and the language
        // (the same URL answers ja or en by the reader's choice); weak, as the same data is stored br, gzip or plain;
        // browsers ask again each time, a 304 from memory
        var response = http.Response;
        response.Headers.ETag = new EntityTagHeaderValue("\"" + current.ETag + "-" + CultureInfo.CurrentUICulture.Name + "\"", isWeak: true).ToString();
        if (current.LastModified is { } modified)
        {
            response.Headers.LastModified = HeaderUtilities.FormatDate(new DateTimeOffset(modified, TimeSpan.Zero));
        }
        response.Headers.CacheControl = "no-cache";
        OutputCacheRules.VaryBySiteAndLanguage(context);
        context.CacheVaryByRules.VaryByValues["stamp"] = current.Key;
        context.Tags.Add(DashboardStamps.Tag);
        context.Tags.Add(DashboardStamps.TagOf(current.Name));
        context.ResponseExpirationTimeSpan = TimeSpan.FromMinutes(10);
    }

    public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

    public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation) => OutputCacheRules.StoreOnlyOkWithoutCookies(context);
}
