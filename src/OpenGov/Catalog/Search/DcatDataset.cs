using System.Globalization;

namespace OpenGov.Catalog.Search;

/// <summary>The DCAT-AP version a document is written for, as ckanext-dcat's euro_dcat_ap_2 and euro_dcat_ap_3 profiles.</summary>
public enum DcatProfile
{
    /// <summary>DCAT-AP 2.1.1: dcat:byteSize as xsd:decimal, owl:versionInfo.</summary>
    DcatAp2,

    /// <summary>DCAT-AP 3: dcat:byteSize as xsd:nonNegativeInteger, dcat:version.</summary>
    DcatAp3,
}

/// <summary>
/// Writes datasets, their distributions, publishers and contact points into a graph in the shape the DCAT-AP SHACL
/// shapes check (tests/tools/shacl): dct:format an EU file-type IRI, dcat:mediaType an IANA IRI, licences typed
/// dct:LicenseDocument, landing pages foaf:Document, dct:language the EU language table's JPN, each publisher a
/// foaf:Agent written once (its dct:identifier the 全国地方公共団体コード when it has one).
/// </summary>
public sealed class DcatDataset(RdfGraph g, string site, DcatProfile profile)
{
    public const string Japanese = "http://publications.europa.eu/resource/authority/language/JPN";

    private readonly Dictionary<string, RdfTerm> _licenses = new(StringComparer.Ordinal);

    public static string Xsd(string local) => "http://www.w3.org/2001/XMLSchema#" + local;

