using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenGov.Catalog.Editing;
using OpenGov.Ckan;

namespace OpenGov.Catalog;

/// <summary>
/// The dataset and resource actions of the Action API. Reads: <see cref="CatalogReader"/> (package_show) and
/// <see cref="CatalogQueries"/>; writes: <see cref="PackageEditor"/> and <see cref="ResourceEditor"/>; who may call
/// each: <see cref="PackageAuth"/>. package_search is in Search.
/// </summary>
public static class PackageActions
{
    public static void Map(CkanActionMapper api)
    {
        // reads
        api.CachedRead("package_show", api.Group.MapMethods("/package_show", CkanActionMapper.ReadMethods, PackageShow), "One dataset with its resources, tags, groups and organization.");
        api.CachedRead("package_list", api.Group.MapMethods("/package_list", CkanActionMapper.ReadMethods, PackageList), "Names of the site's public datasets (limit, offset).");
        api.CachedRead("current_package_list_with_resources", api.Group.MapMethods("/current_package_list_with_resources", CkanActionMapper.ReadMethods, CurrentPackageList), "Recently changed public datasets with their resources (limit, offset, page).");
        api.CachedRead("resource_show", api.Group.MapMethods("/resource_show", CkanActionMapper.ReadMethods, ResourceShow), "One resource.");
        api.CachedRead("tag_list", api.Group.MapMethods("/tag_list", CkanActionMapper.ReadMethods, TagList), "Tags in use (query, all_fields).");
        api.CachedRead("package_activity_list", api.Group.MapMethods("/package_activity_list", CkanActionMapper.ReadMethods, PackageActivityList), "A dataset's history, newest first (offset, limit default 31).");

        // writes
        api.Write("package_create", api.Group.MapPost("/package_create", PackageCreate), "Create a dataset (with tags, groups, extras, resources).");
        api.Write("package_update", api.Group.MapPost("/package_update", PackageUpdate), "Replace a dataset by the dict given.");
        api.Write("package_patch", api.Group.MapPost("/package_patch", PackagePatch), "Change only the given keys of a dataset.");
        api.Write("package_delete", api.Group.MapPost("/package_delete", PackageDelete), "Mark a dataset deleted.");
        api.Write("dataset_purge", api.Group.MapPost("/dataset_purge", DatasetPurge), "Remove a dataset for good, with its resources, files and history (sysadmins).");
        api.Write("package_revise", api.Group.MapPost("/package_revise", PackageRevise), "Change a dataset by match, filter and update (and match__/update__ keys; files in update__resources__N__upload).").DisableAntiforgery();
        api.Write("package_owner_org_update", api.Group.MapPost("/package_owner_org_update", PackageOwnerOrgUpdate), "Move a dataset to another organization (id, organization_id).");
        api.Write("resource_create", api.Group.MapPost("/resource_create", ResourceCreate), "Add a resource: a url, or a file in multipart field 'upload'.").DisableAntiforgery();
        api.Write("resource_update", api.Group.MapPost("/resource_update", ResourceUpdate), "Replace a resource (a new 'upload' file may be sent).").DisableAntiforgery();
        api.Write("resource_patch", api.Group.MapPost("/resource_patch", ResourcePatch), "Change only the given keys of a resource.").DisableAntiforgery();
        api.Write("resource_delete", api.Group.MapPost("/resource_delete", ResourceDelete), "Mark a resource deleted and remove its file.");
    }

    // ------------------------------------------------------------------ reads

    private static async Task<JsonHttpResult<CkanEnvelope<PackageDict>>> PackageShow(CkanRequest req, CatalogReader reader, Usage.UsageReader usage, CancellationToken ct)
    {
        var dict = await reader.ShowPackageAsync(req.IdOrName(), ct) ?? throw CkanException.NotFound();
        if (Usage.UsageTracking.Asked(req))
        {
            dict = (await Usage.UsageTracking.AddAsync([dict], usage, ct))[0];
        }

        return CkanApi.Ok(req, dict);
    }

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

    private static async Task<JsonHttpResult<CkanEnvelope<JsonNode>>> TagList(CkanRequest req, CatalogQueries q, CancellationToken ct) =>
        CkanApi.Ok(req, await q.TagListAsync(req.String("query") ?? req.String("q"), req.Bool("all_fields", false), !string.IsNullOrEmpty(req.String("vocabulary_id")), ct));

