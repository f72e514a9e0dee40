using System.Text.Json;
using System.Text.RegularExpressions;

namespace OpenGov.Tabular;

/// <summary>One field of a Frictionless Table Schema, with the OpenGov extensions (x-aliases, x-warnValues, x-localGovCode, x-optionalColumn).</summary>
public sealed record SchemaField
{
    /// <summary>Column name.</summary>
    public required string Name { get; init; }

    /// <summary>Frictionless type: string, integer, number, date, datetime, boolean.</summary>
    public string Type { get; init; } = "string";

    /// <summary>constraints.required: a value must be present.</summary>
    public bool Required { get; init; }

    /// <summary>constraints.enum as strings (numbers in canonical form), or null.</summary>
    public IReadOnlyList<string>? Enum { get; init; }

    /// <summary>x-warnValues: values outside the enum seen in real files, reported as warnings instead of errors.</summary>
    public IReadOnlyList<string> WarnValues { get; init; } = [];

    /// <summary>x-aliases: other header names accepted with a warning (e.g. 患者_属性 for 患者_職業).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>constraints.pattern, or null.</summary>
    public string? Pattern { get; init; }

    /// <summary>constraints.minimum for numbers, or null.</summary>
    public decimal? Minimum { get; init; }

    /// <summary>x-localGovCode: the value must be a 全国地方公共団体コード with a correct check digit.</summary>
    public bool LocalGovCode { get; init; }

    /// <summary>x-optionalColumn: a missing column is a warning, not an error.</summary>
    public bool OptionalColumn { get; init; }
}

/// <summary>A parsed Frictionless Table Schema.</summary>
public sealed record TableSchema
{
    /// <summary>Schema name (the file-name suffix for the standard ones, e.g. patients).</summary>
    public required string Name { get; init; }

    /// <summary>Japanese title, e.g. 陽性患者属性.</summary>
    public string Title { get; init; } = "";

    /// <summary>Fields in standard order.</summary>
    public required IReadOnlyList<SchemaField> Fields { get; init; }

    /// <summary>x-knownExtraColumns: extra columns tolerated with a warning (e.g. 曜日).</summary>
    public IReadOnlyList<string> KnownExtraColumns { get; init; } = [];

    /// <summary>The schema as JSON (Frictionless Table Schema with x- extensions).</summary>
    public string Json { get; init; } = "";

    /// <summary>Parses a Table Schema JSON document.</summary>
    /// <exception cref="TableReadException">The JSON is not a valid table schema.</exception>
    public static TableSchema Parse(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            var fields = new List<SchemaField>();
            foreach (var f in root.GetProperty("fields").EnumerateArray())
            {
                var c = f.TryGetProperty("constraints", out var cc) ? cc : default;
                fields.Add(new SchemaField
                {
                    Name = f.GetProperty("name").GetString() ?? "",
                    Type = Str(f, "type") ?? "string",
                    Required = c.ValueKind == JsonValueKind.Object && c.TryGetProperty("required", out var r) && r.GetBoolean(),
                    Enum = c.ValueKind == JsonValueKind.Object && c.TryGetProperty("enum", out var e) ? [.. e.EnumerateArray().Select(Canon)] : null,
                    Pattern = c.ValueKind == JsonValueKind.Object ? Str(c, "pattern") : null,
                    Minimum = c.ValueKind == JsonValueKind.Object && c.TryGetProperty("minimum", out var m) ? m.GetDecimal() : null,
                    WarnValues = List(f, "x-warnValues"),
                    Aliases = List(f, "x-aliases"),
                    LocalGovCode = f.TryGetProperty("x-localGovCode", out var lg) && lg.GetBoolean(),
                    OptionalColumn = f.TryGetProperty("x-optionalColumn", out var oc) && oc.GetBoolean(),
                });
            }
            return new TableSchema
            {
                Name = Str(root, "name") ?? "",
                Title = Str(root, "title") ?? "",
                Fields = fields,
                KnownExtraColumns = List(root, "x-knownExtraColumns"),
                Json = json,
            };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new TableReadException("invalid-schema", $"テーブルスキーマが不正です（{ex.Message}）", $"Invalid table schema ({ex.Message})", null, null, ex);
        }
    }

    private static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string[] List(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array ? [.. v.EnumerateArray().Select(Canon)] : [];

    private static string Canon(JsonElement e) => e.ValueKind == JsonValueKind.String ? e.GetString() ?? "" : e.GetRawText();
}

