using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using OpenGov.Tabular;

namespace OpenGov.DataStore;

/// <summary>
/// The load pipeline of one file: detect (format, encoding, header), name the fields, infer types, normalise,
/// validate against a standard dataset, bulk load through the backend, index, swap. No job bookkeeping: used by the
/// jobs (<see cref="DataStoreLoader"/>) and by bench/datastore.sh.
/// </summary>
public static class LoadPipeline
{
    /// <summary>What a load produced.</summary>
    /// <param name="RowsSeconds">Time until every row was stored (before indexes and the swap).</param>
    public sealed record LoadResult(long Rows, JsonObject Detected, JsonObject? Validation, bool? Conforms, string Log, double RowsSeconds);

    /// <summary>
    /// Loads a file into the resource's table (detect, infer, normalise, validate, bulk load, index, swap): the whole
    /// pipeline of a job without the job bookkeeping. Used by jobs and by bench/datastore.sh.
    /// </summary>
    public static async Task<LoadResult> LoadFileAsync(DataStoreStorage storage, string resourceId, string path, LoadOverrides overrides, string? standard, CancellationToken ct)
    {
        var progress = new LoadProgress();
        var outcome = await LoadFileCoreAsync(storage, resourceId, path, overrides, standard, progress, ct);
        return new LoadResult(progress.Rows, progress.Detected, outcome.Validation, outcome.Conforms, progress.LogJson(), progress.RowsStoredAt.TotalSeconds);
    }

    internal static async Task<Outcome> LoadFileCoreAsync(DataStoreStorage storage, string resourceId, string path, LoadOverrides overrides, string? standard, LoadProgress progress, CancellationToken ct)
    {
        var forcedText = new HashSet<string>(StringComparer.Ordinal);
        for (var attempt = 0; ; attempt++)
        {
            var outcome = await LoadOnceAsync(storage, resourceId, path, overrides, standard, forcedText, progress, attempt == 0, ct);
            if (outcome.RetryAsText.Count == 0 || attempt > 0)
            {
                return outcome;
            }

            foreach (var c in outcome.RetryAsText)
            {
                forcedText.Add(c);
            }

            var retried = string.Join(", ", outcome.RetryAsText.Select(c => "「" + c + "」"));
            progress.Add("warning", $"values that do not fit the inferred type in {retried}: loading again with these columns as text", $"{retried} に推定した型に合わない値があるため、これらの列を文字列として読み込み直します");
        }
    }

    internal sealed record Outcome(List<string> RetryAsText, JsonObject? Validation, bool? Conforms);