    private static async Task<JsonHttpResult<CkanEnvelope<JsonArray>>> PackageActivityList(CkanRequest req, CatalogQueries q, CancellationToken ct) =>
        CkanApi.Ok(req, await q.PackageActivityListAsync(req.IdOrName(), req.Int("offset", 0, 0), req.Int("limit", CatalogQueries.ActivityLimit, 1, CatalogQueries.ActivityLimitMax), ct));

    // ------------------------------------------------------------------ writes

    private static async Task<JsonHttpResult<CkanEnvelope<PackageDict>>> PackageCreate(CkanRequest req, PackageEditor editor, CancellationToken ct) =>
        CkanApi.Ok(req, await editor.CreateAsync(req.Data, ct));

    private static async Task<JsonHttpResult<CkanEnvelope<PackageDict>>> PackageUpdate(CkanRequest req, PackageEditor editor, CancellationToken ct) =>
        CkanApi.Ok(req, await editor.UpdateAsync(req.Data, patch: false, ct));

    private static async Task<JsonHttpResult<CkanEnvelope<PackageDict>>> PackagePatch(CkanRequest req, PackageEditor editor, CancellationToken ct) =>
        CkanApi.Ok(req, await editor.UpdateAsync(req.Data, patch: true, ct));

    private static async Task<JsonHttpResult<CkanEnvelope<object?>>> PackageDelete(CkanRequest req, PackageEditor editor, CancellationToken ct)
    {
        await editor.DeleteAsync(req.IdOrName(), ct);
        return CkanApi.Ok<object?>(req, null);
    }

    private static async Task<JsonHttpResult<CkanEnvelope<object?>>> DatasetPurge(CkanRequest req, PackageEditor editor, CancellationToken ct)
    {
        await editor.PurgeAsync(req.RequiredString("id"), ct);
        return CkanApi.Ok<object?>(req, null);
    }

    private static async Task<JsonHttpResult<CkanEnvelope<JsonObject>>> PackageRevise(CkanRequest req, PackageReviser reviser, CancellationToken ct) =>
        CkanApi.Ok(req, await reviser.ReviseAsync(req.Data, req.Files, ct));

    /// <summary>package_owner_org_update: a package_patch of owner_org (the same checks: edit the dataset, publish in the target).</summary>
    private static async Task<JsonHttpResult<CkanEnvelope<object?>>> PackageOwnerOrgUpdate(CkanRequest req, PackageEditor editor, CancellationToken ct)
    {
        var id = req.RequiredString("id");
        var org = req.RequiredString("organization_id");
        await editor.UpdateAsync(new JsonObject { ["id"] = id, ["owner_org"] = org }, patch: true, ct);
        return CkanApi.Ok<object?>(req, null);
    }

    private static async Task<JsonHttpResult<CkanEnvelope<ResourceDict>>> ResourceCreate(CkanRequest req, ResourceEditor editor, CancellationToken ct) =>
        CkanApi.Ok(req, await editor.CreateAsync(req.Data, Upload(req), ct));

    private static async Task<JsonHttpResult<CkanEnvelope<ResourceDict>>> ResourceUpdate(CkanRequest req, ResourceEditor editor, CancellationToken ct) =>
        CkanApi.Ok(req, await editor.UpdateAsync(req.Data, Upload(req), patch: false, ct));

    private static async Task<JsonHttpResult<CkanEnvelope<ResourceDict>>> ResourcePatch(CkanRequest req, ResourceEditor editor, CancellationToken ct) =>
        CkanApi.Ok(req, await editor.UpdateAsync(req.Data, Upload(req), patch: true, ct));

    private static async Task<JsonHttpResult<CkanEnvelope<object?>>> ResourceDelete(CkanRequest req, ResourceEditor editor, CancellationToken ct)
    {
        await editor.DeleteAsync(req.RequiredString("id"), ct);
        return CkanApi.Ok<object?>(req, null);
    }

    /// <summary>The file of a multipart call: field "upload", as CKAN's resource_create takes it.</summary>
    private static IFormFile? Upload(CkanRequest req) => req.Files?.GetFile("upload") is { } f && (f.Length > 0 || !string.IsNullOrEmpty(f.FileName)) ? f : null;
}
