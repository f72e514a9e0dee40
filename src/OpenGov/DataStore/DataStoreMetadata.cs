using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenGov.DataStore;

/// <summary>
/// The metadata table "_og_tables": one row per DataStore table with its fields (CKAN's {id, type, info}), primary
/// key and index list, written in the transaction that changes the table. Plain SQL that every engine runs alike.
/// </summary>
public static class DataStoreMetadata
{
    public static string CreateSql(string meta) =>
        $"CREATE TABLE IF NOT EXISTS {meta} (resource_id text PRIMARY KEY, fields text NOT NULL, primary_key text NOT NULL, indexes text NOT NULL DEFAULT '[]', updated text NOT NULL)";

    public static async Task<DsTable?> GetAsync(DbConnection c, DbTransaction? tx, string meta, string resourceId, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"SELECT fields, primary_key, indexes FROM {meta} WHERE resource_id = @p0";
        DataStoreStorage.AddParam(cmd, "@p0", resourceId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? Parse(resourceId, r.GetString(0), r.GetString(1), r.GetString(2)) : null;
    }

    /// <summary>The ids among <paramref name="resourceIds"/> that have a table (one query per 500 ids).</summary>
    public static async Task<HashSet<string>> ExistingAsync(DbConnection c, string meta, IReadOnlyCollection<string> resourceIds, CancellationToken ct)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in resourceIds.Distinct(StringComparer.Ordinal).Chunk(500))
        {
            await using var cmd = c.CreateCommand();
            var names = new string[chunk.Length];
            for (var i = 0; i < chunk.Length; i++)
            {
                names[i] = "@p" + i.ToString(CultureInfo.InvariantCulture);
                DataStoreStorage.AddParam(cmd, names[i], chunk[i]);
            }

            cmd.CommandText = $"SELECT resource_id FROM {meta} WHERE resource_id IN ({string.Join(", ", names)})";
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                found.Add(r.GetString(0));
            }
        }

        return found;
    }

    public static async Task<List<DsTable>> ListAsync(DbConnection c, string meta, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT resource_id, fields, primary_key, indexes FROM {meta} ORDER BY resource_id";
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<DsTable>();
        while (await r.ReadAsync(ct))
        {
            list.Add(Parse(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3)));
        }

        return list;
    }

    public static Task WriteAsync(DbConnection c, DbTransaction tx, string meta, DsTable t, CancellationToken ct)
    {
        var fields = new JsonArray([.. t.Fields.Select(f =>
        {
            var o = new JsonObject { ["id"] = f.Id, ["type"] = f.Type };
            if (f.Info is not null)
            {
                o["info"] = f.Info.DeepClone();
            }

            return (JsonNode)o;
        })]).ToJsonString();
        return DataStoreStorage.ExecAsync(c, tx, $"INSERT INTO {meta} (resource_id, fields, primary_key, indexes, updated) VALUES (@p0, @p1, @p2, @p3, @p4) ON CONFLICT (resource_id) DO UPDATE SET fields = excluded.fields, primary_key = excluded.primary_key, indexes = excluded.indexes, updated = excluded.updated",
            ct, t.ResourceId, fields, JsonSerializer.Serialize(t.PrimaryKey), JsonSerializer.Serialize(t.IndexedColumns.Distinct().ToList()), DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Moves the table's "updated" stamp to now, in the transaction that changed its records (upsert, delete), so
    /// readers that key caches by the stamp (dashboards) on any node see the change on their next request.
    /// </summary>
    public static Task TouchAsync(DbConnection c, DbTransaction tx, string meta, string resourceId, CancellationToken ct) =>
        DataStoreStorage.ExecAsync(c, tx, $"UPDATE {meta} SET updated = @p0 WHERE resource_id = @p1",
            ct, DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture), resourceId);

    private static DsTable Parse(string id, string fields, string pk, string indexes)
    {
        var ix = JsonSerializer.Deserialize<List<string>>(indexes) ?? [];
        var f = JsonNode.Parse(fields)!.AsArray().Select(n => new DsField(n!["id"]!.GetValue<string>(), n["type"]!.GetValue<string>(), n["info"] as JsonObject is { } info ? (JsonObject)info.DeepClone() : null)).ToList();
        var k = JsonSerializer.Deserialize<List<string>>(pk) ?? [];
        return new DsTable(id, f, k, ix);
    }
}
