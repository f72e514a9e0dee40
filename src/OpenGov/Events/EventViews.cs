using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;

namespace OpenGov.Events;

/// <summary>A question as pages and live streams see it.</summary>
public sealed record QuestionView(
    long Id,
    string Text,
    string Name,
    string Affiliation,
    int Votes,
    string State,
    bool Answered,
    bool Pinned,
    bool Highlighted,
    string Source,
    DateTime Created,
    long? MergedInto,
    string? Participant)
{
    public static QuestionView Of(Question q, long? highlighted, bool moderator) => new(
        q.Id, q.Text, q.AuthorName, q.AuthorAffiliation, q.Votes, q.State, q.Answered, q.Pinned, highlighted == q.Id,
        q.Source, DateTime.SpecifyKind(q.Created, DateTimeKind.Utc), q.MergedIntoId, moderator ? q.ParticipantId : null);
}

/// <summary>A choice of a poll. The JSON keeps its published name labelJa for <see cref="Label"/>.</summary>
public sealed record PollOptionView(long Id, [property: JsonPropertyName("labelJa")] string Label, string LabelEn);

/// <summary>Counts of a choice in the current round, and (leaderboard) over all rounds.</summary>
public sealed record PollCount(long OptionId, int Votes, int Total);

public sealed record WordCount(string Word, int Count);

/// <summary>A poll with its live results. The JSON keeps its published name questionJa for <see cref="Question"/>.</summary>
public sealed record PollView(
    long Id,
    string Kind,
    [property: JsonPropertyName("questionJa")] string Question,
    string QuestionEn,
    string State,
    int Round,
    int MaxRating,
    IReadOnlyList<PollOptionView> Options,
    int Responses,
    IReadOnlyList<PollCount> Counts,
    double? AverageRating,
    IReadOnlyList<int> RatingDistribution,
    IReadOnlyList<WordCount> Words);

/// <summary>
/// What one log entry tells live pages: the changed questions and polls, the highlighted question and, when the
/// moderators changed it, whether one may vote for one's own question (absent otherwise).
/// </summary>
public sealed record ChangeView(long? Highlighted, IReadOnlyList<QuestionView> Questions, IReadOnlyList<long> Removed, IReadOnlyList<PollView> Polls, IReadOnlyList<long> RemovedPolls,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? VoteOwnQuestion = null);

public static class EventJson
{
    /// <summary>camelCase; Japanese kept readable; HTML-sensitive characters escaped so the JSON is safe inside a page.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}

/// <summary>Times of events are shown in Japan Standard Time (UTC+9, no daylight saving).</summary>
public static class Jst
{
    public static readonly TimeSpan Offset = Shared.JapanTime.Offset;

    public static DateTimeOffset From(DateTime utc) => Shared.JapanTime.From(utc);

    public static DateTime ToUtc(DateTimeOffset value) => value.UtcDateTime;

    private static readonly string[] JaDays = ["日", "月", "火", "水", "木", "金", "土"];

    /// <summary>「2020年11月19日（木）15:00～16:30」 or "Thu 19 Nov 2020, 15:00–16:30 JST".</summary>
    public static string Range(DateTime startUtc, DateTime endUtc, bool english)
    {
        var s = From(startUtc);
        var e = From(endUtc);
        if (english)
        {
            var day = s.ToString("ddd d MMM yyyy, HH:mm", CultureInfo.InvariantCulture);
            return s.Date == e.Date ? $"{day}–{e:HH:mm} JST" : $"{day} – {e.ToString("ddd d MMM yyyy, HH:mm", CultureInfo.InvariantCulture)} JST";
        }

        var ja = $"{s.Year}年{s.Month}月{s.Day}日（{JaDays[(int)s.DayOfWeek]}）{s:HH:mm}";
        return s.Date == e.Date ? $"{ja}～{e:HH:mm}" : $"{ja}～{e.Year}年{e.Month}月{e.Day}日 {e:HH:mm}";
    }
}
