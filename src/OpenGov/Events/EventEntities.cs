using OpenGov.Events.Polls;

namespace OpenGov.Events;

/// <summary>A council event (symposium): public page, live player, question posting, polls.</summary>
public sealed class Event
{
    public string Id { get; set; } = Guid.NewGuid().ToString("N");

    /// <summary>URL name: /event/{slug}.</summary>
    public required string Slug { get; set; }

    public required string Title { get; set; }
    public string TitleEn { get; set; } = "";
    public string Theme { get; set; } = "";
    public string ThemeEn { get; set; } = "";
    public string Summary { get; set; } = "";
    public string SummaryEn { get; set; } = "";

    /// <summary>Start and end instants (UTC); shown in JST.</summary>
    public DateTime StartsAt { get; set; }
    public DateTime EndsAt { get; set; }

    /// <summary>How it is held, e.g. 「オンライン（Zoom・YouTubeライブ配信）」.</summary>
    public string Format { get; set; } = "";
    public string FormatEn { get; set; } = "";

    /// <summary>YouTube video id of the live stream; the same video is the replay after the event.</summary>
    public string? YouTubeVideoId { get; set; }
    public string? PrVideoId { get; set; }

    /// <summary>Zoom join details: shown only to the event's panelists and moderators.</summary>
    public string? ZoomJoinUrl { get; set; }
    public string? ZoomMeetingId { get; set; }
    public string? ZoomPasscode { get; set; }

    /// <summary>Press notice: 発信日, 宛先, 種別 (comma separated: 取材依頼, 周知依頼, 募集告知), 発信元.</summary>
    public DateOnly? PressIssuedOn { get; set; }
    public string PressAddressee { get; set; } = "";
    public string PressKinds { get; set; } = "";
    public string PressSender { get; set; } = "";

    /// <summary>Short question-posting code: /q/{code}.</summary>
    public required string QuestionCode { get; set; }

    /// <summary>Secret of the presenter screen: /p/{secret}.</summary>
    public required string PresenterSecret { get; set; }

    /// <summary>New questions wait for a moderator when true.</summary>
    public bool PreModeration { get; set; }

    /// <summary>Whether a participant may vote for their own question (a moderator's setting; default yes).</summary>
    public bool VoteOwnQuestion { get; set; } = true;

    /// <summary>NG words, one a line: questions containing one are held for review.</summary>
    public string NgWords { get; set; } = "";

    /// <summary>The question on screen now.</summary>
    public long? HighlightedQuestionId { get; set; }

    /// <summary>Last sequence number of this event's log (incremented in the writing transaction).</summary>
    public long LastSeq { get; set; }

    /// <summary>YouTube live chat import: the chat id, on/off and the next page token of the poller.</summary>
    public string? YouTubeLiveChatId { get; set; }
    public bool ImportYouTubeChat { get; set; }
    public string? YouTubeNextPageToken { get; set; }

    public DateTime Created { get; set; } = DateTime.UtcNow;

    public List<ProgrammeItem> Programme { get; set; } = [];
}

/// <summary>One part of the programme (keynote, panel discussion).</summary>
public sealed class ProgrammeItem
{
    public long Id { get; set; }
    public string EventId { get; set; } = "";
    public int Order { get; set; }

    /// <summary>keynote | panel | other.</summary>
    public string Kind { get; set; } = "other";
    public string Title { get; set; } = "";
    public string TitleEn { get; set; } = "";
    public List<Speaker> Speakers { get; set; } = [];
}

/// <summary>A speaker of a programme item.</summary>
public sealed class Speaker
{
    public long Id { get; set; }
    public long ProgrammeItemId { get; set; }
    public int Order { get; set; }
    public string Name { get; set; } = "";
    public string NameEn { get; set; } = "";

    /// <summary>Affiliations, one a line.</summary>
    public string Affiliation { get; set; } = "";
    public string AffiliationEn { get; set; } = "";

    /// <summary>keynote | moderator | panelist.</summary>
    public string Role { get; set; } = "panelist";
}

/// <summary>Staff roles of an event.</summary>
public static class EventRoles
{
    public const string Moderator = "moderator";
    public const string Panelist = "panelist";

    public static bool IsValid(string? role) => role is Moderator or Panelist;
}

/// <summary>A user's role in one event: moderators run the console; panelists and moderators see the Zoom details.</summary>
public sealed class EventModerator
{
    public string EventId { get; set; } = "";
    public string UserId { get; set; } = "";
    public string Role { get; set; } = EventRoles.Moderator;
    public DateTime Created { get; set; } = DateTime.UtcNow;
}

