using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OpenGov.Catalog;
using OpenGov.Ckan;
using OpenGov.DataStore.Api;
using OpenGov.Shared;
using OpenGov.Storage;

namespace OpenGov.ResourceViews;

/// <summary>
/// CKAN's default views (ckan/lib/datapreview.py add_views_to_resource): resource_create_default_resource_views,
/// package_create_default_resource_views, and the views a DataStore load makes. The default views here are the
/// datatables_view 「表」 of a resource with a DataStore table and, when the table has latitude and longitude columns,
/// the recline_map_view 「地図」; made only with create_datastore_views (both require the DataStore, and CKAN asks only
/// those plugins then); a resource that has a view of the type already gets none (so calling again creates nothing).
/// The answer is the list of views created.
/// </summary>
public sealed class ResourceViewDefaults(OpenGovDb db, PackageAuth auth, DataStoreAggregates aggregates)
{
    /// <summary>resource_create_default_resource_views: resource (a dict with id), package (not needed), create_datastore_views.</summary>
    public async Task<JsonArray> ForResourceAsync(JsonObject data, CancellationToken ct)
    {
        var (id, _) = DictOf(data, "resource");
        var datastoreViews = DatastoreViews(data);
        var resource = await db.Resources.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id && r.State != RecordState.Deleted, ct)
            ?? throw CkanException.NotFound("Resource was not found.");
        var dataset = await db.Datasets.AsNoTracking().FirstAsync(d => d.Id == resource.DatasetId, ct);
        await auth.CreateResourceAsync(dataset, ct);
        return await AddAsync(dataset.Id, [resource.Id], datastoreViews, ct);
    }

    /// <summary>package_create_default_resource_views: package (a dict with id or name, and its resources), create_datastore_views.</summary>
    public async Task<JsonArray> ForPackageAsync(JsonObject data, CancellationToken ct)
    {
        var (idOrName, package) = DictOf(data, "package", alsoName: true);
        var datastoreViews = DatastoreViews(data);
        var dataset = await db.Datasets.AsNoTracking().ByIdOrName(idOrName).FirstOrDefaultAsync(ct)
            ?? throw CkanException.NotFound("Package was not found.");
        await auth.UpdatePackageAsync(dataset, ct);

        // the resources the dict lists (CKAN walks package["resources"]), those of this dataset only
        var listed = (package["resources"] as JsonArray ?? [])
            .Select(r => r is JsonObject o && o["id"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null)
            .OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var own = await db.Resources.AsNoTracking()
            .Where(r => r.DatasetId == dataset.Id && r.State != RecordState.Deleted && listed.Contains(r.Id))
            .Select(r => r.Id).ToListAsync(ct);
        return await AddAsync(dataset.Id, [.. listed.Where(own.Contains)], datastoreViews, ct);
    }

    /// <summary>
    /// The table view of a resource whose DataStore table became active (what xloader and datapusher ask of
    /// resource_create_default_resource_views once a load completes); nothing when it has one.
    /// </summary>
    public async Task<ResourceView?> AddTableViewAsync(string resourceId, CancellationToken ct)
    {
        if (!await db.Resources.AnyAsync(r => r.Id == resourceId && r.State != RecordState.Deleted, ct)
            || await db.Set<ResourceView>().AnyAsync(v => v.ResourceId == resourceId && v.ViewType == ResourceViewTypes.DataTables, ct))
        {
            return null;
        }

        var last = await db.Set<ResourceView>().Where(v => v.ResourceId == resourceId).MaxAsync(v => (int?)v.Order, ct);
        var view = new ResourceView { ResourceId = resourceId, ViewType = ResourceViewTypes.DataTables, Title = ResourceViewTypes.DataTablesTitle, Order = (last ?? -1) + 1 };
        db.Add(view);
        await db.SaveChangesAsync(ct);
        return view;
    }

    /// <summary>
    /// The map view (CKAN's recline_map_view, 「地図」) of a resource whose DataStore table has latitude and longitude
    /// columns (<see cref="MapColumns.Detect"/>); nothing when it has none or already has a map view.
    /// </summary>
    public async Task<ResourceView?> AddMapViewAsync(string resourceId, CancellationToken ct)
    {
        if (await aggregates.FieldsAsync(resourceId, ct) is not { } fields
            || MapColumns.Detect(fields) is not { } columns
            || !await db.Resources.AnyAsync(r => r.Id == resourceId && r.State != RecordState.Deleted, ct)
            || await db.Set<ResourceView>().AnyAsync(v => v.ResourceId == resourceId && v.ViewType == ResourceViewTypes.Map, ct))
        {
            return null;
        }

        var config = new JsonObject
        {
            [MapConfig.FieldTypeKey] = MapConfig.LatLong,
            [MapConfig.LatitudeKey] = columns.Latitude,
            [MapConfig.LongitudeKey] = columns.Longitude,
            ["auto_zoom"] = true,
            ["cluster_markers"] = false,
        };
        var last = await db.Set<ResourceView>().Where(v => v.ResourceId == resourceId).MaxAsync(v => (int?)v.Order, ct);
        var view = new ResourceView { ResourceId = resourceId, ViewType = ResourceViewTypes.Map, Title = ResourceViewTypes.MapTitle, Order = (last ?? -1) + 1, ConfigJson = config.ToJsonString() };
        db.Add(view);
        await db.SaveChangesAsync(ct);
        return view;
    }

    private async Task<JsonArray> AddAsync(string datasetId, IReadOnlyList<string> resourceIds, bool datastoreViews, CancellationToken ct)
    {
        var created = new JsonArray();
        if (!datastoreViews)
        {
            // CKAN's default views without the DataStore (image_view) are not made here
            return created;
        }

        foreach (var id in resourceIds)
        {
            // CKAN's datatables_view can_view: the resource is in the DataStore
            if (await aggregates.FieldsAsync(id, ct) is null)
            {
                continue;
            }

            if (await AddTableViewAsync(id, ct) is { } view)
            {
                created.Add(ResourceViewEditor.ToDict(view, datasetId));
            }

            if (await AddMapViewAsync(id, ct) is { } map)
            {
                created.Add(ResourceViewEditor.ToDict(map, datasetId));
            }
        }

        return created;
    }

    /// <summary>CKAN's _get_or_bust of the dict, then its id (CKAN's auth reads dict["id"]); nested errors as "id: message".</summary>
    private static (string Id, JsonObject Dict) DictOf(JsonObject data, string key, bool alsoName = false)
    {
        if (!data.TryGetPropertyValue(key, out var node) || node is null)
        {
            throw CkanException.Missing(key);
        }

        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            // a form field or query value holding the dict as JSON
            try
            {
                node = RequestJson.Parse(v.GetValue<string>());
            }
            catch (JsonException)
            {
            }
        }

        if (node is not JsonObject dict)
        {
            throw CkanException.Validation(key, "Must be a dict");
        }

        var errors = new ValidationErrors();
        var id = DictReader.Str(dict, "id", errors);
        if (string.IsNullOrWhiteSpace(id) && alsoName)
        {
            id = DictReader.Str(dict, "name", errors);
        }

        if (string.IsNullOrWhiteSpace(id))
        {
            throw CkanException.Validation(key, "id: Missing value");
        }

        return (id.Trim(), dict);
    }

    /// <summary>asbool(create_datastore_views), false when absent.</summary>
    private static bool DatastoreViews(JsonObject data)
    {
        var errors = new ValidationErrors();
        var value = DictReader.Bool(data, "create_datastore_views", errors);
        errors.ThrowIfAny();
        return value ?? false;
    }
}
