using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OpenGov.Ckan;
using OpenGov.Storage;

namespace OpenGov.Catalog.Search.Pages;

/// <summary>Helpers shared by the browse pages.</summary>
public static class Browse
{
    public static bool English => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    public static string OrgTitle(Organization o) => English && !string.IsNullOrEmpty(o.TitleEn) ? o.TitleEn : o.Title;

    public static string OrgTitle(OrganizationDict? o) => o?.Title ?? "";

    public static string GroupTitle(Group g) => English && !string.IsNullOrEmpty(g.TitleEn) ? g.TitleEn : g.Title;

    public static string DatasetTitle(PackageDict d) => string.IsNullOrWhiteSpace(d.Title) ? d.Name : d.Title;

    public static string LicenseTitle(string? id)
    {
        var l = Licenses.Find(id);
        return l is null ? id ?? "" : English ? l.TitleEn : l.Title;
    }

    /// <summary>The JST day of a CKAN timestamp (<see cref="Shared.JapanTime"/>).</summary>
    /// <summary>A licence as a badge reads: "CC BY 4.0" for Creative Commons ids, else its title in the page's language.</summary>
    public static string LicenseBadge(string? id) => id switch
    {
        null or "" => "",
        "cc-zero" => "CC0",
        _ when id.StartsWith("cc-", StringComparison.Ordinal) && id.Split('-') is { Length: >= 3 } p =>
            "CC " + string.Join('-', p[1..^1]).ToUpperInvariant() + " " + p[^1],
        _ => LicenseTitle(id),
    };

    public static string Date(string? ckanTime) => Shared.JapanTime.Date(ckanTime);

    /// <summary>
    /// When the data itself last changed: the latest of the resources' last_modified (the publisher's, or set when a
    /// file or link changes), else the metadata's change; not when the record was imported or re-saved.
    /// </summary>
    public static string? DataModified(PackageDict d) =>
        d.Resources.Select(r => r.LastModified).Where(t => !string.IsNullOrEmpty(t)).Max(StringComparer.Ordinal) ?? d.MetadataModified;

