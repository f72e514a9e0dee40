using System.Collections;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using ExcelDataReader;
using nietras.SeparatedValues;

namespace OpenGov.Tabular;

/// <summary>
/// Opens CSV, TSV, XLSX and XLS streams as a header plus a stream of string rows, detecting the format,
/// text encoding, delimiter, header row (title rows above it are skipped) and note rows below the data.
/// CSV parsing uses Sep; Excel uses ExcelDataReader (cached formula values). Bad input only ever raises
/// <see cref="TableReadException"/>.
/// </summary>
public static partial class TableReader
{
    private static readonly string[] NotePrefixes =
        ["※", "注）", "注)", "注：", "注:", "注記", "注意", "（注", "(注", "出典", "資料：", "資料:", "備考：", "備考:", "＊", "*", "【注", "Note:", "Source:", "（出典", "(出典"];

    static TableReader() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>
    /// Opens a table. The header is found before this returns; data rows stream from <see cref="TableReadResult.Rows"/>.
    /// The stream is not closed unless <paramref name="leaveOpen"/> is false (then disposing the result closes it).
    /// </summary>
    /// <exception cref="TableReadException">The input is not a readable table or breaks a limit.</exception>
    public static TableReadResult Open(Stream stream, TableReadOptions? options = null, bool leaveOpen = true)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= new TableReadOptions();
        try
        {
            return OpenCore(stream, options, leaveOpen);
        }
        catch (TableReadException)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw Wrap(ex, null);
        }
    }

    /// <summary>Opens a file by path (the format may also be told by the extension .csv/.tsv/.txt/.xlsx/.xls).</summary>
    public static TableReadResult Open(string path, TableReadOptions? options = null)
    {
        options ??= new TableReadOptions();
        if (options.Format == TableFormat.Auto)
        {
            var ext = Path.GetExtension(path).ToUpperInvariant();
            options = ext switch
            {
                ".TSV" => options with { Format = TableFormat.Tsv },
                _ => options,
            };
        }
        var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            return Open(fs, options, leaveOpen: false);
        }
        catch
        {
            fs.Dispose();
            throw;
        }
    }

    private static TableReadException Wrap(Exception ex, long? row) => new(
        "read-error",
        $"表を読み込めません（{ex.GetType().Name}: {ex.Message}）",
        $"The table cannot be read ({ex.GetType().Name}: {ex.Message})",
        row, null, ex);

    private static TableReadResult OpenCore(Stream stream, TableReadOptions options, bool leaveOpen)
    {
        var startPos = stream.CanSeek ? stream.Position : 0;
        var prefix = ReadPrefix(stream, Math.Max(1024, options.EncodingSampleBytes), out var complete);
        var format = options.Format;
        if (format == TableFormat.Auto)
        {
            format = prefix.AsSpan().StartsWith("PK\u0003\u0004"u8) ? TableFormat.Xlsx
                : prefix.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) ? TableFormat.Xls
                : TableFormat.Csv;
        }

        RecordSource source;
        TableReadResult? result = null;
        if (format is TableFormat.Xlsx or TableFormat.Xls)
        {
            Stream seekable;
            if (stream.CanSeek)
            {
                stream.Position = startPos;
                seekable = stream;
            }
            else
            {
                seekable = BufferAll(prefix, stream, options.MaxExcelBytes);
            }
            source = new ExcelSource(seekable, format, options, leaveOpen || seekable != stream);
        }
        else
        {
            var detection = options.Encoding is { } forced
                ? new EncodingDetection(forced, forced.WebName, BomLength(prefix, forced), "override")
                : EncodingDetector.Detect(prefix, complete);
            var sampleText = SafeDecode(detection.Encoding, prefix.AsSpan(detection.BomLength), complete);
            var delimiter = options.Delimiter ?? (format == TableFormat.Tsv ? '\t' : DetectDelimiter(sampleText, complete));
            var body = new PrefixedStream(prefix, detection.BomLength, stream, leaveOpen);
            var reader = new StreamReader(body, detection.Encoding, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);
            source = new SepSource(reader, delimiter, options);
            result = null;
            var r = Build(source, options);
            r.Format = format == TableFormat.Tsv || delimiter == '\t' ? TableFormat.Tsv : TableFormat.Csv;
            r.DetectedEncoding = detection.Encoding;
            r.EncodingName = detection.Name;
            r.EncodingReason = detection.Reason;
            r.Delimiter = delimiter;
            return r;
        }
        result = Build(source, options);
        result.Format = format;
        var excel = (ExcelSource)source;
        result.SheetName = excel.SheetName;
        result.SheetIndex = excel.SheetIndex;
        result.Sheets = excel.Sheets;
        (result.SheetChoiceJa, result.SheetChoiceEn) = SheetClassifier.Describe(excel.Sheets, excel.SheetIndex, excel.ExplicitChoice);
        result.Notes.Insert(0, new ReadNote("sheet", result.SheetChoiceJa, result.SheetChoiceEn));
        return result;
    }

    private static int BomLength(byte[] prefix, Encoding enc)
    {
        var pre = enc.Preamble;
        if (pre.Length == 0)
        {
            // UTF8Encoding(false) has no preamble but files may still carry one
            if (enc is UTF8Encoding && prefix.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            {
                return 3;
            }
            return 0;
        }
        return prefix.AsSpan().StartsWith(pre) ? pre.Length : 0;
    }

    private static string SafeDecode(Encoding enc, ReadOnlySpan<byte> bytes, bool complete)
    {
        var decoder = enc.GetDecoder();
        var chars = new char[enc.GetMaxCharCount(bytes.Length)];
        var n = decoder.GetChars(bytes, chars, flush: complete);
        return new string(chars, 0, n);
    }

    private static byte[] ReadPrefix(Stream stream, int size, out bool complete)
    {
        var buf = new byte[size];
        var n = 0;
        while (n < size)
        {
            var r = stream.Read(buf, n, size - n);
            if (r == 0)
            {
                break;
            }
            n += r;
        }
        complete = n < size;
        if (n < size)
        {
            Array.Resize(ref buf, n);
        }
        return buf;
    }

    private static MemoryStream BufferAll(byte[] prefix, Stream rest, long max)
    {
        var ms = new MemoryStream();
        ms.Write(prefix);
        var buf = new byte[81920];
        int r;
        while ((r = rest.Read(buf, 0, buf.Length)) > 0)
        {
            if (ms.Length + r > max)
            {
                throw new TableReadException("file-too-large",
                    $"ブックが大きすぎます（上限 {max:N0} バイト）",
                    $"The workbook is too large (limit {max:N0} bytes)");
            }
            ms.Write(buf, 0, r);
        }
        ms.Position = 0;
        return ms;
    }

    /// <summary>Detects the delimiter among , tab ; | from sample text, counting only delimiters outside quotes.</summary>
    internal static char DetectDelimiter(string sample, bool complete)
    {
        char[] candidates = [',', '\t', ';', '|'];
        var counts = new List<int[]>();
        var current = new int[candidates.Length];
        var inQuotes = false;
        var nonEmptyLine = false;
        for (var i = 0; i < sample.Length && counts.Count < 100; i++)
        {
            var c = sample[i];
            if (c == '"')
            {
                inQuotes = !inQuotes;
                nonEmptyLine = true;
                continue;
            }
            if (inQuotes)
            {
                continue;
            }
            if (c is '\n' or '\r')
            {
                if (nonEmptyLine)
                {
                    counts.Add(current);
                }
                current = new int[candidates.Length];
                nonEmptyLine = false;
                continue;
            }
            nonEmptyLine = true;
            var k = Array.IndexOf(candidates, c);
            if (k >= 0)
            {
                current[k]++;
            }
        }
        if (complete && nonEmptyLine)
        {
            counts.Add(current);
        }
        var best = ',';
        var bestScore = 0.0;
        for (var k = 0; k < candidates.Length; k++)
        {
            // the most frequent non-zero count across lines, weighted by how many lines share it
            var groups = counts.Select(c => c[k]).Where(x => x > 0).GroupBy(x => x)
                .Select(g => (Count: g.Key, Lines: g.Count())).OrderByDescending(g => g.Lines).ThenByDescending(g => g.Count).ToList();
            if (groups.Count == 0)
            {
                continue;
            }
            var score = groups[0].Lines + (0.001 * Math.Min(groups[0].Count, 999));
            if (score > bestScore)
            {
                bestScore = score;
                best = candidates[k];
            }
        }
        return best;
    }

    private static bool AnyNonEmpty(string[] cells)
    {
        foreach (var c in cells)
        {
            if (!string.IsNullOrWhiteSpace(c) && TextNormalizer.Trim(c).Length > 0)
            {
                return true;
            }
        }
        return false;
    }

    private static TableReadResult Build(RecordSource source, TableReadOptions options)
    {
        var buffered = new List<(long Row, string[] Cells)>();
        HeaderChoice? choice = null;
        if (options.HasHeader)
        {
            var scan = Math.Max(1, options.HeaderScanRows);
            while (buffered.Count < scan && source.MoveNext())
            {
                buffered.Add((source.RowNumber, source.Current));
            }
            if (options.HeaderRowIndex is { } forced)
            {
                while (buffered.Count <= forced && source.MoveNext())
                {
                    buffered.Add((source.RowNumber, source.Current));
                }
                choice = forced < buffered.Count
                    ? new HeaderChoice(forced, 1, [.. buffered[forced].Cells.Select(ColumnNames.Tidy)], false, new Dictionary<int, ColumnType>(), 0)
                    : null;
            }
            else
            {
                // rows are numbered from the sheet's first row, so the merges' row indexes match the buffer's
                choice = HeaderDetector.Detect([.. buffered.Select(b => b.Cells)], source.Merges);
            }
        }
        else if (source.MoveNext())
        {
            buffered.Add((source.RowNumber, source.Current));
        }

        var headerIndex = choice?.Index ?? -1;
        var firstHeaderRow = choice is null ? -1 : choice.Index - choice.RowCount + 1;
        var metaRows = new List<string>();
        var titles = new List<string>();
        var metaLayout = choice?.Metadata == true;
        var above = new List<string[]>();
        if (choice is not null)
        {
            for (var i = 0; i < buffered.Count; i++)
            {
                var text = string.Join(" ", buffered[i].Cells.Select(TextNormalizer.Trim).Where(c => c.Length > 0));
                if (HeaderDetector.MetaKeyword(buffered[i].Cells) is not null)
                {
                    metaRows.Add(text);
                    metaLayout = true;
                }
                else if (i < firstHeaderRow && text.Length > 0)
                {
                    titles.Add(text);
                }
            }
            above.AddRange(buffered.Take(firstHeaderRow).Select(b => b.Cells));
            buffered.RemoveRange(0, headerIndex + 1);
        }
        else if (options.HasHeader)
        {
            buffered.Clear();
        }

        string[] raw;
        if (choice is not null)
        {
            raw = choice.Names;
            var last = raw.Length;
            // trailing empty names, and a template's instruction written right of the header (「←データの項目名を入力」)
            // over a column with nothing below but empty cells or more such notes (「←2行目以降にデータを入力」)
            while (last > 0 && (raw[last - 1].Length == 0 || IsInstruction(raw[last - 1], last - 1, buffered)))
            {
                last--;
            }
            raw = raw[..last];
        }
        else if (!options.HasHeader && buffered.Count > 0)
        {
            raw = new string[buffered[0].Cells.Length];
            Array.Fill(raw, "");
        }
        else
        {
            raw = [];
        }
        // blank leading columns: no header and no value in the rows read so far (an Excel table placed at B2)
        var lead = 0;
        while (choice is not null && lead < raw.Length && raw[lead].Length == 0
            && buffered.All(b => b.Cells.Length <= lead || TextNormalizer.Trim(b.Cells[lead]).Length == 0 || HeaderDetector.MetaKeyword(b.Cells) is not null))
        {
            lead++;
        }
        raw = raw[lead..];
        // a column with no header and no value between two blocks (a statistics sheet's separator) is not a column
        var separators = choice is null ? [] : SeparatorColumns(raw, buffered, lead);
        if (separators.Length > 0)
        {
            raw = [.. raw.Where((_, i) => Array.IndexOf(separators, i) < 0)];
        }
        var (columns, renames) = MakeUnique(raw);
        // a table divided by section rows (「都心地域」 alone in a row, its rows below): the titles become a column's values
        var sections = choice is not null && options.SkipNoteRows && StartsWithSection(buffered, lead, columns.Count);
        var firstSection = "";
        if (choice is not null && options.SkipNoteRows && !sections && columns.Count >= SectionMinWidth)
        {
            // section rows further down (stacked blocks): read ahead, the rows stay buffered for DataRows
            while (buffered.Count < SectionLookAhead && source.MoveNext())
            {
                buffered.Add((source.RowNumber, source.Current));
            }
            sections = HasMidTableSections(buffered, lead, raw, columns.Count);
            firstSection = sections ? FirstSection(above, buffered, lead, columns.Count) : "";
        }
        if (sections)
        {
            var name = SectionColumnName;
            for (var k = 2; columns.Contains(name); k++)
            {
                name = $"{SectionColumnName}_{k}";
            }
            columns.Add(name);
        }
        var hints = new Dictionary<string, ColumnType>(StringComparer.Ordinal);
        foreach (var (index, type) in choice?.Hints ?? new Dictionary<int, ColumnType>())
        {
            if (index - lead >= 0 && index - lead < columns.Count)
            {
                hints[columns[index - lead]] = type;
            }
        }
        TableReadResult? result = null;
        var layout = new Layout(columns.Count - (sections ? 1 : 0), lead, metaLayout, separators, sections, firstSection, raw);
        var rows = new GuardedEnumerable(DataRows(source, buffered, layout, options, () => result!), () => result?.CurrentRowNumber ?? 0);
        result = new TableReadResult(rows, source.Dispose)
        {
            HeaderRowIndex = headerIndex,
            HeaderRowCount = choice?.RowCount ?? 0,
            TitleRows = titles,
            MetadataRows = metaRows,
            Columns = columns,
            RawHeader = raw,
            HeaderRenames = renames,
            TypeHints = hints,
            LeadingColumnsDropped = lead,
            SeparatorColumnsDropped = [.. separators.Select(i => ColumnLetter(i + lead))],
            SectionColumn = sections ? columns[^1] : null,
        };
        AddHeaderNotes(result, choice, metaLayout, lead);
        return result;
    }

    private static void AddHeaderNotes(TableReadResult r, HeaderChoice? choice, bool metaLayout, int lead)
    {
        if (choice is null)
        {
            return;
        }
        var row = choice.Index + 1;
        if (choice.RowCount == 2)
        {
            var example = r.Columns.FirstOrDefault(c => c.Contains('_', StringComparison.Ordinal)) ?? (r.Columns.Count > 0 ? r.Columns[0] : "");
            r.Notes.Add(new ReadNote("two-row-header", $"{row - 1}行目と{row}行目の2行を見出しとして結合しました（例:「{example}」）",
                $"Rows {row - 1} and {row} were combined into one header (e.g. '{example}')"));
        }
        else if (r.TitleRows.Count > 0)
        {
            r.Notes.Add(new ReadNote("header-row", $"見出しは{row}行目です（上の{r.TitleRows.Count}行は表題として除きました）",
                $"The header is row {row} (the {r.TitleRows.Count} row(s) above are titles and were left out)"));
        }
        if (metaLayout)
        {
            r.Notes.Add(new ReadNote("metadata-rows",
                $"「#」で始まるメタデータ行（{r.MetadataRows.Count}行: {string.Join("、", r.MetadataRows.Select(m => m.Split(' ')[0]).Distinct())}）を認識し、データから除きました。見出しは{row}行目、型指定 {r.TypeHints.Count}列",
                $"Recognised {r.MetadataRows.Count} metadata row(s) starting with '#' ({string.Join(", ", r.MetadataRows.Select(m => m.Split(' ')[0]).Distinct())}) and left them out of the data; header row {row}, type hints for {r.TypeHints.Count} column(s)"));
        }
        if (lead > 0)
        {
            r.Notes.Add(new ReadNote("leading-columns", $"左端の空の列（{lead}列）を除きました", $"Left out {lead} empty leading column(s)"));
        }
        if (r.SeparatorColumnsDropped.Count > 0)
        {
            var cols = string.Join("、", r.SeparatorColumnsDropped.Select(c => c + "列"));
            r.Notes.Add(new ReadNote("separator-columns", $"見出しも値もない区切りの列（{cols}）を除きました",
                $"Left out separator column(s) with no header and no value ({string.Join(", ", r.SeparatorColumnsDropped)})"));
        }
        if (r.SectionColumn is { } section)
        {
            r.Notes.Add(new ReadNote("section-rows", $"表を区切る見出し行（1つのセルだけに「都心地域」のような区分名がある行）をデータから除き、その区分名を列「{section}」の値にしました",
                $"Rows holding only a section title (one cell, e.g. a district) were left out of the data; each title became the value of column '{section}' for the rows below it"));
        }
    }

    /// <summary>Shape of the data rows: header width, blank leading columns to cut, and whether 「#」 rows are metadata.</summary>
    private sealed record Layout(int Width, int Lead, bool Metadata, int[] Separators, bool Sections, string FirstSection, string[] Header);

    private static bool IsInstruction(string name, int index, List<(long Row, string[] Cells)> below) =>
        IsArrowNote(name) && below.All(b => b.Cells.Length <= index || TextNormalizer.Trim(b.Cells[index]) is var v && (v.Length == 0 || IsArrowNote(v)));

    private static bool IsArrowNote(string text) => text.Length > 0 && (text[0] == '←' || text[0] == '⇐');

    internal static (List<string> Columns, List<HeaderRename> Renames) MakeUnique(IReadOnlyList<string> raw)
    {
        var columns = new List<string>(raw.Count);
        var renames = new List<HeaderRename>();
        var used = new HashSet<string>(raw.Where(r => r.Length > 0), StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < raw.Count; i++)
        {
            var name = raw[i];
            if (name.Length == 0)
            {
                var n = $"column_{i + 1}";
                var k = 2;
                while (used.Contains(n))
                {
                    n = $"column_{i + 1}_{k++}";
                }
                used.Add(n);
                seen.Add(n);
                columns.Add(n);
                renames.Add(new HeaderRename(i, "", n, "empty"));
            }
            else if (!seen.Add(name))
            {
                var k = 2;
                var n = $"{name}_{k}";
                while (used.Contains(n))
                {
                    n = $"{name}_{++k}";
                }
                used.Add(n);
                seen.Add(n);
                columns.Add(n);
                renames.Add(new HeaderRename(i, name, n, "duplicate"));
            }
            else
            {
                columns.Add(name);
            }
        }
        return (columns, renames);
    }

    private static bool IsNote(string[] cells, out string text)
    {
        text = "";
        string? only = null;
        var idx = -1;
        for (var i = 0; i < cells.Length; i++)
        {
            if (TextNormalizer.Trim(cells[i]).Length > 0)
            {
                if (only is not null)
                {
                    return false;
                }
                only = TextNormalizer.Trim(cells[i]);
                idx = i;
            }
        }
        if (only is null || idx > 1)
        {
            return false;
        }
        foreach (var p in NotePrefixes)
        {
            if (only.StartsWith(p, StringComparison.Ordinal))
            {
                text = only;
                return true;
            }
        }
        // 注1 / 注１ / 注 1
        if (only.Length > 1 && only[0] == '注' && (char.IsDigit(only[1]) || char.IsWhiteSpace(only[1])))
        {
            text = only;
            return true;
        }
        return false;
    }

    /// <summary>A template's empty line: only a running number in the first column (「12」 and nothing else).</summary>
    /// <remarks>Runs on every data row: the other cells are looked at first (a real row fails there, at its second
    /// cell), and only a row that is empty but for its first cell has that cell normalised and parsed.</remarks>
    private static bool IsPlaceholder(string[] cells)
    {
        if (cells.Length == 0)
        {
            return false;
        }
        for (var i = 1; i < cells.Length; i++)
        {
            if (TextNormalizer.Trim(cells[i]).Length > 0)
            {
                return false;
            }
        }
        return JapaneseNumber.TryParseInteger(TextNormalizer.Normalize(cells[0]) ?? "", out var n) && n >= 0;
    }

    /// <summary>A units row under the header: every value a short bracketed unit (「（人）」「(件)」) or 「単位：…」.</summary>
    /// <remarks>Runs on every data row: it stops at the first value that is not a unit, and builds the row's text only
    /// for a units row.</remarks>
    private static bool IsUnitRow(string[] cells, out string text)
    {
        text = "";
        var any = false;
        foreach (var cell in cells)
        {
            var v = TextNormalizer.Trim(cell);
            if (v.Length == 0)
            {
                continue;
            }
            if (!IsUnit(v))
            {
                return false;
            }
            any = true;
        }
        if (any)
        {
            text = string.Join(" ", cells.Select(TextNormalizer.Trim).Where(c => c.Length > 0));
        }
        return any;
    }

    private static bool IsUnit(string v) =>
        (v.Length <= 10 && v[0] is '(' or '（' && v[^1] is ')' or '）') || v.StartsWith("単位", StringComparison.Ordinal);

    private static IEnumerable<string[]> DataRows(RecordSource source, List<(long Row, string[] Cells)> buffered, Layout layout, TableReadOptions options, Func<TableReadResult> result)
    {
        var width = layout.Width;
        var section = layout.FirstSection;
        try
        {
            var i = 0;
            while (true)
            {
                long rowNo;
                string[] cells;
                if (i < buffered.Count)
                {
                    (rowNo, cells) = buffered[i];
                    buffered[i] = default;
                    i++;
                }
                else if (source.MoveNext())
                {
                    rowNo = source.RowNumber;
                    cells = source.Current;
                }
                else
                {
                    break;
                }
                var r = result();
                r.CurrentRowNumber = rowNo;
                if (layout.Metadata && HeaderDetector.MetaKeyword(cells) is { } keyword)
                {
                    Skip(r, new SkippedRow(rowNo, "metadata", keyword), options);
                    continue;
                }
                if (layout.Lead > 0)
                {
                    cells = cells.Length > layout.Lead ? cells[layout.Lead..] : [];
                }
                if (layout.Separators.Length > 0)
                {
                    cells = WithoutColumns(cells, layout.Separators, r);
                }
                if (options.SkipBlankRows && !AnyNonEmpty(cells))
                {
                    Skip(r, new SkippedRow(rowNo, "blank", ""), options);
                    continue;
                }
                if (options.SkipNoteRows && width > 1 && (IsNote(cells, out var note) || IsUnitRow(cells, out note)))
                {
                    Skip(r, new SkippedRow(rowNo, "note", note), options);
                    continue;
                }
                if (options.SkipPlaceholderRows && width >= 3 && IsPlaceholder(cells))
                {
                    r.PlaceholderRowCount++;
                    Skip(r, new SkippedRow(rowNo, "placeholder", TextNormalizer.Trim(cells[0])), options);
                    continue;
                }
                if (options.SkipNoteRows && layout.Header.Length > 1 && IsRepeatedHeader(cells, layout.Header))
                {
                    Skip(r, new SkippedRow(rowNo, "header", TextNormalizer.Trim(cells[0])), options);
                    continue;
                }
                if (layout.Sections && IsSection(cells, width, out var title))
                {
                    section = title;
                    Skip(r, new SkippedRow(rowNo, "section", title), options);
                    continue;
                }
                if (cells.Length != width)
                {
                    var effective = cells.Length;
                    while (effective > width && TextNormalizer.Trim(cells[effective - 1]).Length == 0)
                    {
                        effective--;
                    }
                    if (effective != cells.Length)
                    {
                        cells = cells[..effective];
                    }
                    if (effective != width)
                    {
                        r.RaggedRowCount++;
                        if (r.RaggedRows.Count < options.MaxReportedIssues)
                        {
                            r.RaggedRows.Add(new RaggedRow(rowNo, effective, width));
                        }
                        switch (options.RaggedRows)
                        {
                            case RaggedRowPolicy.Error:
                                throw new TableReadException("ragged-row",
                                    $"{rowNo}行目のセル数（{effective}）が見出し（{width}列）と一致しません",
                                    $"Row {rowNo} has {effective} cells but the header has {width} columns",
                                    rowNo, Math.Min(effective, width) + 1);
                            case RaggedRowPolicy.PadOrTruncate:
                                var fixedCells = new string[width];
                                Array.Fill(fixedCells, "");
                                Array.Copy(cells, fixedCells, Math.Min(width, cells.Length));
                                cells = fixedCells;
                                break;
                            default:
                                break;
                        }
                    }
                }
                for (var c = 0; c < cells.Length; c++)
                {
                    if (cells[c].Contains('\0', StringComparison.Ordinal))
                    {
                        cells[c] = cells[c].Replace("\0", "", StringComparison.Ordinal);
                        r.NulCellCount++;
                        r.FirstNulCell ??= (rowNo, c + 1);
                    }
                }

                if (layout.Sections)
                {
                    var withSection = new string[width + 1];
                    Array.Fill(withSection, "");
                    Array.Copy(cells, withSection, Math.Min(width, cells.Length));
                    withSection[width] = section;
                    cells = withSection;
                }
                r.RowCount++;
                yield return cells;
            }
        }
        finally
        {
            source.Dispose();
        }
    }

    private static void Skip(TableReadResult r, SkippedRow row, TableReadOptions options)
    {
        r.SkippedRowCount++;
        if (r.SkippedRows.Count < options.MaxReportedIssues)
        {
            r.SkippedRows.Add(row);
        }
    }

    /// <summary>Turns any non-<see cref="TableReadException"/> failure during enumeration into one.</summary>
    private sealed class GuardedEnumerable(IEnumerable<string[]> inner, Func<long> row) : IEnumerable<string[]>
    {
        public IEnumerator<string[]> GetEnumerator() => new Enumerator(inner.GetEnumerator(), row);

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        private sealed class Enumerator(IEnumerator<string[]> e, Func<long> row) : IEnumerator<string[]>
        {
            public string[] Current => e.Current;

            object IEnumerator.Current => e.Current;

            public bool MoveNext()
            {
                try
                {
                    return e.MoveNext();
                }
                catch (TableReadException)
                {
                    throw;
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    throw Wrap(ex, row() + 1);
                }
            }

            public void Reset() => throw new NotSupportedException();

            public void Dispose() => e.Dispose();
        }
    }

    private abstract class RecordSource : IDisposable
    {
        public abstract bool MoveNext();

        public string[] Current { get; protected set; } = [];

        public long RowNumber { get; protected set; }

        /// <summary>Merged cell ranges of the sheet (Excel), with 0-based row indexes counted from the first row read.</summary>
        public IReadOnlyList<MergedRange> Merges { get; protected set; } = [];

        public abstract void Dispose();

        protected static TableReadException TooManyColumns(long row, int count, int max) => new(
            "too-many-columns",
            $"{row}行目の列数（{count}）が上限（{max}）を超えています",
            $"Row {row} has {count} columns, more than the limit of {max}",
            row, max + 1);

        protected static TableReadException FieldTooLarge(long row, int col, int length, int max) => new(
            "field-too-large",
            $"{row}行目{col}列目のセルが大きすぎます（{length:N0}文字、上限 {max:N0}文字）",
            $"The cell at row {row}, column {col} is too large ({length:N0} characters, limit {max:N0})",
            row, col);
    }

    private sealed class SepSource : RecordSource
    {
        private readonly TextReader _text;
        private readonly SepReader _reader;
        private readonly TableReadOptions _options;

        public SepSource(TextReader text, char delimiter, TableReadOptions options)
        {
            _text = text;
            _options = options;
            _reader = Sep.New(delimiter).Reader(o => o with
            {
                HasHeader = false,
                DisableColCountCheck = true,
                Unescape = true,
                DisableFastFloat = true,
                CultureInfo = CultureInfo.InvariantCulture,
                CreateToString = SepToString.PoolPerCol(maximumStringLength: 32),
            }).From(text);
        }

        public override bool MoveNext()
        {
            if (!_reader.MoveNext())
            {
                return false;
            }
            var row = _reader.Current;
            RowNumber = row.RowIndex + 1;
            var n = row.ColCount;
            if (n > _options.MaxColumns)
            {
                throw TooManyColumns(RowNumber, n, _options.MaxColumns);
            }
            var cells = new string[n];
            for (var i = 0; i < n; i++)
            {
                var col = row[i];
                var span = col.Span;
                if (span.Length > _options.MaxFieldChars)
                {
                    throw FieldTooLarge(RowNumber, i + 1, span.Length, _options.MaxFieldChars);
                }
                cells[i] = span.Length == 0 ? "" : col.ToString();
            }
            Current = cells;
            return true;
        }

        public override void Dispose()
        {
            _reader.Dispose();
            _text.Dispose();
        }
    }

    /// <summary>A read-only stream that replays already-read prefix bytes (from an offset) and then the rest of the inner stream.</summary>
    private sealed class PrefixedStream(byte[] prefix, int offset, Stream inner, bool leaveOpen) : Stream
    {
        private int _pos = offset;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_pos < prefix.Length)
            {
                var n = Math.Min(buffer.Length, prefix.Length - _pos);
                prefix.AsSpan(_pos, n).CopyTo(buffer);
                _pos += n;
                return n;
            }
            return inner.Read(buffer);
        }

        public override void Flush() { }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing && !leaveOpen)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
