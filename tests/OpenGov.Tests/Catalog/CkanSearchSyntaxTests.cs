using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenGov.Catalog.Search;
using OpenGov.Storage;
using OpenGov.Tests.Infrastructure;
using static OpenGov.Tests.Infrastructure.SearchSeed;

namespace OpenGov.Tests.Catalog;

/// <summary>
/// package_search syntax as CKAN's Solr index answers it (issue 12, item 4): extras as extras_KEY (text) and KEY
/// (string), number ranges on num_resources / num_tags, wildcards on string fields, English stemming.
/// </summary>
public class CkanSearchSyntaxTests
{
    private static async Task SeedAsync(TestApp app)
    {
        var chiba = await app.OrganizationAsync("chiba", "千葉市");
        await app.DatasetAsync(chiba, "english-accidents-2020", "Traffic accidents", notes: "Running totals of road accidents",
            tags: ["traffic", "road"], resources: [new Res("a.csv", "CSV"), new Res("b.json", "JSON"), new Res("c.csv", "CSV")],
            extras: new Dictionary<string, string> { ["frequency"] = "monthly", ["spatial"] = "Chiba City" });
        await app.DatasetAsync(chiba, "english-budget-2021", "Budget", notes: "The city budget, run yearly",
            tags: ["budget"], resources: [new Res("budget.csv", "CSV")],
            extras: new Dictionary<string, string> { ["frequency"] = "yearly", ["note"] = "monthly report attached" });
        await app.DatasetAsync(chiba, "population-2020", "年齢別人口統計", notes: "ころな対策",
            extras: new Dictionary<string, string> { ["更新頻度"] = "毎月", ["Frequency"] = "Monthly" });
    }

    private static async Task<List<string>> NamesAsync(HttpClient client, params (string, string)[] p) =>
        [.. (await client.SearchAsync(p)).Names().Order(StringComparer.Ordinal)];

    [Theory, Databases]
    public async Task Extras_are_searched_as_ckan_indexes_them(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await SeedAsync(app);
        var c = app.Anonymous();

        // KEY: the extra's value as a string (exact, case-sensitive), as Solr's dynamic "*" field holds it
        Assert.Equal(["english-accidents-2020"], await NamesAsync(c, ("fq", "frequency:monthly")));
        Assert.Equal(["population-2020"], await NamesAsync(c, ("fq", "Frequency:Monthly")));
        Assert.Empty(await NamesAsync(c, ("fq", "frequency:month")));
        Assert.Equal(["english-accidents-2020", "english-budget-2021"], await NamesAsync(c, ("fq", "frequency:*")));
        Assert.Equal(["english-budget-2021"], await NamesAsync(c, ("fq", "frequency:year*")));
        Assert.Equal(["population-2020"], await NamesAsync(c, ("fq", "更新頻度:毎月")));
        Assert.Equal(["english-accidents-2020"], await NamesAsync(c, ("fq", "spatial:\"Chiba City\"")));
        Assert.Empty(await NamesAsync(c, ("fq", "nosuchfield:x")));

        // extras_KEY: the value as text (tokenised, stemmed), in that extra only
        Assert.Equal(["english-accidents-2020"], await NamesAsync(c, ("fq", "extras_frequency:monthly")));
        Assert.Equal(["english-accidents-2020"], await NamesAsync(c, ("fq", "extras_frequency:Monthly")));
        Assert.Equal(["english-accidents-2020"], await NamesAsync(c, ("fq", "extras_spatial:chiba")));
        Assert.Equal(["english-accidents-2020"], await NamesAsync(c, ("q", "extras_spatial:\"chiba city\"")));
        Assert.Empty(await NamesAsync(c, ("fq", "extras_spatial:\"city chiba\"")));
        Assert.Equal(["english-accidents-2020", "english-budget-2021"], await NamesAsync(c, ("fq", "extras_frequency:*")));
        Assert.Equal(["population-2020"], await NamesAsync(c, ("fq", "extras_Frequency:monthly")));
        Assert.Equal(["population-2020"], await NamesAsync(c, ("fq", "extras_更新頻度:毎月")));
        Assert.Equal(["english-budget-2021"], await NamesAsync(c, ("fq", "extras_note:monthly")));

        // extras are in the catch-all text field too
        Assert.Equal(["english-accidents-2020", "english-budget-2021", "population-2020"], await NamesAsync(c, ("q", "monthly")));
        Assert.Equal(["population-2020"], await NamesAsync(c, ("q", "毎月")));
        Assert.Equal(["english-budget-2021"], await NamesAsync(c, ("q", "report")));
    }

