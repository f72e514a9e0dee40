namespace OpenGov.Events.Api;

// JSON bodies of the event API (camelCase on the wire).

public sealed record SpeakerInput(string? Name, string? NameEn, string? Affiliation, string? AffiliationEn, string? Role);

public sealed record ProgrammeInput(string? Kind, string? Title, string? TitleEn, List<SpeakerInput>? Speakers);

public sealed record EventInput(
    string? Slug, string? Title, string? TitleEn, string? Theme, string? ThemeEn, string? Summary, string? SummaryEn,
    DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, string? Format, string? FormatEn, string? YoutubeVideoId, string? PrVideoId,
    string? ZoomJoinUrl, string? ZoomMeetingId, string? ZoomPasscode, DateOnly? PressIssuedOn, string? PressAddressee,
    List<string>? PressKinds, string? PressSender, string? QuestionCode, bool? PreModeration, List<string>? NgWords,
    string? YoutubeLiveChatId, bool? ImportYoutubeChat, List<ProgrammeInput>? Programme)
{
    /// <summary>The event to create; refuses an unknown press kind or a malformed video id.</summary>
    public Event ToEvent()
    {
        if (PressKinds?.FirstOrDefault(k => !Pages.DetailModel.PressKindList.Contains(k)) is { } badKind)
        {
            throw EventException.Invalid("種別は 取材依頼・周知依頼・募集告知 から選んでください。", $"press_kinds: '{badKind}' is not one of 取材依頼, 周知依頼, 募集告知.");
        }

        return new Event
        {
            Slug = Slug ?? "",
            Title = Title ?? "",
            TitleEn = TitleEn ?? "",
            Theme = Theme ?? "",
            ThemeEn = ThemeEn ?? "",
            Summary = Summary ?? "",
            SummaryEn = SummaryEn ?? "",
            StartsAt = (StartsAt ?? DateTimeOffset.UtcNow).UtcDateTime,
            EndsAt = (EndsAt ?? StartsAt?.AddHours(1) ?? DateTimeOffset.UtcNow.AddHours(1)).UtcDateTime,
            Format = Format ?? "",
            FormatEn = FormatEn ?? "",
            YouTubeVideoId = ValidVideoId(YoutubeVideoId),
            PrVideoId = ValidVideoId(PrVideoId),
            ZoomJoinUrl = ZoomJoinUrl,
            ZoomMeetingId = ZoomMeetingId,
            ZoomPasscode = ZoomPasscode,
            PressIssuedOn = PressIssuedOn,
            PressAddressee = PressAddressee ?? "",
            PressKinds = string.Join(',', PressKinds ?? []),
            PressSender = PressSender ?? "",
            QuestionCode = QuestionCode ?? "",
            PresenterSecret = "",
            PreModeration = PreModeration ?? false,
            NgWords = string.Join('\n', NgWords ?? []),
            YouTubeLiveChatId = YoutubeLiveChatId,
            ImportYouTubeChat = ImportYoutubeChat ?? false,
            Programme = (Programme ?? []).Select((p, i) => new ProgrammeItem
            {
                Order = i,
                Kind = p.Kind ?? "other",
                Title = p.Title ?? "",
                TitleEn = p.TitleEn ?? "",
                Speakers = (p.Speakers ?? []).Select((s, j) => new Speaker
                {
                    Order = j,
                    Name = s.Name ?? "",
                    NameEn = s.NameEn ?? "",
                    Affiliation = s.Affiliation ?? "",
                    AffiliationEn = s.AffiliationEn ?? "",
                    Role = s.Role ?? "panelist",
                }).ToList(),
            }).ToList(),
        };
    }

    private static string? ValidVideoId(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return null;
        }

        id = id.Trim();
        return id.Length is >= 6 and <= 20 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            ? id
            : throw EventException.Invalid("YouTube の動画IDが不正です。", "youtube video id: 6 to 20 characters A-Z, a-z, 0-9, '-' or '_'.");
    }
}

public sealed record AssignInput(string? User, string? Role);

public sealed record QuestionInput(string? Text, string? Name, string? Affiliation);

public sealed record ModerateInput(string? Text, long? Into);

public sealed record BanInput(string? Participant, long? Question);

public sealed record SettingsInput(bool? PreModeration, List<string>? NgWords, bool? VoteOwnQuestion = null);

public sealed record PollAnswerInput(List<long>? Choices, int? Rating, string? Text);

public sealed record EventSummary(string Id, string Slug, string Title, string TitleEn, DateTime StartsAt, DateTime EndsAt, string QuestionUrl, long LastSeq);

public sealed record EventAdminView(string Id, string Slug, string Title, string QuestionCode, string QuestionUrl, string PresenterUrl, bool PreModeration, IReadOnlyList<string> NgWords, long LastSeq, bool VoteOwnQuestion);
