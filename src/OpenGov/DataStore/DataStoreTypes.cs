using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenGov.Tabular;

namespace OpenGov.DataStore;

/// <summary>A column of a DataStore table: CKAN's {id, type, info}.</summary>
public sealed record DsField(string Id, string Type, JsonObject? Info = null);

/// <summary>A DataStore table as recorded in the metadata table.</summary>
/// <param name="Indexed">Columns with a single-column index (built after loads, by datastore_create, or on demand).</param>
public sealed record DsTable(string ResourceId, IReadOnlyList<DsField> Fields, IReadOnlyList<string> PrimaryKey, IReadOnlyList<string>? Indexed = null)
{
    public IReadOnlyList<string> IndexedColumns => Indexed ?? [];
}

/// <summary>CKAN DataStore column types and the conversion of values to and from them.</summary>
public static class DsTypes
{
    public const string Text = "text";
    public const string Int = "int";
    public const string Numeric = "numeric";
    public const string Float = "float";
    public const string Bool = "bool";
    public const string Date = "date";
    public const string Timestamp = "timestamp";
    public const string Time = "time";
    public const string Json = "json";

    public static readonly string[] All = [Text, Int, Numeric, Float, Bool, Date, Timestamp, Time, Json];

    /// <summary>CKAN's type names (and PostgreSQL's aliases) to the canonical name; null when unknown.</summary>
    public static string? Canonical(string? type) => type?.Trim().ToLowerInvariant() switch
    {
        "text" or "varchar" or "string" or "character varying" => Text,
        "int" or "int4" or "int8" or "integer" or "bigint" or "int2" or "smallint" => Int,
        "numeric" or "decimal" or "number" => Numeric,
        "float" or "float8" or "float4" or "double precision" or "real" or "double" => Float,
        "bool" or "boolean" => Bool,
        "date" => Date,
        "timestamp" or "timestamp without time zone" or "datetime" => Timestamp,
        "time" => Time,
        "json" or "jsonb" => Json,
        _ => null,
    };

    public static string FromColumnType(ColumnType t) => t switch
    {
        ColumnType.Integer => Int,
        ColumnType.Decimal => Numeric,
        ColumnType.Date => Date,
        ColumnType.Timestamp => Timestamp,
        ColumnType.Boolean => Bool,
        ColumnType.Time => Time,
        _ => Text, // text, and fiscal years (令和6年度): kept as the publisher's label
    };

    public static ColumnType? ToColumnType(string type) => type switch
    {
        Int => ColumnType.Integer,
        Numeric or Float => ColumnType.Decimal,
        Date => ColumnType.Date,
        Timestamp => ColumnType.Timestamp,
        Bool => ColumnType.Boolean,
        Time => ColumnType.Time,
        Text => ColumnType.Text,
        _ => null,
    };

    public static string SqliteType(string type) => type switch
    {
        Int or Bool => "INTEGER",
        Numeric => "NUMERIC",
        Float => "REAL",
        _ => "TEXT",
    };

    public static string PostgresType(string type) => type switch
    {
        Int => "bigint",
        Numeric => "numeric",
        Float => "double precision",
        Bool => "boolean",
        Date => "date",
        Timestamp => "timestamp",
        Time => "time",
        Json => "jsonb",
        _ => "text",
    };

