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

    /// <summary>x-geo: <c>latitude</c> or <c>longitude</c> in decimal degrees, checked within Japan (<see cref="GeoBounds"/>).</summary>
    public string? Geo { get; init; }

    /// <summary>format uri: a value should be an http(s) URL (a warning otherwise).</summary>
    public bool Url { get; init; }
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

    /// <summary>x-allowExtraColumns: columns not in the standard are warnings, not errors (自治体標準オープンデータセット).</summary>
    public bool AllowExtraColumns { get; init; }

    /// <summary>x-distinctiveColumns: columns that must all be present for <see cref="StandardSchemas.GuessFromHeader"/> to pick this schema.</summary>
    public IReadOnlyList<string> DistinctiveColumns { get; init; } = [];

    /// <summary>x-fileNames: file-name stems recognised by <see cref="StandardSchemas.GuessFromFileName"/> (after a leading 6-digit code).</summary>
    public IReadOnlyList<string> FileNames { get; init; } = [];

    /// <summary>Where the definition comes from.</summary>
    public string Source { get; init; } = "";

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
                    Geo = Str(f, "x-geo"),
                    Url = Str(f, "format") == "uri",
                });
            }
            return new TableSchema
            {
                Name = Str(root, "name") ?? "",
                Title = Str(root, "title") ?? "",
                Fields = fields,
                KnownExtraColumns = List(root, "x-knownExtraColumns"),
                AllowExtraColumns = root.TryGetProperty("x-allowExtraColumns", out var ax) && ax.GetBoolean(),
                DistinctiveColumns = List(root, "x-distinctiveColumns"),
                FileNames = List(root, "x-fileNames"),
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
/// The standard datasets as embedded Frictionless Table Schemas: the five COVID-19 ones (新型コロナウイルス感染症対策に関する
/// オープンデータ項目定義書, Code for Japan v1.0: patients, test_people, test_count, confirm_negative, call_center) and the
/// 自治体標準オープンデータセット (public_facility, evacuation_space, aed, ... see <see cref="MunicipalNames"/>; definitions in
/// Schemas/municipal_standard.json with their source).
/// </summary>
public static partial class StandardSchemas
{
    private static readonly string[] CovidNames = ["patients", "test_people", "test_count", "confirm_negative", "call_center"];
    private static readonly Lazy<Dictionary<string, TableSchema>> All = new(Load);

    /// <summary>Names of all standard schemas: the COVID-19 ones first, then the 自治体標準オープンデータセット.</summary>
    public static IReadOnlyList<string> Names => [.. All.Value.Keys];

    /// <summary>Names of the 自治体標準オープンデータセット schemas.</summary>
    public static IReadOnlyList<string> MunicipalNames => [.. All.Value.Keys.Except(CovidNames)];

    /// <summary>Gets a standard schema by name (e.g. "patients", "public_facility").</summary>
    /// <exception cref="KeyNotFoundException">No such standard.</exception>
    public static TableSchema Get(string name) =>
        All.Value.TryGetValue(name, out var s) ? s : throw new KeyNotFoundException($"No standard schema '{name}'. Known: {string.Join(", ", Names)}");

    /// <summary>Gets a standard schema by name, or null.</summary>
    public static TableSchema? Find(string name) => All.Value.GetValueOrDefault(name);

    /// <summary>
    /// Guesses the standard from a file name: <c>130001_tokyo_covid19_patients.csv</c> → patients;
    /// <c>131001_public_facility.csv</c>, <c>131016_chiyoda_aed.csv</c>, <c>公共施設一覧.xlsx</c> → public_facility, aed, ...;
    /// null when it does not match.
    /// </summary>
    public static string? GuessFromFileName(string fileName)
    {
        var name = Path.GetFileNameWithoutExtension(fileName ?? "").ToLowerInvariant();
        var m = FileNameRegex().Match(name);
        if (m.Success)
        {
            return m.Groups[1].Value;
        }
        var stem = CodePrefixRegex().Replace(TextNormalizer.Normalize(name) ?? "", "");
        foreach (var schema in All.Value.Values)
        {
            foreach (var f in schema.FileNames)
            {
                var ascii = TextNormalizer.IsAsciiOnly(f);
                if (ascii ? stem == f || stem.EndsWith("_" + f, StringComparison.Ordinal) : stem.Contains(f, StringComparison.Ordinal))
                {
                    return schema.Name;
                }
            }
        }
        return null;
    }

    /// <summary>
    /// Guesses the standard from header names (aliases count): the schema with the highest share of matched fields whose
    /// distinctive columns are all present (x-distinctiveColumns; for the COVID-19 schemas the required count and date
    /// columns) and that matches at least half of its fields (COVID-19) or 30% of them (自治体標準, whose columns are
    /// mostly optional), or, for 自治体標準, whose own columns (not the reader's column_N) are at least 80% and at least 5
    /// the standard's; among those, the one naming the largest share of the file's columns (then of its own fields);
    /// null otherwise.
    /// </summary>
    public static string? GuessFromHeader(IReadOnlyList<string> header)
    {
        var names = new HashSet<string>(header.Select(ColumnNames.Key), StringComparer.Ordinal);
        string? best = null;
        var bestScore = 0.0;
        foreach (var schema in All.Value.Values)
        {
            bool Has(SchemaField f) => names.Contains(N(f.Name)) || f.Aliases.Any(a => names.Contains(N(a)));
            var matched = schema.Fields.Count(Has);
            var distinctive = schema.DistinctiveColumns.Count > 0
                ? schema.DistinctiveColumns.All(c => schema.Fields.FirstOrDefault(f => f.Name == c) is { } f ? Has(f) : names.Contains(N(c)))
                // the count column (or 患者_年代 for patients) distinguishes datasets that share code/prefecture columns
                : schema.Fields.Where(f => f.Required && f.Type is "integer" or "date").All(Has);
            var share = (double)matched / schema.Fields.Count;
            var threshold = schema.AllowExtraColumns ? 0.3 : 0.5;
            // among the candidates, the schema explaining most of the file's columns wins, then the higher share of its fields
            var ownNames = names.Where(n => !GeneratedName().IsMatch(n)).ToList();
            var explainedCount = ownNames.Count(n => schema.Fields.Any(f => N(f.Name) == n || f.Aliases.Any(a => N(a) == n)));
            var explained = (double)explainedCount / Math.Max(1, ownNames.Count);
            var score = explained + (share / 1000);
            // a file made of the standard's columns but few of its many optional ones (高松市's LinkData AED list: 9 of 36)
            // is that standard when nearly all its own columns are the standard's
            var mostlyStandard = schema.AllowExtraColumns && explainedCount >= 5 && explained >= 0.8;
            if (distinctive && (share >= threshold || mostlyStandard) && score > bestScore)
            {
                bestScore = score;
                best = schema.Name;
            }
        }
        return best;
    }

    private static string N(string name) => ColumnNames.Key(name);

    private static Dictionary<string, TableSchema> Load()
    {
        var dict = new Dictionary<string, TableSchema>(StringComparer.Ordinal);
        foreach (var name in CovidNames)
        {
            dict[name] = TableSchema.Parse(Resource(name));
        }
        foreach (var schema in MunicipalStandards.Load(Resource("municipal_standard")))
        {
            dict[schema.Name] = schema;
        }
        return dict;
    }

    private static string Resource(string name)
    {
        using var s = typeof(StandardSchemas).Assembly.GetManifestResourceStream($"OpenGov.Tabular.Schemas.{name}.json")
            ?? throw new InvalidOperationException($"Missing embedded schema {name}");
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }

    [GeneratedRegex(@"covid19_(patients|test_people|test_count|confirm_negative|call_center)$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex FileNameRegex();

    /// <summary>A name the reader gave an unnamed column (column_1), not the publisher's.</summary>
    [GeneratedRegex(@"^column_[0-9]+$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex GeneratedName();

    [GeneratedRegex(@"^[0-9]{5,6}[_\-]", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex CodePrefixRegex();
}
