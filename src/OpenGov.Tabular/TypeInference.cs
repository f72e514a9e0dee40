using System.Collections;

namespace OpenGov.Tabular;

/// <summary>Column types produced by <see cref="TypeInference"/> (map to DataStore int, numeric, date, timestamp, bool, text).</summary>
public enum ColumnType
{
    /// <summary>Anything; also columns with no values.</summary>
    Text,
    /// <summary>Whole numbers in the range of <see cref="long"/>, no leading zeros ("0123" stays text; so do columns named ...コード/code/郵便番号/電話).</summary>
    Integer,
    /// <summary>Numbers with a decimal point (<see cref="decimal"/>).</summary>
    Decimal,
    /// <summary>Dates, 和暦 or western (<see cref="DateOnly"/>).</summary>
    Date,
    /// <summary>Date and time (<see cref="DateTime"/>); a column mixing dates and timestamps is a timestamp.</summary>
    Timestamp,
    /// <summary>true/false, yes/no, はい/いいえ, ○/× (0/1 columns are <see cref="Integer"/>).</summary>
    Boolean,
    /// <summary>A time of day without a date (<see cref="TimeOnly"/>): 9:00, 09:00:00, 9：00, 9時30分.</summary>
    Time,
    /// <summary>A fiscal year (年度, <see cref="OpenGov.Tabular.FiscalYear"/>): 令和6年度, R6年度, 平成28年度, 2020年度.</summary>
    FiscalYear,
}

/// <summary>Options for type inference and normalisation.</summary>
public sealed record InferenceOptions
{
    /// <summary>Rows examined (default 10,000). The rest is verified by <see cref="ColumnNormalizer"/> while loading.</summary>
    public int SampleRows { get; init; } = 10_000;

    /// <summary>Values meaning "no value" in typed columns (default <see cref="TextNormalizer.DefaultEmptyMarkers"/>).</summary>
    public IReadOnlySet<string> EmptyMarkers { get; init; } = TextNormalizer.DefaultEmptyMarkers;

    /// <summary>Date parsing options (era overflow).</summary>
    public JapaneseDateOptions DateOptions { get; init; } = JapaneseDateOptions.Default;

    /// <summary>Per-column type overrides by column name.</summary>
    public IReadOnlyDictionary<string, ColumnType> Overrides { get; init; } = new Dictionary<string, ColumnType>();

    /// <summary>
    /// Per-column type hints by column name (e.g. <see cref="TableReadResult.TypeHints"/> from a file's #object_type_xsd row):
    /// used when every sampled value fits the hinted type, otherwise the inferred type wins.
    /// </summary>
    public IReadOnlyDictionary<string, ColumnType> Hints { get; init; } = new Dictionary<string, ColumnType>();

    /// <summary>
    /// Read whole numbers between 1950-01-01 and 2100-12-31 as Excel date serials (43859 = 2020-01-29) in columns named like
    /// a date (日付, 年月日, 公表日, date, ...), as Excel stores dates in cells formatted General (default true).
    /// </summary>
    public bool ExcelSerialDates { get; init; } = true;
}

/// <summary>The inferred type of one column.</summary>
/// <param name="Name">Column name.</param>
/// <param name="Type">Inferred (or overridden) type.</param>
/// <param name="NonEmptyCount">Non-empty values seen in the sample.</param>
/// <param name="EmptyCount">Empty values (blank or empty marker) in the sample.</param>
/// <param name="Overridden">True when the type came from <see cref="InferenceOptions.Overrides"/>.</param>
public sealed record InferredColumn(string Name, ColumnType Type, long NonEmptyCount, long EmptyCount, bool Overridden)
{
    /// <summary>True when the column holds Excel date serials (43859) read as dates; report it with <see cref="NoteJa"/>/<see cref="NoteEn"/>.</summary>
    public bool DateFromExcelSerial { get; init; }

