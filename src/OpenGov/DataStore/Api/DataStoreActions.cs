using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenGov.Accounts;
using OpenGov.Catalog;
using OpenGov.Ckan;
using OpenGov.Hosting;
using OpenGov.Storage;

namespace OpenGov.DataStore;

/// <summary>The CKAN DataStore actions: their map, and the ones that write (datastore_create, datastore_upsert, datastore_delete, datastore_records_delete).</summary>
public static partial class DataStoreActions
{
    public static void Map(CkanActionMapper api)
    {
        api.Write("datastore_create", api.Group.MapPost("/datastore_create", Create), "Creates a DataStore table for a resource (or adds fields), optionally with records.");
        api.Write("datastore_upsert", api.Group.MapPost("/datastore_upsert", Upsert), "Inserts, updates or upserts records of a DataStore table.");
        api.Write("datastore_delete", api.Group.MapPost("/datastore_delete", Delete), "Deletes records matching filters, or the whole table when no filters are given.");
        api.Write("datastore_records_delete", api.Group.MapPost("/datastore_records_delete", RecordsDelete), "Deletes records matching filters (required; {} deletes every row) and never the table itself.");
        api.Read("datastore_info", api.Group.MapMethods("/datastore_info", CkanActionMapper.ReadMethods, Info), "Fields and row count of a DataStore table, with the last load and validation.");
        api.Read("datastore_search", api.Group.MapMethods("/datastore_search", CkanActionMapper.ReadMethods, Search), "Searches a DataStore table: filters, q (Japanese substring), sort, paging.");
        api.Read("datastore_search_sql", api.Group.MapMethods("/datastore_search_sql", CkanActionMapper.ReadMethods, SearchSql), "Read-only SQL over DataStore tables (off unless enabled).");
        api.Write("datastore_load", api.Group.MapPost("/datastore_load", Load), "Queues a load of the resource's file, with optional overrides (encoding, delimiter, header row, sheet, types).");
        api.Write("xloader_submit", api.Group.MapPost("/xloader_submit", Load), "Alias of datastore_load (ckanext-xloader).");
        api.Read("datastore_job_show", api.Group.MapMethods("/datastore_job_show", CkanActionMapper.ReadMethods, JobShow), "The latest load job of a resource: state, progress, detection and log.");
        api.Read("xloader_status", api.Group.MapMethods("/xloader_status", CkanActionMapper.ReadMethods, JobShow), "Alias of datastore_job_show (ckanext-xloader).");
        api.Read("datastore_validation_show", api.Group.MapMethods("/datastore_validation_show", CkanActionMapper.ReadMethods, ValidationShow), "Validation report of the resource's last load against its declared standard.");
    }

    internal static string ResourceIdParam(CkanRequest req) =>
        req.String("resource_id") is { Length: > 0 } r ? r : req.String("id") is { Length: > 0 } i ? i : throw CkanException.Missing("resource_id");

    private static CkanException Invalid(DataStoreValidationException e) => CkanException.Validation(e.Field, e.Message);

    // ---- create / upsert / delete ----

