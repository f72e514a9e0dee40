using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenGov.Accounts;
using OpenGov.Catalog;
using OpenGov.Catalog.Ckan;
using OpenGov.Storage;

namespace OpenGov.DataStore;

/// <summary>Settings of the DataStore (configuration section OpenGov:DataStore).</summary>
public sealed class DataStoreOptions
{
    /// <summary>datastore_search_sql is off unless this is true.</summary>
    public bool SearchSqlEnabled { get; set; }

    /// <summary>Statement time limit of datastore_search_sql.</summary>
    public int SearchSqlTimeoutMs { get; set; } = 5000;

    /// <summary>Most rows datastore_search_sql returns.</summary>
    public int SearchSqlMaxRows { get; set; } = 32000;

    /// <summary>Seconds between polls for new or changed tabular uploads (0 turns polling off).</summary>
    public int PollSeconds { get; set; } = 10;

    /// <summary>Run load jobs on this node.</summary>
    public bool RunJobs { get; set; } = true;
}

/// <summary>The CKAN DataStore actions.</summary>
public static class DataStoreActions
{
    public static void Map(CkanActionMapper api)
    {
        api.Write("datastore_create", Create, "Creates a DataStore table for a resource (or adds fields), optionally with records.");
        api.Write("datastore_upsert", Upsert, "Inserts, updates or upserts records of a DataStore table.");
        api.Write("datastore_delete", Delete, "Deletes records matching filters, or the whole table.");
        api.Read("datastore_info", Info, "Fields and row count of a DataStore table, with the last load and validation.");
        api.Read("datastore_search", Search, "Searches a DataStore table: filters, q (Japanese substring), sort, paging.");
        api.Read("datastore_search_sql", SearchSql, "Read-only SQL over DataStore tables (off unless enabled).");
        api.Write("datastore_load", Load, "Queues a load of the resource's file, with optional overrides (encoding, delimiter, header row, sheet, types).");
        api.Write("xloader_submit", Load, "Alias of datastore_load (ckanext-xloader).");
        api.Read("datastore_job_show", JobShow, "The latest load job of a resource: state, progress, detection and log.");
        api.Read("xloader_status", JobShow, "Alias of datastore_job_show (ckanext-xloader).");
        api.Read("datastore_validation_show", ValidationShow, "Validation report of the resource's last load against its declared standard.");
    }

    internal static string ResourceIdParam(CkanRequest req) =>
        req.String("resource_id") is { Length: > 0 } r ? r : req.String("id") is { Length: > 0 } i ? i : throw CkanException.Missing("resource_id");

    private static CkanException Invalid(DataStoreValidationException e) => CkanException.Validation(e.Field, e.Message);

    // ---- create / upsert / delete ----

