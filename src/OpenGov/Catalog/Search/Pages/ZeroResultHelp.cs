using OpenGov.Ckan;

namespace OpenGov.Catalog.Search.Pages;

/// <summary>
/// What a search page offers when nothing was found: each word of a several-word query on its own (with its count),
/// the same words without the filters, and the recently updated datasets. Only suggestions that find something are kept.
/// </summary>
public sealed record ZeroResultHelp(IReadOnlyList<(string Term, long Count)> Terms, long WithoutFilters, IReadOnlyList<PackageDict> Recent)
{
    private const int MaxTerms = 5;

    public static async Task<ZeroResultHelp> BuildAsync(PackageSearch search, PackageDictLoader loader, string? q, string fixedFq, string fq, CancellationToken ct)
    {
        var terms = new List<(string, long)>();
        var words = (q ?? "").Split([' ', '\u3000'], StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).Take(MaxTerms).ToList();
        if (words.Count > 1)
        {
            foreach (var w in words)
            {
                if (await CountAsync(search, w, fixedFq + " " + fq, ct) is > 0 and var n)
                {
                    terms.Add((w, n));
                }
            }
        }

        var withoutFilters = !string.IsNullOrWhiteSpace(q) && !string.IsNullOrWhiteSpace(fq) ? await CountAsync(search, q, fixedFq, ct) : 0;
        var recent = await search.RunAsync(new SearchQuery { Fq = [fixedFq], Rows = 5, Sort = "metadata_modified desc", IncludePrivate = true }, ct);
        return new ZeroResultHelp(terms, withoutFilters, await loader.LoadAsync(recent.Ids, ct));
    }

    private static async Task<long> CountAsync(PackageSearch search, string q, string fq, CancellationToken ct)
    {
        try
        {
            return (await search.RunAsync(new SearchQuery { Q = q, Fq = [fq], Rows = 0, IncludePrivate = true }, ct)).Count;
        }
        catch (CkanException)
        {
            return 0;
        }
    }
}