    /// <summary>
    /// True when the column holds month/day/two-digit-year dates (4/22/21, an English-locale Excel export) read as dates:
    /// every value is one, and a day over 12 proves the order or the column is named like a date.
    /// </summary>
    public bool DateFromMonthDayShortYear { get; init; }

    /// <summary>True when the type came from <see cref="InferenceOptions.Hints"/>.</summary>
    public bool FromHint { get; init; }

    /// <summary>Why the type is not the obvious one (Excel serials, a hint), in Japanese; null otherwise.</summary>
    public string? NoteJa { get; init; }

    /// <summary>The same in English.</summary>
    public string? NoteEn { get; init; }
}

/// <summary>Infers column types from a sample of rows, after normalisation (full-width digits, thousands separators, 和暦 dates, empty markers).</summary>
public static class TypeInference
{
    private static readonly HashSet<string> BoolTrue = new(StringComparer.OrdinalIgnoreCase) { "true", "yes", "はい", "○", "〇", "◯" };
    private static readonly HashSet<string> BoolFalse = new(StringComparer.OrdinalIgnoreCase) { "false", "no", "いいえ", "×", "✕" };

    /// <summary>Infers types from up to <see cref="InferenceOptions.SampleRows"/> rows of <paramref name="rows"/> (the rest is not read).</summary>
    public static IReadOnlyList<InferredColumn> Infer(IReadOnlyList<string> columns, IEnumerable<string[]> rows, InferenceOptions? options = null)
    {
        options ??= new InferenceOptions();
        var state = new ColumnState[columns.Count];
        for (var i = 0; i < state.Length; i++)
        {
            state[i] = new ColumnState();
        }
        var n = 0;
        foreach (var row in rows)
        {
            if (n++ >= options.SampleRows)
            {
                break;
            }
            for (var c = 0; c < state.Length; c++)
            {
                state[c].Observe(c < row.Length ? row[c] : null, options);
            }
        }
        var result = new InferredColumn[columns.Count];
        for (var c = 0; c < result.Length; c++)
        {
            result[c] = Resolve(columns[c], state[c], options);
        }
        return result;
    }

    /// <summary>
    /// Infers types from the first <see cref="InferenceOptions.SampleRows"/> rows of a one-shot stream, buffering them,
    /// and returns in <paramref name="allRows"/> a stream that replays the sample and then continues with the rest.
    /// </summary>
    public static IReadOnlyList<InferredColumn> InferFromSample(IReadOnlyList<string> columns, IEnumerable<string[]> rows, InferenceOptions? options, out IEnumerable<string[]> allRows)
    {
        options ??= new InferenceOptions();
        var e = rows.GetEnumerator();
        var sample = new List<string[]>();
        while (sample.Count < options.SampleRows && e.MoveNext())
        {
            sample.Add(e.Current);
        }
        var inferred = Infer(columns, sample, options);
        allRows = new SampledRows(sample, null, e, null);
        return inferred;
    }

    /// <summary>
    /// Infers the types of an opened table from its first rows (the file's #object_type_xsd hints are used unless
    /// <see cref="InferenceOptions.Hints"/> is set, or unless they say string for every column, the template default) and returns the rows to load with, in <paramref name="allRows"/>, the
    /// row number in the publisher's file of the row last yielded (<see cref="SampledRows.CurrentRowNumber"/>): use it
    /// for <see cref="ColumnNormalizer.Normalize"/> and <see cref="ValidationOptions.RowNumber"/>, as
    /// <see cref="TableReadResult.CurrentRowNumber"/> is already past the sample while it is replayed.
    /// </summary>
    public static IReadOnlyList<InferredColumn> InferFromSample(TableReadResult table, InferenceOptions? options, out SampledRows allRows)
    {
        ArgumentNullException.ThrowIfNull(table);
        options ??= new InferenceOptions();
        // A #object_type_xsd row saying string for every column is the LinkData template's default, not a choice
        // (高松市 writes it over columns of counts): it gives no hint, and the values decide.
        if (options.Hints.Count == 0 && table.TypeHints.Count > 0 && table.TypeHints.Values.Any(h => h != ColumnType.Text))
        {
            options = options with { Hints = table.TypeHints };
        }
        var e = table.Rows.GetEnumerator();
        var sample = new List<string[]>();
        var numbers = new List<long>();
        while (sample.Count < options.SampleRows && e.MoveNext())
        {
            sample.Add(e.Current);
            numbers.Add(table.CurrentRowNumber);
        }
        var inferred = Infer(table.Columns, sample, options);
        allRows = new SampledRows(sample, numbers, e, () => table.CurrentRowNumber);
        return inferred;
    }

