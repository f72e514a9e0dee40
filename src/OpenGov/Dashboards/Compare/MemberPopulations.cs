using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OpenGov.Storage;

namespace OpenGov.Dashboards;

/// <summary>A member's population and the catalog dataset it was read from (linked on the comparison page).</summary>
public sealed record PopulationRecord(Population Population, string DatasetName, string DatasetTitle);

/// <summary>
/// Members' populations from the catalog: a public dataset of the organization carrying the extras
/// <c>population</c> (residents), <c>population_source</c> (e.g. 令和2年国勢調査) and <c>population_year</c>.
/// The most recently modified such dataset wins.
/// </summary>
public static class MemberPopulations
{
    public const string Key = "population";
    public const string SourceKey = "population_source";
    public const string YearKey = "population_year";

    public static async Task<IReadOnlyDictionary<string, PopulationRecord>> FindAsync(OpenGovDb db, IReadOnlyCollection<string> organizationIds, CancellationToken ct)
    {
        var ids = organizationIds.Distinct().ToList();
        var datasets = await db.Datasets.AsNoTracking()
            .Where(d => ids.Contains(d.OwnerOrgId) && d.State == "active" && !d.Private)
            .Where(d => db.DatasetExtras.Any(e => e.DatasetId == d.Id && e.Key == Key))
            .Select(d => new { d.Id, d.OwnerOrgId, d.Name, d.Title, d.MetadataModified })
            .ToListAsync(ct);
        var datasetIds = datasets.Select(d => d.Id).ToList();
        var extras = (await db.DatasetExtras.AsNoTracking()
            .Where(e => datasetIds.Contains(e.DatasetId) && (e.Key == Key || e.Key == SourceKey || e.Key == YearKey))
            .ToListAsync(ct))
            .ToLookup(e => e.DatasetId);
        var found = new Dictionary<string, PopulationRecord>(StringComparer.Ordinal);
        foreach (var d in datasets.OrderByDescending(d => d.MetadataModified))
        {
            var e = extras[d.Id].ToDictionary(x => x.Key, x => x.Value, StringComparer.Ordinal);
            if (found.ContainsKey(d.OwnerOrgId)
                || !long.TryParse(e.GetValueOrDefault(Key)?.Replace(",", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var residents)
                || residents <= 0)
            {
                continue;
            }
            int? year = int.TryParse(e.GetValueOrDefault(YearKey), NumberStyles.Integer, CultureInfo.InvariantCulture, out var y) ? y : null;
            var source = e.GetValueOrDefault(SourceKey) is { Length: > 0 } s ? s : d.Title;
            found[d.OwnerOrgId] = new PopulationRecord(new Population(residents, source, year), d.Name, d.Title);
        }
        return found;
    }
}