    /// <summary>Why a field name is not acceptable (CKAN's rules), or null.</summary>
    public static string? InvalidFieldName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "Field name must not be empty";
        }

        if (name.StartsWith('_'))
        {
            return $"\"{name}\" is not a valid field name: names starting with an underscore are reserved";
        }

        if (name.Contains('"') || name.Contains('\0') || name.Contains('%'))
        {
            return $"\"{name}\" is not a valid field name";
        }

        if (System.Text.Encoding.UTF8.GetByteCount(name) > 63)
        {
            return $"\"{name}\" is not a valid field name: longer than 63 bytes";
        }

        return null;
    }

    /// <summary>SQL identifier, double-quoted with inner quotes doubled.</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>
    /// Converts a value given in the API (JSON) or in a filter (text) to the CLR value stored for the type:
    /// long, decimal, double, bool, DateOnly, DateTime, TimeOnly, string (text, json). Throws FormatException.
    /// </summary>
    public static object? FromJson(JsonNode? node, string type)
    {
        if (node is null)
        {
            return null;
        }

        if (type == Json)
        {
            return node.ToJsonString();
        }

        if (node is JsonValue v)
        {
            switch (v.GetValueKind())
            {
                case JsonValueKind.Null:
                    return null;
                case JsonValueKind.String:
                    return FromText(v.GetValue<string>(), type);
                case JsonValueKind.Number:
                    return type switch
                    {
                        Int => long.TryParse(v.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l
                            : decimal.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && decimal.Truncate(d) == d && Math.Abs(d) <= long.MaxValue ? (long)d : throw new FormatException("not an integer"),
                        Numeric => v.GetValue<decimal>(),
                        Float => v.GetValue<double>(),
                        Bool => v.GetValue<decimal>() != 0,
                        Text => v.ToJsonString(),
                        _ => FromText(v.ToJsonString(), type),
                    };
                case JsonValueKind.True or JsonValueKind.False:
                    var b = v.GetValueKind() == JsonValueKind.True;
                    return type switch
                    {
                        Bool => b,
                        Text => b ? "true" : "false",
                        Int => b ? 1L : 0L,
                        _ => throw new FormatException("a boolean"),
                    };
            }
        }

        if (type == Text)
        {
            return node.ToJsonString();
        }

        throw new FormatException("a list or an object");
    }

    public static object? FromText(string? s, string type)
    {
        if (s is null)
        {
            return null;
        }

        if (type == Text)
        {
            return s;
        }

        if (type == Json)
        {
            return JsonNode.Parse(s)?.ToJsonString();
        }

        var t = TextNormalizer.Trim(s);
        if (t.Length == 0)
        {
            return null;
        }

        switch (type)
        {
            case Int:
                return JapaneseNumber.TryParseInteger(t, out var l) ? l : throw new FormatException("not an integer");
            case Numeric:
                return JapaneseNumber.TryParseDecimal(t, out var d) ? d : throw new FormatException("not a number");
            case Float:
                return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) ? f
                    : JapaneseNumber.TryParseDecimal(t, out var fd) ? (double)fd : throw new FormatException("not a number");
            case Bool:
                return t.ToLowerInvariant() switch
                {
                    "true" or "t" or "1" or "yes" or "y" or "on" => true,
                    "false" or "f" or "0" or "no" or "n" or "off" => false,
                    _ => throw new FormatException("not a boolean"),
                };
            case Date:
                if (DateOnly.TryParseExact(t, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var iso))
                {
                    return iso;
                }

                if (DateTime.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var dt1) && dt1.TimeOfDay == TimeSpan.Zero)
                {
                    return DateOnly.FromDateTime(dt1);
                }

                return JapaneseDate.TryParseDate(t, out var jd) ? jd : throw new FormatException("not a date");
            case Timestamp:
                if (DateTime.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var ts))
                {
                    return ts.Kind == DateTimeKind.Utc || ts.Kind == DateTimeKind.Local ? DateTime.SpecifyKind(ts.ToUniversalTime(), DateTimeKind.Unspecified) : ts;
                }

                return JapaneseDate.TryParseTimestamp(t, out var jts) ? jts
                    : JapaneseDate.TryParseDate(t, out var jd2) ? jd2.ToDateTime(TimeOnly.MinValue) : throw new FormatException("not a timestamp");
            case Time:
                return TimeOnly.TryParse(t, CultureInfo.InvariantCulture, out var time) ? time : throw new FormatException("not a time");
            default:
                return s;
        }
    }

    /// <summary>A stored JSON value as a node (the text itself when it does not parse).</summary>
    public static object? ParseStoredJson(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return text;
        }
    }

    /// <summary>Values as SQLite stores them (dates as ISO text, booleans as 0/1).</summary>
    public static object? ToSqlite(object? value) => value switch
    {
        null => DBNull.Value,
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => IsoTimestamp(t),
        TimeOnly t => t.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
        bool b => b ? 1L : 0L,
        decimal m => (double)m,
        _ => value,
    };

    public static string IsoTimestamp(DateTime t) =>
        t.ToString(t.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss" : "yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture);

    /// <summary>A stored value as text for CSV/TSV output and previews.</summary>
    public static string ToText(object? value) => value switch
    {
        null or DBNull => "",
        string s => s,
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => IsoTimestamp(t),
        TimeOnly t => t.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
        JsonNode n => n.ToJsonString(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>A stored value as JSON.</summary>
    public static JsonNode? ToJson(object? value) => value switch
    {
        null or DBNull => null,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        long l => JsonValue.Create(l),
        double d => double.IsFinite(d) ? JsonValue.Create(d) : JsonValue.Create(ToText(d)),
        decimal m => JsonValue.Create(m),
        JsonNode n => n.DeepClone(),
        _ => JsonValue.Create(ToText(value)),
    };
}