    private static async Task<IResult> Create(CkanRequest req, HttpContext http, DataStoreAccess access, DataStoreStorage storage, OpenGovDb db, CurrentUser user, StorageSpace space, CancellationToken ct)
    {
        space.EnsureRoom();
        string resourceId;
        Resource? resource;
        if (req.Data["resource"] is JsonObject newResource)
        {
            var packageId = newResource["package_id"]?.GetValue<string>() ?? throw CkanException.Validation("resource", "package_id: Missing value");
            var ds = await db.Datasets.AsNoTracking().FirstOrDefaultAsync(d => (d.Id == packageId || d.Name == packageId) && d.State != "deleted", ct)
                ?? throw CkanException.NotFound("Dataset not found");
            if (!await user.CanEditDatasetsAsync(ds.OwnerOrgId, ct))
            {
                throw CkanException.Forbidden($"User {user.Name ?? "anonymous"} not authorized to edit package {ds.Name}");
            }

            var position = await db.Resources.CountAsync(r => r.DatasetId == ds.Id, ct);
            resource = new Resource
            {
                DatasetId = ds.Id,
                Name = newResource["name"]?.ToString() ?? "",
                Description = newResource["description"]?.ToString() ?? "",
                Format = newResource["format"]?.ToString() ?? "",
                UrlType = "datastore",
                Position = position,
            };
            resource.Url = CkanApi.SiteUrl(http) + "/datastore/dump/" + resource.Id;
            db.Resources.Add(resource);
            await db.Datasets.Where(d => d.Id == ds.Id).ExecuteUpdateAsync(s => s.SetProperty(d => d.MetadataModified, DateTime.UtcNow), ct);
            await db.SaveChangesAsync(ct);
            resourceId = resource.Id;
        }
        else
        {
            resourceId = req.String("resource_id") is { Length: > 0 } r ? r : throw CkanException.Missing("resource_id");
            (resource, _) = await access.EditableAsync(resourceId, ct);
            CheckForce(req, resource);
        }

        var fields = ParseFields(req.Array("fields"));
        var records = Records(req);
        var pk = Names(req.Data["primary_key"], "primary_key");
        var indexes = (Names(req.Data["indexes"], "indexes") ?? []).Select(i => (IReadOnlyList<string>)[i]).ToList();
        var existing = await storage.GetTableAsync(resourceId, ct);
        if (fields.Count == 0 && existing is null)
        {
            fields = GuessFields(records);
        }

        var known = new HashSet<string>((existing?.Fields ?? []).Select(f => f.Id).Concat(fields.Select(f => f.Id)));
        foreach (var name in (pk ?? []).Concat(indexes.SelectMany(i => i)))
        {
            if (!known.Contains(name))
            {
                throw CkanException.Validation(pk?.Contains(name) == true ? "primary_key" : "indexes", $"field \"{name}\" not in table");
            }
        }

        try
        {
            var table = await storage.CreateOrExtendAsync(resourceId, fields, pk, indexes, async (c, tx, t) =>
            {
                if (records.Count > 0)
                {
                    await DataStoreWriter.WriteAsync(storage, c, tx, t, records, "insert", ct);
                }
            }, ct);
            return CkanApi.Ok(req, new JsonObject
            {
                ["resource_id"] = resourceId,
                ["fields"] = FieldsJson(table.Fields, withId: false),
                ["primary_key"] = new JsonArray([.. table.PrimaryKey.Select(k => (JsonNode)k)]),
                ["indexes"] = new JsonArray([.. indexes.Select(i => (JsonNode)i[0])]),
                ["method"] = "insert",
            });
        }
        catch (DataStoreValidationException e)
        {
            throw Invalid(e);
        }
        catch (DbException e) when (storage.Backend.UserErrorMessage(e) is { } message)
        {
            throw CkanException.Validation("records", message);
        }
    }

    private static async Task<IResult> Upsert(CkanRequest req, DataStoreAccess access, DataStoreStorage storage, StorageSpace space, CancellationToken ct)
    {
        space.EnsureRoom();
        var resourceId = ResourceIdParam(req);
        var (resource, _) = await access.EditableAsync(resourceId, ct);
        CheckForce(req, resource);
        var method = req.String("method") is { Length: > 0 } m ? m : "upsert";
        if (method is not ("upsert" or "insert" or "update"))
        {
            throw CkanException.Validation("method", "Value must be one of ['upsert', 'insert', 'update']");
        }

        var records = Records(req);
        try
        {
            var n = await storage.WriteAsync(resourceId, async (c, tx, t) => (long?)await DataStoreWriter.WriteAsync(storage, c, tx, t, records, method, ct), ct);
            if (n is null)
            {
                throw CkanException.NotFound($"Resource \"{resourceId}\" has no DataStore table");
            }

            return CkanApi.Ok(req, new JsonObject { ["resource_id"] = resourceId, ["method"] = method, ["records_written"] = n.Value });
        }
        catch (DataStoreValidationException e)
        {
            throw Invalid(e);
        }
        catch (DbException e) when (storage.Backend.UserErrorMessage(e) is { } message)
        {
            throw CkanException.Validation("records", message);
        }
    }

