using System.Net;
using System.Text.Json;
using System.Xml;
using OpenGov.Catalog.Search;
using OpenGov.Tests.Infrastructure;
using static OpenGov.Tests.Infrastructure.SearchSeed;

namespace OpenGov.Tests.Catalog;

public class DcatTests
{
    private const string Tricky = "タイトル \"引用\" と \\ バックスラッシュ\n改行 <tag> & 'x'";

    private static async Task SeedAsync(TestApp app)
    {
        var chiba = await app.OrganizationAsync("chiba", "千葉市", "121002");
        await app.DatasetAsync(chiba, "age-population", "年齢別人口統計", notes: Tricky, tags: ["人口", "統計"],
            resources: [new Res("人口.csv", "CSV", "https://example.jp/jinko.csv", 2048, "説明")]);
        await app.DatasetAsync(chiba, "secret", "非公開", isPrivate: true);
    }

    private static async Task<(HttpStatusCode Status, string? Type, string Body)> GetAsync(HttpClient c, string url)
    {
        using var r = await c.GetAsync(url, TestContext.Current.CancellationToken);
        return (r.StatusCode, r.Content.Headers.ContentType?.MediaType, await r.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Theory, Databases]
    public async Task Dataset_turtle_has_the_dcat_ap_shape_and_escapes_literals(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await SeedAsync(app);
        var (status, type, ttl) = await GetAsync(app.Anonymous(), "/dataset/age-population.ttl");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("text/turtle", type);
        Assert.Contains("@prefix dcat: <http://www.w3.org/ns/dcat#> .", ttl);
        Assert.Contains("a dcat:Dataset", ttl);
        Assert.Contains("dct:title \"年齢別人口統計\"", ttl);
        Assert.Contains("dct:description \"タイトル \\\"引用\\\" と \\\\ バックスラッシュ\\n改行 <tag> & 'x'\"", ttl);
        Assert.Contains("dcat:keyword \"人口\",", ttl);
        Assert.Contains("dct:license <https://creativecommons.org/licenses/by/4.0/>", ttl);
        Assert.Contains("<https://creativecommons.org/licenses/by/4.0/>\n    a dct:LicenseDocument", ttl);
        Assert.Contains("/organization/chiba>", ttl);
        Assert.Contains("foaf:name \"千葉市\"", ttl);
        Assert.Contains("a dcat:Distribution", ttl);
        Assert.Contains("dcat:accessURL <https://example.jp/jinko.csv>", ttl);
        Assert.Contains("dct:format <http://publications.europa.eu/resource/authority/file-type/CSV>", ttl);
        Assert.Contains("dcat:mediaType <https://www.iana.org/assignments/media-types/text/csv>", ttl);
        Assert.Contains("dcat:byteSize \"2048\"^^xsd:nonNegativeInteger", ttl);
        Assert.Matches("dct:issued \"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\"\\^\\^xsd:dateTime", ttl);
    }

    [Theory, Databases]
    public async Task Dataset_rdf_xml_and_json_ld_parse_and_round_trip_the_literals(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await SeedAsync(app);
        var (status, type, xml) = await GetAsync(app.Anonymous(), "/dataset/age-population.rdf");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/rdf+xml", type);
        var doc = new XmlDocument();
        doc.LoadXml(xml);
        var ns = new XmlNamespaceManager(doc.NameTable);
        ns.AddNamespace("dct", "http://purl.org/dc/terms/");
        ns.AddNamespace("dcat", "http://www.w3.org/ns/dcat#");
        Assert.Equal(Tricky, doc.SelectSingleNode("//dct:description", ns)!.InnerText);
        Assert.Equal(2, doc.SelectNodes("//dcat:keyword", ns)!.Count);

        var (jsonStatus, jsonType, json) = await GetAsync(app.Anonymous(), "/dataset/age-population.jsonld");
        Assert.Equal(HttpStatusCode.OK, jsonStatus);
        Assert.Equal("application/ld+json", jsonType);
        using var parsed = JsonDocument.Parse(json);
        var graph = parsed.RootElement.GetProperty("@graph").EnumerateArray().ToList();
        var dataset = graph.Single(n => n.TryGetProperty("@type", out var t) && t.EnumerateArray().Any(x => x.GetString() == "dcat:Dataset"));
        Assert.Equal(Tricky, dataset.GetProperty("dct:description")[0].GetProperty("@value").GetString());
        Assert.Equal("http://www.w3.org/ns/dcat#", parsed.RootElement.GetProperty("@context").GetProperty("dcat").GetString());
        Assert.Single(graph, n => n.TryGetProperty("@type", out var t) && t.EnumerateArray().Any(x => x.GetString() == "dcat:Distribution"));
    }

    [Theory, Databases]
    public async Task Dataset_page_and_its_dcat_routes_do_not_collide(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await SeedAsync(app);
        var (status, type, _) = await GetAsync(app.Anonymous(), "/dataset/age-population");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("text/html", type);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(app.Anonymous(), "/dataset/secret.ttl")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(app.Anonymous(), "/dataset/nope.rdf")).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(app.Admin(), "/dataset/secret.jsonld")).Status);
    }

    [Theory, Databases]
    public async Task Catalog_is_paged_with_hydra_like_ckanext_dcat(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var org = await app.OrganizationAsync("chiba", "千葉市", "121002");
        for (var i = 0; i < 105; i++)
        {
            await app.DatasetAsync(org, $"ds-{i:D3}", $"データ{i}");
        }

        var (status, type, page1) = await GetAsync(app.Anonymous(), "/catalog.ttl");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("text/turtle", type);
        Assert.Contains("a dcat:Catalog", page1);
        Assert.Contains("a hydra:PagedCollection", page1);
        Assert.Contains("hydra:totalItems \"105\"^^xsd:integer", page1);
        Assert.Contains("hydra:itemsPerPage \"100\"^^xsd:integer", page1);
        Assert.Contains("/catalog.ttl?page=2\"", page1);
        Assert.Equal(100, page1.Split("a dcat:Dataset").Length - 1);

        var (_, _, page2) = await GetAsync(app.Anonymous(), "/catalog.ttl?page=2");
        Assert.Equal(5, page2.Split("a dcat:Dataset").Length - 1);
        Assert.Contains("hydra:previous \"http", page2);
        Assert.DoesNotContain("hydra:next ", page2);

        var (_, _, rdf) = await GetAsync(app.Anonymous(), "/catalog.rdf?page=2");
        new XmlDocument().LoadXml(rdf);
        var (_, _, jsonld) = await GetAsync(app.Anonymous(), "/catalog.jsonld");
        using var parsed = JsonDocument.Parse(jsonld);
        Assert.Equal(101, parsed.RootElement.GetProperty("@graph").EnumerateArray().Count(n =>
            n.TryGetProperty("@type", out var t) && t.EnumerateArray().Any(x => x.GetString() is "dcat:Dataset" or "dcat:Catalog")));

        Assert.Equal(HttpStatusCode.Conflict, (await GetAsync(app.Anonymous(), "/catalog.ttl?page=0")).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await GetAsync(app.Anonymous(), "/catalog.ttl?page=x")).Status);
    }

    [Theory, Databases]
    public async Task Catalog_has_its_own_publisher_and_writes_each_organization_once(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var chiba = await app.OrganizationAsync("chiba", "千葉市", "121002");
        await app.DatasetAsync(chiba, "population", "人口", resources: [new Res("人口.csv", "CSV", "https://example.jp/p.csv", 10, "")]);
        await app.DatasetAsync(chiba, "budget", "予算", resources: [new Res("予算.xlsx", "XLSX", "https://example.jp/b.xlsx", 20, "")]);

        var (_, _, ttl) = await GetAsync(app.Anonymous(), "/catalog.ttl");
        Assert.Contains("dct:publisher <http://localhost/#publisher>", ttl);
        Assert.Contains("foaf:name \"オープンガバメント推進協議会\"", ttl);
        Assert.Contains("dct:language <http://publications.europa.eu/resource/authority/language/JPN>", ttl);
        Assert.Single(ttl.Split("\n<http://localhost/organization/chiba>\n").Skip(1));
        Assert.Equal(2, ttl.Split("dct:publisher <http://localhost/organization/chiba>").Length - 1);
        Assert.Single(ttl.Split("foaf:name \"千葉市\"").Skip(1));
        Assert.Contains("dct:format <http://publications.europa.eu/resource/authority/file-type/XLSX>", ttl);
        Assert.Contains("dcat:mediaType <https://www.iana.org/assignments/media-types/application/vnd.openxmlformats-officedocument.spreadsheetml.sheet>", ttl);
    }

    [Theory, Databases]
    public async Task Profiles_parameter_picks_dcat_ap_2_or_3_as_ckanext_dcat_and_refuses_an_unknown_one(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await SeedAsync(app);
        var (_, _, ap2) = await GetAsync(app.Anonymous(), "/dataset/age-population.ttl?profiles=euro_dcat_ap_2");
        Assert.Contains("dcat:byteSize \"2048\"^^xsd:decimal", ap2);
        var (_, _, ap3) = await GetAsync(app.Anonymous(), "/catalog.ttl?profiles=euro_dcat_ap_2,euro_dcat_ap_3");
        Assert.Contains("dcat:byteSize \"2048\"^^xsd:nonNegativeInteger", ap3);
        var (status, _, body) = await GetAsync(app.Anonymous(), "/catalog.rdf?profiles=schemaorg");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("schemaorg", body);
    }

    [Fact]
    public void Formats_resolve_to_eu_file_types_and_iana_media_types()
    {
        Assert.Equal(("http://publications.europa.eu/resource/authority/file-type/CSV", "https://www.iana.org/assignments/media-types/text/csv"), DcatFormats.Resolve("csv", null));
        Assert.Equal(("http://publications.europa.eu/resource/authority/file-type/JSON", "https://www.iana.org/assignments/media-types/application/json"), DcatFormats.Resolve("", "application/json; charset=utf-8"));
        Assert.Equal(("http://publications.europa.eu/resource/authority/file-type/RDF_XML", "https://www.iana.org/assignments/media-types/application/rdf+xml"), DcatFormats.Resolve("RDF/XML", null));
        Assert.Equal((null, "https://www.iana.org/assignments/media-types/application/x-foo"), DcatFormats.Resolve("FOO", "application/x-foo"));
        Assert.Equal((null, null), DcatFormats.Resolve("API", null));
    }

    [Fact]
    public void Serializer_escapes_iris_and_drops_characters_xml_cannot_carry()
    {
        Assert.Equal("<http://x/a\\u0020b\\u003Ec>", RdfGraph.TurtleIri("http://x/a b>c"));
        Assert.Equal("\"a\\u0001b\"", RdfGraph.TurtleString("a\u0001b"));
        Assert.Equal("ab", RdfGraph.XmlSafe("a\u0001b"));
        var g = new RdfGraph();
        var s = RdfTerm.Iri("http://x/s");
        g.Add(s, "dct:title", "ctl\u0001");
        new XmlDocument().LoadXml(g.ToRdfXml());
    }
}
