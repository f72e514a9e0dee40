using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using OpenGov.Catalog.Search;

namespace OpenGov.Harvest.Dcat;

/// <summary>
/// Reads a DCAT source whole, page by page, as ckanext-dcat's harvesters do. dcat_rdf: the catalog in Turtle,
/// RDF/XML or JSON-LD (config <c>rdf_format</c>, else the answer's content type, else the URL's extension, else the
/// document's first characters), following hydra:next / hydra:nextPage until a page has none, repeats a page, or
/// repeats the content. dcat_json: a DCAT JSON document (<c>{"dataset": [...]}</c>), pages <c>?page=2</c>… until a 404
/// or a page with nothing new. Any failure (HTTP, timeout, unparsable RDF, too large) throws
/// <see cref="HarvestFailedException"/> before anything is written.
/// </summary>
public sealed class DcatClient(HarvestClient http, IOptions<HarvestOptions> options)
{
    public const string RdfType = "dcat_rdf";
    public const string JsonType = "dcat_json";

    private const string RdfAccept = "text/turtle, application/rdf+xml;q=0.9, application/ld+json;q=0.8, application/n-triples;q=0.7, */*;q=0.1";

    public Task<List<HarvestRecord>> ReadAsync(HarvestSource source, CancellationToken ct) =>
        source.SourceType == JsonType ? ReadJsonAsync(source.Url, ct) : ReadRdfAsync(source.Url, ConfigFormat(source.Config), ct);

    private async Task<List<HarvestRecord>> ReadRdfAsync(string url, string? configured, CancellationToken ct)
    {
        var found = new List<HarvestRecord>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pages = new HashSet<string>(StringComparer.Ordinal);
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        string? next = url;
        while (next is not null && pages.Add(next))
        {
            var page = new Uri(next);
            var (body, mediaType, _) = await http.GetAsync(page, RdfAccept, ct);
            if (!hashes.Add(Convert.ToHexString(SHA256.HashData(body))))
            {
                break; // ckanext-dcat: the same content again even with a paged URL
            }

            List<RdfTriple> triples;
            try
            {
                triples = Parse(Encoding.UTF8.GetString(body), configured ?? FormatOf(mediaType, page), page);
            }
            catch (Exception e) when (e is RdfParseException or InvalidOperationException or FormatException or ArgumentException or UriFormatException)
            {
                throw new HarvestFailedException(
                    $"Error parsing the RDF file at {HarvestClient.Redact(page)}: {e.Message}",
                    $"収集元の {HarvestClient.Redact(page)} の RDF を読めませんでした: {e.Message}");
            }

            foreach (var record in DcatMapping.Datasets(triples))
            {
                if (seen.Add(record.Guid))
                {
                    found.Add(record);
                }
            }

            Limit(found.Count);
            next = DcatMapping.NextPage(triples) is { } n && Uri.TryCreate(page, n, out var nu) && nu.Scheme is "http" or "https" ? nu.ToString() : null;
        }

        return found;
    }

    private async Task<List<HarvestRecord>> ReadJsonAsync(string url, CancellationToken ct)
    {
        var found = new List<HarvestRecord>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var pageNumber = 1; ; pageNumber++)
        {
            var page = pageNumber == 1 ? new Uri(url) : new Uri(url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "page=" + pageNumber);
            var (body, _, status) = await http.GetAsync(page, "application/json", ct, allowNotFound: pageNumber > 1);
            if (status == 404)
            {
                return found;
            }

            JsonNode? doc;
            try
            {
                doc = JsonNode.Parse(body);
            }
            catch (JsonException e)
            {
                throw HarvestClient.Malformed(page, "not JSON (" + e.Message + ")");
            }

            var datasets = (doc as JsonObject)?["dataset"] as JsonArray ?? doc as JsonArray ?? throw HarvestClient.Malformed(page, "no \"dataset\" list");
            var added = 0;
            foreach (var d in datasets.OfType<JsonObject>())
            {
                var record = DcatJsonMapping.ToRecord(d);
                if (seen.Add(record.Guid))
                {
                    found.Add(record);
                    added++;
                }
            }

            Limit(found.Count);
            if (added == 0)
            {
                return found;
            }
        }
    }

    private void Limit(int count)
    {
        var max = options.Value.MaxDatasets;
        if (count > max)
        {
            throw new HarvestFailedException(
                $"The source has more than {max} datasets (OpenGov:Harvest:MaxDatasets)",
                $"収集元のデータセットが上限（{max}件、OpenGov:Harvest:MaxDatasets）を超えています。");
        }
    }

    /// <summary>Parses a document in "turtle", "xml" or "json-ld" (rdflib's names, as ckanext-dcat's rdf_format).</summary>
    public static List<RdfTriple> Parse(string text, string format, Uri? baseUri) => format switch
    {
        "xml" => RdfXmlReader.Read(text, baseUri),
        "json-ld" => JsonLdReader.Read(text, baseUri),
        "turtle" => TurtleReader.Read(text, baseUri),
        _ => Sniff(text) is { } sniffed ? Parse(text, sniffed, baseUri) : throw new RdfParseException("not Turtle, RDF/XML nor JSON-LD"),
    };

    /// <summary>ckanext-dcat's rdf_format values (and media types) → the reader's name; null for anything else.</summary>
    public static string? Normalize(string? format) => format?.Trim().ToLowerInvariant() switch
    {
        "turtle" or "ttl" or "n3" or "nt" or "ntriples" or "text/turtle" or "text/n3" or "application/n-triples" or "application/x-turtle" => "turtle",
        "xml" or "rdf" or "pretty-xml" or "application/rdf+xml" or "application/xml" or "text/xml" => "xml",
        "json-ld" or "jsonld" or "application/ld+json" or "application/json" => "json-ld",
        _ => null,
    };

    private static string FormatOf(string? mediaType, Uri page)
    {
        if (Normalize(mediaType) is { } byType)
        {
            return byType;
        }

        var ext = Path.GetExtension(page.AbsolutePath).TrimStart('.');
        return Normalize(ext) ?? Normalize(ext == "json" ? "json-ld" : null) ?? "";
    }

    private static string? Sniff(string text)
    {
        var t = text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        return t.StartsWith('{') || t.StartsWith('[') ? "json-ld" : t.StartsWith('<') && !t.StartsWith("<http", StringComparison.Ordinal) ? "xml" : t.Length > 0 ? "turtle" : null;
    }

    private static string? ConfigFormat(string config)
    {
        try
        {
            return config.Length > 0 && JsonNode.Parse(config) is JsonObject o && o["rdf_format"] is JsonValue v && v.GetValueKind() == JsonValueKind.String
                ? Normalize(v.GetValue<string>()) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