    /// <summary>datastore_delete: without <c>filters</c> the table goes; with them (even <c>{}</c>, every row) only the rows matching.</summary>
    private static Task<IResult> Delete(CkanRequest req, DataStoreAccess access, DataStoreStorage storage, CancellationToken ct) =>
        req.Data["filters"] switch
        {
            null => DeleteAsync(req, null, access, storage, ct),
            JsonObject filters => DeleteAsync(req, filters, access, storage, ct),
            _ => throw CkanException.Validation("filters", "filters must be either a dict or null."),
        };

    /// <summary>datastore_records_delete (CKAN 2.10): datastore_delete whose <c>filters</c> are required, so the table always stays.</summary>
    private static Task<IResult> RecordsDelete(CkanRequest req, DataStoreAccess access, DataStoreStorage storage, CancellationToken ct) =>
        req.Data["filters"] switch
        {
            null => throw CkanException.Validation("filters", "Missing value"),
            JsonObject filters => DeleteAsync(req, filters, access, storage, ct),
            _ => throw CkanException.Validation("filters", "Must be a dict"),
        };

    /// <summary>
    /// The one delete of both actions (CKAN's backend.delete): no filters drops the table; filters delete the rows they
    /// match (<c>{}</c> all of them) and keep the table. Answers CKAN's shape: the resource id and the filters sent
    /// (with <c>include_deleted_records</c>, the rows deleted as <c>deleted_records</c>), and OpenGov's <c>deleted_count</c>.
    /// </summary>
    private static async Task<IResult> DeleteAsync(CkanRequest req, JsonObject? filters, DataStoreAccess access, DataStoreStorage storage, CancellationToken ct)
    {
        var resourceId = ResourceIdParam(req);
        var (resource, _) = await access.EditableAsync(resourceId, ct);
        CheckForce(req, resource);
        if (filters is null)
        {
            if (!await storage.DropAsync(resourceId, ct))
            {
                throw CkanException.NotFound($"Resource \"{resourceId}\" has no DataStore table");
            }

            return CkanApi.Ok(req, new JsonObject { ["resource_id"] = resourceId });
        }

        var includeDeleted = req.Bool("include_deleted_records", false);
        try
        {
            JsonArray? deletedRecords = null;
            var deleted = await storage.WriteAsync(resourceId, async (c, tx, t) =>
            {
                if (includeDeleted)
                {
                    // CKAN's DELETE ... RETURNING, at most ckan.datastore.search.rows_max (32000) rows: read them first
                    deletedRecords = await ReadRowsAsync(storage, c, tx, t, filters, ct);
                }

                var spec = DataStoreQuery.Parse(t, new JsonObject { ["filters"] = filters.DeepClone() });
                await using var cmd = c.CreateCommand();
                cmd.Transaction = tx;
                var where = DataStoreQuery.Where(spec, t, cmd, storage.Backend);
                cmd.CommandText = $"DELETE FROM {storage.Table(resourceId)}{where}";
                return (long?)await cmd.ExecuteNonQueryAsync(ct);
            }, ct);
            if (deleted is null)
            {
                throw CkanException.NotFound($"Resource \"{resourceId}\" has no DataStore table");
            }

            var result = new JsonObject { ["resource_id"] = resourceId, ["filters"] = filters.DeepClone(), ["deleted_count"] = deleted.Value };
            if (deletedRecords is not null)
            {
                result["deleted_records"] = deletedRecords;
            }

            return CkanApi.Ok(req, result);
        }
        catch (DataStoreValidationException e)
        {
            throw Invalid(e);
        }
    }

    /// <summary>The rows <paramref name="filters"/> match (with <c>_id</c>), as datastore_search answers them, at most <see cref="SearchSpec.MaxLimit"/>.</summary>
    private static async Task<JsonArray> ReadRowsAsync(DataStoreStorage storage, DbConnection c, DbTransaction tx, DsTable t, JsonObject filters, CancellationToken ct)
    {
        var spec = DataStoreQuery.Parse(t, new JsonObject { ["filters"] = filters.DeepClone(), ["limit"] = SearchSpec.MaxLimit });
        var rows = new JsonArray();
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = DataStoreQuery.Select(spec, t, cmd, storage.Backend);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            rows.Add(RecordObject(r, spec.Fields, storage.Backend));
        }

