using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OpenGov.Accounts;
using OpenGov.Catalog;
using OpenGov.Ckan;
using OpenGov.DataStore.Api;
using OpenGov.Storage;

namespace OpenGov.ResourceViews;

/// <summary>
/// The resource_view_* actions' work, in CKAN's order: required keys (<c>_get_or_bust</c>), the view type, the schema,
/// then the auth check (CKAN's: writing a view is creating a resource on its dataset; reading one is reading the
/// resource). The dict is CKAN's resource_view_dictize: the columns, the view type's keys, and package_id.
/// </summary>
public sealed class ResourceViewEditor(OpenGovDb db, PackageAuth auth, CurrentUser user, DataStoreAggregates aggregates)
{
    private static readonly string[] Columns = ["id", "resource_id", "package_id", "title", "description", "view_type"];

    /// <summary>resource_view_create.</summary>
    public async Task<JsonObject> CreateAsync(JsonObject data, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var resourceId = Required(data, "resource_id", errors);
        var viewType = Required(data, "view_type", errors);
        errors.ThrowIfAny();
        if (!ResourceViewTypes.Keys.ContainsKey(viewType))
        {
            throw CkanException.Validation("view_type", $"No plugin found for view_type {viewType}");
        }

        var resource = await FindResourceAsync(resourceId, ct);
        if (resource is null)
        {
            errors.Report("resource_id", "Not found: Resource");
        }

        var (title, description, config) = ReadSchema(data, viewType, errors);
        errors.ThrowIfAny();
        var dataset = await db.Datasets.AsNoTracking().FirstAsync(d => d.Id == resource!.DatasetId, ct);
        await auth.CreateResourceAsync(dataset, ct);
        await CheckChartAsync(resource!.Id, viewType, config, ct);

        var last = await db.Set<ResourceView>().Where(v => v.ResourceId == resource.Id).MaxAsync(v => (int?)v.Order, ct);
        var view = new ResourceView
        {
            ResourceId = resource.Id,
            ViewType = viewType,
            Title = title,
            Description = description,
            Order = (last ?? -1) + 1,
            ConfigJson = config.ToJsonString(),
        };
        db.Add(view);
        await db.SaveChangesAsync(ct);
        return ToDict(view, dataset.Id);
    }

    /// <summary>resource_view_update: title required again, the view type kept, the view type's keys replaced.</summary>
    public async Task<JsonObject> UpdateAsync(JsonObject data, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var id = Required(data, "id", errors);
        errors.ThrowIfAny();
        var view = await db.Set<ResourceView>().FirstOrDefaultAsync(v => v.Id == id, ct) ?? throw CkanException.NotFound();
        var (title, description, config) = ReadSchema(data, view.ViewType, errors);
        if (DictReader.Str(data, "resource_id", errors) is { Length: > 0 } rid && await FindResourceAsync(rid, ct) is null)
        {
            errors.Report("resource_id", "Not found: Resource");
        }

        errors.ThrowIfAny();
        var resource = await FindResourceAsync(view.ResourceId, ct) ?? throw CkanException.NotFound("Resource was not found.");
        var dataset = await db.Datasets.AsNoTracking().FirstAsync(d => d.Id == resource.DatasetId, ct);
        await auth.CreateResourceAsync(dataset, ct);
        await CheckChartAsync(resource.Id, view.ViewType, config, ct);
        view.Title = title;
        view.Description = description;
        view.ConfigJson = config.ToJsonString();
        await db.SaveChangesAsync(ct);
        return ToDict(view, dataset.Id);
    }

    /// <summary>resource_view_show: 404 "Not found" for an unknown id; 403 when the resource may not be read.</summary>
    public async Task<JsonObject> ShowAsync(string id, CancellationToken ct)
    {
        var view = await db.Set<ResourceView>().AsNoTracking().FirstOrDefaultAsync(v => v.Id == id, ct) ?? throw CkanException.NotFound();
        var dataset = await ReadableDatasetAsync(view.ResourceId, ct);
        return ToDict(view, dataset.Id);
    }

    /// <summary>resource_view_list: the resource's views in order; 404 for an unknown resource.</summary>
    public async Task<JsonArray> ListAsync(string resourceId, CancellationToken ct)
    {
        var dataset = await ReadableDatasetAsync(resourceId, ct);
        var views = await ViewsOfAsync(resourceId, ct);
        return [.. views.Select(v => (JsonNode)ToDict(v, dataset.Id))];
    }

