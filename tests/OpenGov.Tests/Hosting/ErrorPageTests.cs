using System.Net;
using System.Text.Json.Nodes;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Hosting;

public sealed class ErrorPageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Gets <paramref name="path"/>, expects the site's 404 page (HTML), and returns its markup.</summary>
    private static async Task<string> NotFoundPageAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync(Ct);
    }

    [Fact]
    public async Task An_unknown_page_is_a_404_page_of_the_site_in_japanese_with_a_search_form()
    {
        await using var app = await TestApp.StartAsync(Db.Sqlite);
        var html = await NotFoundPageAsync(app.Anonymous(), "/no/such/page");
        Assert.Contains("<html lang=\"ja\">", html);
        Assert.Contains("<title>ページが見つかりません | OpenGov</title>", html);
        Assert.Contains("action=\"/dataset\"", html);
        Assert.DoesNotContain("name=\"code\"", html);
    }

    [Fact]
    public async Task The_error_page_is_in_english_when_asked()
    {
        await using var app = await TestApp.StartAsync(Db.Sqlite);
        var html = await NotFoundPageAsync(app.Anonymous(), "/no/such/page?lang=en");
        Assert.Contains("<html lang=\"en\">", html);
        Assert.Contains("Page not found", html);
        Assert.Contains("Search datasets", html);
    }

    [Fact]
    public async Task An_unknown_question_code_is_a_404_page_with_a_form_to_type_the_code_again()
    {
        await using var app = await TestApp.StartAsync(Db.Sqlite);
        var client = app.Anonymous();
        var html = await NotFoundPageAsync(client, "/q/og2021");
        Assert.Contains("<html lang=\"ja\">", html);
        Assert.Contains("action=\"/q\"", html);
        Assert.Contains("name=\"code\"", html);
        Assert.Contains("value=\"og2021\"", html);

        var go = await client.GetAsync("/q?code=%20og2022%20", Ct);
        Assert.Equal(HttpStatusCode.Redirect, go.StatusCode);
        Assert.Equal("/q/og2022", go.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Api_paths_keep_their_json_errors()
    {
        await using var app = await TestApp.StartAsync(Db.Sqlite);
        var client = app.Anonymous();
        var ckan = await client.GetAsync("/api/3/action/nope", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, ckan.StatusCode);
        var body = JsonNode.Parse(await ckan.Content.ReadAsStringAsync(Ct))!;
        Assert.False(body["success"]!.GetValue<bool>());

        var unknown = await client.GetAsync("/api/no/such/thing", Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.NotEqual("text/html", unknown.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("<html", await unknown.Content.ReadAsStringAsync(Ct));
    }

    [Theory, Databases]
    public async Task A_server_error_is_the_sites_500_page_in_the_visitors_language_and_json_under_api(Db db)
    {
        await using var app = await TestApp.StartAsync(db, testServices: ThrowingPaths.Add);
        var client = app.Anonymous();

        using var page = await client.GetAsync(ThrowingPaths.Page + "?lang=en", Ct);
        Assert.Equal(HttpStatusCode.InternalServerError, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync(Ct);
        Assert.Contains("<html lang=\"en\">", html);
        Assert.Contains("<title>A server error occurred | OpenGov</title>", html);
        Assert.Contains("action=\"/dataset\"", html);
        Assert.DoesNotContain("InvalidOperationException", html);

        using var api = await client.GetAsync(ThrowingPaths.Api, Ct);
        Assert.Equal(HttpStatusCode.InternalServerError, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(await api.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal(500, body["status"]!.GetValue<int>());

        using var action = await client.GetAsync("/api/3/action/no_such_action", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, action.StatusCode);
        Assert.Equal("application/json", action.Content.Headers.ContentType?.MediaType);
        Assert.False(JsonNode.Parse(await action.Content.ReadAsStringAsync(Ct))!["success"]!.GetValue<bool>());
    }
}
