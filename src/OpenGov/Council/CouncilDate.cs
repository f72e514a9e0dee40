using System.Globalization;
using OpenGov.Tabular;

namespace OpenGov.Council;

/// <summary>How exactly a registry date is known.</summary>
public static class DatePrecision
{
    /// <summary>The exact day.</summary>
    public const string Day = "day";

    /// <summary>Only the fiscal year (平成28年度): stored as its April 1.</summary>
    public const string FiscalYear = "fiscal_year";

    /// <summary>Only that it was so by this day (会員であったことが確認できる日): the start is earlier or unknown.</summary>
    public const string OnOrBefore = "on_or_before";

    public static bool IsValid(string? p) => p is Day or FiscalYear or OnOrBefore;
}

/// <summary>A date of the registry with its precision: parsing what the secretariat types, and showing it.</summary>
public readonly record struct CouncilDate(DateOnly Date, string Precision)
{
    /// <summary>
    /// Accepts a day (2020-11-06, 令和2年11月6日, 2020/11/06), a fiscal year (平成28年度, 2016年度, FY2016: stored as its
    /// April 1) or a day followed by 以前 / "or earlier" (on or before).
    /// </summary>
    public static bool TryParse(string? text, out CouncilDate value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        foreach (var suffix in (string[])["以前", "or earlier"])
        {
            if (s.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) && JapaneseDate.TryParseDate(s[..^suffix.Length].Trim(), out var d0))
            {
                value = new CouncilDate(d0, DatePrecision.OnOrBefore);
                return true;
            }
        }

        if (JapaneseDate.TryParseDate(s, out var day))
        {
            value = new CouncilDate(day, DatePrecision.Day);
            return true;
        }

        if (CouncilFiscalYear.TryParse(s, out var fy))
        {
            value = new CouncilDate(fy.Start, DatePrecision.FiscalYear);
            return true;
        }

        return false;
    }

    public FiscalYear FiscalYear => OpenGov.Tabular.FiscalYear.FromDate(Date);

    /// <summary>What a form shows back: 2013-04-01, 平成28年度, 2020-11-06以前.</summary>
    public string Input => Precision switch
    {
        DatePrecision.FiscalYear => FiscalYear.WarekiName,
        DatePrecision.OnOrBefore => Iso(Date) + "以前",
        _ => Iso(Date),
    };

    public string Label(bool english) => Precision switch
    {
        DatePrecision.FiscalYear => english ? "during " + FiscalYear.Label(true) : FiscalYear.WarekiName + "中",
        DatePrecision.OnOrBefore => english ? "by " + Iso(Date) : CouncilFormat.DateJa(Date) + "以前",
        _ => english ? Iso(Date) : CouncilFormat.DateJa(Date),
    };

    public static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>Japanese renderings of dates used by the registry and the press release.</summary>
public static class CouncilFormat
{
    private static readonly string[] Weekdays = ["日", "月", "火", "水", "木", "金", "土"];

    /// <summary>2013年4月1日.</summary>
    public static string DateJa(DateOnly d) => $"{d.Year}年{d.Month}月{d.Day}日";

    /// <summary>令和2年（2020年）11月6日（金）, as press releases write the 発信日.</summary>
    public static string WarekiWithWestern(DateOnly d, bool weekday = true)
    {
        var wareki = JapaneseDate.ToWareki(d);
        var year = wareki[..(wareki.IndexOf('年') + 1)];
        return $"{year}（{d.Year}年）{d.Month}月{d.Day}日" + (weekday ? $"（{Weekdays[(int)d.DayOfWeek]}）" : "");
    }

    /// <summary>平成25年4月1日.</summary>
    public static string Wareki(DateOnly d) => JapaneseDate.ToWareki(d);
}
