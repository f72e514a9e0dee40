using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenGov.Ckan;

namespace OpenGov.ResourceViews;

/// <summary>
/// CKAN's resource_view_* actions (ckan/logic/action/{create,get,update,delete}.py), worked by
/// <see cref="ResourceViewEditor"/>, and the default views (<see cref="ResourceViewDefaults"/>). CKAN has no resource_view_patch; resource_view_update replaces a view's keys.
/// </summary>
public static class ResourceViewActions
{
    public static void Map(CkanActionMapper api)
    {
        api.Read("resource_view_show", api.Group.MapMethods("/resource_view_show", CkanActionMapper.ReadMethods, Show), "One resource view (id).");
        api.Read("resource_view_list", api.Group.MapMethods("/resource_view_list", CkanActionMapper.ReadMethods, List), "A resource's views in order (id: the resource).");

        api.Write("resource_view_create", api.Group.MapPost("/resource_view_create", Create), "Add a view to a resource (resource_id, title, view_type and its keys).");
        api.Write("resource_view_update", api.Group.MapPost("/resource_view_update", Update), "Replace a view's title, description and keys (id; the view type stays).");
        api.Write("resource_view_delete", api.Group.MapPost("/resource_view_delete", Delete), "Remove a view (id).");
        api.Write("resource_view_reorder", api.Group.MapPost("/resource_view_reorder", Reorder), "Put a resource's views in order (id: the resource, order: view ids).");
        api.Write("resource_view_clear", api.Group.MapPost("/resource_view_clear", Clear), "Remove every view, or those of view_types (sysadmins).");
        api.Write("resource_create_default_resource_views", api.Group.MapPost("/resource_create_default_resource_views", ForResource), "Create a resource's default views it lacks (resource: dict with id, create_datastore_views).");
        api.Write("package_create_default_resource_views", api.Group.MapPost("/package_create_default_resource_views", ForPackage), "Create the default views the dataset's resources lack (package: dict with id and resources, create_datastore_views).");
    }

    private static async Task<JsonHttpResult<CkanEnvelope<JsonObject>>> Show(CkanRequest req, ResourceViewEditor views, CancellationToken ct) =>
        CkanApi.Ok(req, await views.ShowAsync(req.RequiredString("id"), ct));

    private static async Task<JsonHttpResult<CkanEnvelope<JsonArray>>> List(CkanRequest req, ResourceViewEditor views, CancellationToken ct) =>
        CkanApi.Ok(req, await views.ListAsync(req.RequiredString("id"), ct));

    private static async Task<JsonHttpResult<CkanEnvelope<JsonObject>>> Create(CkanRequest req, ResourceViewEditor views, CancellationToken ct) =>
        CkanApi.Ok(req, await views.CreateAsync(req.Data, ct));

    private static async Task<JsonHttpResult<CkanEnvelope<JsonObject>>> Update(CkanRequest req, ResourceViewEditor views, CancellationToken ct) =>
        CkanApi.Ok(req, await views.UpdateAsync(req.Data, ct));

    private static async Task<JsonHttpResult<CkanEnvelope<object?>>> Delete(CkanRequest req, ResourceViewEditor views, CancellationToken ct)
    {
        await views.DeleteAsync(req.RequiredString("id"), ct);
        return CkanApi.Ok<object?>(req, null);
    }

    private static async Task<JsonHttpResult<CkanEnvelope<JsonObject>>> Reorder(CkanRequest req, ResourceViewEditor views, CancellationToken ct) =>
        CkanApi.Ok(req, await views.ReorderAsync(req.Data, ct));

    private static async Task<JsonHttpResult<CkanEnvelope<JsonArray>>> ForResource(CkanRequest req, ResourceViewDefaults defaults, CancellationToken ct) =>
        CkanApi.Ok(req, await defaults.ForResourceAsync(req.Data, ct));

    private static async Task<JsonHttpResult<CkanEnvelope<JsonArray>>> ForPackage(CkanRequest req, ResourceViewDefaults defaults, CancellationToken ct) =>
        CkanApi.Ok(req, await defaults.ForPackageAsync(req.Data, ct));

    private static async Task<JsonHttpResult<CkanEnvelope<object?>>> Clear(CkanRequest req, ResourceViewEditor views, CancellationToken ct)
    {
        await views.ClearAsync(req.List("view_types"), ct);
        return CkanApi.Ok<object?>(req, null);
    }
}
