using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace OpenGov.Catalog.Usage;

/// <summary>
/// Views and downloads counted in memory on this node; <see cref="UsageFlusher"/> adds them to usage_counts every few
/// seconds, so a page view costs no database write. Only GET requests from clients that do not call themselves bots
/// count (HEAD, requests without a User-Agent, link checkers and crawlers do not).
/// </summary>
public sealed partial class UsageCounter
{
    private ConcurrentDictionary<string, Delta> _pending = new(StringComparer.Ordinal);

    internal sealed class Delta
    {
        public long Views;
        public long Downloads;
    }

    public void View(HttpContext http, string targetId)
    {
        if (Counts(http))
        {
            Interlocked.Increment(ref _pending.GetOrAdd(targetId, _ => new Delta()).Views);
        }
    }

    public void Download(HttpContext http, string targetId)
    {
        if (Counts(http))
        {
            Interlocked.Increment(ref _pending.GetOrAdd(targetId, _ => new Delta()).Downloads);
        }
    }

    /// <summary>Counts not yet flushed for one target (shown with the stored ones, so a reader sees their own view).</summary>
    public (long Views, long Downloads) Pending(string targetId) =>
        _pending.TryGetValue(targetId, out var d) ? (Interlocked.Read(ref d.Views), Interlocked.Read(ref d.Downloads)) : (0, 0);

    /// <summary>Takes the pending counts; the caller stores them or gives them back with <see cref="Restore"/>.</summary>
    internal IReadOnlyDictionary<string, (long Views, long Downloads)> Take()
    {
        var taken = Interlocked.Exchange(ref _pending, new ConcurrentDictionary<string, Delta>(StringComparer.Ordinal));
        return taken.Where(p => p.Value.Views + p.Value.Downloads > 0)
            .ToDictionary(p => p.Key, p => (Interlocked.Read(ref p.Value.Views), Interlocked.Read(ref p.Value.Downloads)), StringComparer.Ordinal);
    }

    internal void Restore(IReadOnlyDictionary<string, (long Views, long Downloads)> counts)
    {
        foreach (var (id, (views, downloads)) in counts)
        {
            var d = _pending.GetOrAdd(id, _ => new Delta());
            Interlocked.Add(ref d.Views, views);
            Interlocked.Add(ref d.Downloads, downloads);
        }
    }

    /// <summary>A GET (not HEAD) from something other than a declared bot, crawler or link checker.</summary>
    public static bool Counts(HttpContext http)
    {
        if (!HttpMethods.IsGet(http.Request.Method))
        {
            return false;
        }

        var agent = http.Request.Headers.UserAgent.ToString();
        return agent.Length > 0 && !BotAgent().IsMatch(agent);
    }

    [GeneratedRegex("bot|crawl|spider|slurp|facebookexternalhit|preview|monitor|checker|validator|lighthouse", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BotAgent();
}
