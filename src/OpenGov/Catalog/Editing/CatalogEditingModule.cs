using System.Text.Json.Nodes;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using OpenGov.Catalog.Ckan;
using OpenGov.Hosting;
using OpenGov.Storage;

namespace OpenGov.Catalog.Editing;

/// <summary>Registration of catalog writes (actions, uploads, publisher screens) and the simple read actions.</summary>
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
        services.AddScoped<CatalogEditor>();
        services.AddScoped<OrganizationEditor>();
        services.AddScoped<CatalogQueries>();
        services.AddScoped<IDemoSeeder, DemoEditorSeeder>();
        return services;
    }

    public static void MapEditingActions(CkanActionMapper api)
    {
        // reads
        api.Read("package_list", PackageList, "Names of the site's public datasets (limit, offset).");
        api.Read("current_package_list_with_resources", CurrentPackageList, "Recently changed public datasets with their resources (limit, offset, page).");
        api.Read("resource_show", ResourceShow, "One resource.");
        api.Read("organization_list", OrganizationList, "Organization names, or dicts with all_fields (sort, limit, offset).");
        api.Read("group_list", GroupList, "Group names, or dicts with all_fields (sort, limit, offset).");
        api.Read("organization_show", OrganizationShow, "One organization, with its local_gov_code, members and (include_datasets) datasets.");
        api.Read("group_show", GroupShow, "One group and (include_datasets) its datasets.");
        api.Read("organization_list_for_user", OrganizationListForUser, "Organizations where a user (default: the caller) holds a permission (manage_group, create_dataset, read).");
        api.Read("tag_list", TagList, "Tags in use (query, all_fields).");
        api.Read("user_show", UserShow, "One user; e-mail only for themself and sysadmins.");
        api.Read("package_activity_list", PackageActivityList, "A dataset's history, newest first (offset, limit default 31).");

        // writes
        api.Write("package_create", PackageCreate, "Create a dataset (with tags, groups, extras, resources).");
        api.Write("package_update", PackageUpdate, "Replace a dataset by the dict given.");
        api.Write("package_patch", PackagePatch, "Change only the given keys of a dataset.");
        api.Write("package_delete", PackageDelete, "Mark a dataset deleted.");
        api.Write("resource_create", ResourceCreate, "Add a resource: a url, or a file in multipart field 'upload'.").DisableAntiforgery();
        api.Write("resource_update", ResourceUpdate, "Replace a resource (a new 'upload' file may be sent).").DisableAntiforgery();
        api.Write("resource_patch", ResourcePatch, "Change only the given keys of a resource.").DisableAntiforgery();
        api.Write("resource_delete", ResourceDelete, "Mark a resource deleted and remove its file.");
        api.Write("organization_create", OrganizationCreate, "Create an organization (sysadmins); local_gov_code is checked.");
        api.Write("organization_update", OrganizationUpdate, "Replace an organization's details (its admins, sysadmins).");
        api.Write("organization_patch", OrganizationPatch, "Change only the given keys of an organization.");
        api.Write("group_create", GroupCreate, "Create a group (sysadmins).");
        api.Write("group_update", GroupUpdate, "Replace a group's details (sysadmins).");
        api.Write("group_patch", GroupPatch, "Change only the given keys of a group.");
        api.Write("member_create", MemberCreate, "Add a user to an organization (admin|editor|member) or a dataset to a group.");
        api.Write("member_delete", MemberDelete, "Remove a member.");
        api.Write("api_token_create", ApiTokenCreate, "Create an API token for a user (themself, or any user by a sysadmin).");
    }

    public static IEndpointRouteBuilder MapCatalogEditing(this IEndpointRouteBuilder app)
    {
        app.MapGet("/dataset/{id}/resource/{resourceId}/download/{filename}", Download)
            .WithName("resource_download").WithTags("Catalog files").WithSummary("An uploaded resource file (CKAN's download path).");
        app.MapGet("/dataset/{id}/resource/{resourceId}/download", (string id, string resourceId, HttpContext ctx, OpenGovDb db, CatalogReader reader, UploadStore uploads, CancellationToken ct) =>
            Download(id, resourceId, "", ctx, db, reader, uploads, ct)).ExcludeFromDescription();
        return app;
    }

    private static async Task<Results<PhysicalFileHttpResult, NotFound>> Download(string id, string resourceId, string filename, HttpContext ctx, OpenGovDb db, CatalogReader reader, UploadStore uploads, CancellationToken ct)
    {
        var dataset = await db.Datasets.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id || d.Name == id, ct);
        var resource = dataset is null ? null : await db.Resources.AsNoTracking().FirstOrDefaultAsync(r => r.Id == resourceId && r.DatasetId == dataset.Id && r.State == "active" && r.UrlType == "upload", ct);
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

        return TypedResults.PhysicalFile(path, type, fileDownloadName: resource.Url, lastModified: resource.LastModified, enableRangeProcessing: true);
    }

    // ------------------------------------------------------------------ read handlers

    private static async Task<JsonHttpResult<CkanEnvelope<List<string>>>> PackageList(CkanRequest req, CatalogQueries q, CancellationToken ct)
    {
        int? limit = req.Has("limit") ? req.Int("limit", 0, 0) : null;
        return CkanApi.Ok(req, await q.PackageListAsync(limit, req.Int("offset", 0, 0), ct));
    }

    private static async Task<JsonHttpResult<CkanEnvelope<List<PackageDict>>>> CurrentPackageList(CkanRequest req, CatalogQueries q, CancellationToken ct)
    {
        var limit = req.Int("limit", 10, 0, CatalogQueries.RowsMax);
        var offset = req.Int("offset", 0, 0);
        if (!req.Has("offset") && req.Has("page"))
        {
            var page = req.Int("page", 1, 1);
            offset = req.Has("limit") ? (page - 1) * limit : 0;
        }

        return CkanApi.Ok(req, await q.CurrentPackagesAsync(limit, offset, ct));
    }

    private static async Task<JsonHttpResult<CkanEnvelope<ResourceDict>>> ResourceShow(CkanRequest req, CatalogQueries q, CancellationToken ct) =>
        CkanApi.Ok(req, await q.ResourceShowAsync(req.RequiredString("id"), ct));

    private static async Task<JsonHttpResult<CkanEnvelope<JsonNode>>> OrganizationList(CkanRequest req, CatalogQueries q, CancellationToken ct) =>
        CkanApi.Ok(req, await q.GroupListAsync(req, organizations: true, ct));

    private static async Task<JsonHttpResult<CkanEnvelope<JsonNode>>> GroupList(CkanRequest req, CatalogQueries q, CancellationToken ct) =>
        CkanApi.Ok(req, await q.GroupListAsync(req, organizations: false, ct));

    private static async Task<JsonHttpResult<CkanEnvelope<JsonObject>>> OrganizationShow(CkanRequest req, CatalogQueries q, CancellationToken ct) =>
        CkanApi.Ok(req, await q.OrganizationShowAsync(req.IdOrName(), req.Bool("include_datasets", false), req.Bool("include_dataset_count", true), req.Bool("include_users", true), ct));

    private static async Task<JsonHttpResult<CkanEnvelope<JsonObject>>> GroupShow(CkanRequest req, CatalogQueries q, CancellationToken ct) =>
        CkanApi.Ok(req, await q.GroupShowAsync(req.IdOrName(), req.Bool("include_datasets", false), req.Bool("include_dataset_count", true), ct));

    private static async Task<JsonHttpResult<CkanEnvelope<JsonArray>>> OrganizationListForUser(CkanRequest req, CatalogQueries q, CancellationToken ct) =>
        CkanApi.Ok(req, await q.OrganizationListForUserAsync(req.String("id"), req.String("permission") is { Length: > 0 } p ? p : "manage_group", req.Bool("include_dataset_count", false), ct));

    private static async Task<JsonHttpResult<CkanEnvelope<JsonNode>>> TagList(CkanRequest req, CatalogQueries q, CancellationToken ct) =>
        CkanApi.Ok(req, await q.TagListAsync(req.String("query") ?? req.String("q"), req.Bool("all_fields", false), !string.IsNullOrEmpty(req.String("vocabulary_id")), ct));

    private static async Task<JsonHttpResult<CkanEnvelope<JsonObject>>> UserShow(CkanRequest req, CatalogQueries q, CancellationToken ct) =>
        CkanApi.Ok(req, await q.UserShowAsync(req.IdOrName(), req.Bool("include_datasets", false), ct));

    private static async Task<JsonHttpResult<CkanEnvelope<JsonArray>>> PackageActivityList(CkanRequest req, CatalogQueries q, CancellationToken ct) =>
        CkanApi.Ok(req, await q.PackageActivityListAsync(req.IdOrName(), req.Int("offset", 0, 0), req.Int("limit", CatalogQueries.ActivityLimit, 1, CatalogQueries.ActivityLimitMax), ct));

    // ------------------------------------------------------------------ write handlers

    private static async Task<JsonHttpResult<CkanEnvelope<PackageDict>>> PackageCreate(CkanRequest req, CatalogEditor editor, CancellationToken ct) =>
        CkanApi.Ok(req, await editor.CreatePackageAsync(req.Data, ct));

    private static async Task<JsonHttpResult<CkanEnvelope<PackageDict>>> PackageUpdate(CkanRequest req, CatalogEditor editor, CancellationToken ct) =>
        CkanApi.Ok(req, await editor.UpdatePackageAsync(req.Data, patch: false, ct));

    private static async Task<JsonHttpResult<CkanEnvelope<PackageDict>>> PackagePatch(CkanRequest req, CatalogEditor editor, CancellationToken ct) =>
        CkanApi.Ok(req, await editor.UpdatePackageAsync(req.Data, patch: true, ct));

    private static async Task<JsonHttpResult<CkanEnvelope<object?>>> PackageDelete(CkanRequest req, CatalogEditor editor, CancellationToken ct)
    {
        await editor.DeletePackageAsync(req.IdOrName(), ct);
        return CkanApi.Ok<object?>(req, null);
    }

    private static async Task<JsonHttpResult<CkanEnvelope<ResourceDict>>> ResourceCreate(CkanRequest req, CatalogEditor editor, CancellationToken ct) =>
        CkanApi.Ok(req, await editor.CreateResourceAsync(req.Data, Upload(req), ct));

    private static async Task<JsonHttpResult<CkanEnvelope<ResourceDict>>> ResourceUpdate(CkanRequest req, CatalogEditor editor, CancellationToken ct) =>
        CkanApi.Ok(req, await editor.UpdateResourceAsync(req.Data, Upload(req), patch: false, ct));

    private static async Task<JsonHttpResult<CkanEnvelope<ResourceDict>>> ResourcePatch(CkanRequest req, CatalogEditor editor, CancellationToken ct) =>
        CkanApi.Ok(req, await editor.UpdateResourceAsync(req.Data, Upload(req), patch: true, ct));

    private static async Task<JsonHttpResult<CkanEnvelope<object?>>> ResourceDelete(CkanRequest req, CatalogEditor editor, CancellationToken ct)
    {
        await editor.DeleteResourceAsync(req.RequiredString("id"), ct);
        return CkanApi.Ok<object?>(req, null);
    }

    private static async Task<JsonHttpResult<CkanEnvelope<OrganizationDict>>> OrganizationCreate(CkanRequest req, OrganizationEditor editor, CancellationToken ct) =>
        CkanApi.Ok(req, await editor.CreateOrganizationAsync(req.Data, ct));

    private static async Task<JsonHttpResult<CkanEnvelope<OrganizationDict>>> OrganizationUpdate(CkanRequest req, OrganizationEditor editor, CancellationToken ct) =>
        CkanApi.Ok(req, await editor.UpdateOrganizationAsync(req.Data, patch: false, ct));

    private static async Task<JsonHttpResult<CkanEnvelope<OrganizationDict>>> OrganizationPatch(CkanRequest req, OrganizationEditor editor, CancellationToken ct) =>
        CkanApi.Ok(req, await editor.UpdateOrganizationAsync(req.Data, patch: true, ct));

    private static async Task<JsonHttpResult<CkanEnvelope<GroupDict>>> GroupCreate(CkanRequest req, OrganizationEditor editor, CancellationToken ct) =>
        CkanApi.Ok(req, await editor.CreateGroupAsync(req.Data, ct));

    private static async Task<JsonHttpResult<CkanEnvelope<GroupDict>>> GroupUpdate(CkanRequest req, OrganizationEditor editor, CancellationToken ct) =>
        CkanApi.Ok(req, await editor.UpdateGroupAsync(req.Data, patch: false, ct));

    private static async Task<JsonHttpResult<CkanEnvelope<GroupDict>>> GroupPatch(CkanRequest req, OrganizationEditor editor, CancellationToken ct) =>
        CkanApi.Ok(req, await editor.UpdateGroupAsync(req.Data, patch: true, ct));

    private static async Task<JsonHttpResult<CkanEnvelope<MemberDict>>> MemberCreate(CkanRequest req, OrganizationEditor editor, CancellationToken ct) =>
        CkanApi.Ok(req, await editor.CreateMemberAsync(req.Data, ct));

    private static async Task<JsonHttpResult<CkanEnvelope<object?>>> MemberDelete(CkanRequest req, OrganizationEditor editor, CancellationToken ct)
    {
        await editor.DeleteMemberAsync(req.Data, ct);
        return CkanApi.Ok<object?>(req, null);
    }

    public sealed record TokenResult(string Token);

    private static async Task<JsonHttpResult<CkanEnvelope<TokenResult>>> ApiTokenCreate(CkanRequest req, OrganizationEditor editor, CancellationToken ct) =>
        CkanApi.Ok(req, new TokenResult(await editor.CreateApiTokenAsync(req.Data, ct)));

    /// <summary>The file of a multipart call: field "upload", as CKAN's resource_create takes it.</summary>
    private static IFormFile? Upload(CkanRequest req) => req.Files?.GetFile("upload") is { } f && (f.Length > 0 || !string.IsNullOrEmpty(f.FileName)) ? f : null;
}
