using Microsoft.EntityFrameworkCore;
using OpenGov.Storage;

namespace OpenGov.Events.Live;

/// <summary>Reads an event's change log (written by the writers, read by the feeds).</summary>
public static class EventLog
{
    /// <summary>Log entries after <paramref name="afterSeq"/> up to <paramref name="upTo"/> (at most <paramref name="limit"/>), in order.</summary>
    public static async Task<List<EventLogEntry>> ReadAsync(OpenGovDb db, string eventId, long afterSeq, long? upTo, int limit, CancellationToken ct)
    {
        var q = db.Set<EventLogEntry>().AsNoTracking().Where(e => e.EventId == eventId && e.Seq > afterSeq);
        if (upTo is { } max)
        {
            q = q.Where(e => e.Seq <= max);
        }

        return await q.OrderBy(e => e.Seq).Take(limit).ToListAsync(ct);
    }

    /// <summary>The event's log position and its last <paramref name="count"/> entries (oldest first).</summary>
    public static async Task<(long Last, List<EventLogEntry> Recent)> TailAsync(OpenGovDb db, string eventId, int count)
    {
        var last = await db.Set<Event>().Where(e => e.Id == eventId).Select(e => e.LastSeq).FirstOrDefaultAsync();
        var recent = await db.Set<EventLogEntry>().AsNoTracking()
            .Where(e => e.EventId == eventId && e.Seq <= last).OrderByDescending(e => e.Seq).Take(count).ToListAsync();
        recent.Reverse();
        return (last, recent);
    }
}
