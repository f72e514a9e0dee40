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
using OpenGov.Storage;

namespace OpenGov.DataStore;

/// <summary>The CKAN DataStore actions that read: datastore_search, datastore_search_sql.</summary>
public static partial class DataStoreActions
{
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
                    records.Add(RecordObject(r, spec.Fields, storage.Backend));
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

    private static async Task<IResult> SearchSql(CkanRequest req, HttpContext http, DataStoreAccess access, DataStoreStorage storage, IOptions<DataStoreOptions> options, SearchSqlLimits limits, CancellationToken ct)
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

        using var permit = limits.Acquire(SearchSqlLimits.Caller(http));
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
}