    /// <summary>A resource's views in order, of the types this site shows (the caller has checked it may read them).</summary>
    public async Task<List<ResourceView>> ViewsOfAsync(string resourceId, CancellationToken ct)
    {
        var views = await db.Set<ResourceView>().AsNoTracking().Where(v => v.ResourceId == resourceId)
            .OrderBy(v => v.Order).ThenBy(v => v.Id).ToListAsync(ct);
        return views.Where(v => ResourceViewTypes.Keys.ContainsKey(v.ViewType)).ToList();
    }

    /// <summary>resource_view_delete.</summary>
    public async Task DeleteAsync(string id, CancellationToken ct)
    {
        var view = await db.Set<ResourceView>().FirstOrDefaultAsync(v => v.Id == id, ct) ?? throw CkanException.NotFound();
        var resource = await FindResourceAsync(view.ResourceId, ct) ?? throw CkanException.NotFound("Resource was not found.");
        var dataset = await db.Datasets.AsNoTracking().FirstAsync(d => d.Id == resource.DatasetId, ct);
        await auth.CreateResourceAsync(dataset, ct);
        db.Remove(view);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>resource_view_reorder: the listed views first, in the order given, then the others in their order.</summary>
    public async Task<JsonObject> ReorderAsync(JsonObject data, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var id = Required(data, "id", errors);
        if (data["order"] is null)
        {
            errors.Report("order", "Missing value");
        }

        errors.ThrowIfAny();
        if (data["order"] is not JsonArray array || array.Any(n => n is not JsonValue v || v.GetValueKind() != JsonValueKind.String))
        {
            throw CkanException.Validation("order", "Must supply order as a list");
        }

        var order = array.Select(n => n!.GetValue<string>()).ToList();
        if (order.Count != order.Distinct(StringComparer.Ordinal).Count())
        {
            throw CkanException.Validation("order", "No duplicates allowed in order");
        }

        var resource = await FindResourceAsync(id, ct) ?? throw CkanException.Validation("id", "Resource not found");
        var dataset = await db.Datasets.AsNoTracking().FirstAsync(d => d.Id == resource.DatasetId, ct);
        await auth.CreateResourceAsync(dataset, ct);
        var views = await db.Set<ResourceView>().Where(v => v.ResourceId == resource.Id).OrderBy(v => v.Order).ThenBy(v => v.Id).ToListAsync(ct);
        var rest = views.Select(v => v.Id).ToList();
        foreach (var v in order)
        {
            if (!rest.Remove(v))
            {
                throw CkanException.Validation("order", $"View {v} does not exist");
            }
        }

        var newOrder = order.Concat(rest).ToList();
        foreach (var v in views)
        {
            v.Order = newOrder.IndexOf(v.Id);
        }

        await db.SaveChangesAsync(ct);
        return new JsonObject { ["id"] = resource.Id, ["order"] = new JsonArray([.. newOrder.Select(v => (JsonNode)v)]) };
    }

    /// <summary>resource_view_clear: every view (of the given view_types) removed; sysadmins only.</summary>
    public async Task ClearAsync(IReadOnlyList<string>? viewTypes, CancellationToken ct)
    {
        if (!user.IsSysadmin)
        {
            throw CkanException.Forbidden();
        }

        var q = db.Set<ResourceView>().AsQueryable();
        if (viewTypes is { Count: > 0 })
        {
            q = q.Where(v => viewTypes.Contains(v.ViewType));
        }

        await q.ExecuteDeleteAsync(ct);
    }

    public static JsonObject ToDict(ResourceView v, string packageId)
    {
        var dict = new JsonObject
        {
            ["id"] = v.Id,
            ["resource_id"] = v.ResourceId,
            ["package_id"] = packageId,
            ["title"] = v.Title,
            ["description"] = v.Description,
            ["view_type"] = v.ViewType,
        };
        if (JsonNode.Parse(v.ConfigJson) is JsonObject config)
        {
            foreach (var (k, value) in config)
            {
                if (!dict.ContainsKey(k))
                {
                    dict[k] = value?.DeepClone();
                }
            }
        }

        return dict;
    }

    /// <summary>The view's columns and its type's keys (unknown keys: CKAN's "__extras" error).</summary>
    private static (string Title, string Description, JsonObject Config) ReadSchema(JsonObject data, string viewType, ValidationErrors errors)
    {
        var title = DictReader.Str(data, "title", errors)?.Trim() ?? "";
        if (title.Length == 0 && !errors.Has("title"))
        {
            errors.Report("title", "Missing value");
        }

        var description = DictReader.Str(data, "description", errors) ?? "";
        var keys = ResourceViewTypes.Keys[viewType];
        var config = new JsonObject();
        foreach (var (k, value) in data)
        {
            if (keys.Contains(k))
            {
                if (value is not null)
                {
                    config[k] = value.DeepClone();
                }
            }
            else if (!Columns.Contains(k) && k != "order")
            {
                errors.Report("__extras", "The input field __extras was not expected.");
            }
        }

        return (title, description, config);
    }

    /// <summary>
    /// A chart view's kind and columns against the resource's DataStore table (the plugin's schema); a map view's
    /// latitude_field and longitude_field, when given, against the table's fields.
    /// </summary>
    private async Task CheckChartAsync(string resourceId, string viewType, JsonObject config, CancellationToken ct)
    {
        if (viewType == ResourceViewTypes.Map)
        {
            await CheckMapAsync(resourceId, config, ct);
            return;
        }

        if (viewType != ResourceViewTypes.Chart)
        {
            return;
        }

        var errors = new ValidationErrors();
        var type = config[ChartConfig.TypeKey] is JsonValue t && t.TryGetValue(out string? s) ? s : null;
        if (string.IsNullOrEmpty(type))
        {
            errors.Report(ChartConfig.TypeKey, "Missing value");
            errors.ThrowIfAny();
        }

        if (!ChartConfig.Types.Contains(type))
        {
            errors.Report(ChartConfig.TypeKey, "Value must be one of: " + string.Join("; ", ChartConfig.Types));
            errors.ThrowIfAny();
        }

        var fields = await aggregates.FieldsAsync(resourceId, ct);
        if (fields is null)
        {
            throw CkanException.Validation("resource_id", "The resource has no DataStore table");
        }

        var names = fields.Select(f => f.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var key in ChartConfig.Needs(type!))
        {
            var column = config[key] is JsonValue v && v.TryGetValue(out string? c) ? c : null;
            if (string.IsNullOrEmpty(column))
            {
                errors.Report(key, "Missing value");
            }
            else if (!names.Contains(column))
            {
                errors.Report(key, $"Field \"{column}\" not in the table");
            }
        }

        errors.ThrowIfAny();
    }

    private async Task CheckMapAsync(string resourceId, JsonObject config, CancellationToken ct)
    {
        string[] keys = [MapConfig.LatitudeKey, MapConfig.LongitudeKey];
        var given = keys.Where(k => config[k] is JsonValue v && v.TryGetValue(out string? s) && s.Length > 0).ToList();
        if (given.Count == 0)
        {
            return; // the columns are found by their names when the view is drawn
        }

        var names = (await aggregates.FieldsAsync(resourceId, ct))?.Select(f => f.Id).ToHashSet(StringComparer.Ordinal) ?? [];
        var errors = new ValidationErrors();
        foreach (var key in given)
        {
            var column = config[key]!.GetValue<string>();
            if (!names.Contains(column))
            {
                errors.Report(key, $"Field \"{column}\" not in the table");
            }
        }

        errors.ThrowIfAny();
    }

    private async Task<Dataset> ReadableDatasetAsync(string resourceId, CancellationToken ct)
    {
        var resource = await FindResourceAsync(resourceId, ct) ?? throw CkanException.NotFound();
        var dataset = await db.Datasets.AsNoTracking().FirstAsync(d => d.Id == resource.DatasetId, ct);
        await auth.ReadResourceAsync(dataset, resource.Id, ct);
        return dataset;
    }

    private Task<Resource?> FindResourceAsync(string id, CancellationToken ct) =>
        db.Resources.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id && r.State != RecordState.Deleted, ct);

    private static string Required(JsonObject data, string key, ValidationErrors errors)
    {
        var value = DictReader.Str(data, key, errors);
        if (string.IsNullOrEmpty(value) && !errors.Has(key))
        {
            errors.Report(key, "Missing value");
        }

        return value ?? "";
    }
}
