using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenGov.Ckan;
using OpenGov.Hosting;
using OpenGov.Storage;
using OpenGov.Tabular;

namespace OpenGov.Catalog.Search.Pages;

public sealed class HomeModel(PackageSearch search, PackageDictLoader loader, OpenGovDb db) : PageModel
{
    public long DatasetCount { get; private set; }

    public int OrganizationCount { get; private set; }

    public int GroupCount { get; private set; }

    public IReadOnlyList<PackageDict> Recent { get; private set; } = [];

    public IReadOnlyList<(Organization Org, long Count)> Organizations { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var outcome = await search.RunAsync(new SearchQuery { Rows = 5, Sort = "metadata_modified desc", FacetFields = ["owner_org"], FacetLimit = -1 }, ct);
        DatasetCount = outcome.Count;
        Recent = await loader.LoadAsync(outcome.Ids, ct);
        var orgs = await db.Organizations.AsNoTracking().Where(o => o.State == RecordState.Active).ToListAsync(ct);
        OrganizationCount = orgs.Count;
        GroupCount = await db.Groups.CountAsync(g => g.State == RecordState.Active, ct);
        var counts = outcome.Facets["owner_org"].ToDictionary(i => i.Name, i => i.Count);
        Organizations = [.. orgs.Select(o => (o, counts.GetValueOrDefault(o.Id))).Where(x => x.Item2 > 0).OrderByDescending(x => x.Item2).ThenBy(x => x.o.Name, StringComparer.Ordinal).Take(12)];
    }
}

public sealed class OrganizationIndexModel(PackageSearch search, OpenGovDb db) : PageModel
{
    public IReadOnlyList<(Organization Org, long Count)> Organizations { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var outcome = await search.RunAsync(new SearchQuery { Rows = 0, FacetFields = ["owner_org"], FacetLimit = -1, IncludePrivate = true }, ct);
        var counts = outcome.Facets["owner_org"].ToDictionary(i => i.Name, i => i.Count);
        var orgs = await db.Organizations.AsNoTracking().Where(o => o.State == RecordState.Active).ToListAsync(ct);
        Organizations = [.. orgs.OrderBy(o => o.LocalGovCode is null).ThenBy(o => o.LocalGovCode, StringComparer.Ordinal).ThenBy(o => o.Name, StringComparer.Ordinal)
            .Select(o => (o, counts.GetValueOrDefault(o.Id)))];
    }
}

public sealed class GroupIndexModel(PackageSearch search, OpenGovDb db) : PageModel
{
    public IReadOnlyList<(Group Group, long Count)> Groups { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var outcome = await search.RunAsync(new SearchQuery { Rows = 0, FacetFields = ["groups"], FacetLimit = -1, IncludePrivate = true }, ct);
        var counts = outcome.Facets["groups"].ToDictionary(i => i.Name, i => i.Count);
        var groups = await db.Groups.AsNoTracking().Where(g => g.State == RecordState.Active).ToListAsync(ct);
        Groups = [.. groups.OrderBy(g => g.Name, StringComparer.Ordinal).Select(g => (g, counts.GetValueOrDefault(g.Name)))];
    }
}

public sealed class DatasetReadModel(CatalogReader reader, OpenGovDb db, PackageAuth auth, Usage.UsageCounter counter, Usage.UsageReader usage) : PageModel
{
    public PackageDict Dataset { get; private set; } = null!;

    public Organization? Organization { get; private set; }

    /// <summary>Whether the reader may edit this dataset (the page links to its edit form).</summary>
    public bool CanEdit { get; private set; }

    /// <summary>Views of the dataset page and downloads of all its resources.</summary>
    public (long Views, long Downloads) Counts { get; private set; }

    /// <summary>Views and downloads per resource id.</summary>
    public IReadOnlyDictionary<string, (long Views, long Downloads)> ResourceCounts { get; private set; } = new Dictionary<string, (long, long)>();