    private static async Task<IResult> Create(CkanRequest req, HttpContext http, DataStoreAccess access, DataStoreStorage storage, OpenGovDb db, CurrentUser user, CancellationToken ct)
    {
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

    private static async Task<IResult> Upsert(CkanRequest req, DataStoreAccess access, DataStoreStorage storage, CancellationToken ct)
    {
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

    private static async Task<IResult> Delete(CkanRequest req, DataStoreAccess access, DataStoreStorage storage, CancellationToken ct)
    {
        var resourceId = ResourceIdParam(req);
        var (resource, _) = await access.EditableAsync(resourceId, ct);
        CheckForce(req, resource);
        var filters = req.Data["filters"];
        if (filters is null || (filters is JsonObject fo && fo.Count == 0))
        {
            if (!await storage.DropAsync(resourceId, ct))
            {
                throw CkanException.NotFound($"Resource \"{resourceId}\" has no DataStore table");
            }

            return CkanApi.Ok(req, new JsonObject { ["resource_id"] = resourceId });
        }

        try
        {
            var deleted = await storage.WriteAsync(resourceId, async (c, tx, t) =>
            {
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

            return CkanApi.Ok(req, new JsonObject { ["resource_id"] = resourceId, ["filters"] = filters.DeepClone(), ["deleted_count"] = deleted.Value });
        }
        catch (DataStoreValidationException e)
        {
            throw Invalid(e);
        }
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

    // ---- info ----

    private static async Task<IResult> Info(CkanRequest req, DataStoreAccess access, DataStoreStorage storage, OpenGovDb db, CancellationToken ct)
    {
        var resourceId = ResourceIdParam(req);
        await access.ReadableAsync(resourceId, ct);
        var result = await storage.ReadAsync(resourceId, async (c, tx, t) =>
        {
            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = $"SELECT count(*) FROM {storage.Table(resourceId)}";
            var count = Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
            return new JsonObject
            {
                ["meta"] = new JsonObject { ["id"] = resourceId, ["count"] = count, ["table_type"] = "BASE TABLE", ["aliases"] = new JsonArray(), ["primary_key"] = new JsonArray([.. t.PrimaryKey.Select(k => (JsonNode)k)]) },
                ["fields"] = FieldsJson(t.Fields, withId: false),
            };
        }, ct) ?? throw CkanException.NotFound($"Resource \"{resourceId}\" has no DataStore table");
        var job = await db.Set<DataStoreJob>().AsNoTracking().Where(j => j.ResourceId == resourceId).OrderByDescending(j => j.Created).FirstOrDefaultAsync(ct);
        if (job is not null)
        {
            result["load"] = JobJson(job, withLog: false);
        }

        var state = await db.Set<DataStoreResource>().AsNoTracking().FirstOrDefaultAsync(s => s.ResourceId == resourceId, ct);
        if (state?.ValidationJson is { } v)
        {
            result["validation"] = JsonNode.Parse(v);
        }

        return CkanApi.Ok(req, result);
    }

    internal static JsonObject JobJson(DataStoreJob job, bool withLog)
    {
        var o = new JsonObject
        {
            ["id"] = job.Id,
            ["resource_id"] = job.ResourceId,
            ["status"] = job.State,
            ["created"] = job.Created.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
            ["started"] = job.Started?.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
            ["finished"] = job.Finished?.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
            ["rows_read"] = job.RowsRead,
            ["bytes_read"] = job.BytesRead,
            ["total_bytes"] = job.TotalBytes,
            ["percent"] = job.State == JobState.Complete ? 100 : job.TotalBytes > 0 ? Math.Min(100, (int)(job.BytesRead * 100 / job.TotalBytes)) : 0,
            ["detected"] = JsonNode.Parse(job.DetectedJson),
            ["error"] = job.Error,
        };
        if (withLog)
        {
            o["log"] = JsonNode.Parse(job.LogJson);
        }

        return o;
    }

    // ---- search ----

    private static async Task<IResult> Search(CkanRequest req, DataStoreAccess access, DataStoreStorage storage, CancellationToken ct)
    {
        var resourceId = ResourceIdParam(req);
        var format = req.String("records_format") is { Length: > 0 } rf ? rf : "objects";
        if (format is not ("objects" or "lists" or "csv" or "tsv"))
        {
            throw CkanException.Validation("records_format", "Value must be one of ['objects', 'lists', 'csv', 'tsv']");
        }

        if (resourceId == "_table_metadata")
        {
            return CkanApi.Ok(req, await TableMetadataAsync(req, access, storage, ct));
        }

        await access.ReadableAsync(resourceId, ct);
        try
        {
            var result = await SearchAsync(storage, resourceId, req.Data, format, ct)
                ?? throw CkanException.NotFound($"Resource \"{resourceId}\" was not found.");
            return CkanApi.Ok(req, result);
        }
        catch (DataStoreValidationException e)
        {
            throw Invalid(e);
        }
    }

    /// <summary>datastore_search on a table (null when there is no table); throws <see cref="DataStoreValidationException"/> for bad parameters.</summary>
    public static Task<JsonObject?> SearchAsync(DataStoreStorage storage, string resourceId, JsonObject data, string format, CancellationToken ct) =>
        storage.ReadAsync(resourceId, (c, tx, t) => RunSearchAsync(storage, c, tx, t, data, format, ct), ct);

    private static async Task<JsonObject?> RunSearchAsync(DataStoreStorage storage, DbConnection c, DbTransaction tx, DsTable t, JsonObject data, string format, CancellationToken ct)
    {
        var spec = DataStoreQuery.Parse(t, data);
        storage.Indexes.Want(t, spec.Filters.Keys, spec.Sort.Select(s => s.Field));
        var records = new JsonArray();
        var sb = format is "csv" or "tsv" ? new StringBuilder() : null;
        await using (var cmd = c.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText = DataStoreQuery.Select(spec, t, cmd, storage.Backend);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                if (sb is not null)
                {
                    var sep = format == "csv" ? ',' : '\t';
                    for (var i = 0; i < spec.Fields.Count; i++)
                    {
                        if (i > 0)
                        {
                            sb.Append(sep);
                        }

                        DataStoreDump.AppendCell(sb, DsTypes.ToText(storage.Backend.ReadValue(r, i, spec.Fields[i].Type)), sep);
                    }

                    sb.Append('\n');
                }
                else if (format == "lists")
                {
                    var row = new JsonArray();
                    for (var i = 0; i < spec.Fields.Count; i++)
                    {
                        row.Add(DsTypes.ToJson(storage.Backend.ReadValue(r, i, spec.Fields[i].Type)));
                    }

                    records.Add(row);
                }
                else
                {
                    var row = new JsonObject();
                    for (var i = 0; i < spec.Fields.Count; i++)
                    {
                        row[spec.Fields[i].Id] = DsTypes.ToJson(storage.Backend.ReadValue(r, i, spec.Fields[i].Type));
                    }

                    records.Add(row);
                }
            }
        }

        var limit = spec.Limit ?? SearchSpec.DefaultLimit;
        var result = new JsonObject
        {
            ["include_total"] = spec.IncludeTotal,
            ["resource_id"] = t.ResourceId,
            ["fields"] = FieldsJson(spec.Fields, withId: false),
            ["records_format"] = format,
            ["records"] = sb is not null ? JsonValue.Create(sb.ToString()) : records,
            ["limit"] = limit,
            ["offset"] = spec.Offset,
        };
        if (data["q"] is { } q)
        {
            result["q"] = q.DeepClone();
        }

        if (data["filters"] is { } f)
        {
            result["filters"] = f.DeepClone();
        }

        if (spec.Sort.Count > 0)
        {
            result["sort"] = string.Join(", ", spec.Sort.Select(s => s.Field + (s.Desc ? " desc" : " asc")));
        }

        if (spec.IncludeTotal)
        {
            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = DataStoreQuery.Count(spec, t, cmd, storage.Backend);
            result["total"] = Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
            result["total_was_estimated"] = false;
        }

        var start = "/api/3/action/datastore_search?resource_id=" + Uri.EscapeDataString(t.ResourceId) + LinkParams(data);
        result["_links"] = new JsonObject
        {
            ["start"] = start,
            ["next"] = start + "&offset=" + (spec.Offset + limit).ToString(CultureInfo.InvariantCulture),
        };
        return result;
    }

    private static string LinkParams(JsonObject data)
    {
        var sb = new StringBuilder();
        foreach (var key in new[] { "limit", "q", "full_text", "plain", "language", "filters", "sort", "fields", "distinct", "records_format", "include_total" })
        {
            if (data[key] is { } v)
            {
                var text = v is JsonValue jv && jv.GetValueKind() == JsonValueKind.String ? jv.GetValue<string>() : v.ToJsonString();
                sb.Append('&').Append(key).Append('=').Append(Uri.EscapeDataString(text));
            }
        }

        return sb.ToString();
    }

    private static async Task<JsonObject> TableMetadataAsync(CkanRequest req, DataStoreAccess access, DataStoreStorage storage, CancellationToken ct)
    {
        var tables = await storage.ListTablesAsync(ct);
        var readable = await access.ReadableIdsAsync([.. tables.Select(t => t.ResourceId)], ct);
        var limit = DataStoreQuery.Int(req.Data["limit"], "limit", SearchSpec.DefaultLimit, 0, SearchSpec.MaxLimit);
        var offset = DataStoreQuery.Int(req.Data["offset"], "offset", 0, 0, int.MaxValue);
        var visible = tables.Where(t => readable.Contains(t.ResourceId)).ToList();
        var records = new JsonArray();
        var n = 0;
        foreach (var t in visible.Skip(offset).Take(limit))
        {
            records.Add(new JsonObject { ["_id"] = offset + ++n, ["name"] = t.ResourceId, ["oid"] = null, ["alias_of"] = null });
        }

        return new JsonObject
        {
            ["include_total"] = true,
            ["resource_id"] = "_table_metadata",
            ["fields"] = new JsonArray(
                new JsonObject { ["id"] = "_id", ["type"] = "int" },
                new JsonObject { ["id"] = "name", ["type"] = "text" },
                new JsonObject { ["id"] = "oid", ["type"] = "int" },
                new JsonObject { ["id"] = "alias_of", ["type"] = "text" }),
            ["records_format"] = "objects",
            ["records"] = records,
            ["limit"] = limit,
            ["offset"] = offset,
            ["total"] = visible.Count,
            ["_links"] = new JsonObject
            {
                ["start"] = "/api/3/action/datastore_search?resource_id=_table_metadata",
                ["next"] = "/api/3/action/datastore_search?resource_id=_table_metadata&offset=" + (offset + limit).ToString(CultureInfo.InvariantCulture),
            },
        };
    }

    // ---- search_sql ----

    private static async Task<IResult> SearchSql(CkanRequest req, DataStoreAccess access, DataStoreStorage storage, IOptions<DataStoreOptions> options, CancellationToken ct)
    {
        var o = options.Value;
        if (!o.SearchSqlEnabled)
        {
            throw CkanException.Forbidden("datastore_search_sql is disabled on this site");
        }

        var sql = req.RequiredString("sql");
        var tables = await storage.ListTablesAsync(ct);
        IReadOnlyList<string> used;
        try
        {
            used = DataStoreSqlGuard.Check(sql, tables.Select(t => t.ResourceId).ToHashSet(StringComparer.Ordinal));
        }
        catch (DataStoreValidationException e)
        {
            throw Invalid(e);
        }

        var readable = await access.ReadableIdsAsync(used.ToList(), ct);
        var denied = used.FirstOrDefault(u => !readable.Contains(u));
        if (denied is not null)
        {
            throw CkanException.Forbidden($"Not authorized to read resource {denied}");
        }

        try
        {
            var result = await DataStoreSqlGuard.RunAsync(storage, sql, o.SearchSqlTimeoutMs, o.SearchSqlMaxRows, ct);
            return CkanApi.Ok(req, result);
        }
        catch (DataStoreValidationException e)
        {
            throw Invalid(e);
        }
    }

    // ---- load jobs ----

    private static async Task<IResult> Load(CkanRequest req, DataStoreAccess access, IDataStoreLoader loader, OpenGovDb db, CancellationToken ct)
    {
        var resourceId = ResourceIdParam(req);
        var (resource, _) = await access.EditableAsync(resourceId, ct);
        if (!DataStoreLoader.IsTabular(resource))
        {
            throw CkanException.Validation("resource_id", "The resource is not an uploaded CSV, TSV, XLSX or XLS file");
        }

        var overrides = LoadOverrides.FromRequest(req.Data);
        if (overrides is not null)
        {
            await loader.SetOptionsAsync(resourceId, overrides, ct);
        }

        var job = await loader.EnqueueAsync(resourceId, ct);
        return CkanApi.Ok(req, JobJson(job, withLog: false));
    }

    private static async Task<IResult> JobShow(CkanRequest req, DataStoreAccess access, OpenGovDb db, CancellationToken ct)
    {
        var resourceId = ResourceIdParam(req);
        await access.ReadableAsync(resourceId, ct);
        var job = await db.Set<DataStoreJob>().AsNoTracking().Where(j => j.ResourceId == resourceId).OrderByDescending(j => j.Created).FirstOrDefaultAsync(ct)
            ?? throw CkanException.NotFound("No load job for this resource");
        return CkanApi.Ok(req, JobJson(job, withLog: true));
    }

    private static async Task<IResult> ValidationShow(CkanRequest req, DataStoreAccess access, OpenGovDb db, CancellationToken ct)
    {
        var resourceId = ResourceIdParam(req);
        await access.ReadableAsync(resourceId, ct);
        var state = await db.Set<DataStoreResource>().AsNoTracking().FirstOrDefaultAsync(s => s.ResourceId == resourceId, ct);
        if (state?.ValidationJson is not { } v)
        {
            throw CkanException.NotFound("No validation report: the resource declares no standard or was not loaded yet");
        }

        return CkanApi.Ok(req, JsonNode.Parse(v));
    }
}
