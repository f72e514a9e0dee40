using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace OpenGov.DataStore;

/// <summary>
/// The log of a load job as the pages and datastore_load_status show it: entries with <c>message</c> in English (as
/// CKAN's loaders write it) and <c>message_ja</c>, plus the progress counters the reporter writes every 0.7 s.
/// </summary>
internal static class LoadLog
{
    /// <summary>A log line: <c>message</c> in English (as CKAN's loaders write it) and <c>message_ja</c> for the Japanese pages.</summary>
    public static JsonObject Entry(string level, string message, string? messageJa = null)
    {
        var e = new JsonObject { ["t"] = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), ["level"] = level, ["message"] = message };
        if (messageJa is not null)
        {
            e["message_ja"] = messageJa;
        }

        return e;
    }

}

/// <summary>Progress shared between the loading thread and the reporter.</summary>
internal sealed class LoadProgress
{
    private long _rows;
    private long _bytes;

    public long Rows => Interlocked.Read(ref _rows);

    public long Bytes => Interlocked.Read(ref _bytes);

    public void SetRows(long v) => Interlocked.Exchange(ref _rows, v);

    public void SetBytes(long v) => Interlocked.Exchange(ref _bytes, v);

    private long _total;

    /// <summary>Size of the file being read (what datastore_job_show's percent is of).</summary>
    public long Total => Interlocked.Read(ref _total);

    public void SetTotal(long v) => Interlocked.Exchange(ref _total, v);

    public JsonArray Log { get; } = [];

    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>When the last row was stored (before indexes).</summary>
    public TimeSpan RowsStoredAt { get; private set; }

    public void RowsStored() => RowsStoredAt = _clock.Elapsed;

    public JsonObject Detected { get; set; } = [];

    public void Add(string level, string message, string? messageJa = null)
    {
        lock (Log)
        {
            if (Log.Count < 500)
            {
                Log.Add(LoadLog.Entry(level, message, messageJa));
            }
        }
    }

    /// <summary>Adds a field to the last entry (what the API may show but a page's message does not: the node).</summary>
    public void Tag(string name, string value)
    {
        lock (Log)
        {
            if (Log.Count > 0 && Log[^1] is JsonObject last)
            {
                last[name] = value;
            }
        }
    }

    public string LogJson()
    {
        lock (Log)
        {
            return Log.ToJsonString();
        }
    }

    public string DetectedJson()
    {
        lock (Log)
        {
            return Detected.ToJsonString();
        }
    }
}

internal sealed class LoadException(string messageJa, string messageEn) : Exception(messageJa + " / " + messageEn)
{
    public string MessageJa => messageJa;

    public string MessageEn => messageEn;
}
