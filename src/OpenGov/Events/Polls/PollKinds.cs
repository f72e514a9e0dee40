namespace OpenGov.Events.Polls;

/// <summary>Poll kinds (stored in event_poll.kind).</summary>
public static class PollKinds
{
    public const string Single = "single";
    public const string Multiple = "multiple";
    public const string Rating = "rating";
    public const string Words = "words";

    /// <summary>
    /// A leaderboard over rounds (シビックパワーバトル): the options are teams (cities); each participant picks one team per
    /// round; the moderator starts the next round; the results rank the teams by their votes over all rounds.
    /// </summary>
    public const string Leaderboard = "leaderboard";

    /// <summary>The leaderboard's name until December 2026 (the word is now the council's): still accepted from clients.</summary>
    public const string LeaderboardAlias = "contest";

    public static bool IsValid(string? kind) => kind is Single or Multiple or Rating or Words or Leaderboard;

    /// <summary>The kind a client sent, an old name read as the current one.</summary>
    public static string? Normalize(string? kind) => kind == LeaderboardAlias ? Leaderboard : kind;

    /// <summary>Kinds answered by choosing options.</summary>
    public static bool HasOptions(string kind) => kind is Single or Multiple or Leaderboard;
}