    private static InferredColumn Resolve(string name, ColumnState state, InferenceOptions options)
    {
        if (options.Overrides.TryGetValue(name, out var forced))
        {
            return new InferredColumn(name, forced, state.NonEmpty, state.Empty, true);
        }
        if (options.Hints.TryGetValue(name, out var hint) && (hint == ColumnType.Text || state.Fits(hint)))
        {
            return new InferredColumn(name, hint, state.NonEmpty, state.Empty, false)
            {
                FromHint = true,
                NoteJa = $"列「{name}」はファイルの型指定（{hint}）に従いました",
                NoteEn = $"Column '{name}' follows the type given in the file ({hint})",
            };
        }
        var type = state.Resolve();
        if (options.ExcelSerialDates && type == ColumnType.Integer && state.AllExcelSerials && IsDateName(name))
        {
            return new InferredColumn(name, ColumnType.Date, state.NonEmpty, state.Empty, false)
            {
                DateFromExcelSerial = true,
                NoteJa = $"列「{name}」の数値（{state.FirstValue}など）をExcelの日付シリアル値として日付に変換しました",
                NoteEn = $"Column '{name}' holds numbers such as {state.FirstValue}, read as Excel date serials",
            };
        }
        if (type == ColumnType.Text && state.NonEmpty > 0 && state.AllMonthDayShortYear && (state.DayOver12 || IsDateName(name)))
        {
            return new InferredColumn(name, ColumnType.Date, state.NonEmpty, state.Empty, false)
            {
                DateFromMonthDayShortYear = true,
                NoteJa = $"列「{name}」の値（{state.FirstValue}など）を「月/日/西暦下2桁」の日付として読みました（00〜29年は2000年代）",
                NoteEn = $"Column '{name}' holds values such as {state.FirstValue}, read as month/day/two-digit year (00-29 = 2000s)",
            };
        }
        if (type is ColumnType.Integer or ColumnType.Decimal && IsCodeName(name))
        {
            type = ColumnType.Text;
        }
        return new InferredColumn(name, type, state.NonEmpty, state.Empty, false);
    }

    /// <summary>Excel serials of 1950-01-01 and 2100-12-31: the range in which a whole number in a date column is taken as a serial.</summary>
    internal const long MinExcelSerial = 18264, MaxExcelSerial = 73415;

    /// <summary>The date of an Excel serial (1900 date system; serial 60, the fictitious 1900-02-29, is never in range).</summary>
    internal static DateOnly FromExcelSerial(long serial) => new DateOnly(1899, 12, 30).AddDays((int)serial);

    /// <summary>Columns named like a date: 日付, 年月日, 公表日, 実施日, 開催日, date, ...(but not 曜日 or 日数).</summary>
    internal static bool IsDateName(string name) =>
        (name.Contains("日付", StringComparison.Ordinal) || name.Contains("年月日", StringComparison.Ordinal) || name.EndsWith('日')
            || name.Contains("date", StringComparison.OrdinalIgnoreCase) || name.Contains("日時", StringComparison.Ordinal))
        && !name.Contains("曜日", StringComparison.Ordinal) && !name.Contains("日数", StringComparison.Ordinal);

