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
}

/// <summary>The inferred type of one column.</summary>
/// <param name="Name">Column name.</param>
/// <param name="Type">Inferred (or overridden) type.</param>
/// <param name="NonEmptyCount">Non-empty values seen in the sample.</param>
/// <param name="EmptyCount">Empty values (blank or empty marker) in the sample.</param>
/// <param name="Overridden">True when the type came from <see cref="InferenceOptions.Overrides"/>.</param>
public sealed record InferredColumn(string Name, ColumnType Type, long NonEmptyCount, long EmptyCount, bool Overridden);

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
            var name = columns[c];
            var overridden = options.Overrides.TryGetValue(name, out var forced);
            var type = overridden ? forced : state[c].Resolve();
            if (!overridden && type is ColumnType.Integer or ColumnType.Decimal && IsCodeName(name))
            {
                type = ColumnType.Text;
            }
            result[c] = new InferredColumn(name, type, state[c].NonEmpty, state[c].Empty, overridden);
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
        allRows = new Replay(sample, e);
        return inferred;
    }

    /// <summary>Columns named like codes or phone/postal numbers stay text even when numeric (leading zeros and digit strings matter).</summary>
    internal static bool IsCodeName(string name) =>
        name.Contains("コード", StringComparison.Ordinal) || name.Contains("code", StringComparison.OrdinalIgnoreCase) ||
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
        private bool _int = true, _dec = true, _date = true, _dateOrTs = true, _ts = true, _bool = true;

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
            if (!(_int || _dec || _dateOrTs || _bool))
            {
                return;
            }
            var s = TextNormalizer.Normalize(raw, options.EmptyMarkers) ?? "";
            if (_bool && !TryBoolean(s, out _))
            {
                _bool = false;
            }
            if (_int && (HasLeadingZero(s) || !JapaneseNumber.TryParseInteger(s, out _)))
            {
                _int = false;
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
            return _dateOrTs ? ColumnType.Timestamp : ColumnType.Text;
        }
    }

    private sealed class Replay(List<string[]> sample, IEnumerator<string[]> rest) : IEnumerable<string[]>
    {
        private bool _used;

        public IEnumerator<string[]> GetEnumerator()
        {
            if (_used)
            {
                throw new InvalidOperationException("The replayed rows can be enumerated only once.");
            }
            _used = true;
            return Iterate();
        }

        private IEnumerator<string[]> Iterate()
        {
            try
            {
                for (var i = 0; i < sample.Count; i++)
                {
                    var r = sample[i];
                    sample[i] = null!;
                    yield return r;
                }
                while (rest.MoveNext())
                {
                    yield return rest.Current;
                }
            }
            finally
            {
                rest.Dispose();
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
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
/// <see cref="DateTime"/>, <see cref="bool"/>, <see cref="string"/> or null. Empty markers become null in typed columns;
/// in text columns only blank cells become null (「-」 is kept as text). Values that don't fit become null and are reported.
/// </summary>
public sealed class ColumnNormalizer
{
    private readonly IReadOnlyList<string> _names;
    private readonly ColumnType[] _types;
    private readonly InferenceOptions _options;
    private readonly int _maxProblems;
    private readonly List<ValueProblem> _problems = [];

    /// <summary>Creates a normaliser for columns of the given types.</summary>
    public ColumnNormalizer(IReadOnlyList<InferredColumn> columns, InferenceOptions? options = null, int maxProblems = 1000)
    {
        _names = [.. columns.Select(c => c.Name)];
        _types = [.. columns.Select(c => c.Type)];
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
            if (!Convert(raw, _types[c], _options, _maxMarkerLength, this, out result[c]))
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
            default:
                return false;
        }
    }
}
