using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Xml;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenGov.Ckan;
using OpenGov.Hosting;
using OpenGov.Storage;

namespace OpenGov.Catalog.Search;

/// <summary>An RDF term: an IRI, a blank node, or a literal (with a datatype IRI or a language).</summary>
public sealed record RdfTerm(RdfTermKind Kind, string Value, string? Datatype = null, string? Language = null)
{
    public static RdfTerm Iri(string iri) => new(RdfTermKind.Iri, iri);

    public static RdfTerm Blank(string id) => new(RdfTermKind.Blank, id);

    public static RdfTerm Literal(string value, string? datatype = null, string? language = null) => new(RdfTermKind.Literal, value, datatype, language);
}

public enum RdfTermKind
{
    Iri,
    Blank,
    Literal,
}

public sealed record RdfTriple(RdfTerm Subject, string Predicate, RdfTerm Object);

/// <summary>
/// A small RDF graph with the three serializations ckanext-dcat offers (Turtle, RDF/XML, JSON-LD). Triples keep their
/// insertion order; subjects are written in order of first appearance.
/// </summary>
public sealed class RdfGraph
{
    public static readonly IReadOnlyList<(string Prefix, string Ns)> Namespaces =
    [
        ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
        ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
        ("dcat", "http://www.w3.org/ns/dcat#"),
        ("dct", "http://purl.org/dc/terms/"),
        ("foaf", "http://xmlns.com/foaf/0.1/"),
        ("vcard", "http://www.w3.org/2006/vcard/ns#"),
        ("owl", "http://www.w3.org/2002/07/owl#"),
        ("xsd", "http://www.w3.org/2001/XMLSchema#"),
        ("hydra", "http://www.w3.org/ns/hydra/core#"),
    ];

    public const string RdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

    private readonly List<RdfTriple> _triples = [];
    private int _blank;

    public IReadOnlyList<RdfTriple> Triples => _triples;

    public static string Expand(string curie)
    {
        var colon = curie.IndexOf(':', StringComparison.Ordinal);
        var prefix = curie[..colon];
        return Namespaces.First(n => n.Prefix == prefix).Ns + curie[(colon + 1)..];
    }

    public RdfTerm NewBlank() => RdfTerm.Blank("b" + (_blank++).ToString(CultureInfo.InvariantCulture));

    /// <summary>Adds a triple; the predicate is a CURIE of the known namespaces. Null or empty literals are skipped.</summary>
    public void Add(RdfTerm subject, string predicate, RdfTerm? obj)
    {
        if (obj is null || (obj.Kind == RdfTermKind.Literal && string.IsNullOrEmpty(obj.Value)))
        {
            return;
        }

        _triples.Add(new RdfTriple(subject, Expand(predicate), obj));
    }

    public void Add(RdfTerm subject, string predicate, string? literal) =>
        Add(subject, predicate, string.IsNullOrEmpty(literal) ? null : RdfTerm.Literal(literal));

    public void Type(RdfTerm subject, string typeCurie) => _triples.Add(new RdfTriple(subject, RdfType, RdfTerm.Iri(Expand(typeCurie))));

    private List<IGrouping<RdfTerm, RdfTriple>> BySubject() => [.. _triples.GroupBy(t => t.Subject)];

    // ---- Turtle ----
    public string ToTurtle()
    {
        var sb = new StringBuilder();
        foreach (var (prefix, ns) in Namespaces)
        {
            sb.Append("@prefix ").Append(prefix).Append(": <").Append(ns).Append("> .\n");
        }

        foreach (var group in BySubject())
        {
            sb.Append('\n').Append(TurtleTerm(group.Key)).Append('\n');
            var preds = group.GroupBy(t => t.Predicate).ToList();
            for (var i = 0; i < preds.Count; i++)
            {
                var p = preds[i].Key == RdfType ? "a" : TurtlePredicate(preds[i].Key);
                sb.Append("    ").Append(p).Append(' ').Append(string.Join(",\n        ", preds[i].Select(t => TurtleTerm(t.Object))));
                sb.Append(i == preds.Count - 1 ? " .\n" : " ;\n");
            }
        }

        return sb.ToString();
    }