    private static async Task<Outcome> LoadOnceAsync(DataStoreStorage storage, string resourceId, string path, LoadOverrides o, string? standard, HashSet<string> forcedText, LoadProgress progress, bool first, CancellationToken ct)
    {
        var readOptions = new TableReadOptions
        {
            Encoding = DataStoreDump.EncodingByName(o.Encoding),
            Delimiter = o.Delimiter is { Length: 1 } d ? d[0] : null,
            HeaderRowIndex = o.HeaderRow is { } h ? h - 1 : null,
            HasHeader = o.NoHeader != true,
            SheetName = o.Sheet,
            RaggedRows = RaggedRowPolicy.PadOrTruncate,
        };
        var fileLength = new FileInfo(path).Length;
        await using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var counting = new CountingStream(fs);
        progress.SetTotal(fileLength);
        using var table = TableReader.Open(counting, readOptions);
        var detected = new JsonObject
        {
            ["format"] = table.Format.ToString().ToLowerInvariant(),
            ["encoding"] = table.EncodingName is { Length: > 0 } en ? en : null,
            ["encoding_reason"] = table.EncodingReason is { Length: > 0 } er ? er : null,
            ["delimiter"] = table.Delimiter is { } dl ? (dl == '\t' ? "tab" : dl.ToString()) : null,
            ["header_row"] = table.HeaderRowIndex + 1,
            ["sheet"] = table.SheetName,
            ["sheet_index"] = table.SheetIndex,
            ["sheets"] = new JsonArray([.. table.Sheets.Select(s => (JsonNode)new JsonObject
            {
                ["index"] = s.Index,
                ["name"] = s.Name,
                ["row_count"] = s.RowCount,
                ["column_count"] = s.ColumnCount,
                ["kind"] = s.Kind.ToString().ToLowerInvariant(),
                ["kind_ja"] = s.KindJa,
                ["kind_en"] = s.KindEn,
                ["score"] = s.Score,
                ["hidden"] = s.Hidden,
            })]),
            ["header_row_count"] = table.HeaderRowCount,
            ["metadata_rows"] = new JsonArray([.. table.MetadataRows.Select(m => (JsonNode)m)]),
            ["leading_columns_dropped"] = table.LeadingColumnsDropped,
            ["title_rows"] = new JsonArray([.. table.TitleRows.Select(t => (JsonNode)t)]),
            ["standard"] = standard,
            ["file_bytes"] = fileLength,
        };
        if (first)
        {
            progress.Add("info", $"format {detected["format"]}" + (table.EncodingName is { Length: > 0 } ? $", encoding {table.EncodingName} ({table.EncodingReason})" : "")
                + (table.Delimiter is { } dd ? $", delimiter {(dd == '\t' ? "tab" : dd.ToString())}" : "") + $", header row {table.HeaderRowIndex + 1}"
                + (table.SheetName is { } sn ? $", sheet {sn}" : ""),
                $"形式 {detected["format"]}" + (table.EncodingName is { Length: > 0 } ? $"、文字コード {table.EncodingName}（{table.EncodingReason}）" : "")
                + (table.Delimiter is { } dj ? $"、区切り文字 {(dj == '\t' ? "タブ" : dj.ToString())}" : "") + $"、見出し {table.HeaderRowIndex + 1} 行目"
                + (table.SheetName is { } sj ? $"、シート {sj}" : ""));
            foreach (var note in table.Notes)
            {
                progress.Add("info", note.MessageEn, note.MessageJa);
            }

            foreach (var rename in table.HeaderRenames)
            {
                progress.Add("warning", $"column {rename.ColumnIndex + 1}: {(rename.Reason == "empty" ? "empty header" : "duplicate header「" + rename.Original + "」")} named「{rename.Name}」",
                    $"{rename.ColumnIndex + 1} 列目: {(rename.Reason == "empty" ? "見出しが空" : "見出し「" + rename.Original + "」が重複")}のため「{rename.Name}」と名付けました");
            }
        }

        // field names: CKAN's rules (no leading underscore, no quotes, at most 63 bytes), unique
        var names = new List<string>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (col, i) in table.Columns.Select((c, i) => (c, i)))
        {
            var n = col.Replace("\"", "", StringComparison.Ordinal).Replace("%", "％", StringComparison.Ordinal).Replace("\0", "", StringComparison.Ordinal).TrimStart('_').Trim();
            if (n.Length == 0)
            {
                n = "column_" + (i + 1).ToString(CultureInfo.InvariantCulture);
            }

            n = FieldNameLimit.Shorten(n);

            var baseName = n;
            for (var k = 2; !used.Add(n); k++)
            {
                n = baseName + "_" + k.ToString(CultureInfo.InvariantCulture);
            }

            if (n != col && first)
            {
                progress.Add("warning", $"column {i + 1}「{col}」stored as「{n}」", $"{i + 1} 列目「{col}」は「{n}」として保存します");
            }

            names.Add(n);
        }

        var typeOverrides = new Dictionary<string, ColumnType>(StringComparer.Ordinal);
        foreach (var (k, v) in o.Types ?? [])
        {
            var idx = names.IndexOf(k) is >= 0 and var i1 ? i1 : table.Columns.ToList().IndexOf(k);
            if (idx >= 0 && DsTypes.ToColumnType(v) is { } ct1)
            {
                typeOverrides[table.Columns[idx]] = ct1;
            }
        }

        foreach (var c in forcedText)
        {
            typeOverrides[c] = ColumnType.Text;
        }

        var inference = new InferenceOptions
        {
            Overrides = typeOverrides,
            EmptyMarkers = o.EmptyMarkers is { } m ? new HashSet<string>(m, StringComparer.Ordinal) : TextNormalizer.DefaultEmptyMarkers,
        };
        var inferred = TypeInference.InferFromSample(table, inference, out var allRows);
        var fields = inferred.Select((c, i) => new DsField(names[i], DsTypes.FromColumnType(c.Type), table.Columns[i] != names[i] ? new JsonObject { ["label"] = table.Columns[i] } : null)).ToList();
        detected["columns"] = new JsonArray([.. fields.Select(f => (JsonNode)new JsonObject { ["id"] = f.Id, ["type"] = f.Type })]);
        progress.Detected = detected;
        if (first)
        {
            var typeList = string.Join(", ", fields.Select(f => f.Id + " " + f.Type));
            progress.Add("info", "types: " + typeList, "列の型: " + typeList);
            foreach (var c in inferred.Where(c => c.NoteJa is not null || c.NoteEn is not null))
            {
                progress.Add("info", c.NoteEn ?? c.NoteJa!, c.NoteJa ?? c.NoteEn);
            }
        }

