using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using OpenGov.Catalog;
using OpenGov.Ckan;
using OpenGov.Storage;

namespace OpenGov.Showcases;

/// <summary>
/// ckanext-showcase's actions, in its shapes and errors. Reads: <see cref="ShowcaseQueries"/>; writes:
/// <see cref="ShowcaseEditor"/> and <see cref="ShowcaseAdmins"/>; who may call each: <see cref="ShowcaseAuth"/>.
/// </summary>
public static class ShowcaseActions
{
    public static void Map(CkanActionMapper api)
    {
        api.Read("ckanext_showcase_show", api.Group.MapMethods("/ckanext_showcase_show", CkanActionMapper.ReadMethods, Show), "One showcase (id or name), with num_datasets and image_display_url.");
        api.Read("ckanext_showcase_list", api.Group.MapMethods("/ckanext_showcase_list", CkanActionMapper.ReadMethods, List), "Every showcase of the site.");
        api.Read("ckanext_showcase_package_list", api.Group.MapMethods("/ckanext_showcase_package_list", CkanActionMapper.ReadMethods, PackageList), "The public datasets a showcase uses (showcase_id).");
        api.Read("ckanext_package_showcase_list", api.Group.MapMethods("/ckanext_package_showcase_list", CkanActionMapper.ReadMethods, ShowcaseListOfPackage), "The showcases that use a dataset (package_id).");
        api.Read("ckanext_showcase_admin_list", api.Group.MapMethods("/ckanext_showcase_admin_list", CkanActionMapper.ReadMethods, AdminList), "The showcase admins (sysadmins only).");
        api.Read("ckanext_showcase_activity_list", api.Group.MapMethods("/ckanext_showcase_activity_list", CkanActionMapper.ReadMethods, ActivityList), "Who changed a showcase (id or name) and its dataset links, when and what, newest first (offset, limit default 31, at most 100; OpenGov, after package_activity_list; sysadmins, showcase admins, the council secretariat).");

        api.Write("ckanext_showcase_create", api.Group.MapPost("/ckanext_showcase_create", Create), "Create a showcase (sysadmins and showcase admins).");
        api.Write("ckanext_showcase_update", api.Group.MapPost("/ckanext_showcase_update", Update), "Replace a showcase by the dict given.");
        api.Write("ckanext_showcase_patch", api.Group.MapPost("/ckanext_showcase_patch", Patch), "Change only the given keys of a showcase (OpenGov; CKAN sites use package_patch).");
        api.Write("ckanext_showcase_delete", api.Group.MapPost("/ckanext_showcase_delete", Delete), "Delete a showcase and its links to datasets.");
        api.Write("ckanext_showcase_package_association_create", api.Group.MapPost("/ckanext_showcase_package_association_create", AssociationCreate), "Link a dataset to a showcase (package_id, showcase_id).");
        api.Write("ckanext_showcase_package_association_delete", api.Group.MapPost("/ckanext_showcase_package_association_delete", AssociationDelete), "Unlink a dataset from a showcase (package_id, showcase_id).");
        api.Write("ckanext_showcase_admin_add", api.Group.MapPost("/ckanext_showcase_admin_add", AdminAdd), "Make a user a showcase admin (username; sysadmins only).");
        api.Write("ckanext_showcase_admin_remove", api.Group.MapPost("/ckanext_showcase_admin_remove", AdminRemove), "Remove a user from the showcase admins (username; sysadmins only).");
    }

    public sealed record AssociationDict(string PackageId, string ShowcaseId);

    public sealed record AdminAddedDict(string UserId);

    private static async Task<JsonHttpResult<CkanEnvelope<ShowcaseDict>>> Show(CkanRequest req, ShowcaseQueries q, CancellationToken ct)
    {
        var id = req.String("id") is { Length: > 0 } i ? i : req.String("name_or_id") is { Length: > 0 } n ? n : throw CkanException.Missing("name_or_id");
        return CkanApi.Ok(req, await q.ShowAsync(id, ct));
    }

    private static async Task<JsonHttpResult<CkanEnvelope<List<ShowcaseDict>>>> List(CkanRequest req, ShowcaseQueries q, CancellationToken ct) =>
        CkanApi.Ok(req, await q.ToDictsAsync(await q.SearchAsync(null, ct), ct));

    private static async Task<JsonHttpResult<CkanEnvelope<List<PackageDict>>>> PackageList(CkanRequest req, ShowcaseQueries q, CancellationToken ct)
    {
        var key = RequiredParam(req, "showcase_id");
        var showcase = await q.FindAsync(key, ct) ?? throw CkanException.Validation("showcase_id", "Not found: Dataset");
        return CkanApi.Ok(req, await q.PackageDictsOfAsync(showcase.Id, ct));
    }

    private static async Task<JsonHttpResult<CkanEnvelope<List<ShowcaseDict>>>> ShowcaseListOfPackage(CkanRequest req, ShowcaseQueries q, OpenGovDb db, DatasetVisibility visibility, CancellationToken ct)
    {
        var key = RequiredParam(req, "package_id");
        var d = await db.Datasets.AsNoTracking().ByIdOrName(key).FirstOrDefaultAsync(ct);
        if (d is null || !await visibility.CanSeeAsync(d, ct))
        {
            throw CkanException.Validation("package_id", "Not found: Dataset");
        }

        return CkanApi.Ok(req, await q.ToDictsAsync(await q.ShowcasesOfAsync(d.Id, ct), ct));
    }

