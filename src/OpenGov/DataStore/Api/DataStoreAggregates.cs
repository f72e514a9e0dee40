using System.Data.Common;
using System.Globalization;
using System.Text;
using OpenGov.Tabular;

namespace OpenGov.DataStore.Api;

/// <summary>Comparison of a <see cref="AggregateFilter"/>.</summary>
public enum FilterOp
{
    Equal,
    NotEqual,
    GreaterOrEqual,
    LessOrEqual,
    IsNull,
    IsNotNull,
}

/// <summary>A typed filter: the value is text converted to the column's type (a date column takes 2020-04-01 or 令和2年4月1日).</summary>
public sealed record AggregateFilter(string Column, FilterOp Op, string? Value = null);

/// <summary>
/// Group the rows of a table by up to two columns (none = one total), counting them and optionally summing a column.
/// A text column to sum is summed as Japanese numbers (「1,234」「１２」); blanks and non-numbers are counted apart.
/// </summary>
public sealed record AggregateRequest(IReadOnlyList<string> GroupBy, string? Sum = null, IReadOnlyList<AggregateFilter>? Filters = null);

/// <summary>One group: its key values as text (dates yyyy-MM-dd, null for NULL), rows, and the sum where asked.</summary>
/// <param name="BlankValues">Rows of the group whose value to sum was NULL or an empty marker.</param>
/// <param name="UnparsableValues">Rows whose text value to sum was not a number.</param>
public sealed record AggregateRow(IReadOnlyList<string?> Keys, long Count, double? Sum, long BlankValues = 0, long UnparsableValues = 0);

/// <summary>Groups and the table's last load (the metadata stamp, the same on every node).</summary>
public sealed record AggregateResult(IReadOnlyList<AggregateRow> Rows, DateTime? LastLoaded);

/// <summary>Rows of chosen columns, in load order, as text.</summary>
public sealed record ColumnRows(IReadOnlyList<string> Columns, IReadOnlyList<string?[]> Rows, DateTime? LastLoaded);

/// <summary>A column or filter value the request names does not fit the table; the message names it.</summary>
public sealed class AggregateRequestException(string column, string message) : Exception(message)
{
    public string Column { get; } = column;

    public AggregateRequestException() : this("", "") { }

    public AggregateRequestException(string message) : this("", message) { }

    public AggregateRequestException(string message, Exception inner) : this("", message) => _ = inner;
}

/// <summary>
/// The DataStore's narrow read/aggregate API for other features (dashboards): group-by with counts and sums, typed
/// filters, column reads, and each table's last-load time. SQL is parameterised; identifiers are checked against
/// the table's recorded fields and quoted with <see cref="DsTypes.Quote"/>. Same answers on SQLite and PostgreSQL.
/// </summary>
public sealed class DataStoreAggregates(DataStoreStorage storage)
{
    /// <summary>Most groups returned by one request.</summary>
    public const int MaxGroups = 100_000;

