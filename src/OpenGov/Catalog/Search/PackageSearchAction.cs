using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using OpenGov.Ckan;
using OpenGov.Storage;

namespace OpenGov.Catalog.Search;

/// <summary>search_facets entry: {title, items: [{name, display_name, count}]}.</summary>
public sealed record SearchFacetDict(string Title, IReadOnlyList<SearchFacetItemDict> Items);

public sealed record SearchFacetItemDict(string Name, string DisplayName, long Count);

/// <summary>package_search's result, in CKAN's key order.</summary>
public sealed record PackageSearchDict(
    long Count,
    IReadOnlyList<PackageDict> Results,
    string Sort,
    IReadOnlyDictionary<string, Dictionary<string, long>> Facets,
    [property: JsonPropertyName("search_facets")] IReadOnlyDictionary<string, SearchFacetDict> SearchFacets);

/// <summary>CKAN 2.10's package_search.</summary>
public static class PackageSearchAction
{
    public static async Task<JsonHttpResult<CkanEnvelope<PackageSearchDict>>> Handle(
        CkanRequest req, PackageSearch search, PackageDictLoader loader, Usage.UsageReader usage, CancellationToken ct)
    {
        var query = FromRequest(req);
        var outcome = await search.RunAsync(query, ct);
        var results = await loader.LoadAsync(outcome.Ids, ct);
        if (Usage.UsageTracking.Asked(req))
        {
            results = await Usage.UsageTracking.AddAsync(results, usage, ct);
        }

        return CkanApi.Ok(req, ToDict(outcome, results));
    }

    public static PackageSearchDict ToDict(SearchOutcome outcome, IReadOnlyList<PackageDict> results) => new(
        outcome.Count,
        results,
        outcome.Sort,
        outcome.Facets.ToDictionary(f => f.Key, f => f.Value.ToDictionary(i => i.Name, i => i.Count, StringComparer.Ordinal), StringComparer.Ordinal),
        outcome.Facets.ToDictionary(
            f => f.Key,
            f => new SearchFacetDict(f.Key, [.. f.Value.OrderByDescending(i => i.DisplayName, StringComparer.Ordinal).Select(i => new SearchFacetItemDict(i.Name, i.DisplayName, i.Count))]),
            StringComparer.Ordinal));

    /// <summary>Reads CKAN's parameters: rows is capped at 1000 as CKAN's limit_to_configured_maximum does.</summary>
    public static SearchQuery FromRequest(CkanRequest req)
    {
        var fq = new List<string>();
        if (req.Data["fq"] is System.Text.Json.Nodes.JsonArray arr)
        {
            fq.AddRange(arr.Select(x => x?.ToString() ?? ""));
        }
        else if (req.String("fq") is { } one)
        {
            fq.Add(one);
        }

        if (req.Has("fq_list"))
        {
            fq.AddRange(req.List("fq_list") ?? []);
        }

        var facet = req.Bool("facet", true);
        return new SearchQuery
        {
            Q = req.String("q"),
            Fq = fq,
            Rows = req.Int("rows", 10, 0, PackageSearch.MaxRows),
            Start = req.Int("start", 0, 0),
            Sort = req.String("sort"),
            FacetFields = facet ? req.List("facet.field") ?? [] : [],
            FacetLimit = req.Int("facet.limit", 50),
            FacetMinCount = req.Int("facet.mincount", 1),
            IncludePrivate = req.Bool("include_private", false),
            IncludeDrafts = req.Bool("include_drafts", false),
        };
    }
}

/// <summary>Loads package_show dicts for a page of ids, in the given order, in two round trips.</summary>
public sealed class PackageDictLoader(OpenGovDb db, IHttpContextAccessor http, IResourceDataHooks dataHooks)
{
    public async Task<IReadOnlyList<PackageDict>> LoadAsync(IReadOnlyList<string> ids, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var list = ids.ToList();
        var datasets = await db.Datasets.AsNoTracking().WithFullPackage()
            .Where(d => list.Contains(d.Id))
            .ToDictionaryAsync(d => d.Id, ct);
        var orgIds = datasets.Values.Select(d => d.OwnerOrgId).Distinct().ToList();
        var orgs = await db.Organizations.AsNoTracking().Where(o => orgIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, ct);
        var site = http.HttpContext is { } ctx ? CkanApi.SiteUrl(ctx) : "";
        var active = await dataHooks.DataStoreActiveAsync(datasets.Values, ct);
        return [.. ids.Where(datasets.ContainsKey).Select(id => PackageDict.From(datasets[id], orgs.GetValueOrDefault(datasets[id].OwnerOrgId), site, active))];
    }
}