/// <summary>
/// The five standard COVID-19 datasets (新型コロナウイルス感染症対策に関するオープンデータ項目定義書, Code for Japan v1.0)
/// as embedded Frictionless Table Schemas: patients, test_people, test_count, confirm_negative, call_center.
/// </summary>
public static partial class StandardSchemas
{
    private static readonly Lazy<Dictionary<string, TableSchema>> All = new(Load);

    /// <summary>Names of the standard schemas.</summary>
    public static IReadOnlyList<string> Names { get; } = ["patients", "test_people", "test_count", "confirm_negative", "call_center"];

    /// <summary>Gets a standard schema by name (e.g. "patients").</summary>
    /// <exception cref="KeyNotFoundException">No such standard.</exception>
    public static TableSchema Get(string name) =>
        All.Value.TryGetValue(name, out var s) ? s : throw new KeyNotFoundException($"No standard schema '{name}'. Known: {string.Join(", ", Names)}");

    /// <summary>Gets a standard schema by name, or null.</summary>
    public static TableSchema? Find(string name) => All.Value.GetValueOrDefault(name);

    /// <summary>Guesses the standard from a file name such as <c>130001_tokyo_covid19_patients.csv</c>; null when it does not match.</summary>
    public static string? GuessFromFileName(string fileName)
    {
        var name = Path.GetFileNameWithoutExtension(fileName ?? "").ToLowerInvariant();
        var m = FileNameRegex().Match(name);
        return m.Success ? m.Groups[1].Value : null;
    }

    /// <summary>
    /// Guesses the standard from header names (aliases count): the schema with the most matched columns, when at least
    /// half of its fields and its dataset-specific columns are present; null otherwise.
    /// </summary>
    public static string? GuessFromHeader(IReadOnlyList<string> header)
    {
        var names = new HashSet<string>(header.Select(h => TextNormalizer.Normalize(h) ?? ""), StringComparer.Ordinal);
        string? best = null;
        var bestScore = 0.0;
        foreach (var schema in All.Value.Values)
        {
            var matched = schema.Fields.Count(f => names.Contains(f.Name) || f.Aliases.Any(names.Contains));
            // the count column (or 患者_年代 for patients) distinguishes datasets that share code/prefecture columns
            var distinctive = schema.Fields.Where(f => f.Required && f.Type is "integer" or "date").All(f => names.Contains(f.Name) || f.Aliases.Any(names.Contains));
            var score = (double)matched / schema.Fields.Count;
            if (distinctive && score >= 0.5 && score > bestScore)
            {
                bestScore = score;
                best = schema.Name;
            }
        }
        return best;
    }

    private static Dictionary<string, TableSchema> Load()
    {
        var asm = typeof(StandardSchemas).Assembly;
        var dict = new Dictionary<string, TableSchema>(StringComparer.Ordinal);
        foreach (var name in Names)
        {
            using var s = asm.GetManifestResourceStream($"OpenGov.Tabular.Schemas.{name}.json")
                ?? throw new InvalidOperationException($"Missing embedded schema {name}");
            using var r = new StreamReader(s);
            dict[name] = TableSchema.Parse(r.ReadToEnd());
        }
        return dict;
    }

    [GeneratedRegex(@"covid19_(patients|test_people|test_count|confirm_negative|call_center)$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex FileNameRegex();
}
