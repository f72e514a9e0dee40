using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using OpenGov.Ckan;
using OpenGov.Hosting;
using OpenGov.Storage;

namespace OpenGov.Catalog.Editing;

/// <summary>Registration of catalog writes (editors, uploads, publisher screens) and the download path of stored files.</summary>
public static class CatalogEditingModule
{
    /// <summary>Password attempts: 30 at once, then 10 a minute, per client address (GET is not limited).</summary>
    public const string LoginRateLimit = "login";

    public static IServiceCollection AddCatalogEditing(this IServiceCollection services)
    {
        services.AddSingleton<UploadStore>();

        // multipart bodies up to the upload limit (plus room for the other fields); beyond it, a 413
        services.AddOptions<FormOptions>().Configure<IOptions<OpenGovOptions>>((form, options) =>
            form.MultipartBodyLengthLimit = options.Value.MaxUploadBytes + (1024 * 1024));
        services.AddRateLimiter(o => o.AddPolicy(LoginRateLimit, ctx => HttpMethods.IsPost(ctx.Request.Method)
            ? RateLimitPartition.GetTokenBucketLimiter(ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = 30,
                TokensPerPeriod = 10,
                ReplenishmentPeriod = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            })
            : RateLimitPartition.GetNoLimiter("read")));
        services.AddScoped<PackageWriter>();
        services.AddScoped<PackageEditor>();
        services.AddScoped<PackageReviser>();
        services.AddScoped<ResourceEditor>();
        services.AddScoped<IDemoSeeder, DemoEditorSeeder>();
        return services;
    }

    public static IEndpointRouteBuilder MapCatalogEditing(this IEndpointRouteBuilder app)
    {
        app.MapGet("/dataset/{id}/resource/{resourceId}/download/{filename}", (string id, string resourceId, string filename, HttpContext ctx, OpenGovDb db, CatalogReader reader, UploadStore uploads, Usage.UsageCounter counter, CancellationToken ct) =>
            Download(id, resourceId, ctx, db, reader, uploads, counter, ct))
            .WithName("resource_download").WithTags("Catalog files").WithSummary("An uploaded resource file (CKAN's download path).");
        app.MapGet("/dataset/{id}/resource/{resourceId}/download", (string id, string resourceId, HttpContext ctx, OpenGovDb db, CatalogReader reader, UploadStore uploads, Usage.UsageCounter counter, CancellationToken ct) =>
            Download(id, resourceId, ctx, db, reader, uploads, counter, ct)).ExcludeFromDescription();
        return app;
    }

    private static async Task<Results<PhysicalFileHttpResult, NotFound>> Download(string id, string resourceId, HttpContext ctx, OpenGovDb db, CatalogReader reader, UploadStore uploads, Usage.UsageCounter counter, CancellationToken ct)
    {
        var dataset = await db.Datasets.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id || d.Name == id, ct);
        var resource = dataset is null ? null : await db.Resources.AsNoTracking().FirstOrDefaultAsync(r => r.Id == resourceId && r.DatasetId == dataset.Id && r.State == RecordState.Active && r.UrlType == "upload", ct);
        if (dataset is null || resource is null || !await reader.CanSeeAsync(dataset, ct) || uploads.PhysicalPath(resource) is not { } path)
        {
            return TypedResults.NotFound();
        }

        var type = string.IsNullOrEmpty(resource.Mimetype) ? UploadStore.GuessMimetype(resource.Url) : resource.Mimetype;
        if (type.Contains("html", StringComparison.OrdinalIgnoreCase) || type.Contains("svg", StringComparison.OrdinalIgnoreCase) || type.Contains("javascript", StringComparison.OrdinalIgnoreCase))
        {
            // publisher files are never run as part of this site
            type = "application/octet-stream";
        }

        ctx.Response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        ctx.Response.Headers[HeaderNames.ContentSecurityPolicy] = "sandbox; default-src 'none'";
        if (dataset.Private)
        {
            ctx.Response.Headers[HeaderNames.CacheControl] = "private, no-store";
        }

        // a download counts once: its first (or only) range, not every range a viewer asks for
        var range = ctx.Request.Headers.Range.ToString();
        if (range.Length == 0 || range.StartsWith("bytes=0-", StringComparison.Ordinal))
        {
            counter.Download(ctx, resource.Id);
        }

        return TypedResults.PhysicalFile(path, type, fileDownloadName: resource.Url, lastModified: resource.LastModified, enableRangeProcessing: true);
    }
}
