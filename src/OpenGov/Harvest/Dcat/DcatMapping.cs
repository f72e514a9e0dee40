using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OpenGov.Catalog;
using OpenGov.Catalog.Search;

namespace OpenGov.Harvest.Dcat;

/// <summary>One dataset of a source, as the runner imports it: its guid there, its id and name here, when it changed, and its CKAN dict.</summary>
public sealed record HarvestRecord(string Guid, string LocalId, string Name, string Modified, JsonObject Dict);

/// <summary>
/// dcat:Dataset → CKAN package dict, as ckanext-dcat's profiles parse it: the guid is the dataset's URI (else its
/// dct:identifier, as ckanext-dcat's _get_guid), the id here its dct:identifier when that is a UUID (an OpenGov or
/// CKAN source's own id, so the dataset keeps it) else a UUID derived from the guid; dct:title, dct:description,
/// dcat:keyword → tags, dct:modified (the incremental key), dct:publisher's name, dct:license (a known licence's id,
/// else its IRI), dcat:landingPage → url, dcat:distribution → resources (accessURL/downloadURL, dct:format or
/// dcat:mediaType, byteSize). Literals in Japanese, then without a language, then English, then any are preferred.
/// </summary>
public static partial class DcatMapping
{
    private const string Dcat = "http://www.w3.org/ns/dcat#";
    private const string Dct = "http://purl.org/dc/terms/";
    private const string Foaf = "http://xmlns.com/foaf/0.1/";
    private const string Rdfs = "http://www.w3.org/2000/01/rdf-schema#";
    private const string RdfValue = "http://www.w3.org/1999/02/22-rdf-syntax-ns#value";
    private const string Skos = "http://www.w3.org/2004/02/skos/core#";
    private const string Vcard = "http://www.w3.org/2006/vcard/ns#";
    private const string Owl = "http://www.w3.org/2002/07/owl#";
    private const string Hydra = "http://www.w3.org/ns/hydra/core#";

    /// <summary>The graph's datasets; one without a URI nor an identifier (nothing to know it by next time) is skipped.</summary>
    public static List<HarvestRecord> Datasets(List<RdfTriple> triples)
    {
        var g = new Index(triples);
        var list = new List<HarvestRecord>();
        foreach (var ds in g.SubjectsOfType(Dcat + "Dataset"))
        {
            var identifier = g.Text(ds, Dct + "identifier");
            var guid = ds.Kind == RdfTermKind.Iri ? ds.Value : identifier;
            if (string.IsNullOrWhiteSpace(guid))
            {
                continue;
            }

            var id = Guid.TryParse(identifier, out var uuid) ? uuid.ToString() : DerivedId(guid);
            var title = g.Text(ds, Dct + "title") ?? identifier ?? guid;
            var modified = g.Text(ds, Dct + "modified") ?? "";
            var dict = new JsonObject
            {
                ["id"] = id,
                ["name"] = NameOf(title, ds.Kind == RdfTermKind.Iri ? ds.Value : null, id),
                ["title"] = title,
                ["notes"] = g.Text(ds, Dct + "description") ?? "",
                ["metadata_modified"] = modified,
            };
            if (g.Object(ds, Dcat + "landingPage") is { Kind: RdfTermKind.Iri } landing)
            {
                dict["url"] = landing.Value;
            }

            if ((g.Text(ds, Owl + "versionInfo") ?? g.Text(ds, Dcat + "version")) is { } version)
            {
                dict["version"] = version;
            }

            if (g.Object(ds, Dct + "license") is { } license)
            {
                dict["license_id"] = LicenseId(g, license);
            }

            var tags = new JsonArray();
            foreach (var k in g.Texts(ds, Dcat + "keyword").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                tags.Add(new JsonObject { ["name"] = k });
            }

            dict["tags"] = tags;
            var extras = new JsonArray();
            void Extra(string key, string? value)
            {
                if (!string.IsNullOrWhiteSpace(value))
                {
                    extras.Add(new JsonObject { ["key"] = key, ["value"] = value });
                }
            }

            Extra("uri", ds.Kind == RdfTermKind.Iri ? ds.Value : null);
            Extra("guid", guid);
            Extra("identifier", identifier);
            Extra("issued", g.Text(ds, Dct + "issued"));
            Extra("modified", modified);
            if (g.Object(ds, Dct + "publisher") is { } publisher)
            {
                Extra("publisher_uri", publisher.Kind == RdfTermKind.Iri ? publisher.Value : null);
                Extra("publisher_name", g.Text(publisher, Foaf + "name") ?? g.Text(publisher, Skos + "prefLabel") ?? g.Text(publisher, Rdfs + "label"));
            }

            if (g.Object(ds, Dcat + "contactPoint") is { } contact)
            {
                Extra("contact_name", g.Text(contact, Vcard + "fn"));
                Extra("contact_email", g.Object(contact, Vcard + "hasEmail")?.Value.Replace("mailto:", "", StringComparison.Ordinal));
            }

            dict["extras"] = extras;
            var resources = new JsonArray();
            foreach (var dist in g.Objects(ds, Dcat + "distribution"))
            {
                resources.Add(Resource(g, dist));
            }

            dict["resources"] = resources;
            list.Add(new HarvestRecord(guid, id, dict["name"]!.GetValue<string>(), modified, dict));
        }

        return list;
    }