    private static string TurtlePredicate(string iri)
    {
        foreach (var (prefix, ns) in Namespaces)
        {
            if (iri.StartsWith(ns, StringComparison.Ordinal) && iri.Length > ns.Length && iri[ns.Length..].All(char.IsAsciiLetterOrDigit))
            {
                return prefix + ":" + iri[ns.Length..];
            }
        }

        return TurtleIri(iri);
    }

    private static string TurtleTerm(RdfTerm t) => t.Kind switch
    {
        RdfTermKind.Iri => TurtlePredicate(t.Value),
        RdfTermKind.Blank => "_:" + t.Value,
        _ => TurtleString(t.Value) + (t.Language is not null ? "@" + t.Language : t.Datatype is not null ? "^^" + TurtlePredicate(t.Datatype) : ""),
    };

    /// <summary>IRIREF: characters Turtle forbids inside &lt;&gt; are written as \u escapes.</summary>
    public static string TurtleIri(string iri)
    {
        var sb = new StringBuilder("<");
        foreach (var c in iri)
        {
            if (c <= 0x20 || c is '<' or '>' or '"' or '{' or '}' or '|' or '^' or '`' or '\\')
            {
                sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.Append('>').ToString();
    }

    public static string TurtleString(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20 || c == 0x7F)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }

    // ---- RDF/XML ----
    public string ToRdfXml()
    {
        var sb = new StringBuilder();
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), OmitXmlDeclaration = true, CheckCharacters = true };
        using (var w = XmlWriter.Create(sb, settings))
        {
            w.WriteStartElement("rdf", "RDF", Expand("rdf:"));
            foreach (var (prefix, ns) in Namespaces.Where(n => n.Prefix != "rdf"))
            {
                w.WriteAttributeString("xmlns", prefix, null, ns);
            }

            foreach (var group in BySubject())
            {
                w.WriteStartElement("rdf", "Description", Expand("rdf:"));
                if (group.Key.Kind == RdfTermKind.Blank)
                {
                    w.WriteAttributeString("rdf", "nodeID", Expand("rdf:"), group.Key.Value);
                }
                else
                {
                    w.WriteAttributeString("rdf", "about", Expand("rdf:"), XmlSafe(group.Key.Value));
                }

                foreach (var t in group)
                {
                    var (ns, local) = Split(t.Predicate);
                    w.WriteStartElement(local, ns);
                    switch (t.Object.Kind)
                    {
                        case RdfTermKind.Iri:
                            w.WriteAttributeString("rdf", "resource", Expand("rdf:"), XmlSafe(t.Object.Value));
                            break;
                        case RdfTermKind.Blank:
                            w.WriteAttributeString("rdf", "nodeID", Expand("rdf:"), t.Object.Value);
                            break;
                        default:
                            if (t.Object.Language is not null)
                            {
                                w.WriteAttributeString("xml", "lang", null, t.Object.Language);
                            }
                            else if (t.Object.Datatype is not null)
                            {
                                w.WriteAttributeString("rdf", "datatype", Expand("rdf:"), t.Object.Datatype);
                            }

                            w.WriteString(XmlSafe(t.Object.Value));
                            break;
                    }

                    w.WriteEndElement();
                }

                w.WriteEndElement();
            }

            w.WriteEndElement();
        }