    [Theory, Databases]
    public async Task Extras_saved_by_package_create_and_update_are_searchable(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("chiba", "千葉市", "121002");
        var data = CatalogFixtures.Dataset("bus-stops", "chiba");
        data["extras"] = new JsonArray(new JsonObject { ["key"] = "frequency", ["value"] = "monthly" });
        await app.Admin().OkAsync("package_create", data);
        Assert.Equal(["bus-stops"], await NamesAsync(app.Anonymous(), ("fq", "frequency:monthly")));
        Assert.Equal(["bus-stops"], await NamesAsync(app.Anonymous(), ("fq", "extras_frequency:monthly")));

        await app.Admin().OkAsync("package_patch", new { id = "bus-stops", extras = new[] { new { key = "frequency", value = "weekly" } } });
        Assert.Empty(await NamesAsync(app.Anonymous(), ("fq", "frequency:monthly")));
        Assert.Empty(await NamesAsync(app.Anonymous(), ("fq", "extras_frequency:monthly")));
        Assert.Equal(["bus-stops"], await NamesAsync(app.Anonymous(), ("fq", "extras_frequency:weekly")));
    }

    [Theory, Databases]
    public async Task Counts_are_searched_by_number_range(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await SeedAsync(app);
        var c = app.Anonymous();
        Assert.Equal(["english-accidents-2020", "english-budget-2021"], await NamesAsync(c, ("fq", "num_resources:[1 TO *]")));
        Assert.Equal(["english-accidents-2020"], await NamesAsync(c, ("fq", "num_resources:[2 TO *]")));
        Assert.Equal(["english-accidents-2020"], await NamesAsync(c, ("fq", "num_resources:{1 TO *]")));
        Assert.Equal(["english-budget-2021", "population-2020"], await NamesAsync(c, ("fq", "num_resources:[* TO 3}")));
        Assert.Equal(["english-budget-2021"], await NamesAsync(c, ("fq", "num_resources:{0 TO 3}")));
        Assert.Equal(["english-accidents-2020"], await NamesAsync(c, ("fq", "num_resources:3")));
        Assert.Equal(["population-2020"], await NamesAsync(c, ("q", "num_tags:0")));
        Assert.Equal(["english-accidents-2020"], await NamesAsync(c, ("fq", "num_tags:[2 TO 2]")));
        Assert.Equal(["english-budget-2021"], await NamesAsync(c, ("fq", "num_tags:[1 TO 5] -num_resources:3")));
        Assert.Equal(["english-accidents-2020"], await NamesAsync(c, ("fq", "metadata_modified:{* TO NOW] num_resources:{2 TO 10]")));
    }

    [Theory, Databases]
    public async Task Wildcards_match_string_fields(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await SeedAsync(app);
        var c = app.Anonymous();
        Assert.Equal(["english-accidents-2020", "english-budget-2021"], await NamesAsync(c, ("fq", "name:english-*")));
        Assert.Equal(["english-accidents-2020", "population-2020"], await NamesAsync(c, ("fq", "name:*-2020")));
        Assert.Equal(["english-budget-2021"], await NamesAsync(c, ("fq", "name:english-budget-202?")));
        Assert.Empty(await NamesAsync(c, ("fq", "name:English-*"))); // string fields are case-sensitive
        Assert.Empty(await NamesAsync(c, ("fq", "name:english\\-*2")));
        Assert.Equal(["english-accidents-2020"], await NamesAsync(c, ("fq", "tags:traf*")));
        Assert.Equal(["english-accidents-2020"], await NamesAsync(c, ("fq", "res_format:J*")));
        Assert.Equal(["english-accidents-2020", "english-budget-2021", "population-2020"], await NamesAsync(c, ("fq", "organization:chi*")));
        Assert.Equal(["english-accidents-2020", "english-budget-2021"], await NamesAsync(c, ("fq", "name:(english-a* OR english-b*)")));
        Assert.Equal(["english-accidents-2020"], await NamesAsync(c, ("q", "name:*accidents* AND num_resources:[2 TO *]")));
        // % and _ are ordinary characters, not SQL wildcards
        Assert.Empty(await NamesAsync(c, ("fq", "name:english%")));
        Assert.Empty(await NamesAsync(c, ("fq", "name:english_accidents*")));
    }