    /// <summary>Columns named like codes or phone/postal numbers stay text even when numeric (leading zeros and digit strings matter).</summary>
    internal static bool IsCodeName(string name) =>
        ColumnNames.Key(name).Contains("コード", StringComparison.Ordinal) || name.Contains("code", StringComparison.OrdinalIgnoreCase) ||
        name.Contains("郵便番号", StringComparison.Ordinal) || name.Contains("電話", StringComparison.Ordinal) || name.Contains("ＩＤ", StringComparison.Ordinal);

    internal static bool TryBoolean(string s, out bool value)
    {
        if (BoolTrue.Contains(s))
        {
            value = true;
            return true;
        }
        value = false;
        return BoolFalse.Contains(s);
    }

    internal static bool HasLeadingZero(string s)
    {
        var i = s.Length > 0 && s[0] is '-' or '+' ? 1 : 0;
        return s.Length > i + 1 && s[i] == '0' && s[i + 1] is >= '0' and <= '9';
    }

    private sealed class ColumnState
    {
        private bool _int = true, _dec = true, _date = true, _dateOrTs = true, _ts = true, _bool = true, _time = true, _fy = true;

        public bool AllExcelSerials { get; private set; } = true;

        public bool AllMonthDayShortYear { get; private set; } = true;

        public bool DayOver12 { get; private set; }

        public string? FirstValue { get; private set; }

        public long NonEmpty { get; private set; }

        public long Empty { get; private set; }

        public void Observe(string? raw, InferenceOptions options)
        {
            if (TextNormalizer.IsEmpty(raw, options.EmptyMarkers))
            {
                Empty++;
                return;
            }
            NonEmpty++;
            if (!(_int || _dec || _dateOrTs || _bool || _time || _fy || AllMonthDayShortYear))
            {
                return;
            }
            var s = TextNormalizer.Normalize(raw, options.EmptyMarkers) ?? "";
            FirstValue ??= s;
            if (AllMonthDayShortYear)
            {
                AllMonthDayShortYear = JapaneseDate.TryParseMonthDayShortYear(s, out _, out var over12);
                DayOver12 |= over12;
            }
            if (_bool && !TryBoolean(s, out _))
            {
                _bool = false;
            }
            if (_int)
            {
                var isInt = !HasLeadingZero(s) & JapaneseNumber.TryParseInteger(s, out var l);
                _int = isInt;
                AllExcelSerials &= isInt && l is >= MinExcelSerial and <= MaxExcelSerial;
            }
            if (_time && !JapaneseDate.TryParseTime(s, out _))
            {
                _time = false;
            }
            if (_fy && !OpenGov.Tabular.FiscalYear.TryParse(s, options.DateOptions, out _))
            {
                _fy = false;
            }
            if (_dec && (HasLeadingZero(s) || !JapaneseNumber.TryParseDecimal(s, out _)))
            {
                _dec = false;
            }
            if (_dateOrTs)
            {
                var isDate = JapaneseDate.TryParseDate(s, options.DateOptions, out _);
                var isTs = !isDate && JapaneseDate.TryParseTimestamp(s, options.DateOptions, out _);
                _date &= isDate;
                _ts &= isTs;
                _dateOrTs = isDate || isTs;
            }
        }

        public ColumnType Resolve()
        {
            if (NonEmpty == 0)
            {
                return ColumnType.Text;
            }
            if (_bool)
            {
                return ColumnType.Boolean;
            }
            if (_int)
            {
                return ColumnType.Integer;
            }
            if (_dec)
            {
                return ColumnType.Decimal;
            }
            if (_date)
            {
                return ColumnType.Date;
            }
            if (_dateOrTs)
            {
                return ColumnType.Timestamp;
            }
            if (_time)
            {
                return ColumnType.Time;
            }
            return _fy ? ColumnType.FiscalYear : ColumnType.Text;
        }

