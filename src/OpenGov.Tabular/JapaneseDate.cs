using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace OpenGov.Tabular;

/// <summary>A Japanese era (元号) with its first day (Gregorian).</summary>
/// <param name="Name">Kanji name, e.g. 令和.</param>
/// <param name="Letter">Roman initial used in short forms, e.g. R.</param>
/// <param name="Start">First day of the era.</param>
public sealed record JapaneseEra(string Name, char Letter, DateOnly Start);

/// <summary>Options for <see cref="JapaneseDate"/>.</summary>
public sealed record JapaneseDateOptions
{
    /// <summary>Default options (strict era ranges).</summary>
    public static JapaneseDateOptions Default { get; } = new();

    /// <summary>
    /// When false (default), a 和暦 date after its era ended is rejected (平成31年5月1日, 平成32年1月1日).
    /// When true, such dates are mapped arithmetically (平成32年 = 2020), as pre-printed forms and
    /// systems not updated after 2019-05-01 still produce them. 令和0年 and dates before an era's start are always rejected.
    /// </summary>
    public bool AllowEraOverflow { get; init; }
}

/// <summary>
/// Parses Japanese and western date forms: 令和2年11月6日, 令和２年１１月６日, 令和元年5月1日, R2.11.6, R02/11/06,
/// H31.4.1, S64.1.7, 2020年11月6日, 2020/11/6, 2020-11-06, month/day/year with the year last as Excel writes dates in
/// an English-locale export (4/10/2023 = 2023-04-10; 高松市's LinkData CSVs), a trailing weekday such as (金), timestamps
/// (2020/11/06 10:00, ISO 8601 with T, Z or an offset) and fiscal years (令和2年度 → 2020-04-01..2021-03-31).
/// All methods are Try-style and never throw on bad input.
/// </summary>
public static partial class JapaneseDate
{
    /// <summary>The supported eras, oldest first.</summary>
    public static IReadOnlyList<JapaneseEra> Eras { get; } =
    [
        new("明治", 'M', new DateOnly(1868, 1, 25)),
        new("大正", 'T', new DateOnly(1912, 7, 30)),
        new("昭和", 'S', new DateOnly(1926, 12, 25)),
        new("平成", 'H', new DateOnly(1989, 1, 8)),
        new("令和", 'R', new DateOnly(2019, 5, 1)),
    ];

    private const int MaxLength = 64;

    /// <summary>Parses a date (no time part).</summary>
    public static bool TryParseDate(string? value, out DateOnly date) => TryParseDate(value, JapaneseDateOptions.Default, out date);

    /// <summary>Parses a date (no time part) with options.</summary>
    public static bool TryParseDate(string? value, JapaneseDateOptions options, out DateOnly date)
    {
        date = default;
        if (value is null)
        {
            return false;
        }
        // Fast path: ISO yyyy-MM-dd
        if (value.Length == 10 && value[4] == '-' && value[7] == '-' && TryIsoFast(value, out date))
        {
            return true;
        }
        return TryParseCore(value, options, out date, out var time, out _) && time is null;
    }

