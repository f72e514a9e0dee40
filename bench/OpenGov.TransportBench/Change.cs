using System.Text.Json;

namespace OpenGov.TransportBench;

/// <summary>What the hub calls on every viewer (strongly typed: the method name comes from here, not from a string).</summary>
public interface IViewerClient
{
    Task Change(ChangeMessage change);
}

/// <summary>A question of the live symposium as the public sees it.</summary>
public sealed record QuestionView(long Id, string Text, string Author, int Votes, string State, bool Highlighted, bool Answered, DateTimeOffset CreatedAt);

/// <summary>One change of the event log (~300 bytes of JSON); <see cref="SentAt"/> is the server's UTC ticks just before it is handed to the transport.</summary>
public sealed record ChangeMessage(long Seq, string Type, QuestionView Question, long SentAt)
{
    /// <summary>The options of SignalR's JSON hub protocol (camelCase), so both transports carry the same JSON.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static ChangeMessage Create(long seq, long sentAt) => new(seq, "question.voted",
        new QuestionView(4_000 + (seq % 50), "Will the city keep the central library open on weekend evenings? Families can only come after work.",
            "Participant 12", (int)(seq % 1_000), "visible", seq % 7 == 0, false, new DateTimeOffset(2026, 11, 29, 1, 0, 0, TimeSpan.Zero)), sentAt);
}