        return rows;
    }

    /// <summary>The reader's current row as a datastore_search record (objects format): each field by its id.</summary>
    private static JsonObject RecordObject(DbDataReader r, List<DsField> fields, IDataStoreBackend backend)
    {
        var row = new JsonObject();
        for (var i = 0; i < fields.Count; i++)
        {
            row[fields[i].Id] = DsTypes.ToJson(backend.ReadValue(r, i, fields[i].Type));
        }

        return row;
    }

    private static void CheckForce(CkanRequest req, Resource resource)
    {
        if (resource.UrlType == "upload" && !req.Bool("force", false))
        {
            throw CkanException.Validation("read-only", "Cannot edit read-only resource. Either pass \"force=True\" or change url_type to \"datastore\"");
        }
    }

    internal static List<DsField> ParseFields(JsonArray? array)
    {
        var result = new List<DsField>();
        if (array is null)
        {
            return result;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in array)
        {
            if (node is not JsonObject o || o["id"] is not JsonValue idv || idv.GetValueKind() != JsonValueKind.String)
            {
                throw CkanException.Validation("fields", "Each field must be an object with an \"id\"");
            }

            var id = idv.GetValue<string>();
            if (DsTypes.InvalidFieldName(id) is { } why)
            {
                throw CkanException.Validation("fields", why);
            }

            if (!seen.Add(id))
            {
                throw CkanException.Validation("fields", $"duplicate field \"{id}\"");
            }

            var typeName = o["type"]?.ToString();
            var type = string.IsNullOrWhiteSpace(typeName) ? DsTypes.Text : DsTypes.Canonical(typeName) ?? throw CkanException.Validation("fields", $"\"{typeName}\" is not a valid field type");
            result.Add(new DsField(id, type, o["info"] as JsonObject is { } info ? (JsonObject)info.DeepClone() : null));
        }

        return result;
    }

    private static List<DsField> GuessFields(List<JsonObject> records)
    {
        var result = new List<DsField>();
        foreach (var rec in records.Take(1))
        {
            foreach (var (k, v) in rec)
            {
                if (k == "_id")
                {
                    continue;
                }

                if (DsTypes.InvalidFieldName(k) is { } why)
                {
                    throw CkanException.Validation("records", why);
                }

                var type = v?.GetValueKind() switch
                {
                    JsonValueKind.Number => v.AsValue().TryGetValue(out long _) ? DsTypes.Int : DsTypes.Numeric,
                    JsonValueKind.True or JsonValueKind.False => DsTypes.Bool,
                    JsonValueKind.Object or JsonValueKind.Array => DsTypes.Json,
                    _ => DsTypes.Text,
                };
                result.Add(new DsField(k, type));
            }
        }

        return result;
    }

    private static List<JsonObject> Records(CkanRequest req)
    {
        var arr = req.Array("records");
        if (arr is null)
        {
            return [];
        }

        return [.. arr.Select(n => n as JsonObject ?? throw CkanException.Validation("records", "The data was invalid (for example: a numeric value is out of range or was inserted into a text field)."))];
    }

    private static List<string>? Names(JsonNode? node, string key) => node switch
    {
        null => null,
        JsonArray a => [.. a.Select(x => x?.ToString() ?? "")],
        JsonValue v when v.GetValueKind() == JsonValueKind.String => [.. v.GetValue<string>().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)],
        _ => throw CkanException.Validation(key, "Not a list"),
    };

    internal static JsonArray FieldsJson(IEnumerable<DsField> fields, bool withId)
    {
        var arr = new JsonArray();
        if (withId)
        {
            arr.Add(new JsonObject { ["id"] = "_id", ["type"] = "int" });
        }

        foreach (var f in fields)
        {
            var o = new JsonObject { ["id"] = f.Id, ["type"] = f.Type };
            if (f.Info is not null)
            {
                o["info"] = f.Info.DeepClone();
            }

            arr.Add(o);
        }

        return arr;
    }
}
