using System.Globalization;

namespace OpenGov.Shared;

/// <summary>
/// Every time a page shows is Japan time (JST, UTC+9, no daylight saving), whatever the server's zone: the one place
/// pages turn a stored UTC time (or a CKAN timestamp string, naive UTC) into text.
/// </summary>
public static class JapanTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(9);

    private static bool English => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    /// <summary>A stored time (UTC, or Unspecified meaning UTC; Local is converted) in JST.</summary>
    public static DateTimeOffset From(DateTime utc) => new DateTimeOffset(
        utc.Kind == DateTimeKind.Local ? utc.ToUniversalTime() : DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToOffset(Offset);

    /// <summary>The JST calendar day a stored UTC time falls on.</summary>
    public static DateOnly Day(DateTime utc) => DateOnly.FromDateTime(From(utc).DateTime);

    /// <summary>Today in Japan.</summary>
    public static DateOnly Today() => Day(DateTime.UtcNow);

    /// <summary>The UTC instant at which a Japanese day begins (JST midnight): the bound for "on or after this day".</summary>
    public static DateTime StartUtc(DateOnly day) => day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) - Offset;

    /// <summary>A CKAN timestamp (naive UTC, or with its offset) in JST; null when it does not parse.</summary>
    public static DateTimeOffset? FromCkan(string? ckanTime) =>
        DateTime.TryParse(ckanTime, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d)
            ? From(d)
            : null;

    /// <summary>The JST calendar day: 2026-12-07.</summary>
    public static string Date(DateTime utc) => From(utc).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The JST calendar day of a CKAN timestamp ("" when it does not parse).</summary>
    public static string Date(string? ckanTime) => FromCkan(ckanTime) is { } t ? t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "";

    /// <summary>Day and minute in JST: 「2026年12月7日 05:00」, or "2026-12-07 05:00 JST" in English.</summary>
    public static string Minute(DateTime utc)
    {
        var t = From(utc);
        return English
            ? t.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " JST"
            : t.ToString("yyyy年M月d日 HH:mm", CultureInfo.InvariantCulture);
    }

    public static string Minute(DateTime? utc) => utc is { } v ? Minute(v) : "";

    /// <summary>Day, minute and second in JST (audit lists): 2026-12-07 05:00:01 (JST appended in English).</summary>
    public static string Seconds(DateTime utc) =>
        From(utc).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + (English ? " JST" : "");

    /// <summary>The machine-readable value of a &lt;time&gt; element, with the +09:00 offset.</summary>
    public static string Iso(DateTime utc) => From(utc).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
