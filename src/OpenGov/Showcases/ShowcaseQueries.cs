using Microsoft.EntityFrameworkCore;
using OpenGov.Catalog;
using OpenGov.Ckan;
using OpenGov.Storage;

namespace OpenGov.Showcases;

/// <summary>
/// Reads showcases and their links to datasets, for the actions and the pages. A showcase lists only the datasets
/// anyone may see (active and public), as ckanext-showcase's lists go through package_search.
/// </summary>
public sealed class ShowcaseQueries(OpenGovDb db, CatalogReader catalog)
{
    /// <summary>At most this many in one list (ckanext-showcase asks package_search for 100 rows).</summary>
    public const int ListMax = 100;

    public Task<Showcase?> FindAsync(string idOrName, CancellationToken ct) =>
        db.Set<Showcase>().AsNoTracking().FirstOrDefaultAsync(s => s.Id == idOrName || s.Name == idOrName, ct);

    /// <summary>ckanext_showcase_show's dict; CKAN's "Not found" when there is no such showcase.</summary>
    public async Task<ShowcaseDict> ShowAsync(string idOrName, CancellationToken ct)
    {
        var s = await FindAsync(idOrName, ct) ?? throw CkanException.NotFound();
        return (await ToDictsAsync([s], ct))[0];
    }

    /// <summary>
    /// Showcases whose name, title, description or tags contain the text (all when empty), newest first. A site has
    /// tens of showcases, not thousands: they are filtered in memory, the same way on both databases.
    /// </summary>
    public async Task<List<Showcase>> SearchAsync(string? text, CancellationToken ct)
    {
        var all = await db.Set<Showcase>().AsNoTracking().OrderByDescending(s => s.MetadataCreated).ThenBy(s => s.Name).ToListAsync(ct);
        if (string.IsNullOrWhiteSpace(text))
        {
            return all;
        }

        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return [.. all.Where(s => words.All(w => Matches(s, w)))];
    }

    private static bool Matches(Showcase s, string word) =>
        s.Title.Contains(word, StringComparison.OrdinalIgnoreCase) || s.Name.Contains(word, StringComparison.OrdinalIgnoreCase)
        || s.Notes.Contains(word, StringComparison.OrdinalIgnoreCase) || s.Tags.Contains(word, StringComparison.OrdinalIgnoreCase)
        || s.Author.Contains(word, StringComparison.OrdinalIgnoreCase);

    public async Task<List<ShowcaseDict>> ToDictsAsync(List<Showcase> showcases, CancellationToken ct)
    {
        var counts = await CountDatasetsAsync([.. showcases.Select(s => s.Id)], ct);
        return [.. showcases.Select(s => ShowcaseDict.From(s, counts.GetValueOrDefault(s.Id), catalog.SiteUrl))];
    }

    /// <summary>How many public datasets each showcase uses (ckanext-showcase's num_datasets).</summary>
    public async Task<Dictionary<string, int>> CountDatasetsAsync(List<string> showcaseIds, CancellationToken ct)
    {
        if (showcaseIds.Count == 0)
        {
            return [];
        }

        return await (from link in db.Set<ShowcaseDataset>()
                      join d in db.Datasets.Public() on link.DatasetId equals d.Id
                      where showcaseIds.Contains(link.ShowcaseId)
                      group link by link.ShowcaseId into g
                      select new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
    }

    /// <summary>The public datasets a showcase uses, whole (for package dicts), most recently changed first.</summary>
    public Task<List<Dataset>> DatasetsOfAsync(string showcaseId, CancellationToken ct)
    {
        var ids = db.Set<ShowcaseDataset>().Where(l => l.ShowcaseId == showcaseId).Select(l => l.DatasetId);
        return db.Datasets.AsNoTracking().Public().Where(d => ids.Contains(d.Id))
            .OrderByDescending(d => d.MetadataModified).Take(ListMax).WithFullPackage().ToListAsync(ct);
    }

    /// <summary>ckanext_showcase_package_list's result: package dicts of the showcase's public datasets.</summary>
    public async Task<List<PackageDict>> PackageDictsOfAsync(string showcaseId, CancellationToken ct) =>
        await catalog.ToDictsAsync(await DatasetsOfAsync(showcaseId, ct), ct);

    /// <summary>The showcases that use a dataset, newest first.</summary>
    public Task<List<Showcase>> ShowcasesOfAsync(string datasetId, CancellationToken ct)
    {
        var ids = db.Set<ShowcaseDataset>().Where(l => l.DatasetId == datasetId).Select(l => l.ShowcaseId);
        return db.Set<Showcase>().AsNoTracking().Where(s => ids.Contains(s.Id))
            .OrderByDescending(s => s.MetadataCreated).ThenBy(s => s.Name).Take(ListMax).ToListAsync(ct);
    }
}
