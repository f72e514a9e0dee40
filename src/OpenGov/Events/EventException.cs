using System.Globalization;

namespace OpenGov.Events;

/// <summary>An error of an event action, with its message in Japanese (pages) and English (API).</summary>
public sealed class EventException(int status, string code, string ja, string en) : Exception(en)
{
    public int Status { get; } = status;
    public string Code { get; } = code;
    public string Ja { get; } = ja;
    public string En { get; } = en;

    public string Localized => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en" ? En : Ja;

    public static EventException NotFound(string what = "event") =>
        new(404, "not_found", what switch { "question" => "質問が見つかりません。", "poll" => "投票が見つかりません。", _ => "イベントが見つかりません。" }, $"No such {what}.");

    public static EventException Unauthorized() =>
        new(401, "unauthorized", "ログインしてください。", "Login or an API token is required.");

    public static EventException Forbidden() =>
        new(403, "forbidden", "この操作の権限がありません。", "Not authorized: this action needs the moderator role for the event.");

    public static EventException Invalid(string ja, string en) => new(400, "invalid", ja, en);

    public static EventException Banned() =>
        new(403, "banned", "このイベントでは投稿できません。", "This participant is banned from the event.");

    public static EventException AlreadyVoted() =>
        new(409, "already_voted", "この質問にはすでに投票しています。", "This participant has already voted for the question.");

    public static EventException NotVoted() =>
        new(409, "not_voted", "この質問には投票していません。", "This participant has not voted for the question.");

    public static EventException OwnQuestion() =>
        new(409, "own_question", "自分の質問には投票できません。", "Participants may not vote for their own question in this event.");

    public static EventException AlreadyAnswered() =>
        new(409, "already_answered", "この投票にはすでに回答しています。", "This participant has already answered the poll in this round.");

    /// <summary>
    /// 507: the server's storage is full (<see cref="Hosting.StorageSpace.IsDiskFull"/>, the one rule the catalog's
    /// uploads and the DataStore use too), with the same reason in both languages; nothing was saved.
    /// </summary>
    public static EventException StorageFull() =>
        new(507, "storage_full", Hosting.StorageFullException.MessageJapanese, Hosting.StorageFullException.MessageEnglish);

    /// <summary>The event error an exception stands for: itself, or <see cref="StorageFull"/> for a full disk; otherwise null.</summary>
    public static EventException? From(Exception e) =>
        e as EventException ?? (Hosting.StorageSpace.IsDiskFull(e) ? StorageFull() : null);

    public static EventException RateLimited() =>
        new(429, "rate_limited", "投稿が多すぎます。しばらく待ってから、もう一度お試しください。", "Too many requests from this participant: wait a little and try again.");
}