    [Theory, Databases]
    public async Task English_words_stem_as_ckan_default_analyser_does(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await SeedAsync(app);
        var c = app.Anonymous();
        Assert.Equal(["english-accidents-2020"], await NamesAsync(c, ("q", "accident")));
        Assert.Equal(["english-accidents-2020"], await NamesAsync(c, ("q", "ACCIDENTS")));
        Assert.Equal(["english-accidents-2020"], await NamesAsync(c, ("q", "title:accident")));
        Assert.Equal(["english-accidents-2020", "english-budget-2021"], await NamesAsync(c, ("q", "running")));
        Assert.Equal(["english-accidents-2020", "english-budget-2021"], await NamesAsync(c, ("q", "run")));
        Assert.Equal(["english-accidents-2020"], await NamesAsync(c, ("q", "\"road accident\"")));
        Assert.Equal(["english-accidents-2020"], await NamesAsync(c, ("q", "accid*")));
        Assert.Equal(["english-accidents-2020"], await NamesAsync(c, ("q", "notes:total")));
        Assert.Empty(await NamesAsync(c, ("q", "accidental")));

        // Japanese bigrams and kana folding keep working beside it
        Assert.Equal(["population-2020"], await NamesAsync(c, ("q", "人口")));
        Assert.Equal(["population-2020"], await NamesAsync(c, ("q", "コロナ")));
        Assert.Equal(["population-2020"], await NamesAsync(c, ("q", "ころな")));
    }

    [Theory, Databases]
    public async Task Syntax_errors_of_the_new_forms_are_search_query_errors(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await SeedAsync(app);
        foreach (var fq in new[] { "num_resources:[1 TO many]", "num_tags:x", "num_resources:[1 TO 2", "title:acc?dent", "metadata_created:2020*", ":x" })
        {
            var (status, body) = await app.Anonymous().ActionAsync("package_search", new { fq });
            Assert.True(status == 400, $"{fq} answered {status}");
            Assert.Equal("Search Query Error", body["error"]!["__type"]!.GetValue<string>());
            Assert.StartsWith("Search Query is invalid", body["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [Theory, Databases]
    public async Task An_index_written_before_stemming_and_extras_is_rebuilt_on_start(Db db)
    {
        var ct = TestContext.Current.CancellationToken;
        var first = await TestApp.StartAsync(db);
        var org = await first.OrganizationAsync("chiba", "千葉市");
        await first.DatasetAsync(org, "a", "Traffic accidents", extras: new Dictionary<string, string> { ["frequency"] = "monthly" });
        using (var scope = first.Services.CreateScope())
        {
            // what version 2 wrote: unstemmed words, no extras (on SQLite, an FTS table without the extras column)
            var ogdb = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
            var old = new SearchDocument("traffic accidents a", "", "千葉 葉市 市", "", "");
            if (ogdb.IsPostgres)
            {
                await ogdb.Database.ExecuteSqlRawAsync("UPDATE search_doc SET tsv = CAST({0} AS tsvector)", [old.ToTsVector()], ct);
            }
            else
            {
                await ogdb.Database.ExecuteSqlRawAsync(
                    """
                    DROP TABLE search_fts;
                    CREATE VIRTUAL TABLE search_fts USING fts5(dataset_id UNINDEXED, title, tags, organization, resources, notes, tokenize='ascii', prefix='1');
                    INSERT INTO search_fts (rowid, dataset_id, title, tags, organization, resources, notes)
                      SELECT row_id, dataset_id, {0}, '', {1}, '', '' FROM search_doc;
                    """, [old.Title, old.Organization], ct);
            }

            await ogdb.Database.ExecuteSqlRawAsync("UPDATE search_meta SET value = '2' WHERE key = 'tokenizer_version'", ct);
        }

        Assert.Empty((await first.Anonymous().SearchAsync(("q", "accident"))).Names());
        first.KeepData = true;
        await first.DisposeAsync();

        await using var restarted = await TestApp.OpenOnSameDataAsync(first);
        Assert.Equal(["a"], (await restarted.Anonymous().SearchAsync(("q", "accident"))).Names());
        Assert.Equal(["a"], (await restarted.Anonymous().SearchAsync(("fq", "extras_frequency:monthly"))).Names());
        Assert.Equal(["a"], (await restarted.Anonymous().SearchAsync(("q", "monthly"))).Names());
    }
}
