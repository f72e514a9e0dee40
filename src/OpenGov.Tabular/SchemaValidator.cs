using System.Globalization;
using System.Text.RegularExpressions;

namespace OpenGov.Tabular;

/// <summary>Severity of a validation problem.</summary>
public enum Severity
{
    /// <summary>Tolerated deviation from the standard (real files do this); the file still conforms.</summary>
    Warning,
    /// <summary>Breaks the standard; the file does not conform.</summary>
    Error,
}

/// <summary>One problem found by <see cref="SchemaValidator"/>.</summary>
/// <param name="Row">1-based record number in the file (null for header and file-level problems).</param>
/// <param name="Column">Column name as in the file (or the schema's name when missing).</param>
/// <param name="Code">Problem code: missing-column, extra-column, header-alias, column-order, required, type, enum, enum-nonstandard, minimum, pattern, local-gov-code, local-gov-code-no-check-digit, date-format, number-format, empty-marker, weekday-mixed-language, out-of-japan, url-format.</param>
/// <param name="MessageJa">Message in Japanese.</param>
/// <param name="MessageEn">Message in English.</param>
/// <param name="Value">The offending value, when there is one.</param>
/// <param name="Severity">Error or warning.</param>
public sealed record ValidationProblem(long? Row, string? Column, string Code, string MessageJa, string MessageEn, string? Value, Severity Severity);

/// <summary>Result of a validation.</summary>
public sealed class ValidationReport
{
    internal ValidationReport(string schema) => Schema = schema;

    /// <summary>Schema name validated against.</summary>
    public string Schema { get; }

    /// <summary>True when there is no error (warnings allowed).</summary>
    public bool Conforms => ErrorCount == 0;

    /// <summary>Problems, capped (see <see cref="Truncated"/>); at most <see cref="ValidationOptions.MaxProblemsPerColumnAndCode"/> of one code per column.</summary>
    public List<ValidationProblem> Problems { get; } = [];

    /// <summary>Exact number of errors.</summary>
    public long ErrorCount { get; internal set; }

    /// <summary>Exact number of warnings.</summary>
    public long WarningCount { get; internal set; }

    /// <summary>True when problems were left out of <see cref="Problems"/> because of the caps.</summary>
    public bool Truncated { get; internal set; }

    /// <summary>Data rows validated.</summary>
    public long RowCount { get; internal set; }

    /// <summary>For each schema field, the index of the file column it was matched to (-1 when missing).</summary>
    public IReadOnlyDictionary<string, int> ColumnMapping { get; internal set; } = new Dictionary<string, int>();
}

/// <summary>Options for <see cref="SchemaValidator"/>.</summary>
public sealed record ValidationOptions
{
    /// <summary>Maximum problems kept in the report (default 1000); counts stay exact.</summary>
    public int MaxProblems { get; init; } = 1000;

    /// <summary>Maximum problems of one code in one column kept in the report (default 100).</summary>
    public int MaxProblemsPerColumnAndCode { get; init; } = 100;

    /// <summary>Record number of the first data row when rows are given without a <see cref="TableReadResult"/> (default 2).</summary>
    public long FirstDataRowNumber { get; init; } = 2;

    /// <summary>
    /// The publisher's row number of the row being validated (e.g. <c>() =&gt; sampledRows.CurrentRowNumber</c>); when set,
    /// it replaces <see cref="FirstDataRowNumber"/> counting, so skipped title, note and placeholder rows are accounted for.
    /// </summary>
    public Func<long>? RowNumber { get; init; }
}

/// <summary>Validates a header and streamed rows against a <see cref="TableSchema"/>.</summary>
public static class SchemaValidator
{
    private static readonly HashSet<string> WeekdaysJa = ["月", "火", "水", "木", "金", "土", "日"];
    private static readonly HashSet<string> WeekdaysEn = new(StringComparer.OrdinalIgnoreCase) { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };

    /// <summary>Validates an opened table, enumerating its rows (row numbers are the file's record numbers).</summary>
    public static ValidationReport Validate(TableSchema schema, TableReadResult table, ValidationOptions? options = null) =>
        Validate(schema, table.Columns, table.Rows, options, () => table.CurrentRowNumber);

