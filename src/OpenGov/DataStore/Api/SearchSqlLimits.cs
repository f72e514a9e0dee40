using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using OpenGov.Ckan;

namespace OpenGov.DataStore;

/// <summary>
/// How many datastore_search_sql statements run at once: per caller (the user, or the client's address when
/// anonymous; OpenGov:DataStore:SearchSqlConcurrentPerCaller, default 1) and on the node in all
/// (SearchSqlConcurrentTotal, default 4, well below the database pool). Beyond either the call answers 429 at once
/// in CKAN's envelope instead of queueing, so slow statements cannot take the connections every other request needs.
/// </summary>
public sealed class SearchSqlLimits : IDisposable
{
    private readonly PartitionedRateLimiter<string> _perCaller;
    private readonly ConcurrencyLimiter _total;

    public SearchSqlLimits(IOptions<DataStoreOptions> options)
    {
        var o = options.Value;
        _perCaller = PartitionedRateLimiter.Create<string, string>(caller => RateLimitPartition.GetConcurrencyLimiter(caller, _ =>
            new ConcurrencyLimiterOptions { PermitLimit = Math.Max(1, o.SearchSqlConcurrentPerCaller), QueueLimit = 0 }));
        _total = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = Math.Max(1, o.SearchSqlConcurrentTotal), QueueLimit = 0 });
    }

    /// <summary>The caller's key for the per-caller limit.</summary>
    public static string Caller(HttpContext http) =>
        http.User.Identity?.Name is { } name ? "user:" + name : "addr:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown");

    /// <summary>A permit to run one statement (dispose it afterwards), or CKAN's 429.</summary>
    public IDisposable Acquire(string caller)
    {
        var mine = _perCaller.AttemptAcquire(caller);
        if (!mine.IsAcquired)
        {
            mine.Dispose();
            throw Busy("Too many datastore_search_sql statements of yours are running; wait for them to finish.");
        }

        var node = _total.AttemptAcquire();
        if (!node.IsAcquired)
        {
            node.Dispose();
            mine.Dispose();
            throw Busy("The server is running as many datastore_search_sql statements as it allows; please retry shortly.");
        }

        return new Permits(mine, node);
    }

    public void Dispose()
    {
        _perCaller.Dispose();
        _total.Dispose();
    }

    private static CkanException Busy(string message) => new(429, "Rate Limit Error", message);

    private sealed class Permits(RateLimitLease mine, RateLimitLease node) : IDisposable
    {
        public void Dispose()
        {
            node.Dispose();
            mine.Dispose();
        }
    }
}