    /// <summary>
    /// Month/day/two-digit year (4/22/21), as an English-locale Excel export writes dates. Not read by
    /// <see cref="TryParseDate(string?, out DateOnly)"/>: on its own such a value is ambiguous (21/4/22, 3/4/22), so only a
    /// whole column of them is taken for dates (<see cref="TypeInference"/>). The year is read as Excel does with two
    /// digits: 00-29 are 2000-2029, 30-99 are 1930-1999. <paramref name="dayOver12"/> tells whether the day proves the
    /// month/day order (4/22/21).
    /// </summary>
    public static bool TryParseMonthDayShortYear(string? value, out DateOnly date, out bool dayOver12)
    {
        date = default;
        dayOver12 = false;
        if (value is null || value.Length is < 6 or > 8)
        {
            return false;
        }
        var parts = value.Split('/');
        if (parts.Length != 3 || parts[2].Length != 2 || parts[0].Length is < 1 or > 2 || parts[1].Length is < 1 or > 2
            || !parts.All(p => p.All(char.IsAsciiDigit)))
        {
            return false;
        }
        int month = int.Parse(parts[0], CultureInfo.InvariantCulture), day = int.Parse(parts[1], CultureInfo.InvariantCulture),
            yy = int.Parse(parts[2], CultureInfo.InvariantCulture);
        var year = yy < 30 ? 2000 + yy : 1900 + yy;
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }
        date = new DateOnly(year, month, day);
        dayOver12 = day > 12;
        return true;
    }

    /// <summary>
    /// Parses a timestamp (date and time). A value with Z or an offset is converted to UTC (Kind Utc);
    /// otherwise the wall-clock value is returned (Kind Unspecified). A date without time is rejected.
    /// </summary>
    public static bool TryParseTimestamp(string? value, out DateTime timestamp) => TryParseTimestamp(value, JapaneseDateOptions.Default, out timestamp);

    /// <summary>Parses a timestamp with options.</summary>
    public static bool TryParseTimestamp(string? value, JapaneseDateOptions options, out DateTime timestamp)
    {
        timestamp = default;
        if (value is null || !TryParseCore(value, options, out var date, out var time, out var offset) || time is null)
        {
            return false;
        }
        var dt = date.ToDateTime(time.Value, DateTimeKind.Unspecified);
        if (offset is { } o)
        {
            try
            {
                dt = DateTime.SpecifyKind(dt - o, DateTimeKind.Utc);
            }
            catch (ArgumentOutOfRangeException)
            {
                return false;
            }
        }
        timestamp = dt;
        return true;
    }

    /// <summary>
    /// Parses a fiscal year (年度, April 1 to March 31): 令和2年度, R2年度, 令和元年度, 平成31年度, 2020年度, ２０２０年度.
    /// An era fiscal year is accepted when it overlaps the era (so 令和元年度 and 平成31年度 are both 2019).
    /// </summary>
    public static bool TryParseFiscalYear(string? value, out DateOnly start, out DateOnly end) =>
        TryParseFiscalYear(value, JapaneseDateOptions.Default, out start, out end);

    /// <summary>Parses a fiscal year with options.</summary>
    public static bool TryParseFiscalYear(string? value, JapaneseDateOptions options, out DateOnly start, out DateOnly end)
    {
        start = end = default;
        var s = Prepare(value);
        if (s is null)
        {
            return false;
        }
        var m = FiscalRegex().Match(s);
        if (!m.Success)
        {
            return false;
        }
        int year;
        if (m.Groups["wy"].Success)
        {
            year = int.Parse(m.Groups["wy"].Value, CultureInfo.InvariantCulture);
            if (year is < 1868 or > 9998)
            {
                return false;
            }
        }
        else
        {
            var era = FindEra(m.Groups["era"].Value);
            if (era < 0 || !TryEraYear(m.Groups["ey"].Value, out var n))
            {
                return false;
            }
            year = Eras[era].Start.Year + n - 1;
            if (year > 9998)
            {
                return false;
            }
            // the fiscal year must overlap the era: start (April 1) before the next era begins
            if (!options.AllowEraOverflow && era + 1 < Eras.Count && new DateOnly(year, 4, 1) >= Eras[era + 1].Start)
            {
                return false;
            }
        }
        start = new DateOnly(year, 4, 1);
        end = new DateOnly(year + 1, 3, 31);
        return true;
    }

    /// <summary>
    /// Parses a time of day without a date: 9:00, 09:00:00, 9：00 (full-width colon), 9時, 9時30分, 9時30分15秒.
    /// 24:00 is not accepted (a time of day is 00:00..23:59:59).
    /// </summary>
    public static bool TryParseTime(string? value, out TimeOnly time)
    {
        time = default;
        var s = Prepare(value);
        if (s is null)
        {
            return false;
        }
        var m = TimeRegex().Match(s);
        if (!m.Success)
        {
            return false;
        }
        var h = int.Parse(m.Groups["h"].Value, CultureInfo.InvariantCulture);
        var mi = m.Groups["mi"].Success ? int.Parse(m.Groups["mi"].Value, CultureInfo.InvariantCulture) : 0;
        var sec = m.Groups["s"].Success ? int.Parse(m.Groups["s"].Value, CultureInfo.InvariantCulture) : 0;
        if (h > 23 || mi > 59 || sec > 59)
        {
            return false;
        }
        time = new TimeOnly(h, mi, sec);
        return true;
    }

    /// <summary>Formats a date as 和暦 (e.g. 令和2年11月6日, 令和元年5月1日). Dates before 明治 are returned in ISO form.</summary>
    public static string ToWareki(DateOnly date)
    {
        for (var i = Eras.Count - 1; i >= 0; i--)
        {
            if (date >= Eras[i].Start)
            {
                var n = date.Year - Eras[i].Start.Year + 1;
                var y = n == 1 ? "元" : n.ToString(CultureInfo.InvariantCulture);
                return $"{Eras[i].Name}{y}年{date.Month}月{date.Day}日";
            }
        }
        return date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    private static bool TryIsoFast(string v, out DateOnly date)
    {
        date = default;
        int y = 0, mo = 0, d = 0;
        for (var i = 0; i < 10; i++)
        {
            if (i is 4 or 7)
            {
                continue;
            }
            var c = v[i];
            if (c is < '0' or > '9')
            {
                return false;
            }
            var x = c - '0';
            if (i < 4)
            {
                y = (y * 10) + x;
            }
            else if (i < 7)
            {
                mo = (mo * 10) + x;
            }
            else
            {
                d = (d * 10) + x;
            }
        }
        return TryMake(y, mo, d, out date);
    }

    private static string? Prepare(string? value)
    {
        if (value is null || value.Length > MaxLength * 2)
        {
            return null;
        }
        var s = TextNormalizer.Trim(value);
        if (s.Length == 0 || s.Length > MaxLength)
        {
            return null;
        }
        if (!TextNormalizer.IsAsciiOnly(s))
        {
            try
            {
                s = s.Normalize(NormalizationForm.FormKC);
            }
            catch (ArgumentException)
            {
                return null; // invalid surrogates
            }
        }
        s = WeekdaySuffixRegex().Replace(s, "");
        return s.Trim();
    }

    private static bool TryParseCore(string value, JapaneseDateOptions options, out DateOnly date, out TimeOnly? time, out TimeSpan? offset)
    {
        date = default;
        time = null;
        offset = null;
        var s = Prepare(value);
        if (s is null)
        {
            return false;
        }
        var m = DateRegex().Match(s);
        if (!m.Success)
        {
            return false;
        }
        int year;
        var month = int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture);
        var day = int.Parse(m.Groups["d"].Value, CultureInfo.InvariantCulture);
        if (m.Groups["wy"].Success)
        {
            year = int.Parse(m.Groups["wy"].Value, CultureInfo.InvariantCulture);
            if (!TryMake(year, month, day, out date))
            {
                return false;
            }
        }
        else
        {
            var era = FindEra(m.Groups["era"].Value);
            if (era < 0 || !TryEraYear(m.Groups["ey"].Value, out var n))
            {
                return false;
            }
            year = Eras[era].Start.Year + n - 1;
            if (!TryMake(year, month, day, out date) || date < Eras[era].Start)
            {
                return false;
            }
            if (!options.AllowEraOverflow && era + 1 < Eras.Count && date >= Eras[era + 1].Start)
            {
                return false;
            }
        }

        if (m.Groups["h"].Success)
        {
            var h = int.Parse(m.Groups["h"].Value, CultureInfo.InvariantCulture);
            var mi = m.Groups["mi"].Success ? int.Parse(m.Groups["mi"].Value, CultureInfo.InvariantCulture) : 0;
            var sec = m.Groups["s"].Success ? int.Parse(m.Groups["s"].Value, CultureInfo.InvariantCulture) : 0;
            if (m.Groups["ampm"].Success)
            {
                // 午前/午後 take 0–12: 午後6時 = 18:00, 午前12時 = 00:00, 午後12時 = 12:00
                if (h > 12)
                {
                    return false;
                }
                h = m.Groups["ampm"].Value == "午後" ? (h % 12) + 12 : h % 12;
            }
            long ticks = 0;
            if (m.Groups["f"].Success)
            {
                var f = m.Groups["f"].Value;
                f = f.Length > 7 ? f[..7] : f.PadRight(7, '0');
                ticks = long.Parse(f, CultureInfo.InvariantCulture);
            }
            if (h == 24 && mi == 0 && sec == 0 && ticks == 0 && date < DateOnly.MaxValue)
            {
                // 24:00 ends the day (river levels, weather observations): the next day at 00:00, as ISO 8601 allows
                date = date.AddDays(1);
                h = 0;
            }
            if (h > 23 || mi > 59 || sec > 59)
            {
                return false;
            }
            time = new TimeOnly(h, mi, sec).Add(TimeSpan.FromTicks(ticks));
            if (m.Groups["z"].Success)
            {
                var z = m.Groups["z"].Value;
                if (z is "Z" or "z")
                {
                    offset = TimeSpan.Zero;
                }
                else
                {
                    var sign = z[0] == '-' ? -1 : 1;
                    var digits = z[1..].Replace(":", "", StringComparison.Ordinal);
                    var oh = int.Parse(digits[..2], CultureInfo.InvariantCulture);
                    var om = int.Parse(digits[2..], CultureInfo.InvariantCulture);
                    if (oh > 14 || om > 59)
                    {
                        return false;
                    }
                    offset = sign * new TimeSpan(oh, om, 0);
                }
            }
        }
        return true;
    }

    private static bool TryEraYear(string s, out int n)
    {
        n = 0;
        if (s == "元")
        {
            n = 1;
            return true;
        }
        return int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out n) && n >= 1 && n <= 99;
    }

    private static int FindEra(string s)
    {
        for (var i = 0; i < Eras.Count; i++)
        {
            if (s == Eras[i].Name || (s.Length == 1 && char.ToUpperInvariant(s[0]) == Eras[i].Letter))
            {
                return i;
            }
        }
        return -1;
    }

    private static bool TryMake(int y, int m, int d, out DateOnly date)
    {
        date = default;
        if (y is < 1 or > 9999 || m is < 1 or > 12 || d < 1 || d > DateTime.DaysInMonth(y, m))
        {
            return false;
        }
        date = new DateOnly(y, m, d);
        return true;
    }

    [GeneratedRegex(@"\s*[(][月火水木金土日祝曜a-zA-Z. ]{1,6}[)]$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex WeekdaySuffixRegex();

    [GeneratedRegex(@"^(?:(?<wy>[0-9]{4})(?:[-/.](?<m>[0-9]{1,2})[-/.](?<d>[0-9]{1,2})|年\s*(?<m>[0-9]{1,2})\s*月\s*(?<d>[0-9]{1,2})\s*日)|(?<era>明治|大正|昭和|平成|令和|[MTSHRmtshr])\s*(?:(?<ey>[0-9]{1,2}|元)\s*年\s*(?<m>[0-9]{1,2})\s*月\s*(?<d>[0-9]{1,2})\s*日|(?<ey>[0-9]{1,2})[-/.](?<m>[0-9]{1,2})[-/.](?<d>[0-9]{1,2}))|(?<m>[0-9]{1,2})/(?<d>[0-9]{1,2})/(?<wy>[0-9]{4}))(?:(?:\s+|T|\s*(?<ampm>午前|午後)\s*)(?<h>[0-9]{1,2})(?::(?<mi>[0-9]{2})(?::(?<s>[0-9]{2})(?:\.(?<f>[0-9]{1,9}))?)?|\s*時(?:\s*(?<mi>[0-9]{1,2})\s*分(?:\s*(?<s>[0-9]{1,2})\s*秒)?)?)(?<z>Z|z|[+-][0-9]{2}:?[0-9]{2})?)?$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex DateRegex();

    [GeneratedRegex(@"^(?:(?<h>[0-9]{1,2}):(?<mi>[0-9]{2})(?::(?<s>[0-9]{2}))?|(?<h>[0-9]{1,2})\s*時(?:\s*(?<mi>[0-9]{1,2})\s*分(?:\s*(?<s>[0-9]{1,2})\s*秒)?)?)$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex TimeRegex();

    [GeneratedRegex(@"^(?:(?<wy>[0-9]{4})|(?<era>明治|大正|昭和|平成|令和|[MTSHRmtshr])\s*(?<ey>[0-9]{1,2}|元))\s*年度$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex FiscalRegex();
}
