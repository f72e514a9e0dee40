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
public static class TableReader
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
        result.SheetName = ((ExcelSource)source).SheetName;
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

    private static int NonEmpty(string[] cells)
    {
        var n = 0;
        foreach (var c in cells)
        {
            if (!string.IsNullOrWhiteSpace(c) && TextNormalizer.Trim(c).Length > 0)
            {
                n++;
            }
        }
        return n;
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
        string[]? header = null;
        var headerIndex = -1;
        var titles = new List<string>();
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
                headerIndex = forced < buffered.Count ? forced : -1;
            }
            else
            {
                var maxNz = buffered.Count == 0 ? 0 : buffered.Max(b => NonEmpty(b.Cells));
                var need = maxNz <= 1 ? 1 : Math.Max(2, (int)Math.Ceiling(maxNz * 0.5));
                headerIndex = buffered.FindIndex(b => NonEmpty(b.Cells) >= need);
            }
            if (headerIndex >= 0)
            {
                header = buffered[headerIndex].Cells;
                titles.AddRange(buffered.Take(headerIndex).Select(b => string.Join(" ", b.Cells.Where(c => TextNormalizer.Trim(c).Length > 0).Select(TextNormalizer.Trim)))
                    .Where(t => t.Length > 0));
                buffered.RemoveRange(0, headerIndex + 1);
            }
            else
            {
                buffered.Clear();
            }
        }
        else
        {
            if (source.MoveNext())
            {
                buffered.Add((source.RowNumber, source.Current));
            }
        }

        string[] raw;
        if (header is not null)
        {
            raw = [.. header.Select(h => TextNormalizer.Trim(h.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal)))];
            var last = raw.Length;
            while (last > 0 && raw[last - 1].Length == 0)
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
        var (columns, renames) = MakeUnique(raw);
        TableReadResult? result = null;
        var rows = new GuardedEnumerable(DataRows(source, buffered, columns.Count, options, () => result!), () => result?.CurrentRowNumber ?? 0);
        result = new TableReadResult(rows, source.Dispose)
        {
            HeaderRowIndex = headerIndex,
            TitleRows = titles,
            Columns = columns,
            RawHeader = raw,
            HeaderRenames = renames,
        };
        return result;
    }

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

    private static IEnumerable<string[]> DataRows(RecordSource source, List<(long Row, string[] Cells)> buffered, int width, TableReadOptions options, Func<TableReadResult> result)
    {
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
                if (options.SkipBlankRows && !AnyNonEmpty(cells))
                {
                    Skip(r, new SkippedRow(rowNo, "blank", ""), options);
                    continue;
                }
                if (options.SkipNoteRows && width > 1 && IsNote(cells, out var note))
                {
                    Skip(r, new SkippedRow(rowNo, "note", note), options);
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

    private sealed class ExcelSource : RecordSource
    {
        private readonly Stream _stream;
        private readonly IExcelDataReader _reader;
        private readonly TableReadOptions _options;
        private readonly bool _leaveOpen;
        private long _row;

        public ExcelSource(Stream stream, TableFormat format, TableReadOptions options, bool leaveOpen)
        {
            _stream = stream;
            _options = options;
            _leaveOpen = leaveOpen;
            var start = stream.Position;
            if (format == TableFormat.Xlsx)
            {
                CheckZip(stream, options.MaxExcelUncompressedBytes);
                stream.Position = start;
            }
            try
            {
                var config = new ExcelReaderConfiguration { FallbackEncoding = EncodingDetector.ShiftJis, LeaveOpen = true };
                _reader = format == TableFormat.Xlsx
                    ? ExcelReaderFactory.CreateOpenXmlReader(stream, config)
                    : ExcelReaderFactory.CreateBinaryReader(stream, config);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException and not TableReadException)
            {
                throw Corrupt(ex);
            }
            SelectSheet();
        }

        public string? SheetName { get; private set; }

        private void SelectSheet()
        {
            var index = 0;
            do
            {
                var match = _options.SheetName is { } name
                    ? string.Equals(_reader.Name, name, StringComparison.Ordinal)
                    : index == _options.SheetIndex;
                if (match)
                {
                    SheetName = _reader.Name;
                    return;
                }
                index++;
            }
            while (_reader.NextResult());
            var wanted = _options.SheetName ?? _options.SheetIndex.ToString(CultureInfo.InvariantCulture);
            throw new TableReadException("sheet-not-found",
                $"シート「{wanted}」が見つかりません（{index}シート）",
                $"Sheet '{wanted}' not found ({index} sheets)");
        }

        private static TableReadException Corrupt(Exception ex) => new("corrupt-excel",
            $"Excelファイルが壊れているか対応していない形式です（{ex.Message}）",
            $"The Excel file is corrupt or unsupported ({ex.Message})", null, null, ex);

        private static void CheckZip(Stream stream, long max)
        {
            try
            {
                using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
                long total = 0;
                var count = 0;
                foreach (var e in zip.Entries)
                {
                    count++;
                    total += e.Length;
                    var ratio = e.CompressedLength > 0 ? (double)e.Length / e.CompressedLength : 0;
                    // .NET's ZipArchiveEntry stream stops at the declared Length, so capping declared sizes bounds the real output
                    if (total > max || count > 100_000 || (e.Length > 64L * 1024 * 1024 && ratio > 200))
                    {
                        throw new TableReadException("zip-bomb",
                            $"Excelファイルの展開後サイズが上限（{max:N0}バイト）を超えるか、圧縮率が異常です",
                            $"The Excel file expands beyond the limit ({max:N0} bytes) or has an abnormal compression ratio");
                    }
                }
            }
            catch (TableReadException)
            {
                throw;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                throw Corrupt(ex);
            }
        }

        public override bool MoveNext()
        {
            bool ok;
            try
            {
                ok = _reader.Read();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                throw Corrupt(ex);
            }
            if (!ok)
            {
                return false;
            }
            RowNumber = ++_row;
            var n = _reader.FieldCount;
            if (n > _options.MaxColumns)
            {
                throw TooManyColumns(RowNumber, n, _options.MaxColumns);
            }
            var cells = new string[n];
            for (var i = 0; i < n; i++)
            {
                var s = Format(_reader.GetValue(i));
                if (s.Length > _options.MaxFieldChars)
                {
                    throw FieldTooLarge(RowNumber, i + 1, s.Length, _options.MaxFieldChars);
                }
                cells[i] = s;
            }
            Current = cells;
            return true;
        }

        private static string Format(object? v) => v switch
        {
            null or DBNull => "",
            string s => s,
            double d when Math.Abs(d) < 1e15 && d == Math.Floor(d) => ((long)d).ToString(CultureInfo.InvariantCulture),
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            DateTime dt when dt.TimeOfDay == TimeSpan.Zero => dt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            DateTime dt => dt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            bool b => b ? "TRUE" : "FALSE",
            TimeSpan ts => ts.ToString("c", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => v.ToString() ?? "",
        };

        public override void Dispose()
        {
            _reader.Dispose();
            if (!_leaveOpen)
            {
                _stream.Dispose();
            }
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
