using System.Globalization;
using System.IO.Compression;
using ExcelDataReader;

namespace OpenGov.Tabular;

public static partial class TableReader
{
    /// <summary>
    /// Reads a workbook: first every sheet is scanned (rows, columns, first rows, merged cells) to describe it and to choose
    /// the one holding the table (<see cref="SheetClassifier"/>), then the chosen sheet is streamed.
    /// </summary>
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
                var merges = new List<IReadOnlyList<MergedRange>>();
                Sheets = Scan(merges);
                SelectSheet(merges);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException and not TableReadException)
            {
                _reader?.Dispose();
                throw Corrupt(ex);
            }
        }

        public List<SheetInfo> Sheets { get; }

        public string? SheetName { get; private set; }

        public int SheetIndex { get; private set; }

        public bool ExplicitChoice { get; private set; }

        private List<SheetInfo> Scan(List<IReadOnlyList<MergedRange>> merges)
        {
            var sheets = new List<SheetInfo>();
            var index = 0;
            do
            {
                var sample = new List<string[]>();
                long rows = 0;
                var columns = 0;
                while (_reader.Read())
                {
                    var n = Math.Min(_reader.FieldCount, _options.MaxColumns);
                    var cells = sample.Count < _options.HeaderScanRows ? new string[n] : null;
                    var any = false;
                    for (var i = 0; i < n; i++)
                    {
                        var v = _reader.GetValue(i);
                        if (v is null or DBNull || (v is string s && s.Trim().Length == 0))
                        {
                            if (cells is not null)
                            {
                                cells[i] = "";
                            }
                            continue;
                        }
                        any = true;
                        columns = Math.Max(columns, i + 1);
                        if (cells is not null)
                        {
                            var f = Format(v);
                            cells[i] = f.Length > _options.MaxFieldChars ? f[.._options.MaxFieldChars] : f;
                        }
                    }
                    if (cells is not null)
                    {
                        sample.Add(cells);
                    }
                    rows += any ? 1 : 0;
                }
                var sheetMerges = (_reader.MergeCells ?? []).Select(m => new MergedRange(m.FromRow, m.ToRow, m.FromColumn, m.ToColumn)).ToList();
                merges.Add(sheetMerges);
                var hidden = _reader.VisibleState is { Length: > 0 } vs && !string.Equals(vs, "visible", StringComparison.OrdinalIgnoreCase);
                sheets.Add(SheetClassifier.Classify(index, _reader.Name ?? "", hidden, sample, rows, columns, sheetMerges));
                index++;
            }
            while (_reader.NextResult());
            return sheets;
        }

        private void SelectSheet(List<IReadOnlyList<MergedRange>> merges)
        {
            int chosen;
            if (_options.SheetName is { } name)
            {
                ExplicitChoice = true;
                chosen = Sheets.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal))?.Index
                    ?? (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1 && number <= Sheets.Count ? number - 1 : -1);
                if (chosen < 0)
                {
                    throw NotFound(name);
                }
            }
            else if (_options.SheetIndex is { } wanted)
            {
                ExplicitChoice = true;
                chosen = wanted >= 0 && wanted < Sheets.Count ? wanted : throw NotFound(wanted.ToString(CultureInfo.InvariantCulture));
            }
            else
            {
                chosen = SheetClassifier.Choose(Sheets);
            }
            _reader.Reset();
            for (var i = 0; i < chosen; i++)
            {
                _reader.NextResult();
            }
            SheetIndex = chosen;
            SheetName = Sheets[chosen].Name;
            Merges = merges[chosen];
        }

        private TableReadException NotFound(string wanted) => new("sheet-not-found",
            $"シート「{wanted}」が見つかりません（{Sheets.Count}シート: {string.Join("、", Sheets.Select(s => "「" + s.Name + "」"))}）",
            $"Sheet '{wanted}' not found ({Sheets.Count} sheets: {string.Join(", ", Sheets.Select(s => "'" + s.Name + "'"))})");

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
            // a time-only cell (Excel serial below 1, or 1.x from some writers) has no real date: 1899-12-30/31
            DateTime dt when dt < new DateTime(1900, 1, 1) => dt.ToString(dt.Second == 0 ? "HH:mm" : "HH:mm:ss", CultureInfo.InvariantCulture),
            DateTime dt when dt.TimeOfDay == TimeSpan.Zero => dt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            DateTime dt => dt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            bool b => b ? "TRUE" : "FALSE",
            TimeSpan ts when ts >= TimeSpan.Zero && ts < TimeSpan.FromDays(1) => ts.ToString(ts.Seconds == 0 ? @"hh\:mm" : @"hh\:mm\:ss", CultureInfo.InvariantCulture),
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
}