    /// <summary>One write in a showcase's history, in the shape of CKAN's activity dicts plus its readable lines.</summary>
    public sealed record ActivityDict(
        long Id, string Timestamp, string TimestampJst, string? UserId, string UserName, string ObjectId, string ActivityType,
        string EntityType, string EntityId, string Summary, IReadOnlyList<string> Details, System.Text.Json.JsonElement Changes);

    private static async Task<JsonHttpResult<CkanEnvelope<List<ActivityDict>>>> ActivityList(CkanRequest req, ShowcaseQueries q, ShowcaseHistory history, ShowcaseAuth auth, CancellationToken ct)
    {
        var key = req.String("id") is { Length: > 0 } i ? i : RequiredParam(req, "id");
        var offset = req.Int("offset", 0, 0);
        var limit = req.Int("limit", CatalogQueries.ActivityLimit, 0, CatalogQueries.ActivityLimitMax);
        if (!await history.MayReadAsync(ct))
        {
            throw auth.Denied("ckanext_showcase_activity_list");
        }

        var s = await q.FindAsync(key.Trim(), ct) ?? throw CkanException.NotFound();
        var lines = await history.LinesAsync(s, offset, limit, ct);
        return CkanApi.Ok(req, lines.Select(l => new ActivityDict(
            l.Id, l.At.ToString("yyyy-MM-ddTHH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture), l.AtJst, null, l.UserName, s.Id,
            (l.Action, l.EntityType) switch
            {
                ("create", nameof(Showcase)) => "new showcase",
                ("delete", nameof(Showcase)) => "deleted showcase",
                _ => "changed showcase",
            },
            l.EntityType, l.EntityId, l.Summary, l.Changes, l.Raw)).ToList());
    }

    private static async Task<JsonHttpResult<CkanEnvelope<List<ShowcaseAdmins.AdminDict>>>> AdminList(CkanRequest req, ShowcaseAdmins admins, CancellationToken ct) =>
        CkanApi.Ok(req, await admins.ListAsync(ct));

    private static async Task<JsonHttpResult<CkanEnvelope<ShowcaseDict>>> Create(CkanRequest req, ShowcaseEditor editor, ShowcaseQueries q, CancellationToken ct)
    {
        var s = await editor.CreateAsync(req.Data, ct);
        return CkanApi.Ok(req, (await q.ToDictsAsync([s], ct))[0]);
    }

    private static async Task<JsonHttpResult<CkanEnvelope<ShowcaseDict>>> Update(CkanRequest req, ShowcaseEditor editor, ShowcaseQueries q, CancellationToken ct)
    {
        var s = await editor.UpdateAsync(req.Data, patch: false, ct);
        return CkanApi.Ok(req, (await q.ToDictsAsync([s], ct))[0]);
    }

    private static async Task<JsonHttpResult<CkanEnvelope<ShowcaseDict>>> Patch(CkanRequest req, ShowcaseEditor editor, ShowcaseQueries q, CancellationToken ct)
    {
        var s = await editor.UpdateAsync(req.Data, patch: true, ct);
        return CkanApi.Ok(req, (await q.ToDictsAsync([s], ct))[0]);
    }

    private static async Task<JsonHttpResult<CkanEnvelope<object?>>> Delete(CkanRequest req, ShowcaseEditor editor, CancellationToken ct)
    {
        await editor.DeleteAsync(req.Data, ct);
        return CkanApi.Ok<object?>(req, null);
    }

    private static async Task<JsonHttpResult<CkanEnvelope<AssociationDict>>> AssociationCreate(CkanRequest req, ShowcaseEditor editor, CancellationToken ct)
    {
        var link = await editor.AssociateAsync(req.Data, ct);
        return CkanApi.Ok(req, new AssociationDict(link.DatasetId, link.ShowcaseId));
    }

    private static async Task<JsonHttpResult<CkanEnvelope<object?>>> AssociationDelete(CkanRequest req, ShowcaseEditor editor, CancellationToken ct)
    {
        await editor.DissociateAsync(req.Data, ct);
        return CkanApi.Ok<object?>(req, null);
    }

    private static async Task<JsonHttpResult<CkanEnvelope<AdminAddedDict>>> AdminAdd(CkanRequest req, ShowcaseAdmins admins, CancellationToken ct) =>
        CkanApi.Ok(req, new AdminAddedDict(await admins.AddAsync(req.Data, ct)));

    private static async Task<JsonHttpResult<CkanEnvelope<object?>>> AdminRemove(CkanRequest req, ShowcaseAdmins admins, CancellationToken ct)
    {
        await admins.RemoveAsync(req.Data, ct);
        return CkanApi.Ok<object?>(req, null);
    }

    /// <summary>A required parameter: CKAN's validation error "Missing value" when absent or empty.</summary>
    private static string RequiredParam(CkanRequest req, string key) =>
        req.String(key) is { } v && v.Trim().Length > 0 ? v.Trim() : throw CkanException.Missing(key);
}