    public async Task<IActionResult> OnGetAsync(string name, CancellationToken ct)
    {
        var d = await reader.LoadAsync(name, ct);
        if (d is null || d.State == RecordState.Deleted || !await reader.CanSeeAsync(d, ct))
        {
            return NotFound();
        }

        Organization = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == d.OwnerOrgId, ct);
        Dataset = PackageDict.From(d, Organization, reader.SiteUrl);
        CanEdit = await auth.CanUpdateAsync(d, ct);
        counter.View(HttpContext, d.Id);
        var counts = await usage.ReadAsync([d.Id, .. Dataset.Resources.Select(r => r.Id)], ct);
        ResourceCounts = counts;
        Counts = (counts[d.Id].Views, Dataset.Resources.Sum(r => counts[r.Id].Downloads));
        return Page();
    }
}

public sealed class ResourceReadModel(CatalogReader reader, OpenGovDb db, IOptions<OpenGovOptions> options, PackageAuth auth, Usage.UsageCounter counter, Usage.UsageReader usage) : PageModel
{
    /// <summary>Views of this resource's page and downloads of its file and tables.</summary>
    public (long Views, long Downloads) Counts { get; private set; }

    /// <summary>Whether the reader may edit the dataset (the page links to its edit form).</summary>
    public bool CanEdit { get; private set; }

    public const int PreviewRows = 20;

    public PackageDict Dataset { get; private set; } = null!;

    public ResourceDict Resource { get; private set; } = null!;

    public Organization? Organization { get; private set; }

    /// <summary>
    /// Header row then up to 20 data rows of a stored table file, as written in the file (the DataStore panel below
    /// links to the normalised, paged preview); null when the file is not a readable table.
    /// </summary>
    public List<string[]>? Preview { get; private set; }

    public string? PreviewEncoding { get; private set; }

    public async Task<IActionResult> OnGetAsync(string name, string id, CancellationToken ct)
    {
        var d = await reader.LoadAsync(name, ct);
        if (d is null || d.State == RecordState.Deleted || !await reader.CanSeeAsync(d, ct))
        {
            return NotFound();
        }

        var r = d.Resources.FirstOrDefault(x => x.Id == id && x.State == RecordState.Active);
        if (r is null)
        {
            return NotFound();
        }

        Organization = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == d.OwnerOrgId, ct);
        Dataset = PackageDict.From(d, Organization, reader.SiteUrl);
        Resource = Dataset.Resources.First(x => x.Id == id);
        CanEdit = await auth.CanUpdateAsync(d, ct);
        counter.View(HttpContext, r.Id);
        Counts = (await usage.ReadAsync([r.Id], ct))[r.Id];
        if (DataStore.DataStoreLoader.IsTabular(r) && StoredFile(r) is { } path)
        {
            (Preview, PreviewEncoding) = FilePreview.Read(path, PreviewRows);
        }

        return Page();
    }

    /// <summary>The stored file's full path, only if it lies inside the uploads directory.</summary>
    private string? StoredFile(Resource r)
    {
        if (r.UrlType != "upload" || string.IsNullOrEmpty(r.StoragePath))
        {
            return null;
        }

        var root = Path.GetFullPath(options.Value.UploadsDirectory) + Path.DirectorySeparatorChar;
        var full = Path.GetFullPath(Path.Combine(root, r.StoragePath));
        return full.StartsWith(root, StringComparison.Ordinal) && System.IO.File.Exists(full) ? full : null;
    }
}

/// <summary>
/// The first rows of a stored CSV, TSV or Excel file as written in it, read by the same reader as the DataStore
/// (encoding, delimiter and header detection); anything that is not a readable table gives no preview.
/// </summary>
public static class FilePreview
{
    public static (List<string[]>? Rows, string? Encoding) Read(string path, int dataRows)
    {
        try
        {
            using var table = TableReader.Open(path);
            List<string[]> rows = [[.. table.Columns], .. table.Rows.Take(dataRows)];
            return (rows, EncodingLabel(table.EncodingName, table.Format));
        }
        catch (Exception e) when (e is TableReadException or IOException or UnauthorizedAccessException)
        {
            return (null, null);
        }
    }

    public static string EncodingLabel(string name, TableFormat format) => format is TableFormat.Xlsx or TableFormat.Xls
        ? "Excel"
        : name switch
        {
            "utf-8" => "UTF-8",
            "utf-8-bom" => "UTF-8 (BOM)",
            "shift_jis" => "Shift_JIS (CP932)",
            _ => name.ToUpperInvariant(),
        };
}