    public static RdfTerm? DateLiteral(string? ckanTime) =>
        DateTime.TryParse(ckanTime, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d)
            ? RdfTerm.Literal(d.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture), Xsd("dateTime"))
            : null;

    private static RdfTerm? IriOrNull(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps) ? RdfTerm.Iri(url!) : null;

    /// <summary>A foaf:Agent with its name (and identifier): the catalog's publisher, or an organization.</summary>
    public RdfTerm Agent(RdfTerm node, string name, string? identifier)
    {
        g.Type(node, "foaf:Agent");
        g.Add(node, "foaf:name", name);
        g.Add(node, "dct:identifier", identifier);
        return node;
    }

    /// <summary>A web page as DCAT-AP's range for foaf:homepage and dcat:landingPage wants it: a foaf:Document.</summary>
    public RdfTerm Document(string url)
    {
        var page = RdfTerm.Iri(url);
        g.Type(page, "foaf:Document");
        return page;
    }

    /// <summary>Japanese as the EU language authority table names it, a dct:LinguisticSystem.</summary>
    public RdfTerm JapaneseLanguage()
    {
        var ja = RdfTerm.Iri(Japanese);
        g.Type(ja, "dct:LinguisticSystem");
        return ja;
    }

    /// <summary>The licence as a dct:LicenseDocument: its URL, or a node with its title when it has none; null when unspecified.</summary>
    private RdfTerm? License(string licenseId)
    {
        var license = Licenses.Find(licenseId);
        if (license is null || license.Id == "notspecified")
        {
            return null;
        }

        if (!_licenses.TryGetValue(license.Id, out var node))
        {
            node = IriOrNull(license.Url) ?? g.NewBlank();
            g.Type(node, "dct:LicenseDocument");
            g.Add(node, "dct:title", RdfTerm.Literal(license.Title, language: "ja"));
            g.Add(node, "dct:title", RdfTerm.Literal(license.TitleEn, language: "en"));
            _licenses[license.Id] = node;
        }

        return node;
    }

    /// <summary>Adds a dcat:Dataset with its publisher, contact point and distributions; returns the dataset node.</summary>
    public RdfTerm Add(PackageDict d, Organization? org)
    {
        var ds = RdfTerm.Iri(site + "/dataset/" + d.Id);
        g.Type(ds, "dcat:Dataset");
        g.Add(ds, "dct:title", d.Title);

        // DCAT-AP makes the description mandatory; CKAN's notes are optional: the title stands in for missing notes
        g.Add(ds, "dct:description", string.IsNullOrWhiteSpace(d.Notes) ? d.Title : d.Notes);
        if (IriOrNull(d.Url) is { } landing)
        {
            g.Add(ds, "dcat:landingPage", Document(landing.Value));
        }

        g.Add(ds, "dct:identifier", d.Id);
        g.Add(ds, profile == DcatProfile.DcatAp3 ? "dcat:version" : "owl:versionInfo", d.Version);
        foreach (var t in d.Tags)
        {
            g.Add(ds, "dcat:keyword", t.Name);
        }

        g.Add(ds, "dct:issued", DateLiteral(d.MetadataCreated));
        g.Add(ds, "dct:modified", DateLiteral(d.MetadataModified));
        var license = License(d.LicenseId);
        g.Add(ds, "dct:license", license);
        AddContactPoint(ds, d);
        if (org is not null)
        {
            g.Add(ds, "dct:publisher", Agent(RdfTerm.Iri(site + "/organization/" + org.Name), org.Title, org.LocalGovCode));
        }

        foreach (var r in d.Resources)
        {
            g.Add(ds, "dcat:distribution", AddDistribution(d, r, license));
        }

        return ds;
    }

    private void AddContactPoint(RdfTerm ds, PackageDict d)
    {
        var contactName = string.IsNullOrEmpty(d.Maintainer) ? d.Author : d.Maintainer;
        var contactEmail = string.IsNullOrEmpty(d.MaintainerEmail) ? d.AuthorEmail : d.MaintainerEmail;
        if (string.IsNullOrEmpty(contactName) && string.IsNullOrEmpty(contactEmail))
        {
            return;
        }

        var contact = g.NewBlank();
        g.Add(ds, "dcat:contactPoint", contact);
        g.Type(contact, "vcard:Organization");
        g.Add(contact, "vcard:fn", contactName);
        if (!string.IsNullOrEmpty(contactEmail))
        {
            g.Add(contact, "vcard:hasEmail", RdfTerm.Iri(contactEmail.StartsWith("mailto:", StringComparison.Ordinal) ? contactEmail : "mailto:" + contactEmail));
        }
    }

    private RdfTerm AddDistribution(PackageDict d, ResourceDict r, RdfTerm? license)
    {
        var page = site + "/dataset/" + d.Id + "/resource/" + r.Id;
        var dist = RdfTerm.Iri(page);
        g.Type(dist, "dcat:Distribution");
        g.Add(dist, "dct:title", r.Name);
        g.Add(dist, "dct:description", r.Description);
        g.Add(dist, "dct:license", license);

        // DCAT-AP makes dcat:accessURL mandatory: a resource without a web address is reached through its page
        var url = IriOrNull(r.Url);
        g.Add(dist, "dcat:accessURL", url ?? RdfTerm.Iri(page));
        if (r.UrlType == "upload")
        {
            g.Add(dist, "dcat:downloadURL", url);
        }

        var (format, mediaType) = DcatFormats.Resolve(r.Format, r.Mimetype);
        if (format is not null)
        {
            var node = RdfTerm.Iri(format);
            g.Add(dist, "dct:format", node);
            g.Type(node, "dct:MediaTypeOrExtent");
        }

        if (mediaType is not null)
        {
            var node = RdfTerm.Iri(mediaType);
            g.Add(dist, "dcat:mediaType", node);
            g.Type(node, "dct:MediaType");
        }

        if (r.Size is { } size && size >= 0)
        {
            var type = profile == DcatProfile.DcatAp3 ? "nonNegativeInteger" : "decimal";
            g.Add(dist, "dcat:byteSize", RdfTerm.Literal(size.ToString(CultureInfo.InvariantCulture), Xsd(type)));
        }

        g.Add(dist, "dct:issued", DateLiteral(r.Created));
        g.Add(dist, "dct:modified", DateLiteral(r.LastModified ?? r.MetadataModified));
        return dist;
    }
}
