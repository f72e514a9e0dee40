using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenGov.Catalog.Ckan;
using OpenGov.Hosting;
using OpenGov.Storage;

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
        var orgs = await db.Organizations.AsNoTracking().Where(o => o.State == "active").ToListAsync(ct);
        OrganizationCount = orgs.Count;
        GroupCount = await db.Groups.CountAsync(g => g.State == "active", ct);
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
        var orgs = await db.Organizations.AsNoTracking().Where(o => o.State == "active").ToListAsync(ct);
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
        var groups = await db.Groups.AsNoTracking().Where(g => g.State == "active").ToListAsync(ct);
        Groups = [.. groups.OrderBy(g => g.Name, StringComparer.Ordinal).Select(g => (g, counts.GetValueOrDefault(g.Name)))];
    }
}

public sealed class DatasetReadModel(CatalogReader reader, OpenGovDb db) : PageModel
{
    public PackageDict Dataset { get; private set; } = null!;

    public Organization? Organization { get; private set; }

    public async Task<IActionResult> OnGetAsync(string name, CancellationToken ct)
    {
        var d = await reader.LoadAsync(name, ct);
        if (d is null || d.State == "deleted" || !await reader.CanSeeAsync(d, ct))
        {
            return NotFound();
        }

        Organization = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == d.OwnerOrgId, ct);
        Dataset = PackageDict.From(d, Organization, reader.SiteUrl);
        return Page();
    }
}

public sealed class ResourceReadModel(CatalogReader reader, OpenGovDb db, IOptions<OpenGovOptions> options) : PageModel
{
    public const int PreviewRows = 20;

    public PackageDict Dataset { get; private set; } = null!;

    public ResourceDict Resource { get; private set; } = null!;

    public Organization? Organization { get; private set; }

    /// <summary>Header row then up to 20 data rows of a stored CSV, or null.</summary>
    public List<string[]>? Preview { get; private set; }

    public string? PreviewEncoding { get; private set; }

    public async Task<IActionResult> OnGetAsync(string name, string id, CancellationToken ct)
    {
        var d = await reader.LoadAsync(name, ct);
        if (d is null || d.State == "deleted" || !await reader.CanSeeAsync(d, ct))
        {
            return NotFound();
        }

        var r = d.Resources.FirstOrDefault(x => x.Id == id && x.State == "active");
        if (r is null)
        {
            return NotFound();
        }

        Organization = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == d.OwnerOrgId, ct);
        Dataset = PackageDict.From(d, Organization, reader.SiteUrl);
        Resource = Dataset.Resources.First(x => x.Id == id);
        if (IsCsv(r) && StoredFile(r) is { } path)
        {
            (Preview, PreviewEncoding) = CsvPreview.Read(path, PreviewRows);
        }

        return Page();
    }

    private static bool IsCsv(Resource r) =>
        r.Format.Equals("csv", StringComparison.OrdinalIgnoreCase) || (r.StoragePath ?? r.Url).EndsWith(".csv", StringComparison.OrdinalIgnoreCase);

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

/// <summary>A small, forgiving CSV preview: UTF-8 (with or without BOM) or CP932 (Shift_JIS), quoted fields.</summary>
public static class CsvPreview
{
    private const int MaxBytes = 256 * 1024;

    static CsvPreview() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static (List<string[]>? Rows, string? Encoding) Read(string path, int dataRows)
    {
        byte[] bytes;
        try
        {
            using var f = File.OpenRead(path);
            bytes = new byte[Math.Min(f.Length, MaxBytes)];
            f.ReadExactly(bytes);
        }
        catch (IOException)
        {
            return (null, null);
        }

        var (text, encoding) = Decode(bytes);
        return (Parse(text, dataRows + 1), encoding);
    }

    public static (string Text, string Encoding) Decode(byte[] bytes)
    {
        if (bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF)
        {
            return (Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3), "UTF-8 (BOM)");
        }

        try
        {
            // The buffer may end inside a character: trim up to 3 trailing bytes of an incomplete sequence.
            var strict = new UTF8Encoding(false, true);
            for (var cut = 0; cut <= Math.Min(3, bytes.Length); cut++)
            {
                try
                {
                    return (strict.GetString(bytes, 0, bytes.Length - cut), "UTF-8");
                }
                catch (DecoderFallbackException) when (cut < Math.Min(3, bytes.Length))
                {
                }
            }
        }
        catch (DecoderFallbackException)
        {
        }

        return (Encoding.GetEncoding(932).GetString(bytes), "Shift_JIS (CP932)");
    }

    public static List<string[]> Parse(string text, int maxRows)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length && rows.Count < maxRows; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    break;
                case ',':
                    row.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    row.Add(field.ToString());
                    field.Clear();
                    rows.Add([.. row]);
                    row.Clear();
                    break;
                default:
                    field.Append(c);
                    break;
            }
        }

        if ((field.Length > 0 || row.Count > 0) && rows.Count < maxRows)
        {
            row.Add(field.ToString());
            rows.Add([.. row]);
        }

        return rows;
    }
}
