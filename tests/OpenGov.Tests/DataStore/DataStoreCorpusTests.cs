using System.Text.Json.Nodes;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.DataStore;

/// <summary>
/// The real files of the reader's corpus (tests/OpenGov.Tabular.Tests/corpus: CP932 and UTF-8 CSVs, workbooks with
/// several sheets, title rows and two-row headers; sources and licences in its manifest) loaded as a publisher's
/// uploads are, into each database: every load completes, and the table has the header and the row count the
/// manifest expects (checked there by reading each file by hand), so what the reader finds is what gets stored. A
/// header longer than a field name may be (63 bytes, CKAN's rule; a question in a survey) is stored shortened, with a
/// number added where two shortened names meet, and the load log tells the publisher so.
/// </summary>
public sealed class DataStoreCorpusTests
{
    private static readonly string Dir = Path.Combine(AppContext.BaseDirectory, "corpus");

    [Theory, Databases]
    public async Task Every_corpus_file_loads_with_the_expected_header_and_row_count(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var (_, ds) = await app.DatasetAsync();
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Dir, "manifest.json"), TestContext.Current.CancellationToken))!.AsArray();
        Assert.True(manifest.Count >= 40, $"the corpus holds {manifest.Count} files");

        var loads = new List<(string File, JsonNode Expected, string ResourceId)>();
        foreach (var entry in manifest)
        {
            var file = entry!["file"]!.GetValue<string>();
            var bytes = await File.ReadAllBytesAsync(Path.Combine(Dir, file), TestContext.Current.CancellationToken);
            var format = Path.GetExtension(file).ToUpperInvariant() switch { ".XLSX" => "XLSX", ".XLS" => "XLS", _ => "CSV" };
            loads.Add((file, entry["expected"]!, await app.UploadAsync(ds, file, bytes, format)));
        }

        var problems = new List<string>();
        var client = app.Anonymous();
        foreach (var (file, expected, rid) in loads)
        {
            var job = await app.LoadAndWaitAsync(rid, timeout: TimeSpan.FromMinutes(2));
            if (job["status"]!.GetValue<string>() != "complete")
            {
                problems.Add($"{file}: load {job["status"]} {job["error"]?.ToJsonString()}");
                continue;
            }

            var r = await client.OkAsync("datastore_search", new { resource_id = rid, limit = 0 });
            var fields = r["fields"]!.AsArray().Select(f => f!["id"]!.GetValue<string>()).Where(f => f != "_id").ToList();
            var header = expected["header"]!.AsArray().Select(h => h!.GetValue<string>()).ToList();
            var log = job["log"]!.AsArray().Select(l => l!["message_ja"]?.GetValue<string>() ?? "").ToList();
            if (fields.Count != header.Count)
            {
                problems.Add($"{file}: {fields.Count} columns [{string.Join(", ", fields)}], expected {header.Count} [{string.Join(", ", header)}]");
                continue;
            }

            foreach (var (field, name) in fields.Zip(header).Where(p => p.First != p.Second))
            {
                if (!IsShortened(field, name) || !log.Any(m => m.Contains($"「{name}」は「{field}」として保存します", StringComparison.Ordinal)))
                {
                    problems.Add($"{file}: column「{name}」stored as「{field}」");
                }
            }

            var total = r["total"]!.GetValue<long>();
            if (total != expected["rows"]!.GetValue<long>())
            {
                problems.Add($"{file}: {total} rows stored, expected {expected["rows"]}");
            }

            // 神戸市 だれでもトイレ: the section rows are not data, their titles are the 区分 column's values, and the log says so
            if (file == "kobe_UDseibisisetu.xlsx")
            {
                if (!log.Any(m => m.Contains("区分の見出し行（都心地域, 都心地域外, 公共交通機関）3 行をデータから除き", StringComparison.Ordinal)))
                {
                    problems.Add($"{file}: the load log does not report the section rows: {string.Join(" / ", log)}");
                }
                var transit = await client.OkAsync("datastore_search", new { resource_id = rid, filters = new { 区分 = "公共交通機関" }, limit = 0 });
                if (transit["total"]!.GetValue<long>() == 0)
                {
                    problems.Add($"{file}: no row has 区分 = 公共交通機関");
                }
            }

            // 神戸市 制度部門別所得支出勘定 (.xls): five stacked blocks, each under a numbered title and the header again;
            // the repeated headers are left out and reported, the titles are the 区分 column (the first from above the header)
            if (file == "kobe_25kk_sankouhyou.xls")
            {
                if (!log.Any(m => m.Contains("見出しを繰り返す行（表の途中の見出し）4 行を除きました", StringComparison.Ordinal)))
                {
                    problems.Add($"{file}: the load log does not report the repeated header rows: {string.Join(" / ", log)}");
                }
                foreach (var block in new[] { "（１）非金融法人企業", "（２）金融機関" })
                {
                    var rows = await client.OkAsync("datastore_search", new { resource_id = rid, filters = new { 区分 = block }, limit = 0 });
                    if (rows["total"]!.GetValue<long>() == 0)
                    {
                        problems.Add($"{file}: no row has 区分 = {block}");
                    }
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>
    /// A long header stored shortened (at most 63 bytes, perhaps with "_2", "_3"... to keep it unique): its beginning,
    /// or for a combined two-row header the beginning of its group and its whole column part.
    /// </summary>
    private static bool IsShortened(string field, string header)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(header) <= 60 || System.Text.Encoding.UTF8.GetByteCount(field) > 63)
        {
            return false;
        }

        var cut = header.LastIndexOf('_');
        var column = cut > 0 ? header[cut..] : null;
        foreach (var c in new[] { field, System.Text.RegularExpressions.Regex.Replace(field, "_[0-9]+$", "") }.Where(c => c.Length > 0))
        {
            if (header.StartsWith(c, StringComparison.Ordinal)
                || (column is not null && c.Length > column.Length && c.EndsWith(column, StringComparison.Ordinal) && header[..cut].StartsWith(c[..^column.Length], StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }
}