/// <summary>Question states.</summary>
public static class QuestionStates
{
    /// <summary>Waiting for a moderator (pre-moderation).</summary>
    public const string Pending = "pending";

    /// <summary>Contains an NG word: waiting for a moderator whatever the pre-moderation setting.</summary>
    public const string Held = "held";
    public const string Approved = "approved";
    public const string Dismissed = "dismissed";

    /// <summary>Merged into another question (its votes moved there).</summary>
    public const string Merged = "merged";
}

/// <summary>A question of the audience.</summary>
public sealed class Question
{
    public long Id { get; set; }
    public string EventId { get; set; } = "";
    public required string Text { get; set; }
    public string AuthorName { get; set; } = "";
    public string AuthorAffiliation { get; set; } = "";

    /// <summary>Hash of the participant's cookie token (never the token itself).</summary>
    public string ParticipantId { get; set; } = "";
    public string State { get; set; } = QuestionStates.Approved;
    public bool Answered { get; set; }
    public bool Pinned { get; set; }
    public long? MergedIntoId { get; set; }
    public int Votes { get; set; }

    /// <summary>web | youtube.</summary>
    public string Source { get; set; } = "web";

    /// <summary>Id at the source (YouTube message id), for de-duplication.</summary>
    public string? ExternalId { get; set; }
    public DateTime Created { get; set; } = DateTime.UtcNow;
    public DateTime? Edited { get; set; }
}

/// <summary>One participant's vote on one question.</summary>
public sealed class QuestionVote
{
    public long QuestionId { get; set; }
    public string ParticipantId { get; set; } = "";
    public string EventId { get; set; } = "";
    public DateTime Created { get; set; } = DateTime.UtcNow;
}

/// <summary>A participant banned from posting and voting in an event.</summary>
public sealed class EventBan
{
    public string EventId { get; set; } = "";
    public string ParticipantId { get; set; } = "";
    public DateTime Created { get; set; } = DateTime.UtcNow;
}

/// <summary>
/// The event's change log: every change appends one entry with the next <see cref="Seq"/> of the event. Live pages
/// receive entries in order; a reconnecting client asks for everything after the last one it saw.
/// </summary>
public sealed class EventLogEntry
{
    public long Id { get; set; }
    public string EventId { get; set; } = "";
    public long Seq { get; set; }

    /// <summary>question | poll | reset.</summary>
    public string Kind { get; set; } = "";

    /// <summary>JSON snapshot of the changed item.</summary>
    public string Payload { get; set; } = "{}";

    /// <summary>The same change as the public sees it (questions not approved appear only as removed ids).</summary>
    public string? PublicPayload { get; set; }
    public DateTime Created { get; set; } = DateTime.UtcNow;
}

/// <summary>A request that carried an Idempotency-Key: its answer, replayed for a repeated key.</summary>
public sealed class IdempotencyRecord
{
    /// <summary>Participant or user, and the key.</summary>
    public string Scope { get; set; } = "";
    public string Key { get; set; } = "";
    public int Status { get; set; }
    public string Body { get; set; } = "";
    public DateTime Created { get; set; } = DateTime.UtcNow;
}

/// <summary>An audience poll.</summary>
public sealed class Poll
{
    public long Id { get; set; }
    public string EventId { get; set; } = "";
    public string Kind { get; set; } = PollKinds.Single;
    public string Question { get; set; } = "";
    public string QuestionEn { get; set; } = "";

    /// <summary>draft | open | closed.</summary>
    public string State { get; set; } = "draft";

    /// <summary>Current round (leaderboard polls); 1 otherwise.</summary>
    public int Round { get; set; } = 1;

    /// <summary>Highest rating (rating polls).</summary>
    public int MaxRating { get; set; } = 5;
    public DateTime Created { get; set; } = DateTime.UtcNow;
    public List<PollOption> Options { get; set; } = [];
}

/// <summary>A choice of a poll (a team of a leaderboard poll).</summary>
public sealed class PollOption
{
    public long Id { get; set; }
    public long PollId { get; set; }
    public int Order { get; set; }
    public string Label { get; set; } = "";
    public string LabelEn { get; set; } = "";
}

/// <summary>One participant's answer to a poll in one round.</summary>
public sealed class PollResponse
{
    public long Id { get; set; }
    public long PollId { get; set; }
    public int Round { get; set; } = 1;
    public string ParticipantId { get; set; } = "";

    /// <summary>Chosen option ids, comma separated (single, multiple, leaderboard).</summary>
    public string Choices { get; set; } = "";
    public int? Rating { get; set; }
    public string? Text { get; set; }
    public DateTime Created { get; set; } = DateTime.UtcNow;
}