        /// <summary>True when every sampled value fits <paramref name="type"/>.</summary>
        public bool Fits(ColumnType type) => type switch
        {
            ColumnType.Integer => _int,
            ColumnType.Decimal => _dec || _int,
            ColumnType.Date => _date && _dateOrTs,
            ColumnType.Timestamp => _dateOrTs,
            ColumnType.Boolean => _bool,
            ColumnType.Time => _time,
            ColumnType.FiscalYear => _fy,
            _ => true,
        };
    }
}

/// <summary>A value that does not fit its column's type.</summary>
/// <param name="Row">1-based row number as given by the caller.</param>
/// <param name="Column">0-based column index.</param>
/// <param name="ColumnName">Column name.</param>
/// <param name="Value">Raw value.</param>
/// <param name="Expected">Column type.</param>
public sealed record ValueProblem(long Row, int Column, string ColumnName, string Value, ColumnType Expected);

/// <summary>
/// Turns raw strings into typed values per column type: <see cref="long"/>, <see cref="decimal"/>, <see cref="DateOnly"/>,
/// <see cref="DateTime"/>, <see cref="bool"/>, <see cref="TimeOnly"/>, <see cref="FiscalYear"/>, <see cref="string"/> or null.
/// Excel serials become <see cref="DateOnly"/> in columns with <see cref="InferredColumn.DateFromExcelSerial"/>. Empty markers become null in typed columns;
/// in text columns only blank cells become null (「-」 is kept as text). Values that don't fit become null and are reported.
/// </summary>
public sealed class ColumnNormalizer
{
    private readonly IReadOnlyList<string> _names;
    private readonly ColumnType[] _types;
    private readonly bool[] _serial;
    private readonly bool[] _shortYear;
    private readonly InferenceOptions _options;
    private readonly int _maxProblems;
    private readonly List<ValueProblem> _problems = [];

    /// <summary>Creates a normaliser for columns of the given types.</summary>
    public ColumnNormalizer(IReadOnlyList<InferredColumn> columns, InferenceOptions? options = null, int maxProblems = 1000)
    {
        _names = [.. columns.Select(c => c.Name)];
        _types = [.. columns.Select(c => c.Type)];
        _serial = [.. columns.Select(c => c.DateFromExcelSerial)];
        _shortYear = [.. columns.Select(c => c.DateFromMonthDayShortYear)];
        _options = options ?? new InferenceOptions();
        _maxProblems = maxProblems;
        _maxMarkerLength = _options.EmptyMarkers.Count == 0 ? 0 : _options.EmptyMarkers.Max(m => m.Length);
    }

    // a trimmed value longer than every empty marker is not one: the set lookup is skipped for most values
    private readonly int _maxMarkerLength;

    // boxes of the values that repeat in a column (0/1 flags, small counts, dates): a load converts millions of
    // values, and most integers and dates of a municipal table are among a few thousand distinct ones
    private static readonly object[] SmallIntegers = [.. Enumerable.Range(-1, 1026).Select(i => (object)(long)i)];
    private readonly Dictionary<int, object> _dates = [];

    /// <summary>Values that did not fit (capped at maxProblems; see <see cref="ProblemCount"/>).</summary>
    public IReadOnlyList<ValueProblem> Problems => _problems;

    /// <summary>Exact number of values that did not fit.</summary>
    public long ProblemCount { get; private set; }

    /// <summary>Column types, in order.</summary>
    public IReadOnlyList<ColumnType> Types => _types;

    /// <summary>Converts one row; <paramref name="rowNumber"/> is used in problem reports. Missing cells are null, extra cells are ignored.</summary>
    public object?[] Normalize(string[] row, long rowNumber)
    {
        var result = new object?[_types.Length];
        for (var c = 0; c < _types.Length; c++)
        {
            var raw = c < row.Length ? row[c] : null;
            if (!Convert(raw, _types[c], _options, _maxMarkerLength, this, out result[c])
                && !(_serial[c] && TryExcelSerial(raw, out result[c]))
                && !(_shortYear[c] && TryMonthDayShortYear(raw, out result[c])))
            {
                ProblemCount++;
                if (_problems.Count < _maxProblems)
                {
                    _problems.Add(new ValueProblem(rowNumber, c, _names[c], raw ?? "", _types[c]));
                }
            }
        }
        return result;
    }

