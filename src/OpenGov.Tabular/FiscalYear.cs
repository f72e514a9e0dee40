using System.Globalization;

namespace OpenGov.Tabular;

/// <summary>
/// A Japanese fiscal year (年度): April 1 to March 31 of the next calendar year, named by the calendar year it starts in.
/// Parses 令和6年度, 平成28年度, R6年度, 令和元年度, 2020年度, ２０２０年度 and FY2020. The label names the era in force on the
/// year's first day, April 1 (FY2019 = 平成31年度, FY1926 = 大正15年度, FY1989 = 平成元年度): the name under which the year's
/// budget and plans were made, and the one the council's own records use. 令和元年度, written after 2019-05-01, parses to the
/// same year (docs/decisions/0007-fiscal-year-names.md).
/// </summary>
public readonly struct FiscalYear : IEquatable<FiscalYear>, IComparable<FiscalYear>, IFormattable
{
    /// <summary>Creates the fiscal year that starts on April 1 of <paramref name="year"/> (1868..9998).</summary>
    public FiscalYear(int year)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(year, 1868);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(year, 9998);
        Year = year;
    }

    /// <summary>Calendar year in which the fiscal year starts (2020 for 令和2年度).</summary>
    public int Year { get; }

    /// <summary>First day (April 1).</summary>
    public DateOnly Start => new(Year, 4, 1);

    /// <summary>Last day (March 31 of the next year).</summary>
    public DateOnly End => new(Year + 1, 3, 31);

    /// <summary>和暦 name by the era in force on April 1, e.g. 令和2年度 (平成31年度 for 2019).</summary>
    public string WarekiName
    {
        get
        {
            for (var i = JapaneseDate.Eras.Count - 1; i >= 0; i--)
            {
                var era = JapaneseDate.Eras[i];
                if (era.Start <= Start)
                {
                    var n = Year - era.Start.Year + 1;
                    return $"{era.Name}{(n == 1 ? "元" : n.ToString(CultureInfo.InvariantCulture))}年度";
                }
            }
            return $"{Year.ToString(CultureInfo.InvariantCulture)}年度";
        }
    }

    /// <summary>Japanese label with both calendars: 「令和2年度 (2020年度)」.</summary>
    public string LabelJa => $"{WarekiName} ({Year.ToString(CultureInfo.InvariantCulture)}年度)";

    /// <summary>English label: 「FY2020 (April 2020 – March 2021)」.</summary>
    public string LabelEn => $"FY{Year.ToString(CultureInfo.InvariantCulture)} (April {Year.ToString(CultureInfo.InvariantCulture)} – March {(Year + 1).ToString(CultureInfo.InvariantCulture)})";

    /// <summary>The fiscal year containing <paramref name="date"/> (January–March belong to the previous year's 年度).</summary>
    public static FiscalYear FromDate(DateOnly date) => new(date.Month >= 4 ? date.Year : date.Year - 1);

    /// <summary>Parses 令和6年度, R6年度, 平成28年度, 2020年度, FY2020 (full-width digits too). Never throws.</summary>
    public static bool TryParse(string? value, out FiscalYear fiscalYear) => TryParse(value, JapaneseDateOptions.Default, out fiscalYear);

    /// <summary>Parses with date options (era overflow such as 平成32年度 only when allowed).</summary>
    public static bool TryParse(string? value, JapaneseDateOptions options, out FiscalYear fiscalYear)
    {
        fiscalYear = default;
        if (JapaneseDate.TryParseFiscalYear(value, options, out var start, out _))
        {
            fiscalYear = new FiscalYear(start.Year);
            return true;
        }
        var s = value is null ? null : TextNormalizer.Normalize(value);
        if (s is { Length: 6 } && s.StartsWith("FY", StringComparison.OrdinalIgnoreCase)
            && int.TryParse(s.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var y) && y is >= 1868 and <= 9998)
        {
            fiscalYear = new FiscalYear(y);
            return true;
        }
        return false;
    }

    /// <summary>Parses a fiscal year.</summary>
    /// <exception cref="FormatException">The value is not a fiscal year.</exception>
    public static FiscalYear Parse(string value) =>
        TryParse(value, out var fy) ? fy : throw new FormatException($"「{value}」は年度ではありません / '{value}' is not a fiscal year");

    /// <summary>True when <paramref name="date"/> falls within the year.</summary>
    public bool Contains(DateOnly date) => date >= Start && date <= End;

    /// <inheritdoc />
    public bool Equals(FiscalYear other) => Year == other.Year;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is FiscalYear f && Equals(f);

    /// <inheritdoc />
    public override int GetHashCode() => Year;

    /// <inheritdoc />
    public int CompareTo(FiscalYear other) => Year.CompareTo(other.Year);

    /// <summary>The Japanese label, 「令和2年度 (2020年度)」.</summary>
    public override string ToString() => LabelJa;

    /// <summary>Formats: null/"J" the Japanese label, "W" 令和2年度, "Y" 2020年度, "E" the English label, "FY" FY2020.</summary>
    public string ToString(string? format, IFormatProvider? formatProvider) => format switch
    {
        null or "" or "J" => LabelJa,
        "W" => WarekiName,
        "Y" => $"{Year.ToString(CultureInfo.InvariantCulture)}年度",
        "E" => LabelEn,
        "FY" => $"FY{Year.ToString(CultureInfo.InvariantCulture)}",
        _ => throw new FormatException($"Unknown fiscal year format '{format}'"),
    };

    /// <summary>Equality.</summary>
    public static bool operator ==(FiscalYear left, FiscalYear right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(FiscalYear left, FiscalYear right) => !left.Equals(right);

    /// <summary>Order.</summary>
    public static bool operator <(FiscalYear left, FiscalYear right) => left.Year < right.Year;

    /// <summary>Order.</summary>
    public static bool operator >(FiscalYear left, FiscalYear right) => left.Year > right.Year;

    /// <summary>Order.</summary>
    public static bool operator <=(FiscalYear left, FiscalYear right) => left.Year <= right.Year;

    /// <summary>Order.</summary>
    public static bool operator >=(FiscalYear left, FiscalYear right) => left.Year >= right.Year;
}
