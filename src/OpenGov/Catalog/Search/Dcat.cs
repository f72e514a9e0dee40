using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenGov.Ckan;
using OpenGov.Hosting;
using OpenGov.Storage;

namespace OpenGov.Catalog.Search;

/// <summary>
/// DCAT documents as ckanext-dcat's endpoints serve them: /catalog.{ttl,rdf,jsonld} (100 datasets a page,
/// hydra:PagedCollection) and /dataset/{name}.{ttl,rdf,jsonld}, shaped by <see cref="DcatDataset"/> to validate against
/// the DCAT-AP SHACL shapes. <c>?profiles=</c> picks the profile as ckanext-dcat's does: euro_dcat_ap_3 (the default)
/// or euro_dcat_ap_2 (DCAT-AP 2.1.1, whose shapes want dcat:byteSize as xsd:decimal).
/// </summary>
public static class Dcat
{
    public const int DatasetsPerPage = 100;

    private static readonly Dictionary<string, string> MediaTypes = new(StringComparer.Ordinal)
    {
        ["ttl"] = "text/turtle",
        ["rdf"] = "application/rdf+xml",
        ["xml"] = "application/rdf+xml",
        ["jsonld"] = "application/ld+json",
    };

    public static IEndpointRouteBuilder MapDcat(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("").WithTags("DCAT");
        foreach (var ext in MediaTypes.Keys)
        {
            var format = ext;
            group.MapGet("/catalog." + ext, (HttpContext ctx, PackageSearch search, PackageDictLoader loader, IOptions<OpenGovOptions> options, CancellationToken ct) =>
                    CatalogAsync(ctx, format, search, loader, options.Value, ct))
                .WithName("dcat_catalog_" + ext).WithSummary($"The catalog as DCAT ({MediaTypes[ext]}), {DatasetsPerPage} datasets a page (?page=, ?q=, ?fq=, ?modified_since=).");
            group.MapGet("/dataset/{name}." + ext, (string name, HttpContext ctx, CatalogReader reader, OpenGovDb db, CancellationToken ct) =>
                    DatasetAsync(ctx, name, format, reader, db, ct))
                .WithName("dcat_dataset_" + ext).WithSummary($"One dataset as DCAT ({MediaTypes[ext]}).");
        }

        return app;
    }

    private static ContentHttpResult Write(RdfGraph g, string format) => TypedResults.Text(
        format switch { "ttl" => g.ToTurtle(), "jsonld" => g.ToJsonLd(), _ => g.ToRdfXml() },
        MediaTypes[format] + "; charset=utf-8");

