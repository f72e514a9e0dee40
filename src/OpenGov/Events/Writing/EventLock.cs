using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using OpenGov.Storage;

namespace OpenGov.Events.Writing;

/// <summary>The event's settings as read under its lock, and its log position.</summary>
internal readonly record struct EventLockState(long Seq, long? Highlighted, bool PreModeration, string NgWords, bool VoteOwnQuestion = true);

/// <summary>
/// The first statement of every write transaction of an event: takes the event's lock (row lock on PostgreSQL, the
/// write lock on SQLite), which orders the writers of the event on all nodes, and reads its moderation settings in the
/// same round trip.
/// </summary>
internal static class EventLock
{
    /// <summary>Takes the lock; with <paramref name="nextSeq"/> also takes the next log sequence number. Null when there is no such event.</summary>
    public static async Task<EventLockState?> TakeAsync(OpenGovDb db, IDbContextTransaction tx, string eventId, bool nextSeq, CancellationToken ct)
    {
        var conn = db.Database.GetDbConnection();
        await using var cmd = conn.CreateCommand();
        cmd.Transaction = tx.GetDbTransaction();
        cmd.CommandText = $"UPDATE \"event\" SET last_seq = last_seq{(nextSeq ? " + 1" : "")} WHERE id = @id RETURNING last_seq, highlighted_question_id, pre_moderation, ng_words, vote_own_question";
        var p = cmd.CreateParameter();
        p.ParameterName = "@id";
        p.Value = eventId;
        cmd.Parameters.Add(p);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        return new EventLockState(Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture),
            reader.IsDBNull(1) ? null : Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture),
            Convert.ToBoolean(reader.GetValue(2), CultureInfo.InvariantCulture),
            reader.IsDBNull(3) ? "" : reader.GetString(3),
            Convert.ToBoolean(reader.GetValue(4), CultureInfo.InvariantCulture));
    }
}