    /// <summary>Groups, or null when the resource has no table.</summary>
    public Task<AggregateResult?> GroupAsync(string resourceId, AggregateRequest request, CancellationToken ct) =>
        storage.ReadAsync(resourceId, async (c, tx, table) =>
        {
            if (request.GroupBy.Count > 2)
            {
                throw new AggregateRequestException("", "group by at most two columns");
            }
            var keys = request.GroupBy.Select(k => Field(table, k)).ToList();
            var sum = request.Sum is null ? null : Field(table, request.Sum);
            var sumInSql = sum is not null && sum.Type is DsTypes.Int or DsTypes.Numeric or DsTypes.Float;
            var groupCols = keys.Select(k => DsTypes.Quote(k.Id)).ToList();
            if (sum is not null && !sumInSql)
            {
                groupCols.Add(DsTypes.Quote(sum.Id));
            }
            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            var select = new StringBuilder("SELECT ");
            foreach (var g in groupCols)
            {
                select.Append(g).Append(", ");
            }
            select.Append("COUNT(*)");
            if (sumInSql)
            {
                var col = DsTypes.Quote(sum!.Id);
                select.Append(CultureInfo.InvariantCulture, $", SUM({col}), COUNT(*) - COUNT({col})");
            }
            select.Append(" FROM ").Append(storage.Table(resourceId)).Append(Where(cmd, table, request.Filters));
            if (groupCols.Count > 0)
            {
                select.Append(" GROUP BY ").Append(string.Join(", ", groupCols)).Append(" ORDER BY ").Append(string.Join(", ", groupCols));
            }
            cmd.CommandText = select.ToString();
            var rows = new Dictionary<string, (string?[] Keys, long Count, double Sum, long Blank, long Bad)>(StringComparer.Ordinal);
            var order = new List<string>();
            await using (var r = await cmd.ExecuteReaderAsync(ct))
            {
                while (await r.ReadAsync(ct))
                {
                    var k = new string?[keys.Count];
                    for (var i = 0; i < keys.Count; i++)
                    {
                        k[i] = Text(r.GetValue(i), keys[i].Type);
                    }
                    var count = r.GetInt64(groupCols.Count);
                    double s = 0;
                    long blank = 0, bad = 0;
                    if (sumInSql)
                    {
                        s = r.IsDBNull(groupCols.Count + 1) ? 0 : Convert.ToDouble(r.GetValue(groupCols.Count + 1), CultureInfo.InvariantCulture);
                        blank = r.GetInt64(groupCols.Count + 2);
                    }
                    else if (sum is not null)
                    {
                        var raw = r.IsDBNull(keys.Count) ? null : DsTypes.ToText(r.GetValue(keys.Count));
                        if (TextNormalizer.IsEmpty(raw))
                        {
                            blank = count;
                        }
                        else if (JapaneseNumber.TryParseDecimal(raw, out var d))
                        {
                            s = (double)d * count;
                        }
                        else
                        {
                            bad = count;
                        }
                    }
                    var id = string.Join('\u001f', k.Select(x => x is null ? "\u0000" : x));
                    if (rows.TryGetValue(id, out var prev))
                    {
                        rows[id] = (k, prev.Count + count, prev.Sum + s, prev.Blank + blank, prev.Bad + bad);
                    }
                    else
                    {
                        if (rows.Count >= MaxGroups)
                        {
                            throw new AggregateRequestException(request.GroupBy.Count > 0 ? request.GroupBy[0] : "", $"more than {MaxGroups} groups");
                        }
                        rows[id] = (k, count, s, blank, bad);
                        order.Add(id);
                    }
                }
            }
            var result = order.Select(id => rows[id])
                .Select(x => new AggregateRow(x.Keys, x.Count, sum is null ? null : x.Sum, x.Blank, x.Bad))
                .ToList();
            return new AggregateResult(result, await LastLoadedAsync(c, tx, resourceId, ct));
        }, ct);

    /// <summary>Values of <paramref name="columns"/> for every row (in _id order, at most <paramref name="limit"/>), or null when there is no table.</summary>
    public Task<ColumnRows?> ReadColumnsAsync(string resourceId, IReadOnlyList<string> columns, IReadOnlyList<AggregateFilter>? filters, int limit, CancellationToken ct) =>
        storage.ReadAsync(resourceId, async (c, tx, table) =>
        {
            var fields = columns.Select(col => Field(table, col)).ToList();
            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            var list = fields.Count == 0 ? "\"_id\"" : string.Join(", ", fields.Select(f => DsTypes.Quote(f.Id)));
            cmd.CommandText = $"SELECT {list} FROM {storage.Table(resourceId)}{Where(cmd, table, filters)} ORDER BY \"_id\" LIMIT {Math.Max(0, limit).ToString(CultureInfo.InvariantCulture)}";
            var rows = new List<string?[]>();
            await using (var r = await cmd.ExecuteReaderAsync(ct))
            {
                while (await r.ReadAsync(ct))
                {
                    var row = new string?[fields.Count];
                    for (var i = 0; i < fields.Count; i++)
                    {
                        row[i] = Text(r.GetValue(i), fields[i].Type);
                    }
                    rows.Add(row);
                }
            }
            return new ColumnRows(fields.Select(f => f.Id).ToList(), rows, await LastLoadedAsync(c, tx, resourceId, ct));
        }, ct);

