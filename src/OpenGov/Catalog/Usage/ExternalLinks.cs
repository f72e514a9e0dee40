using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using OpenGov.Storage;

namespace OpenGov.Catalog.Usage;

/// <summary>
/// Downloads of link resources (a URL elsewhere, not an uploaded file): the pages' download buttons go through
/// <c>/dataset/{id}/resource/{resourceId}/link</c>, which counts a download (<see cref="UsageCounter"/>) and answers
/// 302 to the resource's stored URL. Only that URL, only http(s), only for an active resource of a dataset the reader
/// may see: no address from the request is ever redirected to, so this is no open redirect.
/// </summary>
public static class ExternalLinks
{
    /// <summary>Where a page's download button points: the file for an upload, the counting redirect for a link.</summary>
    public static string Href(PackageDict dataset, ResourceDict resource) =>
        resource.UrlType == "upload" || !IsWebAddress(resource.Url)
            ? resource.Url
            : $"/dataset/{Uri.EscapeDataString(dataset.Name)}/resource/{Uri.EscapeDataString(resource.Id)}/link";

    public static IEndpointRouteBuilder MapExternalLinks(this IEndpointRouteBuilder app)
    {
        app.MapGet("/dataset/{id}/resource/{resourceId}/link", Follow)
            .WithName("resource_link").WithTags("Catalog files").WithSummary("Follows a link resource's URL (302), counting a download.");
        return app;
    }

    private static async Task<Results<RedirectHttpResult, NotFound>> Follow(string id, string resourceId, HttpContext ctx, OpenGovDb db, DatasetVisibility visibility, UsageCounter counter, CancellationToken ct)
    {
        var dataset = await db.Datasets.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id || d.Name == id, ct);
        var resource = dataset is null ? null : await db.Resources.AsNoTracking()
            .FirstOrDefaultAsync(r => r.Id == resourceId && r.DatasetId == dataset.Id && r.State == RecordState.Active && r.UrlType != "upload", ct);
        if (dataset is null || resource is null || !IsWebAddress(resource.Url) || !await visibility.CanSeeAsync(dataset, ct))
        {
            return TypedResults.NotFound();
        }

        counter.Download(ctx, resource.Id);
        ctx.Response.Headers[HeaderNames.CacheControl] = "no-store"; // every click reaches us and counts
        return TypedResults.Redirect(resource.Url);
    }

    private static bool IsWebAddress(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttps || u.Scheme == Uri.UriSchemeHttp);
}
