using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenGov.Tabular.Tests;

/// <summary>
/// Real files from public repositories (corpus/manifest.json: source repository, path, commit, licence, truncation),
/// each read as an upload is: the expected header row, header, row count, skipped rows, encoding and column types.
/// Set OPENGOV_CORPUS_RECORD=1 to rewrite the expectations after a deliberate change (then review the diff).
/// </summary>
public class CorpusTests
{
    private static readonly string Dir = Path.Combine(AppContext.BaseDirectory, "corpus");

    /// <summary>
    /// Files fetched from repository snapshots are not committed here (the workplace keeps such data files in the
    /// steering repository's shared/, which CI gets beside the clone): manifest entries with "location": "shared"
    /// live in ../shared/data/tabular-corpus/ from the repository root, or in OPENGOV_TABULAR_CORPUS_SHARED.
    /// Those present are tested like the committed ones; absent ones are listed by the metadata test only.
    /// </summary>
    internal static string? SharedDir()
    {
        if (Environment.GetEnvironmentVariable("OPENGOV_TABULAR_CORPUS_SHARED") is { Length: > 0 } env)
        {
            return Directory.Exists(env) ? env : null;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OpenGov.slnx")))
            {
                var shared = Path.Combine(dir.FullName, "..", "shared", "data", "tabular-corpus");
                return Directory.Exists(shared) ? Path.GetFullPath(shared) : null;
            }
        }
        return null;
    }

    private static bool IsShared(JsonNode entry) => entry["location"]?.GetValue<string>() == "shared";

    private static string? PathOf(JsonNode entry)
    {
        var file = entry["file"]!.GetValue<string>();
        if (!IsShared(entry))
        {
            return Path.Combine(Dir, file);
        }
        return SharedDir() is { } shared && File.Exists(Path.Combine(shared, file)) ? Path.Combine(shared, file) : null;
    }

    public static TheoryData<string> Files() => [.. Manifest().Where(e => PathOf(e!) is not null).Select(e => e!["file"]!.GetValue<string>())];

    private static JsonArray Manifest() => JsonNode.Parse(File.ReadAllText(Path.Combine(Dir, "manifest.json")))!.AsArray();

    internal static JsonObject Describe(JsonNode entry)
    {
        var file = entry["file"]!.GetValue<string>();
        using var table = TableReader.Open(PathOf(entry) ?? throw new FileNotFoundException(file));
        var types = TypeInference.InferFromSample(table, null, out var rows);
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
            ["types"] = new JsonArray([.. types.Select(t => (JsonNode)(t.Type.ToString().ToLowerInvariant() + (t.DateFromExcelSerial ? "(serial)" : "")))]),
            ["standard"] = StandardSchemas.GuessFromFileName(file) ?? StandardSchemas.GuessFromHeader(table.Columns),
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
        Assert.Equal(files, manifest.Where(e => !IsShared(e)).Select(e => e["file"]!.GetValue<string>()).Order().ToList());
        Assert.Equal(manifest.Count, manifest.Select(e => e["file"]!.GetValue<string>()).Distinct().Count());
        Assert.All(manifest, e =>
        {
            Assert.False(string.IsNullOrEmpty(e["path"]?.GetValue<string>()));
            Assert.False(string.IsNullOrEmpty(e["review"]?.GetValue<string>()));
            Assert.NotNull(e["expected"]);
            Assert.False(string.IsNullOrEmpty(e["repo"]?.GetValue<string>()));
            Assert.Matches("^[0-9a-f]{40}$", e["commit"]!.GetValue<string>());
            Assert.False(string.IsNullOrEmpty(e["licence"]?.GetValue<string>()));
            if (PathOf(e) is { } path)
            {
                Assert.True(new FileInfo(path).Length < 200_000);
            }
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
            if (PathOf(e!) is not null)
            {
                e!["expected"] = Describe(e);
            }
        }
        var source = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "corpus", "manifest.json"));
        File.WriteAllText(source, manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
    }
}