    /// <summary>Last load (or create/alter) time of each of the resources that have a table, from the shared metadata table.</summary>
    public async Task<IReadOnlyDictionary<string, DateTime>> LastLoadedAsync(IReadOnlyCollection<string> resourceIds, CancellationToken ct)
    {
        var found = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        if (resourceIds.Count == 0)
        {
            return found;
        }
        await using var c = await storage.OpenAsync(ct);
        foreach (var chunk in resourceIds.Distinct(StringComparer.Ordinal).Chunk(500))
        {
            await using var cmd = c.CreateCommand();
            var names = new string[chunk.Length];
            for (var i = 0; i < chunk.Length; i++)
            {
                names[i] = "@p" + i.ToString(CultureInfo.InvariantCulture);
                DataStoreStorage.AddParam(cmd, names[i], chunk[i]);
            }
            cmd.CommandText = $"SELECT resource_id, updated FROM {storage.Meta} WHERE resource_id IN ({string.Join(", ", names)})";
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                if (ParseStamp(r.GetString(1)) is { } t)
                {
                    found[r.GetString(0)] = t;
                }
            }
        }
        return found;
    }

    /// <summary>The fields of the resource's table, or null when there is none.</summary>
    public Task<IReadOnlyList<DsField>?> FieldsAsync(string resourceId, CancellationToken ct) =>
        storage.ReadAsync(resourceId, (_, _, table) => Task.FromResult<IReadOnlyList<DsField>?>(table.Fields), ct);

    private async Task<DateTime?> LastLoadedAsync(DbConnection c, DbTransaction tx, string resourceId, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"SELECT updated FROM {storage.Meta} WHERE resource_id = @p0";
        DataStoreStorage.AddParam(cmd, "@p0", resourceId);
        return await cmd.ExecuteScalarAsync(ct) is string s ? ParseStamp(s) : null;
    }

    private static DateTime? ParseStamp(string s) =>
        DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var t) ? t.ToUniversalTime() : null;

    private static DsField Field(DsTable table, string column) =>
        table.Fields.FirstOrDefault(f => string.Equals(f.Id, column, StringComparison.Ordinal))
        ?? throw new AggregateRequestException(column, $"column \"{column}\" not in table");

    /// <summary>The WHERE clause of the filters, values bound as parameters @f0, @f1, … converted to the column's type.</summary>
    private static string Where(DbCommand cmd, DsTable table, IReadOnlyList<AggregateFilter>? filters)
    {
        if (filters is not { Count: > 0 })
        {
            return "";
        }
        var parts = new List<string>();
        for (var i = 0; i < filters.Count; i++)
        {
            var f = filters[i];
            var field = Field(table, f.Column);
            var col = DsTypes.Quote(field.Id);
            if (f.Op is FilterOp.IsNull or FilterOp.IsNotNull)
            {
                parts.Add($"{col} IS {(f.Op == FilterOp.IsNull ? "" : "NOT ")}NULL");
                continue;
            }
            object? value;
            try
            {
                value = DsTypes.FromText(f.Value, field.Type == DsTypes.Json ? DsTypes.Text : field.Type);
            }
            catch (Exception e) when (e is FormatException or OverflowException)
            {
                throw new AggregateRequestException(f.Column, $"invalid value for column \"{f.Column}\" ({field.Type}): {f.Value}");
            }
            if (value is null)
            {
                throw new AggregateRequestException(f.Column, $"a value is needed for column \"{f.Column}\"");
            }
            var name = "@f" + i.ToString(CultureInfo.InvariantCulture);
            DataStoreStorage.AddParam(cmd, name, value);
            var op = f.Op switch
            {
                FilterOp.Equal => "=",
                FilterOp.NotEqual => "<>",
                FilterOp.GreaterOrEqual => ">=",
                _ => "<=",
            };
            parts.Add($"{col} {op} {name}");
        }
        return " WHERE " + string.Join(" AND ", parts);
    }

    /// <summary>A value read back as text in one form on both engines (dates yyyy-MM-dd).</summary>
    private static string? Text(object? value, string type) => value switch
    {
        null or DBNull => null,
        DateTime d when type == DsTypes.Date => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => DsTypes.ToText(value),
    };
}
