using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenGov.Shared;

namespace OpenGov.DataStore;

/// <summary>The SQL of a parsed search, in the backend's dialect (<see cref="IDataStoreBackend"/>).</summary>
public static partial class DataStoreQuery
{
    /// <summary>WHERE clause (with leading " WHERE ", or "") and its parameters added to the command.</summary>
    public static string Where(SearchSpec spec, DsTable table, DbCommand cmd, IDataStoreBackend backend)
    {
        var clauses = new List<string>();
        var n = cmd.Parameters.Count;
        string P(object? v)
        {
            var name = "@w" + (n++).ToString(CultureInfo.InvariantCulture);
            DataStoreStorage.AddParam(cmd, name, v);
            return name;
        }

        var types = table.Fields.ToDictionary(f => f.Id, f => f.Type, StringComparer.Ordinal);
        types["_id"] = DsTypes.Int;
        foreach (var (field, values) in spec.Filters)
        {
            var col = DsTypes.Quote(field);
            if (types[field] == DsTypes.Json)
            {
                col = backend.AsText(col);
            }

            var nonNull = values.Where(v => v is not null).ToList();
            var parts = new List<string>();
            if (nonNull.Count == 1)
            {
                parts.Add($"{col} = {P(nonNull[0])}");
            }
            else if (nonNull.Count > 1)
            {
                parts.Add($"{col} IN ({string.Join(", ", nonNull.Select(P))})");
            }

            if (nonNull.Count < values.Count)
            {
                parts.Add($"{col} IS NULL");
            }

            clauses.Add(parts.Count == 1 ? parts[0] : "(" + string.Join(" OR ", parts) + ")");
        }

        string? doc = null;
        foreach (var (field, query) in spec.Queries)
        {
            var target = field is null ? doc ??= backend.FullTextDocument(table.Fields.Select(f => DsTypes.Quote(f.Id)))
                : $"lower(coalesce({backend.AsText(DsTypes.Quote(field))}, ''))";
            clauses.Add(Compile(query, target));
        }

        string Compile(TextQuery q, string target) => q switch
        {
            TextQuery.Term t => backend.Contains(target, P(t.Text.ToLowerInvariant())),
            TextQuery.And a => "(" + Compile(a.Left, target) + " AND " + Compile(a.Right, target) + ")",
            TextQuery.Or o => "(" + Compile(o.Left, target) + " OR " + Compile(o.Right, target) + ")",
            TextQuery.Not x => "NOT " + Compile(x.Inner, target),
            _ => throw new InvalidOperationException(),
        };

        return clauses.Count == 0 ? "" : " WHERE " + string.Join(" AND ", clauses);
    }

    /// <summary>The SELECT for the records (columns in <see cref="SearchSpec.Fields"/> order).</summary>
    public static string Select(SearchSpec spec, DsTable table, DbCommand cmd, IDataStoreBackend backend)
    {
        var where = Where(spec, table, cmd, backend);
        var tableSql = backend.Table(table.ResourceId);
        var sb = new StringBuilder("SELECT ");
        if (spec.Distinct)
        {
            sb.Append("DISTINCT ");
        }

        sb.Append(string.Join(", ", spec.Fields.Select(f => DsTypes.Quote(f.Id)))).Append(" FROM ").Append(tableSql).Append(where);
        var sort = spec.Sort.ToList();
        if (sort.Count == 0 && !spec.Distinct)
        {
            sort.Add(("_id", false));
        }

        if (spec.Distinct)
        {
            sort = [.. sort.Where(s => spec.Fields.Any(f => f.Id == s.Field))];
        }

        if (sort.Count > 0)
        {
            sb.Append(" ORDER BY ").Append(string.Join(", ", sort.Select(s => DsTypes.Quote(s.Field) + (s.Desc ? " DESC" : " ASC"))));
        }

        if (spec.Limit is { } limit)
        {
            sb.Append(" LIMIT ").Append(limit.ToString(CultureInfo.InvariantCulture));
        }
        else if (spec.Offset > 0 && backend.NoLimitClause is { } noLimit)
        {
            sb.Append(noLimit);
        }

        if (spec.Offset > 0)
        {
            sb.Append(" OFFSET ").Append(spec.Offset.ToString(CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    public static string Count(SearchSpec spec, DsTable table, DbCommand cmd, IDataStoreBackend backend)
    {
        var where = Where(spec, table, cmd, backend);
        var tableSql = backend.Table(table.ResourceId);
        return spec.Distinct
            ? $"SELECT count(*) FROM (SELECT DISTINCT {string.Join(", ", spec.Fields.Select(f => DsTypes.Quote(f.Id)))} FROM {tableSql}{where}) d"
            : $"SELECT count(*) FROM {tableSql}{where}";
    }
}
