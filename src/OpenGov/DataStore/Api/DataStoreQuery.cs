using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenGov.Shared;

namespace OpenGov.DataStore;

/// <summary>A parsed datastore_search request (also used by dumps and the preview).</summary>
public sealed class SearchSpec
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 32000;

    /// <summary>Output fields, in order ("_id" included unless excluded by "fields").</summary>
    public List<DsField> Fields { get; set; } = [];

    public Dictionary<string, List<object?>> Filters { get; } = [];

    /// <summary>Text queries (q, full_text): over all fields (Field null) or one field; every one must match.</summary>
    public List<(string? Field, TextQuery Query)> Queries { get; } = [];

    public bool Distinct { get; set; }

    public List<(string Field, bool Desc)> Sort { get; } = [];

    /// <summary>Rows to return; null means all (dumps).</summary>
    public int? Limit { get; set; } = DefaultLimit;

    public int Offset { get; set; }

    public bool IncludeTotal { get; set; } = true;
}

/// <summary>Turns CKAN search parameters into parameterised SQL over a DataStore table: parsing here, the SQL in DataStoreQuery.Sql.cs.</summary>
public static partial class DataStoreQuery
{
    public static readonly DsField IdField = new("_id", DsTypes.Int);

    /// <summary>
    /// Filter values one search may give, over all its fields: each is one bound parameter of an IN list (SQLite
    /// allows 32,766 per statement, PostgreSQL 65,535), and a list of tens of thousands costs seconds to plan.
    /// </summary>
    public const int MaxFilterValues = 1000;