        // fiscal years (令和6年度) are stored as the publisher's text label: the column type is text (DsTypes.FromColumnType)
        var normalizer = new ColumnNormalizer([.. inferred.Select(c => c.Type == ColumnType.FiscalYear ? c with { Type = ColumnType.Text } : c)], inference, maxProblems: 20);
        await using var load = await storage.BeginLoadAsync(resourceId, fields, normalizer.Normalize, ct);
        long rows = 0;
        var lastTick = Environment.TickCount64;
        IEnumerable<string[]> Tap()
        {
            foreach (var row in allRows)
            {
                load.Add(row, allRows.CurrentRowNumber);
                rows++;
                if ((rows & 1023) == 0)
                {
                    progress.SetRows(rows);
                    progress.SetBytes(counting.BytesRead);
                    ct.ThrowIfCancellationRequested();
                }

                yield return row;
            }
        }

        JsonObject? validation = null;
        bool? conforms = null;
        if (standard is not null)
        {
            var report = SchemaValidator.Validate(StandardSchemas.Get(standard), table.Columns, Tap(), new ValidationOptions { RowNumber = () => allRows.CurrentRowNumber });
            conforms = report.Conforms;
            validation = new JsonObject
            {
                ["standard"] = standard,
                ["conforms"] = report.Conforms,
                ["error_count"] = report.ErrorCount,
                ["warning_count"] = report.WarningCount,
                ["truncated"] = report.Truncated,
                ["row_count"] = report.RowCount,
                ["problems"] = new JsonArray([.. report.Problems.Select(p => (JsonNode)new JsonObject
                {
                    ["row"] = p.Row,
                    ["column"] = p.Column,
                    ["code"] = p.Code,
                    ["severity"] = p.Severity.ToString().ToLowerInvariant(),
                    ["value"] = p.Value,
                    ["message"] = p.MessageEn,
                    ["message_ja"] = p.MessageJa,
                })]),
            };
            progress.Add(report.Conforms ? "info" : "warning", $"standard {standard}: {(report.Conforms ? "conforms" : "does not conform")} ({report.ErrorCount} errors, {report.WarningCount} warnings)",
                $"標準データセット {standard}: {(report.Conforms ? "準拠" : "不適合")}（エラー {report.ErrorCount} 件、警告 {report.WarningCount} 件）");
        }
        else
        {
            foreach (var _ in Tap())
            {
            }
        }

        progress.SetRows(rows);
        progress.SetBytes(fileLength);
        await load.DrainAsync(ct); // the normaliser runs on the writer thread: its problems are known once every row is stored
        progress.RowsStored();
        if (normalizer.ProblemCount > 0 && first)
        {
            var cols = normalizer.Problems.Select(p => p.ColumnName).Distinct().ToList();
            foreach (var p in normalizer.Problems.Take(5))
            {
                progress.Add("warning", $"row {p.Row}, column「{p.ColumnName}」: \"{p.Value}\" is not {DsTypes.FromColumnType(p.Expected)}", $"{p.Row} 行目「{p.ColumnName}」: 「{p.Value}」は {DsTypes.FromColumnType(p.Expected)} ではありません");
            }

            return new Outcome(cols, validation, conforms);
        }

        if (table.RaggedRowCount > 0)
        {
            var rr = table.RaggedRows.FirstOrDefault();
            progress.Add("warning", $"{table.RaggedRowCount} rows have a different number of cells than the header (first: row {rr?.Row}, {rr?.CellCount} cells for {rr?.Expected}); padded or cut",
                $"{table.RaggedRowCount} 行のセル数が見出しと違います（最初は {rr?.Row} 行目: 見出し {rr?.Expected} 列に対し {rr?.CellCount} セル）。空欄で補うか切り詰めました");
        }

        LogSkippedRows(table, progress);

        if (table.FirstNulCell is { } nul)
        {
            progress.Add("warning", $"{table.NulCellCount} cells contained NUL characters (U+0000), removed (first: row {nul.Row}, column {nul.Column}); is the encoding right?",
                $"{table.NulCellCount} 個のセルに NUL 文字（U+0000）があり、取り除きました（最初は {nul.Row} 行目 {nul.Column} 列目）。文字コードの指定は正しいですか");
        }

