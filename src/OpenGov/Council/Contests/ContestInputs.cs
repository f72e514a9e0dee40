using System.Globalization;
using System.Text.RegularExpressions;

namespace OpenGov.Council.Contests;

/// <summary>A rubric line as typed: name, English name, weight, the highest score and what the judges look at.</summary>
public sealed record CriterionInput(string? Name, string? NameEn, double? Weight, int? MaxScore, string? Description = null, string? DescriptionEn = null);

/// <summary>
/// A contest as the secretariat types it: dates in Japan time (2020-10-15T23:59, or a day: from its start for the
/// opening, to its end for the deadline and the close of judging), categories one a line, the ceremony event by slug,
/// the judging panel as user names (null: unchanged), whether the results (and awarded entries' files) are published (null: unchanged),
/// whether the call itself is published (null: unchanged; a new contest is published unless it says false).
/// </summary>
public sealed record ContestInput(
    string? Slug, string? Kind, string? Title, string? TitleEn, string? Rules, string? RulesEn, string? Categories,
    string? Opens, string? Deadline, string? JudgingCloses, string? Ceremony, List<CriterionInput>? Criteria,
    string? Eligibility = null, string? EligibilityEn = null, string? Prizes = null, string? PrizesEn = null,
    string? Judges = null, bool? PublishResults = null, bool? Published = null);

/// <summary>An entry as the team types it; lists one a line (or comma-separated); submit=false keeps it a draft.</summary>
public sealed record EntryInput(
    string? Title, string? Summary, string? Category, string? TeamName, string? Datasets, string? Links, string? Members, bool? Submit);

/// <summary>A judge's scores: criterion id → score, and a comment.</summary>
public sealed record ScoreInput(Dictionary<string, int?>? Scores, string? Comment);

public sealed record ScreeningInput(string? State);

public sealed record JudgeInput(string? User);

public sealed record AwardInput(long? Entry, string? Name, string? NameEn);

/// <summary>create (the poll in the ceremony event), open or close.</summary>
public sealed record AudienceVoteInput(string? Action);

/// <summary>Reading what people type: Japan-time dates, lists, lengths.</summary>
public static partial class ContestText
{
    private static readonly TimeSpan Jst = Shared.JapanTime.Offset;

    public static DateTime ToJst(DateTime utc) => DateTime.SpecifyKind(utc + Jst, DateTimeKind.Unspecified);

    /// <summary>2020年10月15日 23:59 (ja) or 2020-10-15 23:59 JST (en).</summary>
    public static string Format(DateTime utc, bool english) =>
        english ? ToJst(utc).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " JST" : ToJst(utc).ToString("yyyy年M月d日 HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The value of a datetime-local input.</summary>
    public static string Input(DateTime utc) => ToJst(utc).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);

    /// <summary>A Japan-time moment; a bare day means its start (<paramref name="endOfDay"/> false) or the start of the next day.</summary>
    public static DateTime ParseMoment(string? text, string field, bool endOfDay)
    {
        var t = Tabular.TextNormalizer.ToHalfWidthDigits(text?.Trim() ?? "");
        if (t.Length == 0)
        {
            throw CouncilException.Invalid(field, "日時を入力してください（例: 2020-10-15T23:59 または 2020-10-15）。");
        }

        string[] withTime = ["yyyy-MM-ddTHH:mm", "yyyy-MM-dd HH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-dd HH:mm:ss"];
        if (DateTime.TryParseExact(t, withTime, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return DateTime.SpecifyKind(local - Jst, DateTimeKind.Utc);
        }

        if (DateOnly.TryParseExact(t, ["yyyy-MM-dd", "yyyy/M/d"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            var start = day.ToDateTime(TimeOnly.MinValue) - Jst;
            return DateTime.SpecifyKind(endOfDay ? start.AddDays(1) : start, DateTimeKind.Utc);
        }

        throw CouncilException.Invalid(field, "「{0}」は日時として読めません（例: 2020-10-15T23:59 または 2020-10-15）。", t);
    }

    /// <summary>A file's size for people: 850 B, 12 KB, 3.4 MB.</summary>
    public static string Size(long bytes) => bytes switch
    {
        < 1024 => bytes.ToString(CultureInfo.InvariantCulture) + " B",
        < 1024 * 1024 => (bytes / 1024).ToString(CultureInfo.InvariantCulture) + " KB",
        _ => (bytes / 1024d / 1024d).ToString("0.0", CultureInfo.InvariantCulture) + " MB",
    };

    /// <summary>The items of a list typed one a line or separated by commas (、 too), trimmed, without repeats.</summary>
    public static List<string> Items(string? text) =>
        [.. ListSeparator().Split(text ?? "").Select(s => s.Trim()).Where(s => s.Length > 0).Distinct()];

    public static string Limit(string? value, int max, string field, bool required = false)
    {
        var v = (value ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
        if (required && v.Length == 0)
        {
            throw CouncilException.Invalid(field, "入力してください（{0}文字以内）。", max);
        }

        return v.Length <= max ? v : throw CouncilException.Invalid(field, "{0}文字以内で入力してください。", max);
    }

    [GeneratedRegex(@"[\n,、，]")]
    private static partial Regex ListSeparator();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,99}$")]
    public static partial Regex SlugPattern();
}