    /// <summary>
    /// Parses CKAN's search parameters against the table's fields. Errors name the parameter
    /// (<see cref="DataStoreValidationException"/>).
    /// </summary>
    public static SearchSpec Parse(DsTable table, JsonObject data, bool dump = false)
    {
        var spec = new SearchSpec();
        var all = new List<DsField> { IdField };
        all.AddRange(table.Fields);
        var byId = all.ToDictionary(f => f.Id, StringComparer.Ordinal);

        // fields
        var fieldsNode = data["fields"];
        var requested = ListOf(fieldsNode, "fields");
        if (requested is { Count: > 0 })
        {
            foreach (var name in requested)
            {
                if (!byId.TryGetValue(name, out var f))
                {
                    throw new DataStoreValidationException("fields", $"field \"{name}\" not in table");
                }

                if (!spec.Fields.Contains(f))
                {
                    spec.Fields.Add(f);
                }
            }
        }
        else
        {
            spec.Fields = all;
        }

        // filters
        var filters = ObjectOf(data["filters"], "filters");
        if (filters is not null)
        {
            if (filters.Sum(kv => kv.Value is JsonArray a ? a.Count : 1) > MaxFilterValues)
            {
                throw new DataStoreValidationException("filters", $"at most {MaxFilterValues} filter values may be given");
            }

            foreach (var (key, value) in filters)
            {
                if (!byId.TryGetValue(key, out var f))
                {
                    throw new DataStoreValidationException("filters", $"field \"{key}\" not in table");
                }

                var values = value is JsonArray arr ? arr.ToList() : [value];
                var list = new List<object?>();
                foreach (var v in values)
                {
                    try
                    {
                        list.Add(DsTypes.FromJson(v, f.Type == DsTypes.Json ? DsTypes.Text : f.Type));
                    }
                    catch (Exception e) when (e is FormatException or InvalidOperationException or JsonException or OverflowException)
                    {
                        throw new DataStoreValidationException("filters", $"invalid value for field \"{key}\" ({f.Type}): {v?.ToJsonString()}");
                    }
                }

                spec.Filters[key] = list;
            }
        }

        // q and full_text: plain=true (CKAN's default) means every whitespace-separated term must occur; plain=false
        // reads them in tsquery syntax (TextQuery). language names a PostgreSQL text search configuration in CKAN;
        // matching here is by substring (it works for unspaced Japanese), the same in every language, so it is
        // checked and otherwise not used.
        var plain = Bool(data["plain"], "plain", true);
        if (data["language"] is { } lang && (lang is not JsonValue lv || lv.GetValueKind() != JsonValueKind.String
            || lv.GetValue<string>() is not { Length: > 0 and <= 63 } ls || !ls.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_')))
        {
            throw new DataStoreValidationException("language", "language must be the name of a text search configuration (e.g. english, simple)");
        }

        TextQuery? TextOf(string text, string parameter) => plain ? TextQuery.AllOf(Terms(text), parameter) : TextQuery.Parse(text, parameter);
        switch (data["full_text"])
        {
            case null:
                break;
            case JsonValue fv when fv.GetValueKind() == JsonValueKind.String:
                if (TextOf(fv.GetValue<string>(), "full_text") is { } fq)
                {
                    spec.Queries.Add((null, fq));
                }

                break;
            default:
                throw new DataStoreValidationException("full_text", "full_text must be a string");
        }

        switch (data["q"])
        {
            case null:
                break;
            case JsonObject qo:
                foreach (var (key, value) in qo)
                {
                    if (!byId.ContainsKey(key))
                    {
                        throw new DataStoreValidationException("q", $"field \"{key}\" not in table");
                    }

                    var text = value is JsonValue jv && jv.GetValueKind() == JsonValueKind.String ? jv.GetValue<string>() : value?.ToJsonString();
                    if (text is not null && TextOf(text, "q") is { } kq)
                    {
                        spec.Queries.Add((key, kq));
                    }
                }

                break;
            case JsonValue qv when qv.GetValueKind() == JsonValueKind.String:
                var s = qv.GetValue<string>().Trim();
                if (s.StartsWith('{'))
                {
                    JsonObject? parsed = null;
                    try
                    {
                        parsed = RequestJson.Parse(s) as JsonObject;
                    }
                    catch (JsonException)
                    {
                    }

                    if (parsed is not null)
                    {
                        return ParseWithQ(table, data, parsed, dump);
                    }
                }

                if (TextOf(s, "q") is { } sq)
                {
                    spec.Queries.Add((null, sq));
                }

                break;
            default:
                throw new DataStoreValidationException("q", "q must be a string or an object");
        }

        spec.Distinct = Bool(data["distinct"], "distinct", false);
        spec.IncludeTotal = Bool(data["include_total"], "include_total", true);

        // sort
        var sortText = data["sort"] switch
        {
            null => null,
            JsonArray a => string.Join(",", a.Select(x => x is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : x?.ToJsonString())),
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            _ => throw new DataStoreValidationException("sort", "sort must be a string or a list"),
        };
        if (!string.IsNullOrWhiteSpace(sortText))
        {
            foreach (var part in SplitSort(sortText))
            {
                var (name, desc) = ParseSortPart(part);
                if (!byId.ContainsKey(name))
                {
                    throw new DataStoreValidationException("sort", $"field \"{name}\" not in table");
                }

                spec.Sort.Add((name, desc));
            }
        }

        spec.Limit = dump && data["limit"] is null ? null : Int(data["limit"], "limit", SearchSpec.DefaultLimit, 0, dump ? int.MaxValue : SearchSpec.MaxLimit);
        spec.Offset = Int(data["offset"], "offset", 0, 0, int.MaxValue);
        return spec;
    }

    private static SearchSpec ParseWithQ(DsTable table, JsonObject data, JsonObject q, bool dump)
    {
        var copy = (JsonObject)data.DeepClone();
        copy["q"] = q.DeepClone();
        return Parse(table, copy, dump);
    }

    private static List<string> Terms(string? s) =>
        s is null ? [] : [.. s.Split([' ', '\u3000', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries).Select(t => t.Trim('"')).Where(t => t.Length > 0 && t != "*" && t != "*:*")];

    private static IEnumerable<string> SplitSort(string sort)
    {
        var sb = new StringBuilder();
        var quoted = false;
        foreach (var ch in sort)
        {
            if (ch == '"')
            {
                quoted = !quoted;
            }

            if (ch == ',' && !quoted)
            {
                yield return sb.ToString();
                sb.Clear();
            }
            else
            {
                sb.Append(ch);
            }
        }

        if (sb.ToString().Trim().Length > 0)
        {
            yield return sb.ToString();
        }
    }

    private static (string Name, bool Desc) ParseSortPart(string part)
    {
        var p = part.Trim();
        var desc = false;
        if (p.EndsWith(" desc", StringComparison.OrdinalIgnoreCase))
        {
            desc = true;
            p = p[..^5].TrimEnd();
        }
        else if (p.EndsWith(" asc", StringComparison.OrdinalIgnoreCase))
        {
            p = p[..^4].TrimEnd();
        }

        if (p.Length >= 2 && p[0] == '"' && p[^1] == '"')
        {
            p = p[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal);
        }

        return (p, desc);
    }

    private static List<string>? ListOf(JsonNode? node, string key) => node switch
    {
        null => null,
        JsonArray a => [.. a.Select(x => x is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : throw new DataStoreValidationException(key, "must be a list of strings"))],
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>().TrimStart().StartsWith('[')
            ? ListOf(ParseOrThrow(v.GetValue<string>(), key), key)
            : [.. v.GetValue<string>().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)],
        _ => throw new DataStoreValidationException(key, "must be a list of strings"),
    };

    private static JsonObject? ObjectOf(JsonNode? node, string key) => node switch
    {
        null => null,
        JsonObject o => o,
        JsonValue v when v.GetValueKind() == JsonValueKind.String && string.IsNullOrWhiteSpace(v.GetValue<string>()) => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => ParseOrThrow(v.GetValue<string>(), key) as JsonObject ?? throw new DataStoreValidationException(key, "must be a dictionary"),
        _ => throw new DataStoreValidationException(key, "must be a dictionary"),
    };

    private static JsonNode? ParseOrThrow(string s, string key)
    {
        try
        {
            return RequestJson.Parse(s);
        }
        catch (JsonException)
        {
            throw new DataStoreValidationException(key, "Cannot parse JSON");
        }
    }

    private static bool Bool(JsonNode? node, string key, bool dflt)
    {
        if (node is null)
        {
            return dflt;
        }

        if (node is JsonValue v)
        {
            switch (v.GetValueKind())
            {
                case JsonValueKind.True: return true;
                case JsonValueKind.False: return false;
                case JsonValueKind.String:
                    switch (v.GetValue<string>().Trim().ToLowerInvariant())
                    {
                        case "true" or "1" or "yes" or "on": return true;
                        case "false" or "0" or "no" or "off": return false;
                        case "": return dflt;
                    }

                    break;
            }
        }

        throw new DataStoreValidationException(key, "Invalid boolean");
    }

    public static int Int(JsonNode? node, string key, int dflt, int min, int max)
    {
        if (node is null)
        {
            return dflt;
        }

        long value;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && long.TryParse(v.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var l))
        {
            value = l;
        }
        else if (node is JsonValue s && s.GetValueKind() == JsonValueKind.String && long.TryParse(s.GetValue<string>().Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
        {
            value = parsed;
        }
        else
        {
            throw new DataStoreValidationException(key, "Invalid integer");
        }

        if (value < min)
        {
            throw new DataStoreValidationException(key, "Must be a natural number");
        }

        if (value > max)
        {
            throw new DataStoreValidationException(key, $"Must be less than or equal to {max}");
        }

        return (int)value;
    }
}