    /// <summary>Validates a header and rows; rows are numbered from <see cref="ValidationOptions.FirstDataRowNumber"/>.</summary>
    public static ValidationReport Validate(TableSchema schema, IReadOnlyList<string> header, IEnumerable<string[]> rows, ValidationOptions? options = null) =>
        Validate(schema, header, rows, options, options?.RowNumber);

    private static ValidationReport Validate(TableSchema schema, IReadOnlyList<string> header, IEnumerable<string[]> rows, ValidationOptions? options, Func<long>? rowNumber)
    {
        options ??= new ValidationOptions();
        var report = new ValidationReport(schema.Name);
        var sink = new Sink(report, options);
        var normalizedHeader = header.Select(ColumnNames.Key).ToList();
        var mapping = new Dictionary<string, int>(StringComparer.Ordinal);
        var used = new HashSet<int>();
        foreach (var f in schema.Fields)
        {
            var idx = normalizedHeader.IndexOf(ColumnNames.Key(f.Name));
            if (idx < 0)
            {
                foreach (var alias in f.Aliases)
                {
                    idx = normalizedHeader.IndexOf(ColumnNames.Key(alias));
                    if (idx >= 0)
                    {
                        sink.Add(null, header[idx], "header-alias", Severity.Warning, null,
                            $"列「{header[idx]}」を標準の「{f.Name}」として扱います",
                            $"Column '{header[idx]}' is taken as the standard '{f.Name}'");
                        break;
                    }
                }
            }
            if (idx >= 0 && used.Contains(idx))
            {
                idx = -1;
            }
            mapping[f.Name] = idx;
            if (idx >= 0)
            {
                used.Add(idx);
            }
            else
            {
                sink.Add(null, f.Name, "missing-column", f.OptionalColumn ? Severity.Warning : Severity.Error, null,
                    $"標準の列「{f.Name}」がありません", $"Standard column '{f.Name}' is missing");
            }
        }
        var weekdayColumn = -1;
        for (var i = 0; i < header.Count; i++)
        {
            if (used.Contains(i))
            {
                continue;
            }
            var known = schema.AllowExtraColumns || schema.KnownExtraColumns.Contains(normalizedHeader[i]);
            if (normalizedHeader[i] == "曜日")
            {
                weekdayColumn = i;
            }
            sink.Add(null, header[i], "extra-column", known ? Severity.Warning : Severity.Error, null,
                $"標準にない列「{header[i]}」があります", $"Column '{header[i]}' is not in the standard");
        }
        var order = schema.Fields.Select(f => mapping[f.Name]).Where(i => i >= 0).ToList();
        for (var i = 1; i < order.Count; i++)
        {
            if (order[i] < order[i - 1])
            {
                sink.Add(null, header[order[i]], "column-order", Severity.Warning, null,
                    $"列の順序が標準と異なります（「{header[order[i]]}」）", $"Column order differs from the standard (at '{header[order[i]]}')");
                break;
            }
        }
        report.ColumnMapping = mapping;

        var checks = schema.Fields.Where(f => mapping[f.Name] >= 0).Select(f => new FieldCheck(f, mapping[f.Name], header[mapping[f.Name]])).ToArray();
        bool seenJa = false, seenEn = false;
        var n = 0L;
        foreach (var row in rows)
        {
            var rowNo = rowNumber?.Invoke() ?? options.FirstDataRowNumber + n;
            n++;
            foreach (var check in checks)
            {
                check.Validate(row, rowNo, sink);
            }
            if (weekdayColumn >= 0 && weekdayColumn < row.Length)
            {
                var w = TextNormalizer.Trim(row[weekdayColumn]);
                seenJa |= WeekdaysJa.Contains(w);
                seenEn |= WeekdaysEn.Contains(w);
            }
        }
        report.RowCount = n;
        if (seenJa && seenEn)
        {
            sink.Add(null, "曜日", "weekday-mixed-language", Severity.Warning, null,
                "曜日の列に日本語（金）と英語（Fri）の表記が混在しています", "The 曜日 column mixes Japanese (金) and English (Fri) day names");
        }
        return report;
    }

    private sealed class Sink(ValidationReport report, ValidationOptions options)
    {
        private readonly Dictionary<(string?, string), int> _perKey = [];