    /// <summary>Converts one value to <paramref name="type"/>; false (and null) when it does not fit. Empty values are null and fit.</summary>
    public static bool TryConvert(string? raw, ColumnType type, InferenceOptions? options, out object? value) =>
        Convert(raw, type, options ?? new InferenceOptions(), int.MaxValue, null, out value);

    private bool TryExcelSerial(string? raw, out object? value)
    {
        value = null;
        var s = raw is null ? null : TextNormalizer.Normalize(raw, _options.EmptyMarkers);
        if (s is null || !JapaneseNumber.TryParseInteger(s, out var n) || n is < TypeInference.MinExcelSerial or > TypeInference.MaxExcelSerial)
        {
            return false;
        }
        value = BoxDate(TypeInference.FromExcelSerial(n));
        return true;
    }

    private bool TryMonthDayShortYear(string? raw, out object? value)
    {
        value = null;
        var s = raw is null ? null : TextNormalizer.Normalize(raw, _options.EmptyMarkers);
        if (!JapaneseDate.TryParseMonthDayShortYear(s, out var date, out _))
        {
            return false;
        }
        value = BoxDate(date);
        return true;
    }

    private object BoxDate(DateOnly date)
    {
        if (_dates.TryGetValue(date.DayNumber, out var box))
        {
            return box;
        }
        box = date;
        if (_dates.Count < 65536)
        {
            _dates.Add(date.DayNumber, box);
        }
        return box;
    }

    private static bool Convert(string? raw, ColumnType type, InferenceOptions options, int maxMarkerLength, ColumnNormalizer? boxes, out object? value)
    {
        value = null;
        if (type == ColumnType.Text)
        {
            if (raw is null)
            {
                return true;
            }
            var t = TextNormalizer.Trim(raw);
            value = t.Length == 0 ? null : t;
            return true;
        }
        if (raw is null)
        {
            return true;
        }
        var trimmed = TextNormalizer.Trim(raw);
        if (trimmed.Length == 0 || (trimmed.Length <= maxMarkerLength && options.EmptyMarkers.Contains(trimmed)))
        {
            return true;
        }
        // ASCII needs no NFKC (the common case); otherwise the full normalisation, as in inference
        var s = TextNormalizer.IsAsciiOnly(trimmed) ? trimmed : TextNormalizer.Normalize(trimmed, options.EmptyMarkers);
        if (s is null)
        {
            return true;
        }
        switch (type)
        {
            case ColumnType.Integer when !TypeInference.HasLeadingZero(s) && JapaneseNumber.TryParseInteger(s, out var l):
                value = boxes is not null && l is >= -1 and <= 1024 ? SmallIntegers[l + 1] : l;
                return true;
            case ColumnType.Decimal when JapaneseNumber.TryParseDecimal(s, out var d):
                value = d;
                return true;
            case ColumnType.Date when JapaneseDate.TryParseDate(s, options.DateOptions, out var date):
                value = boxes is not null ? boxes.BoxDate(date) : date;
                return true;
            case ColumnType.Timestamp when JapaneseDate.TryParseTimestamp(s, options.DateOptions, out var ts):
                value = ts;
                return true;
            case ColumnType.Timestamp when JapaneseDate.TryParseDate(s, options.DateOptions, out var date2):
                value = date2.ToDateTime(TimeOnly.MinValue);
                return true;
            case ColumnType.Boolean when TypeInference.TryBoolean(s, out var b):
                value = b;
                return true;
            case ColumnType.Time when JapaneseDate.TryParseTime(s, out var time):
                value = time;
                return true;
            case ColumnType.FiscalYear when OpenGov.Tabular.FiscalYear.TryParse(s, options.DateOptions, out var fy):
                value = fy;
                return true;
            default:
                return false;
        }
    }
}