    /// <summary>ckanext-dcat's next_page: hydra:next (or the older hydra:nextPage) of a hydra:PagedCollection (or hydra:PartialCollectionView).</summary>
    public static string? NextPage(List<RdfTriple> triples)
    {
        var g = new Index(triples);
        foreach (var node in g.SubjectsOfType(Hydra + "PartialCollectionView").Concat(g.SubjectsOfType(Hydra + "PagedCollection")))
        {
            if ((g.Object(node, Hydra + "next") ?? g.Object(node, Hydra + "nextPage")) is { } next)
            {
                return next.Value;
            }
        }

        return null;
    }

    /// <summary>A stable UUID from a guid (the same dataset gets the same id on every run).</summary>
    public static string DerivedId(string guid)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(guid))[..16];
        bytes[6] = (byte)((bytes[6] & 0x0f) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3f) | 0x80);
        return new Guid(bytes, bigEndian: true).ToString();
    }

    private static JsonObject Resource(Index g, RdfTerm dist)
    {
        var r = new JsonObject();
        var access = g.Object(dist, Dcat + "accessURL")?.Value;
        var download = g.Object(dist, Dcat + "downloadURL")?.Value;
        r["url"] = download ?? access ?? (dist.Kind == RdfTermKind.Iri ? dist.Value : "");
        if (dist.Kind == RdfTermKind.Iri)
        {
            // as ckanext-dcat matches resources by URI: the same distribution keeps its resource id here
            r["uri"] = dist.Value;
            r["id"] = Guid.TryParse(LastSegment(dist.Value), out var rid) ? rid.ToString() : DerivedId(dist.Value);
        }

        if (access is not null)
        {
            r["access_url"] = access;
        }

        if (download is not null)
        {
            r["download_url"] = download;
        }

        r["name"] = g.Text(dist, Dct + "title") ?? "";
        r["description"] = g.Text(dist, Dct + "description") ?? "";
        var (format, mediaType) = Format(g, dist);
        if (format is not null)
        {
            r["format"] = format;
        }

        if (mediaType is not null)
        {
            r["mimetype"] = mediaType;
        }

        if (g.Text(dist, Dcat + "byteSize") is { } size && decimal.TryParse(size, NumberStyles.Float, CultureInfo.InvariantCulture, out var bytes) && bytes >= 0 && bytes < long.MaxValue)
        {
            r["size"] = (long)bytes;
        }

        return r;
    }

    /// <summary>dct:format and dcat:mediaType as CKAN's format label and mimetype (EU file-type and IANA IRIs, an IMT node's label and value, or text).</summary>
    private static (string? Format, string? MediaType) Format(Index g, RdfTerm dist)
    {
        string? format = null;
        string? mediaType = null;
        if (g.Object(dist, Dct + "format") is { } f)
        {
            format = f.Kind == RdfTermKind.Literal ? f.Value : g.Text(f, Rdfs + "label") ?? (f.Kind == RdfTermKind.Iri ? LastSegment(f.Value) : null);
            mediaType = g.Text(f, RdfValue);
            if (f.Kind == RdfTermKind.Iri && f.Value.StartsWith(DcatFormats.IanaMediaTypes, StringComparison.Ordinal))
            {
                mediaType = f.Value[DcatFormats.IanaMediaTypes.Length..];
            }
        }

        if (g.Object(dist, Dcat + "mediaType") is { } m)
        {
            mediaType = m.Kind == RdfTermKind.Iri && m.Value.StartsWith(DcatFormats.IanaMediaTypes, StringComparison.Ordinal) ? m.Value[DcatFormats.IanaMediaTypes.Length..]
                : m.Kind == RdfTermKind.Literal ? m.Value : mediaType;
        }

        if (format is not null && DcatFormats.Known.FirstOrDefault(k => k.Code == format || k.MediaType == format) is { } known)
        {
            format = known.Labels[0].ToUpperInvariant();
            mediaType ??= known.MediaType;
        }

        format ??= mediaType is null ? null : DcatFormats.Known.FirstOrDefault(k => k.MediaType == mediaType)?.Labels[0].ToUpperInvariant();
        return (format, mediaType);
    }

    private static string LicenseId(Index g, RdfTerm license)
    {
        static string Norm(string u) => u.Replace("https://", "http://", StringComparison.Ordinal).TrimEnd('/');
        if (license.Kind == RdfTermKind.Iri && Licenses.All.FirstOrDefault(l => l.Url.Length > 0 && Norm(l.Url) == Norm(license.Value)) is { } byUrl)
        {
            return byUrl.Id;
        }

        var titles = g.Texts(license, Dct + "title").ToList();
        if (Licenses.All.FirstOrDefault(l => titles.Contains(l.Title) || titles.Contains(l.TitleEn)) is { } byTitle)
        {
            return byTitle.Id;
        }

        return license.Kind == RdfTermKind.Iri ? license.Value : titles.FirstOrDefault() ?? "";
    }

    /// <summary>ckanext-dcat munges the title to a name; a title with no Latin letters falls back to the URI's last segment, then to the id.</summary>
    public static string NameOf(string title, string? uri, string id)
    {
        var plain = new string(title.ToLowerInvariant().Normalize(NormalizationForm.FormKD)
            .Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark).ToArray());
        var munged = Dashes().Replace(NotName().Replace(plain, "-"), "-").Trim('-');
        munged = munged.Length > 100 ? munged[..100].TrimEnd('-') : munged;
        if (munged.Length >= 2 && munged.Any(char.IsAsciiLetter))
        {
            return munged;
        }

        var last = uri is null ? "" : LastSegment(uri).ToLowerInvariant();
        return last.Length is >= 2 and <= 100 && !NotName().IsMatch(last) ? last : id;
    }

    private static string LastSegment(string iri) => iri.TrimEnd('/', '#').Split('/', '#')[^1];

    [GeneratedRegex("[^a-z0-9_-]+")]
    private static partial Regex NotName();

    [GeneratedRegex("-{2,}")]
    private static partial Regex Dashes();

    /// <summary>The triples by subject, with literal choice by language.</summary>
    private sealed class Index(List<RdfTriple> triples)
    {
        private readonly ILookup<RdfTerm, RdfTriple> _bySubject = triples.ToLookup(t => t.Subject);

        public IEnumerable<RdfTerm> SubjectsOfType(string type) =>
            triples.Where(t => t.Predicate == RdfGraph.RdfType && t.Object.Kind == RdfTermKind.Iri && t.Object.Value == type).Select(t => t.Subject).Distinct();

        public IEnumerable<RdfTerm> Objects(RdfTerm s, string p) => _bySubject[s].Where(t => t.Predicate == p).Select(t => t.Object);

        public RdfTerm? Object(RdfTerm s, string p) => Objects(s, p).FirstOrDefault();

        public IEnumerable<string> Texts(RdfTerm s, string p) => Objects(s, p).Where(o => o.Kind == RdfTermKind.Literal).Select(o => o.Value.Trim()).Where(v => v.Length > 0);

        public string? Text(RdfTerm s, string p)
        {
            var literals = Objects(s, p).Where(o => o.Kind == RdfTermKind.Literal && o.Value.Trim().Length > 0).ToList();
            var best = literals.FirstOrDefault(l => l.Language is "ja")
                ?? literals.FirstOrDefault(l => l.Language is null)
                ?? literals.FirstOrDefault(l => l.Language is "en")
                ?? literals.FirstOrDefault();
            return best?.Value.Trim();
        }
    }
}