        public void Add(long? row, string? column, string code, Severity severity, string? value, string ja, string en)
        {
            if (severity == Severity.Error)
            {
                report.ErrorCount++;
            }
            else
            {
                report.WarningCount++;
            }
            var key = (column, code);
            _perKey.TryGetValue(key, out var k);
            if (report.Problems.Count >= options.MaxProblems || k >= options.MaxProblemsPerColumnAndCode)
            {
                report.Truncated = true;
                return;
            }
            _perKey[key] = k + 1;
            report.Problems.Add(new ValidationProblem(row, column, code, ja, en, value, severity));
        }
    }

    private sealed class FieldCheck(SchemaField field, int index, string columnName)
    {
        private readonly HashSet<string>? _enum = field.Enum is null ? null : new HashSet<string>(field.Enum, StringComparer.Ordinal);
        private readonly HashSet<string> _warn = new(field.WarnValues, StringComparer.Ordinal);
        private readonly Regex? _pattern = field.Pattern is null ? null : new Regex(field.Pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

        public void Validate(string[] row, long rowNo, Sink sink)
        {
            var raw = index < row.Length ? row[index] : "";
            var v = TextNormalizer.Trim(raw);
            if (v.Length == 0)
            {
                if (field.Required)
                {
                    sink.Add(rowNo, columnName, "required", Severity.Error, raw,
                        $"必須の「{field.Name}」が空です", $"Required '{field.Name}' is empty");
                }
                return;
            }
            if (field.Type != "string" && TextNormalizer.IsEmpty(v))
            {
                sink.Add(rowNo, columnName, field.Required ? "required" : "empty-marker", field.Required ? Severity.Error : Severity.Warning, raw,
                    $"「{field.Name}」の「{v}」は値なしとして扱います（空欄が推奨されます）", $"'{field.Name}' value '{v}' is taken as no value (leave the cell empty instead)");
                return;
            }
            var canonical = v;
            switch (field.Type)
            {
                case "integer":
                    if (!JapaneseNumber.TryParseInteger(v, out var l))
                    {
                        Fail(rowNo, sink, raw, Severity.Error, "type", "整数", "an integer");
                        return;
                    }
                    canonical = l.ToString(CultureInfo.InvariantCulture);
                    if (field.Minimum is { } min && l < min)
                    {
                        sink.Add(rowNo, columnName, "minimum", Severity.Error, raw,
                            $"「{field.Name}」の値 {v} が最小値 {min} 未満です", $"'{field.Name}' value {v} is below the minimum {min}");
                    }
                    if (canonical != v)
                    {
                        sink.Add(rowNo, columnName, "number-format", Severity.Warning, raw,
                            $"「{field.Name}」の数値 {v} は半角数字のみで書くことが推奨されます", $"'{field.Name}' number {v} should be plain ASCII digits");
                    }
                    break;
                case "number":
                    if (!JapaneseNumber.TryParseDecimal(v, out var d))
                    {
                        Fail(rowNo, sink, raw, Severity.Error, "type", "数値", "a number");
                        return;
                    }
                    canonical = d.ToString(CultureInfo.InvariantCulture);
                    if (field.Geo is { } geo && (geo == "latitude" ? d is < GeoBounds.MinLatitude or > GeoBounds.MaxLatitude : d is < GeoBounds.MinLongitude or > GeoBounds.MaxLongitude))
                    {
                        var (ja, en) = geo == "latitude" ? ("緯度", "latitude") : ("経度", "longitude");
                        var (lo, hi) = geo == "latitude" ? (GeoBounds.MinLatitude, GeoBounds.MaxLatitude) : (GeoBounds.MinLongitude, GeoBounds.MaxLongitude);
                        sink.Add(rowNo, columnName, "out-of-japan", Severity.Error, raw,
                            $"「{field.Name}」の{ja} {v} が日本の範囲（{lo}〜{hi}）外です（緯度と経度の入れ違い、または度分秒表記ではありませんか）",
                            $"'{field.Name}' {en} {v} is outside Japan ({lo} to {hi}); are latitude and longitude swapped, or written in degrees-minutes-seconds?");
                    }
                    break;
                case "time":
                    if (!JapaneseDate.TryParseTime(v, out _))
                    {
                        Fail(rowNo, sink, raw, Severity.Error, "type", "時刻", "a time of day");
                        return;
                    }
                    break;
                case "date":
                    if (!JapaneseDate.TryParseDate(v, out var date))
                    {
                        Fail(rowNo, sink, raw, Severity.Error, "type", "日付", "a date");
                        return;
                    }
                    canonical = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                    if (canonical != v)
                    {
                        sink.Add(rowNo, columnName, "date-format", Severity.Warning, raw,
                            $"「{field.Name}」の日付 {v} は YYYY-MM-DD 形式が推奨されます", $"'{field.Name}' date {v} should be written YYYY-MM-DD");
                    }
                    break;
                case "string" when field.Url && !v.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && !v.StartsWith("https://", StringComparison.OrdinalIgnoreCase):
                    sink.Add(rowNo, columnName, "url-format", Severity.Warning, raw,
                        $"「{field.Name}」の値「{v}」は http:// または https:// で始まるURLが推奨されます", $"'{field.Name}' value '{v}' should be a URL starting with http:// or https://");
                    break;
                case "datetime":
                    if (!JapaneseDate.TryParseTimestamp(v, out _) && !JapaneseDate.TryParseDate(v, out _))
                    {
                        Fail(rowNo, sink, raw, Severity.Error, "type", "日時", "a date-time");
                        return;
                    }
                    break;
                default:
                    break;
            }
            if (_enum is not null && !_enum.Contains(canonical))
            {
                var warn = _warn.Contains(v) || TextNormalizer.IsEmpty(v);
                sink.Add(rowNo, columnName, warn ? "enum-nonstandard" : "enum", warn ? Severity.Warning : Severity.Error, raw,
                    $"「{field.Name}」の値「{v}」は標準の値（{string.Join("、", field.Enum!)}）にありません",
                    $"'{field.Name}' value '{v}' is not one of the standard values ({string.Join(", ", field.Enum!)})");
            }
            if (field.LocalGovCode)
            {
                CheckLocalGovCode(rowNo, sink, raw, v);
            }
            else if (_pattern is not null && !_pattern.IsMatch(v))
            {
                sink.Add(rowNo, columnName, "pattern", Severity.Error, raw,
                    $"「{field.Name}」の値「{v}」が形式（{field.Pattern}）に合いません", $"'{field.Name}' value '{v}' does not match {field.Pattern}");
            }
        }

        /// <summary>
        /// 全国地方公共団体コード: 6 digits with a correct check digit. The 5-digit code without its check digit (37201, as
        /// 高松市's LinkData files and many statistics write it) names the same body: a warning per row saying the 6-digit
        /// form; a wrong check digit or anything else is an error saying what is wrong.
        /// </summary>
        private void CheckLocalGovCode(long rowNo, Sink sink, string raw, string v)
        {
            if (LocalGovCode.IsValid(v))
            {
                return;
            }
            var digits = TextNormalizer.ToHalfWidthDigits(v.Trim());
            if (digits.Length == 5 && int.TryParse(digits.AsSpan(0, 2), out var pref) && pref is >= 1 and <= 47 && LocalGovCode.TryComplete(digits, out var six))
            {
                sink.Add(rowNo, columnName, "local-gov-code-no-check-digit", Severity.Warning, raw,
                    $"全国地方公共団体コード「{v}」は検査数字のない5桁です（6桁では「{six}」）",
                    $"Local government code '{v}' is the 5-digit form without its check digit (6 digits: '{six}')");
            }
            else if (digits.Length == 6 && LocalGovCode.TryComplete(digits[..5], out var right))
            {
                sink.Add(rowNo, columnName, "local-gov-code", Severity.Error, raw,
                    $"全国地方公共団体コード「{v}」の検査数字（6桁目）が正しくありません（正しくは「{right}」）",
                    $"Local government code '{v}' has a wrong check digit (the 6th digit; it should be '{right}')");
            }
            else
            {
                sink.Add(rowNo, columnName, "local-gov-code", Severity.Error, raw,
                    $"全国地方公共団体コード「{v}」は6桁の数字ではありません",
                    $"Local government code '{v}' is not 6 digits");
            }
        }

        private void Fail(long rowNo, Sink sink, string raw, Severity severity, string code, string typeJa, string typeEn) =>
            sink.Add(rowNo, columnName, code, severity, raw,
                $"「{field.Name}」の値「{raw}」は{typeJa}ではありません", $"'{field.Name}' value '{raw}' is not {typeEn}");
    }
}