        return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" + sb;
    }

    private static (string Ns, string Local) Split(string iri)
    {
        var cut = Math.Max(iri.LastIndexOf('#'), iri.LastIndexOf('/')) + 1;
        return (iri[..cut], iri[cut..]);
    }

    /// <summary>Drops characters XML 1.0 cannot carry (C0 controls other than tab/newline, lone surrogates, U+FFFE/FFFF).</summary>
    public static string XmlSafe(string s)
    {
        if (s.All(XmlConvert.IsXmlChar))
        {
            return s;
        }

        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (XmlConvert.IsXmlChar(s[i]))
            {
                sb.Append(s[i]);
            }
            else if (i + 1 < s.Length && XmlConvert.IsXmlSurrogatePair(s[i + 1], s[i]))
            {
                sb.Append(s[i]).Append(s[i + 1]);
                i++;
            }
        }

        return sb.ToString();
    }

    // ---- JSON-LD ----
    public string ToJsonLd()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteStartObject("@context");
            foreach (var (prefix, ns) in Namespaces)
            {
                w.WriteString(prefix, ns);
            }

            w.WriteEndObject();
            w.WriteStartArray("@graph");
            foreach (var group in BySubject())
            {
                w.WriteStartObject();
                w.WriteString("@id", group.Key.Kind == RdfTermKind.Blank ? "_:" + group.Key.Value : group.Key.Value);
                var types = group.Where(t => t.Predicate == RdfType).Select(t => t.Object.Value).ToList();
                if (types.Count > 0)
                {
                    w.WriteStartArray("@type");
                    types.ForEach(t => w.WriteStringValue(TurtlePredicate(t)));
                    w.WriteEndArray();
                }

                foreach (var pred in group.Where(t => t.Predicate != RdfType).GroupBy(t => t.Predicate))
                {
                    var name = TurtlePredicate(pred.Key);
                    w.WriteStartArray(name.StartsWith('<') ? pred.Key : name);
                    foreach (var t in pred)
                    {
                        w.WriteStartObject();
                        switch (t.Object.Kind)
                        {
                            case RdfTermKind.Iri: w.WriteString("@id", t.Object.Value); break;
                            case RdfTermKind.Blank: w.WriteString("@id", "_:" + t.Object.Value); break;
                            default:
                                w.WriteString("@value", t.Object.Value);
                                if (t.Object.Language is not null)
                                {
                                    w.WriteString("@language", t.Object.Language);
                                }
                                else if (t.Object.Datatype is not null)
                                {
                                    w.WriteString("@type", t.Object.Datatype);
                                }

                                break;
                        }

                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}

/// <summary>
/// DCAT documents as ckanext-dcat's euro_dcat_ap profile shapes them: /catalog.{ttl,rdf,jsonld} (100 datasets a page,
/// hydra:PagedCollection) and /dataset/{name}.{ttl,rdf,jsonld}.
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

        var org = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == d.OwnerOrgId, ct);
        var site = CkanApi.SiteUrl(ctx);
        var g = new RdfGraph();
        AddDataset(g, PackageDict.From(d, org, site), org, site);
        return Write(g, format);
    }

    private static async Task<ContentHttpResult> CatalogAsync(HttpContext ctx, string format, PackageSearch search, PackageDictLoader loader, OpenGovOptions options, CancellationToken ct)
    {
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
        var catalog = RdfTerm.Iri(site + "/");
        g.Type(catalog, "dcat:Catalog");
        g.Add(catalog, "dct:title", options.SiteTitle);
        g.Add(catalog, "dct:description", "オープンガバメント推進協議会 共同オープンデータカタログ");
        g.Add(catalog, "foaf:homepage", RdfTerm.Iri(site + "/"));
        g.Add(catalog, "dct:language", "ja");
        var latest = await search.RunAsync(new SearchQuery { Rows = 1, Sort = "metadata_modified desc" }, ct);
        if (latest.Ids.Count > 0 && (await loader.LoadAsync(latest.Ids, ct)) is [var newest, ..])
        {
            g.Add(catalog, "dct:modified", DateLiteral(newest.MetadataModified));
        }

        foreach (var d in datasets)
        {
            var org = d.Organization is { } o ? new Organization { Id = o.Id, Name = o.Name, Title = o.Title, LocalGovCode = o.LocalGovCode } : null;
            g.Add(catalog, "dcat:dataset", AddDataset(g, d, org, site));
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

    private static string Xsd(string local) => "http://www.w3.org/2001/XMLSchema#" + local;

    private static RdfTerm? DateLiteral(string? ckanTime) =>
        DateTime.TryParse(ckanTime, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d)
            ? RdfTerm.Literal(d.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture), Xsd("dateTime"))
            : null;

    private static RdfTerm? IriOrNull(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps) ? RdfTerm.Iri(url!) : null;

    /// <summary>Adds a dcat:Dataset with its publisher, contact point and distributions; returns the dataset node.</summary>
    public static RdfTerm AddDataset(RdfGraph g, PackageDict d, Organization? org, string site)
    {
        var ds = RdfTerm.Iri(site + "/dataset/" + d.Id);
        g.Type(ds, "dcat:Dataset");
        g.Add(ds, "dct:title", d.Title);
        g.Add(ds, "dct:description", d.Notes);
        g.Add(ds, "dcat:landingPage", IriOrNull(d.Url));
        g.Add(ds, "dct:identifier", d.Id);
        g.Add(ds, "owl:versionInfo", d.Version);
        foreach (var t in d.Tags)
        {
            g.Add(ds, "dcat:keyword", t.Name);
        }

        g.Add(ds, "dct:issued", DateLiteral(d.MetadataCreated));
        g.Add(ds, "dct:modified", DateLiteral(d.MetadataModified));
        var license = Licenses.Find(d.LicenseId);
        var licenseTerm = license is { Url.Length: > 0 } ? RdfTerm.Iri(license.Url) : null;
        g.Add(ds, "dct:license", licenseTerm);

        var contactName = string.IsNullOrEmpty(d.Maintainer) ? d.Author : d.Maintainer;
        var contactEmail = string.IsNullOrEmpty(d.MaintainerEmail) ? d.AuthorEmail : d.MaintainerEmail;
        if (!string.IsNullOrEmpty(contactName) || !string.IsNullOrEmpty(contactEmail))
        {
            var contact = g.NewBlank();
            g.Add(ds, "dcat:contactPoint", contact);
            g.Type(contact, "vcard:Organization");
            g.Add(contact, "vcard:fn", contactName);
            if (!string.IsNullOrEmpty(contactEmail))
            {
                g.Add(contact, "vcard:hasEmail", RdfTerm.Iri(contactEmail.StartsWith("mailto:", StringComparison.Ordinal) ? contactEmail : "mailto:" + contactEmail));
            }
        }

        if (org is not null)
        {
            var publisher = RdfTerm.Iri(site + "/organization/" + org.Name);
            g.Add(ds, "dct:publisher", publisher);
            g.Type(publisher, "foaf:Agent");
            g.Add(publisher, "foaf:name", org.Title);
            g.Add(publisher, "dct:identifier", org.LocalGovCode);
        }

        foreach (var r in d.Resources)
        {
            var dist = RdfTerm.Iri(site + "/dataset/" + d.Id + "/resource/" + r.Id);
            g.Add(ds, "dcat:distribution", dist);
            g.Type(dist, "dcat:Distribution");
            g.Add(dist, "dct:title", r.Name);
            g.Add(dist, "dct:description", r.Description);
            g.Add(dist, "dct:license", licenseTerm);
            g.Add(dist, "dcat:accessURL", IriOrNull(r.Url));
            if (r.UrlType == "upload")
            {
                g.Add(dist, "dcat:downloadURL", IriOrNull(r.Url));
            }

            if (!string.IsNullOrEmpty(r.Format) && !r.Format.Contains('/', StringComparison.Ordinal))
            {
                g.Add(dist, "dct:format", r.Format);
            }

            var media = r.Mimetype ?? (r.Format.Contains('/', StringComparison.Ordinal) ? r.Format : null);
            g.Add(dist, "dcat:mediaType", media);
            if (r.Size is { } size)
            {
                g.Add(dist, "dcat:byteSize", RdfTerm.Literal(size.ToString(CultureInfo.InvariantCulture), Xsd("decimal")));
            }

            g.Add(dist, "dct:issued", DateLiteral(r.Created));
            g.Add(dist, "dct:modified", DateLiteral(r.LastModified ?? r.MetadataModified));
        }

        return ds;
    }
}
