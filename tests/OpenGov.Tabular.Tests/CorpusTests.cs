using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenGov.Tabular.Tests;

/// <summary>
/// Real files from public repositories (corpus/manifest.json: source repository, path, commit, licence, truncation),
/// each read as an upload is: the expected header row, header, row count, skipped rows, encoding, column types, the
/// recognised standard and the summary of its validation report (error and warning counts, the codes found).
/// Set OPENGOV_CORPUS_RECORD=1 to rewrite the expectations after a deliberate change (then review the diff).
/// </summary>
public class CorpusTests
{
    private static readonly string Dir = Path.Combine(AppContext.BaseDirectory, "corpus");

    private static string PathOf(JsonNode entry) => Path.Combine(Dir, entry["file"]!.GetValue<string>());

    public static TheoryData<string> Files() => [.. Manifest().Select(e => e!["file"]!.GetValue<string>())];

    private static JsonArray Manifest() => JsonNode.Parse(File.ReadAllText(Path.Combine(Dir, "manifest.json")))!.AsArray();

    internal static JsonObject Describe(JsonNode entry)
    {
        var file = entry["file"]!.GetValue<string>();
        using var table = TableReader.Open(PathOf(entry));
        var types = TypeInference.InferFromSample(table, null, out var rows);
        var standard = StandardSchemas.GuessFromFileName(file) ?? StandardSchemas.GuessFromHeader(table.Columns);
        long count = 0;
        foreach (var _ in rows)
        {
            count++;
        }
        return new JsonObject
        {
            ["encoding"] = table.EncodingName is { Length: > 0 } e ? e : table.Format.ToString().ToLowerInvariant(),
            ["sheet"] = table.SheetName,
            ["header_row"] = table.HeaderRowIndex + 1,
            ["header"] = new JsonArray([.. table.Columns.Select(c => (JsonNode)c)]),
            ["rows"] = count,
            ["skipped"] = table.SkippedRowCount,
            ["types"] = new JsonArray([.. types.Select(t => (JsonNode)(t.Type.ToString().ToLowerInvariant() + (t.DateFromExcelSerial ? "(serial)" : "") + (t.DateFromMonthDayShortYear ? "(m/d/yy)" : "")))]),
            ["standard"] = standard,
            ["validation"] = standard is null ? null : Validation(entry, standard),
        };
    }

    /// <summary>The report of validating the file against the recognised standard: counts and the codes found, by severity.</summary>
    private static JsonObject Validation(JsonNode entry, string standard)
    {
        using var table = TableReader.Open(PathOf(entry));
        var report = SchemaValidator.Validate(StandardSchemas.Get(standard), table);
        return new JsonObject
        {
            ["errors"] = report.ErrorCount,
            ["warnings"] = report.WarningCount,
            ["codes"] = new JsonArray([.. report.Problems.Select(p => $"{p.Severity.ToString().ToLowerInvariant()}:{p.Code}").Distinct().Order(StringComparer.Ordinal).Select(c => (JsonNode)c)]),
        };
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Each_corpus_file_reads_with_the_expected_header_rows_and_types(string file)
    {
        var entry = Manifest().Single(e => e!["file"]!.GetValue<string>() == file)!;
        var actual = Describe(entry);
        var expected = entry["expected"] as JsonObject;
        Assert.NotNull(expected);
        Assert.Equal(expected.ToJsonString(), actual.ToJsonString());
    }

    [Fact]
    public void Every_corpus_file_is_in_the_manifest_with_its_source_and_licence_and_small()
    {
        var manifest = Manifest().Select(e => e!.AsObject()).ToList();
        var files = Directory.GetFiles(Dir).Select(f => Path.GetFileName(f)).Where(f => f != "manifest.json").Order().ToList();
        Assert.Equal(files, manifest.Select(e => e["file"]!.GetValue<string>()).Order().ToList());
        Assert.Equal(manifest.Count, manifest.Select(e => e["file"]!.GetValue<string>()).Distinct().Count());
        Assert.All(manifest, e =>
        {
            Assert.False(string.IsNullOrEmpty(e["path"]?.GetValue<string>()));
            Assert.False(string.IsNullOrEmpty(e["review"]?.GetValue<string>()));
            Assert.NotNull(e["expected"]);
            Assert.False(string.IsNullOrEmpty(e["repo"]?.GetValue<string>()));
            Assert.Matches("^[0-9a-f]{40}$", e["commit"]!.GetValue<string>());
            Assert.False(string.IsNullOrEmpty(e["licence"]?.GetValue<string>()));
            Assert.True(new FileInfo(PathOf(e)).Length < 200_000);
        });
    }

    [Fact]
    public void Record_expectations_when_asked()
    {
        if (Environment.GetEnvironmentVariable("OPENGOV_CORPUS_RECORD") != "1")
        {
            return;
        }
        var manifest = Manifest();
        foreach (var e in manifest)
        {
            e!["expected"] = Describe(e);
        }
        var source = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "corpus", "manifest.json"));
        File.WriteAllText(source, manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
    }
}
