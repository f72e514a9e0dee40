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
