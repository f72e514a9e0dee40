using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Catalog;

public class HostTests
{
    [Theory, Databases]
    public async Task Health_endpoint_answers_200_once_storage_is_reachable(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        using var response = await app.Anonymous().GetAsync("/healthz", TestContext.Current.CancellationToken);
        Assert.Equal(200, (int)response.StatusCode);
    }

    [Theory, Databases]
    public async Task Unknown_action_is_a_ckan_shaped_400(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var (status, body) = await app.Anonymous().ActionAsync("no_such_action");
        Assert.Equal(400, status);
        Assert.False(body["success"]!.GetValue<bool>());
        Assert.Equal("Bad request - Action name not known: no_such_action", body["error"]!["message"]!.GetValue<string>());
        Assert.EndsWith("/api/3/action/help_show?name=no_such_action", body["help"]!.GetValue<string>());
    }

    [Theory, Databases]
    public async Task Malformed_json_body_is_a_400_not_a_500(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        using var content = new StringContent("{bad", System.Text.Encoding.UTF8, "application/json");
        using var response = await app.Anonymous().PostAsync("/api/3/action/package_show", content, TestContext.Current.CancellationToken);
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("JSON Error", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Theory, Databases]
    public async Task A_name_repeated_in_a_json_body_or_a_json_parameter_is_a_400_not_a_500(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("chiba");
        var bodies = new (string Action, string Json)[]
        {
            ("package_show", """{"id":"a","id":"b"}"""),
            ("package_search", """{"q":"x","rows":1,"q":"y"}"""),
            ("package_create", """{"name":"dup","owner_org":"chiba","extras":[{"key":"k","value":"v","key":"k2"}]}"""),
            ("datastore_search", """{"resource_id":"_table_metadata","filters":{"name":"a","name":"b"}}"""),
        };
        foreach (var (action, json) in bodies)
        {
            using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
            using var response = await app.Admin().PostAsync("/api/3/action/" + action, content, TestContext.Current.CancellationToken);
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.True((int)response.StatusCode == 400, $"{action} {json} → {(int)response.StatusCode} {text}");
            Assert.Contains("JSON Error", text, StringComparison.Ordinal);
        }

        // JSON text inside a parameter (a query string, or a form field) is held to the same rule
        var (status, body) = await app.Anonymous().ActionAsync("package_search?fq=&facet.field=" + Uri.EscapeDataString("""["tags"]"""));
        Assert.Equal(200, status);
        var (tagsStatus, tagsBody) = await app.Admin().ActionAsync("package_create", new { name = "dup2", owner_org = "chiba", tags = """[{"name":"ab","name":"cd"}]""" });
        Assert.True(tagsStatus == 409, tagsBody.ToJsonString());
        Assert.Equal("Not a list", tagsBody["error"]!["tags"]![0]!.GetValue<string>());
        Assert.Empty((await app.Admin().OkAsync("package_list", new { })).AsArray());
        Assert.True(body["success"]!.GetValue<bool>());
    }

    [Theory, Databases]
    public async Task Text_with_a_nul_character_is_refused_alike_on_both_databases_and_an_escaped_backslash_is_not_one(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("chiba");
        var (jsonStatus, jsonBody) = await app.Admin().ActionAsync("package_create", new { name = "nul", owner_org = "chiba", title = "a\u0000b" });
        Assert.Equal(400, jsonStatus);
        Assert.Contains("U+0000", jsonBody["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var (queryStatus, _) = await app.Anonymous().ActionAsync("package_search?q=%00");
        Assert.Equal(400, queryStatus);
        using var form = new FormUrlEncodedContent([new("name", "nul2"), new("owner_org", "chiba"), new("notes", "x\0y")]);
        using var formResponse = await app.Admin().PostAsync("/api/3/action/package_create", form, TestContext.Current.CancellationToken);
        Assert.Equal(400, (int)formResponse.StatusCode);
        Assert.Empty((await app.Admin().OkAsync("package_list", new { })).AsArray());

        // a backslash followed by the letters u0000 is ordinary text
        var created = await app.Admin().OkAsync("package_create", new { name = "backslash", owner_org = "chiba", title = "C:\\u0000" });
        Assert.Equal("C:\\u0000", created["title"]!.GetValue<string>());
    }

    [Theory, Databases]
    public async Task Bootstrap_token_authenticates_the_sysadmin(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var status = await app.Admin().OkAsync("status_show");
        Assert.Equal("2.10.0", status["ckan_version"]!.GetValue<string>());
    }
}

public class WriteRateLimitTests
{
    [Fact]
    public async Task A_write_flood_is_refused_with_a_ckan_shaped_429()
    {
        await using var app = await TestApp.StartAsync(Db.Sqlite);
        var client = app.Admin();

        // Invalid on purpose (no owner_org): cheap to answer, and each still counts as a write.
        var replies = await Task.WhenAll(Enumerable.Range(0, 500).Select(i => client.ActionAsync("package_create", new { name = "flood-" + i })));

        var refused = replies.Where(r => r.Status == 429).ToList();
        Assert.NotEmpty(refused);
        Assert.True(replies.Count(r => r.Status == 409) >= 200, "a burst of 200 writes is allowed");
        Assert.All(refused, r => Assert.Equal("Rate Limit Error", r.Body["error"]!["__type"]!.GetValue<string>()));
        Assert.All(replies, r => Assert.True(r.Status is 409 or 429, r.Body.ToJsonString()));
        Assert.Equal(200, (await app.Anonymous().ActionAsync("package_list")).Status);
    }
}