        progress.Add("info", FormattableString.Invariant($"{rows:N0} rows stored in {progress.RowsStoredAt.TotalSeconds:F2} s; building indexes"),
            FormattableString.Invariant($"{rows:N0} 行を {progress.RowsStoredAt.TotalSeconds:F2} 秒で保存しました。索引を作成しています"));
        // indexes: the _id key, and every index the previous version had (those were asked for by searches); a first
        // load guesses none: the first filter or sort that needs one builds it on demand (docs/decisions/0004)
        var previous = await storage.GetTableAsync(resourceId, ct);
        var names2 = fields.Where(f => f.Type != DsTypes.Json).Select(f => f.Id).ToHashSet(StringComparer.Ordinal);
        var indexes = (previous?.IndexedColumns ?? []).Select(DataStoreIndexes.Columns).Where(cols => cols.All(names2.Contains)).Select(cols => (IReadOnlyList<string>)cols)
            .DistinctBy(DataStoreIndexes.Key).Take(DataStoreIndexes.Max).ToList();
        await load.CompleteAsync(indexes, ct, log: (en, ja) => progress.Add("info", en, ja));
        return new Outcome([], validation, conforms);
    }

    /// <summary>Logs the rows left out: template placeholders and 「#」 metadata rows (with their row numbers in the file), then notes and blanks.</summary>
    private static void LogSkippedRows(TableReadResult table, LoadProgress progress)
    {
        static string Rows(IEnumerable<SkippedRow> rows) => string.Join(", ", rows.Take(10).Select(r => r.Row.ToString(CultureInfo.InvariantCulture)));
        var placeholders = table.SkippedRows.Where(r => r.Kind == "placeholder").ToList();
        if (table.PlaceholderRowCount > 0)
        {
            progress.Add("info", $"{table.PlaceholderRowCount} rows holding only a running number (a template's empty lines) left out (rows {Rows(placeholders)})",
                $"連番だけの行（様式の空行）{table.PlaceholderRowCount} 行を除きました（{Rows(placeholders)} 行目）");
        }

        var metadata = table.SkippedRows.Where(r => r.Kind == "metadata").ToList();
        if (metadata.Count > 0)
        {
            var keys = string.Join(", ", metadata.Select(r => r.Text).Distinct().Take(5));
            progress.Add("info", $"{metadata.Count} metadata rows ({keys}) left out (rows {Rows(metadata)})", $"メタデータ行（{keys}）{metadata.Count} 行を除きました（{Rows(metadata)} 行目）");
        }

        var sections = table.SkippedRows.Where(r => r.Kind == "section").ToList();
        if (sections.Count > 0)
        {
            var titles = string.Join(", ", sections.Select(r => r.Text).Distinct().Take(5));
            progress.Add("info", $"{sections.Count} section rows ({titles}) left out of the data; each title is the value of column '{table.SectionColumn}' for the rows below it (rows {Rows(sections)})",
                $"区分の見出し行（{titles}）{sections.Count} 行をデータから除き、その区分名を列「{table.SectionColumn}」の値にしました（{Rows(sections)} 行目）");
        }
        var repeated = table.SkippedRows.Where(r => r.Kind == "header").ToList();
        if (repeated.Count > 0)
        {
            progress.Add("info", $"{repeated.Count} rows repeating the header (a stacked block's own header) left out (rows {Rows(repeated)})",
                $"見出しを繰り返す行（表の途中の見出し）{repeated.Count} 行を除きました（{Rows(repeated)} 行目）");
        }
        if (table.DroppedColumnValueCount > 0)
        {
            progress.Add("warning", $"{table.DroppedColumnValueCount} values were found further down in the separator column(s) {string.Join(", ", table.SeparatorColumnsDropped)} left out (empty in the first rows); they are not stored",
                $"除いた区切りの列（{string.Join("、", table.SeparatorColumnsDropped)}列）の下の方に値が {table.DroppedColumnValueCount} 個ありました（先頭の行では空でした）。これらは保存されていません");
        }

        var others = table.SkippedRowCount - table.PlaceholderRowCount - metadata.Count - sections.Count - repeated.Count;
        if (others > 0)
        {
            progress.Add("info", $"{others} note or blank rows left out", $"注記行・空行 {others} 行を除きました");
        }
    }

}