    public static string Size(long? bytes) => bytes switch
    {
        null => "",
        < 1024 => bytes.Value.ToString(CultureInfo.InvariantCulture) + " B",
        < 1024 * 1024 => (bytes.Value / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KB",
        _ => (bytes.Value / 1024.0 / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " MB",
    };

    /// <summary>First sentence-ish part of the notes as plain text, for result lists.</summary>
    public static string Summary(string? notes, int max = 160)
    {
        var text = Shared.SafeMarkdown.ToPlainText(notes).ReplaceLineEndings(" ");
        return text.Length <= max ? text : text[..max] + "…";
    }

    /// <summary>A Solr fq clause for one facet value, quoted and escaped.</summary>
    public static string Clause(string field, string value) =>
        field + ":\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}

/// <summary>A dataset search with facet filters taken from the query string, as CKAN's /dataset page does.</summary>
public abstract class DatasetListModel(PackageSearch search, PackageDictLoader loader) : PageModel
{
    public const int PageSize = 20;

    public static readonly string[] FacetOrder = ["organization", "groups", "tags", "res_format", "license_id"];

    public static readonly (string Value, string Label)[] SortOptions =
    [
        ("score desc, metadata_modified desc", "関連度"),
        ("name asc", "名前（昇順）"),
        ("name desc", "名前（降順）"),
        ("metadata_modified desc", "最終更新日"),
        ("metadata_created desc", "作成日"),
    ];

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true, Name = "sort")]
    public string? Sort { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    /// <summary>Active facet filters: field → values.</summary>
    public Dictionary<string, List<string>> Filters { get; } = new(StringComparer.Ordinal);

    public SearchOutcome? Outcome { get; private set; }

    public IReadOnlyList<PackageDict> Results { get; private set; } = [];

    /// <summary>Set when q could not be understood.</summary>
    public bool QueryError { get; private set; }

    public int PageCount => Outcome is null ? 0 : (int)Math.Ceiling(Outcome.Count / (double)PageSize);

    /// <summary>The page's own path (/dataset, /organization/chiba, ...).</summary>
    public string BasePath => Request.Path.Value ?? "/dataset";

    /// <summary>A filter the page always applies (its organization or group), not shown as a removable chip.</summary>
    protected virtual string? FixedFilter => null;

    protected virtual IEnumerable<string> Facets => FacetOrder;

    protected async Task RunSearchAsync(CancellationToken ct)
    {
        foreach (var field in FacetOrder)
        {
            var values = Request.Query[field].Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).Distinct(StringComparer.Ordinal).ToList();
            if (values.Count > 0)
            {
                Filters[field] = values;
            }
        }

        PageNumber = Math.Max(1, PageNumber);
        var fq = string.Join(' ', Filters.SelectMany(f => f.Value.Select(v => Browse.Clause(f.Key, v))));
        if (FixedFilter is { } fixedFilter)
        {
            fq = fixedFilter + " " + fq;
        }

        var query = new SearchQuery
        {
            Q = Q,
            Fq = [fq],
            Rows = PageSize,
            Start = (int)Math.Min((long)(PageNumber - 1) * PageSize, int.MaxValue),
            Sort = SortOptions.Any(s => s.Value == Sort) ? Sort : null,
            FacetFields = [.. Facets],
            FacetLimit = 10,
            IncludePrivate = true,
        };
        try
        {
            Outcome = await search.RunAsync(query, ct);
        }
        catch (CkanException)
        {
            QueryError = true;
            Outcome = new SearchOutcome(0, [], "", new Dictionary<string, IReadOnlyList<FacetItem>>());
        }

        Results = await loader.LoadAsync(Outcome.Ids, ct);
        if (Outcome.Count == 0 && !QueryError && (!string.IsNullOrWhiteSpace(Q) || Filters.Count > 0))
        {
            ZeroHelp = await ZeroResultHelp.BuildAsync(search, loader, Q, FixedFilter ?? "", string.Join(' ', Filters.SelectMany(f => f.Value.Select(v => Browse.Clause(f.Key, v)))), ct);
        }
    }

    /// <summary>Suggestions shown when a search found nothing (null otherwise).</summary>
    public ZeroResultHelp? ZeroHelp { get; private set; }

    /// <summary>This page's URL with one filter added or removed, or another page/sort; the page resets on filter changes.</summary>
    public string LinkWith(string? add = null, string? addValue = null, string? remove = null, string? removeValue = null, int? page = null, string? sort = null)
    {
        var parts = new List<KeyValuePair<string, string>>();
        if (!string.IsNullOrEmpty(Q))
        {
            parts.Add(new("q", Q));
        }

        foreach (var (field, values) in Filters)
        {
            parts.AddRange(values.Where(v => !(field == remove && v == removeValue)).Select(v => new KeyValuePair<string, string>(field, v)));
        }

        if (add is not null && addValue is not null && !(Filters.TryGetValue(add, out var existing) && existing.Contains(addValue)))
        {
            parts.Add(new(add, addValue));
        }

        var s = sort ?? Sort;
        if (!string.IsNullOrEmpty(s))
        {
            parts.Add(new("sort", s));
        }

        if (page is > 1)
        {
            parts.Add(new("page", page.Value.ToString(CultureInfo.InvariantCulture)));
        }

        var sb = new StringBuilder(BasePath);
        for (var i = 0; i < parts.Count; i++)
        {
            sb.Append(i == 0 ? '?' : '&').Append(Uri.EscapeDataString(parts[i].Key)).Append('=').Append(Uri.EscapeDataString(parts[i].Value));
        }

        return sb.ToString();
    }

    public bool IsActive(string field, string value) => Filters.TryGetValue(field, out var v) && v.Contains(value);

    /// <summary>How a facet value reads (organization and group titles, licence titles).</summary>
    public string Display(string field, string value) =>
        Outcome?.Facets.GetValueOrDefault(field)?.FirstOrDefault(i => i.Name == value)?.DisplayName is { } d
            ? (field == "license_id" ? Browse.LicenseTitle(value) : d)
            : field == "license_id" ? Browse.LicenseTitle(value) : value;
}

public sealed class DatasetSearchModel(PackageSearch search, PackageDictLoader loader) : DatasetListModel(search, loader)
{
    public Task OnGetAsync(CancellationToken ct) => RunSearchAsync(ct);
}

public sealed class OrganizationReadModel(PackageSearch search, PackageDictLoader loader, OpenGovDb db) : DatasetListModel(search, loader)
{
    public Organization? Organization { get; private set; }

    protected override string? FixedFilter => Organization is null ? null : Browse.Clause("owner_org", Organization.Id);

    protected override IEnumerable<string> Facets => FacetOrder.Where(f => f != "organization");

    public async Task<IActionResult> OnGetAsync(string name, CancellationToken ct)
    {
        Organization = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => (o.Name == name || o.Id == name) && o.State == RecordState.Active, ct);
        if (Organization is null)
        {
            return NotFound();
        }

        await RunSearchAsync(ct);
        return Page();
    }
}

public sealed class GroupReadModel(PackageSearch search, PackageDictLoader loader, OpenGovDb db) : DatasetListModel(search, loader)
{
    public Group? Group { get; private set; }

    protected override string? FixedFilter => Group is null ? null : Browse.Clause("groups", Group.Name);

    protected override IEnumerable<string> Facets => FacetOrder.Where(f => f != "groups");

    public async Task<IActionResult> OnGetAsync(string name, CancellationToken ct)
    {
        Group = await db.Groups.AsNoTracking().FirstOrDefaultAsync(g => (g.Name == name || g.Id == name) && g.State == RecordState.Active, ct);
        if (Group is null)
        {
            return NotFound();
        }

        await RunSearchAsync(ct);
        return Page();
    }
}
