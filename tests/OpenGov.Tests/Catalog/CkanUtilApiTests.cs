using System.Net;
using System.Text.Json.Nodes;
using OpenGov.Tests.Infrastructure;
using static OpenGov.Tests.Infrastructure.SearchSeed;

namespace OpenGov.Tests.Catalog;

/// <summary>CKAN's util API (/api/util/..., /api/2/util/...), /api/i18n/{lang}, and CKAN's fields on answers (issue 12, item 2).</summary>
public class CkanUtilApiTests
{
    private static async Task SeedAsync(TestApp app)
    {
        var chiba = await app.OrganizationAsync("chiba", "千葉市");
        await app.OrganizationAsync("chigasaki", "茅ヶ崎市");
        await app.GroupAsync("bousai", "防災");
        await app.DatasetAsync(chiba, "shelters", "避難所一覧", tags: ["防災", "shelter"], resources: [new Res("a.csv", "CSV"), new Res("b.csv", "CSV"), new Res("c.json", "JSON")]);
        await app.DatasetAsync(chiba, "shell-data", "Shell data", tags: ["shellfish"]);
        await app.DatasetAsync(chiba, "secret", "Shelters secret", tags: ["shelter-secret"], isPrivate: true, resources: [new Res("s.csv", "CSVX")]);
    }

