using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpenGov.Accounts;
using OpenGov.Ckan;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Hosting;

/// <summary>
/// CSRF: a page on another site cannot make a logged-in browser write through the CKAN Action API or the events API
/// (docs/security.md). The write actions are walked from the registry, not listed by hand.
/// </summary>
public class CrossSiteWriteTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Self = "http://localhost";
    private const string Evil = "https://evil.example";

    /// <summary>How a foreign page's request may look: a foreign Origin, a foreign Referer only, or neither header.</summary>
    private static readonly (string Name, string? Origin, string? Referer)[] ForeignShapes =
    [
        ("foreign Origin", Evil, null),
        ("null Origin", "null", null),
        ("foreign Referer without Origin", null, Evil + "/attack.html"),
        ("no Origin nor Referer", null, null),
    ];

    private static HttpContent Body(string kind) => kind switch
    {
        "form" => new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "csrf-made", ["id"] = "csrf-made" }),
        "multipart" => Multipart(),
        _ => new StringContent("{\"name\":\"csrf-made\",\"id\":\"csrf-made\"}", Encoding.UTF8, "application/json"),
    };

    private static MultipartFormDataContent Multipart()
    {
        var m = new MultipartFormDataContent { { new StringContent("csrf-made"), "name" }, { new StringContent("csrf-made"), "id" } };
        var file = new ByteArrayContent("a,b\n1,2\n"u8.ToArray());
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        m.Add(file, "upload", "x.csv");
        return m;
    }

    private static async Task<(int Status, JsonObject Body)> SendAsync(HttpClient client, HttpMethod method, string url, HttpContent? content, string? origin, string? referer)
    {
        using var req = new HttpRequestMessage(method, url) { Content = content };
        if (origin is not null)
        {
            req.Headers.TryAddWithoutValidation("Origin", origin);
        }

        if (referer is not null)
        {
            req.Headers.Referrer = new Uri(referer);
        }

        using var r = await client.SendAsync(req, Ct);
        var text = await r.Content.ReadAsStringAsync(Ct);
        return ((int)r.StatusCode, text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject());
    }

    /// <summary>A sysadmin logged in through the login page: the browser's cookie, nothing else.</summary>
    private static async Task<HttpClient> LoggedInSysadminAsync(TestApp app)
    {
        using (var scope = app.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<AccountService>().CreateUserAsync("kanri", "pass-kanri-1", sysadmin: true);
        }

        var browser = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await browser.LoginAsync("kanri", "pass-kanri-1");
        return browser;
    }

    [Theory, Databases]
    public async Task Cookie_writes_to_every_ckan_write_action_from_another_site_are_refused_with_ckans_403(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var browser = await LoggedInSysadminAsync(app);
        var actions = CkanApi.WriteActionNames.Order(StringComparer.Ordinal).ToList();
        Assert.Contains("package_create", actions);
        Assert.Contains("datastore_create", actions);
        Assert.True(actions.Count >= 15, "write actions found: " + string.Join(", ", actions));

        var failures = new List<string>();
        foreach (var action in actions)
        {
            foreach (var kind in new[] { "form", "multipart", "json" })
            {
                foreach (var (shape, origin, referer) in ForeignShapes)
                {
                    foreach (var prefix in new[] { "/api/3/action/", "/api/action/" })
                    {
                        var (status, body) = await SendAsync(browser, HttpMethod.Post, prefix + action, Body(kind), origin, referer);
                        if (status != 403 || body["success"]?.GetValue<bool>() != false || body["error"]?["__type"]?.GetValue<string>() != "Authorization Error")
                        {
                            failures.Add($"{prefix}{action} {kind} {shape}: {status} {body.ToJsonString()}");
                        }
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));

        // nothing was written
        Assert.Empty((await app.Admin().GetOkAsync("organization_list")).AsArray());
        Assert.Empty((await app.Admin().GetOkAsync("package_list")).AsArray());
    }

    [Theory, Databases]
    public async Task Cookie_writes_from_the_site_itself_and_api_token_calls_still_work(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var browser = await LoggedInSysadminAsync(app);

        // the site's own page script: JSON with the page's Origin (what fetch sends)
        var (status, body) = await SendAsync(browser, HttpMethod.Post, "/api/3/action/organization_create",
            new StringContent("{\"name\":\"chiba\",\"title\":\"千葉市\"}", Encoding.UTF8, "application/json"), Self, null);
        Assert.True(status == 200, body.ToJsonString());

        // a same-site form post with only a Referer (older browsers) is the site's too
        (status, body) = await SendAsync(browser, HttpMethod.Post, "/api/3/action/group_create", Body("form"), null, Self + "/dashboard/datasets");
        Assert.True(status == 200, body.ToJsonString());

        // API tokens: form-encoded, no Origin, or even a foreign Origin (a browser never adds the token by itself)
        var token = app.Anonymous();
        token.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", app.AdminToken);
        (status, body) = await SendAsync(token, HttpMethod.Post, "/api/3/action/organization_create",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "nara", ["title"] = "奈良市" }), null, null);
        Assert.True(status == 200, body.ToJsonString());
        (status, body) = await SendAsync(token, HttpMethod.Post, "/api/action/organization_create",
            new StringContent("{\"name\":\"fukuoka\"}", Encoding.UTF8, "application/json"), Evil, null);
        Assert.True(status == 200, body.ToJsonString());

        // reads are never guarded
        Assert.Equal(200, (await SendAsync(browser, HttpMethod.Get, "/api/3/action/organization_list", null, Evil, null)).Status);
    }

    /// <summary>The events API's write routes (POST, PUT, DELETE under /api/events and /q/{code}/api), from the route table.</summary>
    private static List<(string Method, string Url)> EventWriteRoutes(TestApp app)
    {
        var routes = new List<(string, string)>();
        foreach (var e in app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = e.RoutePattern.RawText ?? "";
            var methods = e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? [];
            if (!(pattern.StartsWith("/api/events", StringComparison.Ordinal) || pattern.StartsWith("/q/{code}/api", StringComparison.Ordinal)))
            {
                continue;
            }

            var url = pattern.Replace("{slug}", "sym").Replace("{code}", "q1").Replace("{id:long}", "1").Replace("{action}", "approve").Replace("{user}", "kanri").TrimEnd('/');
            foreach (var m in methods.Where(m => m is "POST" or "PUT" or "DELETE" or "PATCH"))
            {
                routes.Add((m, url));
            }
        }

        return routes;
    }

    [Theory, Databases]
    public async Task Cookie_writes_to_every_events_api_route_from_another_site_are_refused_in_the_events_error_shape(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateEventAsync("sym", new { questionCode = "q1" });
        var browser = await LoggedInSysadminAsync(app);
        (await browser.GetAsync("/q/q1", Ct)).Dispose(); // and a participant cookie, as a browser that opened the page has
        var routes = EventWriteRoutes(app);
        Assert.Contains(routes, r => r.Url == "/api/events");
        Assert.Contains(routes, r => r.Url == "/q/q1/api/questions/1/vote");
        Assert.Contains(routes, r => r is ("PUT", "/api/events/sym/settings"));

        var failures = new List<string>();
        foreach (var (method, url) in routes)
        {
            foreach (var kind in new[] { "form", "multipart", "json" })
            {
                foreach (var (shape, origin, referer) in ForeignShapes)
                {
                    var (status, body) = await SendAsync(browser, new HttpMethod(method), url, Body(kind), origin, referer);
                    if (status != 403 || body["error"]?.GetValue<string>() != "cross_site" || body["message_ja"] is null)
                    {
                        failures.Add($"{method} {url} {kind} {shape}: {status} {body.ToJsonString()}");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
        Assert.Single((await app.Admin().GetJsonAsync("/api/events")).AsArray());
    }

    [Theory, Databases]
    public async Task A_participant_cookie_cannot_vote_from_another_site_but_the_question_page_can(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateEventAsync("sym", new { questionCode = "q1" });
        var phone = app.Participant();
        var (status, body) = await SendAsync(phone, HttpMethod.Post, "/q/q1/api/questions",
            new StringContent("{\"text\":\"同じサイトからの質問\"}", Encoding.UTF8, "application/json"), Self, null);
        Assert.True(status == 200, body.ToJsonString());
        var id = body["question"]!["id"]!.GetValue<long>();

        (status, body) = await SendAsync(phone, HttpMethod.Post, $"/q/q1/api/questions/{id}/vote", Body("form"), Evil, null);
        Assert.Equal(403, status);
        Assert.Equal("cross_site", body["error"]!.GetValue<string>());
        Assert.Equal(0, (await app.PublicQuestionsAsync("q1"))[0]!["votes"]!.GetValue<int>());

        (status, body) = await SendAsync(phone, HttpMethod.Post, $"/q/q1/api/questions/{id}/vote", null, Self, null);
        Assert.True(status == 200, body.ToJsonString());
        Assert.Equal(1, (await app.PublicQuestionsAsync("q1"))[0]!["votes"]!.GetValue<int>());
    }

    [Theory, Databases]
    public async Task A_moderator_logged_in_by_cookie_moderates_from_the_sites_own_pages(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateEventAsync("sym", new { questionCode = "q1" });
        var browser = await LoggedInSysadminAsync(app);
        var (status, body) = await SendAsync(browser, HttpMethod.Post, "/api/events/sym/polls",
            new StringContent("{\"kind\":\"single\",\"questionJa\":\"賛成ですか\",\"options\":[\"はい\",\"いいえ\"]}", Encoding.UTF8, "application/json"), Self, null);
        Assert.True(status == 201, body.ToJsonString());
    }
}
