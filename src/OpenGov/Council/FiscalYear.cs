using System.Globalization;
using OpenGov.Tabular;

namespace OpenGov.Council;

/// <summary>
/// A Japanese fiscal year (年度): April 1 to March 31, named by the calendar year it starts in. Labelled by the era in
/// force on its April 1 (2019 → 平成31年度, 2020 → 令和2年度). Kept in the council room until OpenGov.Tabular has one.
/// </summary>
public readonly record struct FiscalYear(int Year) : IComparable<FiscalYear>
{
    public DateOnly Start => new(Year, 4, 1);

    /// <summary>The last day (March 31 of the next year).</summary>
    public DateOnly End => new(Year + 1, 3, 31);

    public static FiscalYear Of(DateOnly date) => new(date.Month >= 4 ? date.Year : date.Year - 1);

    public bool Contains(DateOnly date) => date >= Start && date <= End;

    /// <summary>和暦 label: 令和2年度, 令和元年度 never occurs (a fiscal year is named by its April 1).</summary>
    public string Wareki
    {
        get
        {
            for (var i = JapaneseDate.Eras.Count - 1; i >= 0; i--)
            {
                var era = JapaneseDate.Eras[i];
                if (Start >= era.Start)
                {
                    var n = Year - era.Start.Year + 1;
                    return era.Name + (n == 1 ? "元" : n.ToString(CultureInfo.InvariantCulture)) + "年度";
                }
            }

            return Year.ToString(CultureInfo.InvariantCulture) + "年度";
        }
    }

    /// <summary>「令和2年度 (2020年度)」.</summary>
    public string LabelJa => $"{Wareki} ({Year}年度)";

    /// <summary>"FY2020".</summary>
    public string LabelEn => "FY" + Year.ToString(CultureInfo.InvariantCulture);

    public string Label(bool english) => english ? LabelEn : LabelJa;

    /// <summary>Parses 令和2年度, 平成31年度, 2020年度, FY2020 or 2020.</summary>
    public static bool TryParse(string? value, out FiscalYear year)
    {
        year = default;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var s = value.Trim();
        if (s.StartsWith("FY", StringComparison.OrdinalIgnoreCase))
        {
            s = s[2..];
        }

        if (int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var y) && y is >= 1900 and <= 9998)
        {
            year = new FiscalYear(y);
            return true;
        }

        if (JapaneseDate.TryParseFiscalYear(value, out var start, out _))
        {
            year = new FiscalYear(start.Year);
            return true;
        }

        return false;
    }

    public int CompareTo(FiscalYear other) => Year.CompareTo(other.Year);

    public static bool operator <(FiscalYear a, FiscalYear b) => a.Year < b.Year;

    public static bool operator >(FiscalYear a, FiscalYear b) => a.Year > b.Year;

    public static bool operator <=(FiscalYear a, FiscalYear b) => a.Year <= b.Year;

    public static bool operator >=(FiscalYear a, FiscalYear b) => a.Year >= b.Year;

    public override string ToString() => LabelEn;
}
