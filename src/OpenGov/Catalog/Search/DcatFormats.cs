namespace OpenGov.Catalog.Search;

/// <summary>
/// A resource's format as DCAT-AP wants it: dct:format an IRI of the EU Publications Office file-type authority table
/// (http://publications.europa.eu/resource/authority/file-type), dcat:mediaType an IRI of IANA's media-type register.
/// Known from CKAN's format label ("CSV", "xlsx", ".json") or from a media type ("text/csv"); a format outside the
/// table gets no dct:format (DCAT-AP allows only the table's concepts), but keeps its media type when it has one.
/// </summary>
public static class DcatFormats
{
    public const string FileTypeScheme = "http://publications.europa.eu/resource/authority/file-type";
    public const string IanaMediaTypes = "https://www.iana.org/assignments/media-types/";

    public sealed record FileType(string Code, string MediaType, string[] Labels);

    /// <summary>File-type codes with their IANA media type and the CKAN format labels that name them.</summary>
    public static readonly IReadOnlyList<FileType> Known =
    [
        new("CSV", "text/csv", ["csv"]),
        new("TSV", "text/tab-separated-values", ["tsv"]),
        new("XLS", "application/vnd.ms-excel", ["xls"]),
        new("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ["xlsx"]),
        new("ODS", "application/vnd.oasis.opendocument.spreadsheet", ["ods"]),
        new("JSON", "application/json", ["json"]),
        new("GEOJSON", "application/geo+json", ["geojson"]),
        new("XML", "application/xml", ["xml"]),
        new("PDF", "application/pdf", ["pdf"]),
        new("ZIP", "application/zip", ["zip"]),
        new("HTML", "text/html", ["html", "htm"]),
        new("TXT", "text/plain", ["txt", "text"]),
        new("DOC", "application/msword", ["doc"]),
        new("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ["docx"]),
        new("ODT", "application/vnd.oasis.opendocument.text", ["odt"]),
        new("PPTX", "application/vnd.openxmlformats-officedocument.presentationml.presentation", ["pptx"]),
        new("KML", "application/vnd.google-earth.kml+xml", ["kml"]),
        new("KMZ", "application/vnd.google-earth.kmz", ["kmz"]),
        new("SHP", "application/vnd.shp", ["shp", "shapefile"]),
        new("GML", "application/gml+xml", ["gml"]),
        new("RDF_XML", "application/rdf+xml", ["rdf", "rdf/xml", "rdf+xml"]),
        new("RDF_TURTLE", "text/turtle", ["ttl", "turtle"]),
        new("JSON_LD", "application/ld+json", ["jsonld", "json-ld"]),
        new("PNG", "image/png", ["png"]),
        new("JPEG", "image/jpeg", ["jpeg", "jpg"]),
        new("GIF", "image/gif", ["gif"]),
        new("TIFF", "image/tiff", ["tiff", "tif"]),
    ];

    private static readonly Dictionary<string, FileType> ByLabel = Known
        .SelectMany(f => f.Labels.Select(l => (l, f)))
        .ToDictionary(x => x.l, x => x.f, StringComparer.OrdinalIgnoreCase);

    private static readonly Dictionary<string, FileType> ByMediaType = Known.ToDictionary(f => f.MediaType, StringComparer.OrdinalIgnoreCase);

    /// <summary>The file type and media type IRIs for a resource's format label and mimetype, each null when unknown.</summary>
    public static (string? Format, string? MediaType) Resolve(string? format, string? mimetype)
    {
        var label = (format ?? "").Trim().TrimStart('.');
        var fromLabel = label.Length > 0 ? ByLabel.GetValueOrDefault(label) ?? ByMediaType.GetValueOrDefault(label) : null;
        var media = MediaTypeOf(mimetype) ?? fromLabel?.MediaType ?? MediaTypeOf(label);
        var type = fromLabel ?? (media is not null ? ByMediaType.GetValueOrDefault(media) : null);
        return (type is null ? null : FileTypeScheme + "/" + type.Code, media is null ? null : IanaMediaTypes + media);
    }

    /// <summary>"text/csv; charset=utf-8" → "text/csv"; null unless it has the type/subtype shape of a media type.</summary>
    private static string? MediaTypeOf(string? value)
    {
        var bare = (value ?? "").Split(';')[0].Trim().ToLowerInvariant();
        var slash = bare.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && slash < bare.Length - 1 && bare.IndexOf('/', slash + 1) < 0 && bare.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '+' or '-' or '_')
            ? bare
            : null;
    }
}