    private static async Task<JsonNode> GetJsonAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
    }

    private static List<string> Results(JsonNode body, string key) =>
        [.. body["ResultSet"]!["Result"]!.AsArray().Select(r => r![key]!.GetValue<string>())];

    [Theory, Databases]
    public async Task Util_autocompletes_answer_in_ckans_shapes_under_both_prefixes(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await SeedAsync(app);
        var c = app.Anonymous();
        foreach (var prefix in new[] { "/api", "/api/2", "/api/1" })
        {
            var datasets = await GetJsonAsync(c, prefix + "/util/dataset/autocomplete?incomplete=shel");
            Assert.Equal(["shell-data", "shelters"], Results(datasets, "name"));
            Assert.Equal("name", datasets["ResultSet"]!["Result"]![0]!["match_field"]!.GetValue<string>());

            Assert.Equal(["shellfish", "shelter"], Results(await GetJsonAsync(c, prefix + "/util/tag/autocomplete?incomplete=SHEL"), "Name"));
            Assert.Equal(["csv"], Results(await GetJsonAsync(c, prefix + "/util/resource/format_autocomplete?incomplete=cs"), "Format"));

            var orgs = (await GetJsonAsync(c, prefix + "/util/organization/autocomplete?q=chi")).AsArray();
            Assert.Equal(["chiba", "chigasaki"], orgs.Select(o => o!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
            Assert.Equal(["id", "name", "title"], orgs[0]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
            var groups = (await GetJsonAsync(c, prefix + "/util/group/autocomplete?q=防")).AsArray();
            Assert.Equal("bousai", Assert.Single(groups)!["name"]!.GetValue<string>());
        }

        // limit, empty queries, and the title matches of datasets
        Assert.Single(Results(await GetJsonAsync(c, "/api/util/dataset/autocomplete?incomplete=shel&limit=1"), "name"));
        Assert.Empty(Results(await GetJsonAsync(c, "/api/util/dataset/autocomplete"), "name"));
        var byTitle = await GetJsonAsync(c, "/api/util/dataset/autocomplete?incomplete=避難");
        Assert.Equal("避難所一覧 (shelters)", byTitle["ResultSet"]!["Result"]![0]!["match_displayed"]!.GetValue<string>());
        Assert.Empty(Results(await GetJsonAsync(c, "/api/util/tag/autocomplete?incomplete=shel&vocabulary_id=nope"), "Name"));
        Assert.Empty((await GetJsonAsync(c, "/api/util/organization/autocomplete")).AsArray());
    }

    [Theory, Databases]
    public async Task Util_autocompletes_do_not_show_private_datasets_and_check_limit(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await SeedAsync(app);
        var c = app.Anonymous();
        Assert.DoesNotContain("secret", Results(await GetJsonAsync(c, "/api/util/dataset/autocomplete?incomplete=sec"), "name"));
        Assert.DoesNotContain("shelter-secret", Results(await GetJsonAsync(c, "/api/util/tag/autocomplete?incomplete=secret"), "Name"));
        Assert.Empty(Results(await GetJsonAsync(c, "/api/util/resource/format_autocomplete?incomplete=csvx"), "Format"));

        using var bad = await c.GetAsync("/api/util/dataset/autocomplete?incomplete=a&limit=many", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("Bad request: limit must be a whole number", JsonNode.Parse(await bad.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!.GetValue<string>());
    }

    [Theory, Databases]
    public async Task Autocomplete_actions_answer_in_ckans_envelope(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await SeedAsync(app);
        var c = app.Anonymous();
        Assert.Equal(["shellfish", "shelter"], (await c.OkAsync("tag_autocomplete", new { q = "shel" })).AsArray().Select(t => t!.GetValue<string>()));
        Assert.Single((await c.OkAsync("tag_autocomplete", new { q = "shel", limit = 1 })).AsArray());
        Assert.Empty((await c.OkAsync("tag_autocomplete", new { q = "shel", vocabulary_id = "x" })).AsArray());
        var orgs = (await c.OkAsync("organization_autocomplete", new { q = "千葉" })).AsArray();
        Assert.Equal("chiba", Assert.Single(orgs)!["name"]!.GetValue<string>());
        Assert.Equal("bousai", Assert.Single((await c.OkAsync("group_autocomplete", new { q = "bou" })).AsArray())!["name"]!.GetValue<string>());
        Assert.Empty((await c.OkAsync("group_autocomplete", new { q = "chiba" })).AsArray());
        var (status, body) = await c.ActionAsync("tag_autocomplete", new { });
        Assert.Equal(409, status);
        Assert.Equal("Validation Error", body["error"]!["__type"]!.GetValue<string>());
    }

    [Theory, Databases]
    public async Task User_autocomplete_lists_matching_users(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateUserAsync("jiro", email: "jiro@example.jp");
        var users = (await GetJsonAsync(app.Anonymous(), "/api/2/util/user/autocomplete?q=jir")).AsArray();
        Assert.Equal("jiro", Assert.Single(users)!["name"]!.GetValue<string>());
        Assert.Equal(["fullname", "id", "name"], users[0]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Empty((await GetJsonAsync(app.Anonymous(), "/api/util/user/autocomplete")).AsArray());
    }

    [Theory, Databases]
    public async Task I18n_answers_the_sites_locales_and_refuses_others(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var c = app.Anonymous();
        Assert.Empty((await GetJsonAsync(c, "/api/i18n/ja")).AsObject());
        Assert.Empty((await GetJsonAsync(c, "/api/2/i18n/en")).AsObject());
        Assert.Empty((await GetJsonAsync(c, "/api/i18n/ja_JP")).AsObject());
        using var unknown = await c.GetAsync("/api/i18n/xx", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal("Bad request: Unknown locale: xx", JsonNode.Parse(await unknown.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!.GetValue<string>());
    }

    [Theory, Databases]
    public async Task Answers_point_help_at_help_show_and_resources_carry_ckans_fields(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await SeedAsync(app);
        var c = app.Anonymous();
        foreach (var (action, data) in new (string, object)[] { ("package_show", new { id = "shelters" }), ("package_search", new { q = "x" }), ("package_show", new { id = "nope" }), ("no_such_action", new { }) })
        {
            var (_, body) = await c.ActionAsync(action, data);
            Assert.EndsWith("/api/3/action/help_show?name=" + action, body["help"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        var (_, show) = await c.ActionAsync("package_show", new { id = "shelters" });
        var resource = show["result"]!["resources"]![0]!.AsObject();
        foreach (var key in new[] { "cache_last_updated", "cache_url", "last_modified", "mimetype", "mimetype_inner", "size", "hash", "url_type", "datastore_active", "created", "metadata_modified", "position", "package_id", "resource_type" })
        {
            Assert.True(resource.ContainsKey(key), key + " missing");
        }
    }
}
