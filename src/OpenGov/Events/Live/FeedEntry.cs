using System.Globalization;
using System.Text;
using OpenGov.Storage;

namespace OpenGov.Events.Live;

/// <summary>
/// One log entry ready to send: the SSE frames for moderators and for the public (null when nothing is public); or
/// a chunk of consecutive entries (<see cref="Parts"/>, from <see cref="FirstSeq"/> to <see cref="Seq"/>) with their
/// frames joined, so that a batch of writes costs each connection one queue slot and one flush.
/// </summary>
public sealed record FeedEntry(long Seq, byte[] Moderator, byte[]? Public)
{
    public static readonly FeedEntry Heartbeat = new(-1, ":hb\n\n"u8.ToArray(), ":hb\n\n"u8.ToArray());

    public long FirstSeq { get; init; } = Seq;

    public IReadOnlyList<FeedEntry>? Parts { get; init; }

    public static FeedEntry Of(EventLogEntry e) => new(e.Seq, Frame(e.Seq, e.Payload), e.PublicPayload is null ? null : Frame(e.Seq, e.PublicPayload));

    /// <summary>Consecutive entries as one.</summary>
    public static FeedEntry Chunk(IReadOnlyList<FeedEntry> parts)
    {
        if (parts.Count == 1)
        {
            return parts[0];
        }

        var pub = parts.Where(p => p.Public is not null).Select(p => p.Public!).ToList();
        return new FeedEntry(parts[^1].Seq, Join(parts.Select(p => p.Moderator).ToList()), pub.Count == 0 ? null : Join(pub)) { FirstSeq = parts[0].Seq, Parts = parts };
    }

    private static byte[] Join(List<byte[]> frames)
    {
        var all = new byte[frames.Sum(f => f.Length)];
        var at = 0;
        foreach (var f in frames)
        {
            f.CopyTo(all, at);
            at += f.Length;
        }

        return all;
    }

    private static byte[] Frame(long seq, string json) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"id: {seq}\nevent: change\ndata: {json}\n\n"));
}
