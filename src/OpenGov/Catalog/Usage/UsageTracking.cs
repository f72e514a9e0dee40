using OpenGov.Ckan;

namespace OpenGov.Catalog.Usage;

/// <summary>CKAN's tracking_summary: all-time and recent (last 14 days) counts.</summary>
public sealed record TrackingSummaryDict(long Total, long Recent);

/// <summary>
/// CKAN's tracking on package_show and package_search: with <c>include_tracking=true</c> the package gets
/// <c>tracking_summary</c> from its page views and each resource from its downloads (CKAN counts a resource's URL
/// being followed), both as stored by <see cref="UsageFlusher"/> plus this node's pending counts. Such answers are
/// never taken from the read cache (<see cref="CatalogReadCachePolicy"/>), as counts move without the catalog stamp.
/// </summary>
public static class UsageTracking
{
    public const string Parameter = "include_tracking";

    public static bool Asked(CkanRequest req) => req.Bool(Parameter, false);

    /// <summary>True when a GET asks for tracking in its query string (any value: the cache is skipped, the action decides).</summary>
    public static bool InQuery(HttpRequest request) => request.Query.ContainsKey(Parameter);

    public static async Task<IReadOnlyList<PackageDict>> AddAsync(IReadOnlyList<PackageDict> packages, UsageReader usage, CancellationToken ct)
    {
        if (packages.Count == 0)
        {
            return packages;
        }

        var ids = packages.SelectMany(p => p.Resources.Select(r => r.Id).Prepend(p.Id)).Distinct(StringComparer.Ordinal).ToList();
        var counts = await usage.ReadWithRecentAsync(ids, ct);
        return [.. packages.Select(p => p with
        {
            TrackingSummary = new TrackingSummaryDict(counts[p.Id].Views, counts[p.Id].RecentViews),
            Resources = [.. p.Resources.Select(r => r with { TrackingSummary = new TrackingSummaryDict(counts[r.Id].Downloads, counts[r.Id].RecentDownloads) })],
        })];
    }
}
