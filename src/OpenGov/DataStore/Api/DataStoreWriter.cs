using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenGov.DataStore;

/// <summary>datastore_create/datastore_upsert records: insert, update or upsert, one parameterised statement per record.</summary>
public static class DataStoreWriter
{
    public static async Task<long> WriteAsync(DataStoreStorage storage, DbConnection c, DbTransaction tx, DsTable t, IReadOnlyList<JsonObject> records, string method, CancellationToken ct)
    {
        var types = t.Fields.ToDictionary(f => f.Id, f => f.Type, StringComparer.Ordinal);
        var table = storage.Table(t.ResourceId);
        long n = 0;
        var rowNo = 0;
        foreach (var rec in records)
        {
            rowNo++;
            var values = new List<(string Field, object? Value)>();
            long? id = null;
            foreach (var (k, v) in rec)
            {
                if (k == "_id")
                {
                    if (v is not null)
                    {
                        id = long.TryParse(v.ToString(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var parsed) ? parsed
                            : throw new DataStoreValidationException("records", $"record {rowNo}: _id must be an integer");
                    }

                    continue;
                }

                if (!types.TryGetValue(k, out var type))
                {
                    throw new DataStoreValidationException("records", $"record {rowNo}: field \"{k}\" does not exist");
                }

                try
                {
                    values.Add((k, DsTypes.FromJson(v, type)));
                }
                catch (Exception e) when (e is FormatException or InvalidOperationException or JsonException or OverflowException)
                {
                    throw new DataStoreValidationException("records", $"record {rowNo}: invalid value for field \"{k}\" ({type}): {v?.ToJsonString()}");
                }
            }

            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            var p = 0;
            string P(object? v)
            {
                var name = "@v" + p++;
                DataStoreStorage.AddParam(cmd, name, v);
                return name;
            }

            var pk = t.PrimaryKey;
            var hasKey = pk.Count > 0 && pk.All(k => values.Any(v => v.Field == k));
            if (method == "insert" || (method == "upsert" && id is null && !hasKey && pk.Count == 0))
            {
                if (method == "upsert" && pk.Count == 0 && id is null)
                {
                    throw new DataStoreValidationException("records", "table does not have a unique key defined");
                }

                var cols = values.Select(v => DsTypes.Quote(v.Field)).ToList();
                var ps = values.Select(v => P(v.Value)).ToList();
                if (id is not null)
                {
                    cols.Insert(0, "\"_id\"");
                    ps.Insert(0, P(id.Value));
                }

                cmd.CommandText = cols.Count == 0 ? $"INSERT INTO {table} DEFAULT VALUES" : $"INSERT INTO {table} ({string.Join(", ", cols)}) VALUES ({string.Join(", ", ps)})";
                n += await cmd.ExecuteNonQueryAsync(ct);
                continue;
            }

            // update or upsert: by _id when given, else by the primary key
            string where;
            if (id is not null)
            {
                where = "\"_id\" = " + P(id.Value);
            }
            else if (hasKey)
            {
                where = string.Join(" AND ", pk.Select(k => DsTypes.Quote(k) + " = " + P(values.First(v => v.Field == k).Value)));
            }
            else
            {
                throw new DataStoreValidationException("records", pk.Count == 0
                    ? $"record {rowNo}: table does not have a unique key defined; give _id"
                    : $"record {rowNo}: fields \"{string.Join("\", \"", pk)}\" are missing but needed as key");
            }

            var sets = values.Where(v => id is not null || !pk.Contains(v.Field)).Select(v => DsTypes.Quote(v.Field) + " = " + P(v.Value)).ToList();
            var updated = 0;
            if (sets.Count > 0)
            {
                cmd.CommandText = $"UPDATE {table} SET {string.Join(", ", sets)} WHERE {where}";
                updated = await cmd.ExecuteNonQueryAsync(ct);
            }
            else
            {
                cmd.CommandText = $"SELECT count(*) FROM {table} WHERE {where}";
                updated = Convert.ToInt32(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
            }

            if (updated == 0)
            {
                if (method == "update")
                {
                    throw new DataStoreValidationException("records", id is not null ? $"record {rowNo}: _id {id} not found" : $"record {rowNo}: key \"{string.Join(", ", pk)}\" not found");
                }

                await using var ins = c.CreateCommand();
                ins.Transaction = tx;
                var cols = values.Select(v => DsTypes.Quote(v.Field)).ToList();
                var ps = new List<string>();
                var q = 0;
                foreach (var v in values)
                {
                    var name = "@i" + q++;
                    DataStoreStorage.AddParam(ins, name, v.Value);
                    ps.Add(name);
                }

                if (id is not null)
                {
                    cols.Insert(0, "\"_id\"");
                    DataStoreStorage.AddParam(ins, "@iid", id.Value);
                    ps.Insert(0, "@iid");
                }

                ins.CommandText = $"INSERT INTO {table} ({string.Join(", ", cols)}) VALUES ({string.Join(", ", ps)})";
                await ins.ExecuteNonQueryAsync(ct);
            }

            n++;
        }

        return n;
    }
}