    private static async Task<Results<ContentHttpResult, NotFound>> DatasetAsync(HttpContext ctx, string name, string format, CatalogReader reader, OpenGovDb db, CancellationToken ct)
    {
        var d = await reader.LoadAsync(name, ct);
        if (d is null || d.State == RecordState.Deleted || !await reader.CanSeeAsync(d, ct))
        {
            return TypedResults.NotFound();
        }

        if (!TryProfile(ctx, out var profile, out var error))
        {
            return error;
        }

        var org = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == d.OwnerOrgId, ct);
        var site = CkanApi.SiteUrl(ctx);
        var g = new RdfGraph();
        new DcatDataset(g, site, profile).Add(PackageDict.From(d, org, site), org);
        return Write(g, format);
    }

    private static async Task<ContentHttpResult> CatalogAsync(HttpContext ctx, string format, PackageSearch search, PackageDictLoader loader, OpenGovOptions options, CancellationToken ct)
    {
        if (!TryProfile(ctx, out var profile, out var error))
        {
            return error;
        }

        var q = ctx.Request.Query;
        var pageText = q["page"].ToString();
        var page = 1;
        if (pageText.Length > 0 && (!int.TryParse(pageText, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page < 1))
        {
            return TypedResults.Text("Page param must be a positive integer starting in 1", "text/plain; charset=utf-8", statusCode: 409);
        }

        var fq = new List<string>();
        if (q["fq"].ToString() is { Length: > 0 } userFq)
        {
            fq.Add(userFq);
        }

        if (q["modified_since"].ToString() is { Length: > 0 } since)
        {
            if (!DateTime.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var sinceDate))
            {
                return TypedResults.Text("Wrong modified date format. Use ISO-8601 format", "text/plain; charset=utf-8", statusCode: 409);
            }

            fq.Add("metadata_modified:[" + sinceDate.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) + " TO NOW]");
        }

        SearchOutcome outcome;
        try
        {
            outcome = await search.RunAsync(new SearchQuery
            {
                Q = q["q"].ToString() is { Length: > 0 } text ? text : null,
                Fq = fq,
                Rows = DatasetsPerPage,
                Start = (int)Math.Min((long)(page - 1) * DatasetsPerPage, int.MaxValue),
                Sort = "metadata_modified desc",
            }, ct);
        }
        catch (CkanException e)
        {
            return TypedResults.Text(e.Message, "text/plain; charset=utf-8", statusCode: 400);
        }

        var datasets = await loader.LoadAsync(outcome.Ids, ct);
        var site = CkanApi.SiteUrl(ctx);
        var g = new RdfGraph();
        var writer = new DcatDataset(g, site, profile);
        var catalog = RdfTerm.Iri(site + "/");
        g.Type(catalog, "dcat:Catalog");
        g.Add(catalog, "dct:title", options.SiteTitle);
        g.Add(catalog, "dct:description", options.CatalogPublisher + " 共同オープンデータカタログ");
        g.Add(catalog, "dct:publisher", writer.Agent(RdfTerm.Iri(site + "/#publisher"), options.CatalogPublisher, null));
        g.Add(catalog, "foaf:homepage", writer.Document(site + "/"));
        g.Add(catalog, "dct:language", writer.JapaneseLanguage());
        var latest = await search.RunAsync(new SearchQuery { Rows = 1, Sort = "metadata_modified desc" }, ct);
        if (latest.Ids.Count > 0 && (await loader.LoadAsync(latest.Ids, ct)) is [var newest, ..])
        {
            g.Add(catalog, "dct:modified", DcatDataset.DateLiteral(newest.MetadataModified));
        }

        foreach (var d in datasets)
        {
            var org = d.Organization is { } o ? new Organization { Id = o.Id, Name = o.Name, Title = o.Title, LocalGovCode = o.LocalGovCode } : null;
            g.Add(catalog, "dcat:dataset", writer.Add(d, org));
        }

        if (outcome.Count > 0)
        {
            AddPaging(g, ctx, site, page, outcome.Count, datasets.Count);
        }

        return Write(g, format);
    }

    /// <summary>ckanext-dcat's _pagination_info and _add_pagination_triples: URLs as literals, old and new hydra terms.</summary>
    private static void AddPaging(RdfGraph g, HttpContext ctx, string site, int page, long count, int onPage)
    {
        string PageUrl(long p)
        {
            var others = ctx.Request.Query.Where(kv => kv.Key != "page")
                .SelectMany(kv => kv.Value.Select(v => Uri.EscapeDataString(kv.Key) + "=" + Uri.EscapeDataString(v ?? "")));
            var qs = string.Join('&', others.Append("page=" + p.ToString(CultureInfo.InvariantCulture)));
            return site + ctx.Request.Path + "?" + qs;
        }

        var last = Math.Max(1, (long)Math.Ceiling(count / (double)DatasetsPerPage));
        var node = RdfTerm.Iri(PageUrl(page));
        g.Type(node, "hydra:PagedCollection");
        if ((long)page * DatasetsPerPage < count)
        {
            g.Add(node, "hydra:nextPage", PageUrl(page + 1));
            g.Add(node, "hydra:next", PageUrl(page + 1));
        }

        if (page > 1)
        {
            var previous = ((long)(page - 1) * DatasetsPerPage) + onPage <= count ? page - 1 : last;
            g.Add(node, "hydra:previousPage", PageUrl(previous));
            g.Add(node, "hydra:previous", PageUrl(previous));
        }

        g.Add(node, "hydra:firstPage", PageUrl(1));
        g.Add(node, "hydra:first", PageUrl(1));
        g.Add(node, "hydra:lastPage", PageUrl(last));
        g.Add(node, "hydra:last", PageUrl(last));
        g.Add(node, "hydra:totalItems", RdfTerm.Literal(count.ToString(CultureInfo.InvariantCulture), Xsd("integer")));
        g.Add(node, "hydra:itemsPerPage", RdfTerm.Literal(DatasetsPerPage.ToString(CultureInfo.InvariantCulture), Xsd("integer")));
    }

    private static string Xsd(string local) => DcatDataset.Xsd(local);

    /// <summary>ckanext-dcat's <c>?profiles=a,b</c>; an unknown name is the caller's error (400), as ckanext-dcat refuses it.</summary>
    private static bool TryProfile(HttpContext ctx, out DcatProfile profile, out ContentHttpResult error)
    {
        profile = DcatProfile.DcatAp3;
        error = null!;
        var names = ctx.Request.Query["profiles"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        var unknown = names.Where(n => n is not ("euro_dcat_ap" or "euro_dcat_ap_2" or "euro_dcat_ap_3")).ToList();
        if (unknown.Count > 0)
        {
            error = TypedResults.Text("Unknown RDF profiles: " + string.Join(", ", unknown) + " (known: euro_dcat_ap_2, euro_dcat_ap_3)", "text/plain; charset=utf-8", statusCode: 400);
            return false;
        }

        if (names.Count > 0 && !names.Contains("euro_dcat_ap_3"))
        {
            profile = DcatProfile.DcatAp2;
        }

        return true;
    }
}
