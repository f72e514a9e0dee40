using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Hosting;

/// <summary>Security headers on every page type, API and file (docs/security.md).</summary>
public partial class SecurityHeadersTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string?> Demo = new() { ["OpenGov:Demo"] = "true" };

    /// <summary>A URL of every Razor page route of the demo site, by route template: a new page without a sample fails the test.</summary>
    private static async Task<Dictionary<string, string>> PageSamplesAsync(TestApp app)
    {
        var pkg = await app.Anonymous().GetOkAsync("package_show?id=130001-tokyo-covid19-call-center");
        var resource = pkg["resources"]![0]!["id"]!.GetValue<string>();
        var group = (await app.Anonymous().GetOkAsync("group_list")).AsArray().Select(g => g!.GetValue<string>()).FirstOrDefault() ?? "none";
        var ev = await app.Admin().GetJsonAsync("/api/events/symposium-2020");
        var presenter = new Uri(ev["presenterUrl"]!.GetValue<string>()).AbsolutePath;
        var members = await app.Anonymous().GetJsonAsync("/api/council/members?date=2020-11-06");
        var member = FirstId(members) ?? "none";
        return new()
        {
            [""] = "/",
            ["about"] = "/about",
            ["dataset"] = "/dataset",
            ["dataset/{name}"] = "/dataset/" + pkg["name"]!.GetValue<string>(),
            ["dataset/{name}/resource/{id}"] = $"/dataset/{pkg["name"]}/resource/{resource}",
            ["dataset/{id}/resource/{resourceId}/data"] = $"/dataset/{pkg["id"]}/resource/{resource}/data",
            ["dataset/{name}/resource/{id}/view/new"] = $"/dataset/{pkg["name"]}/resource/{resource}/view/new",
            ["dataset/new"] = "/dataset/new",
            ["dataset/edit/{id}"] = "/dataset/edit/" + pkg["name"]!.GetValue<string>(),
            ["dataset/{id}/resource/new"] = $"/dataset/{pkg["name"]}/resource/new",
            ["dashboard/datasets"] = "/dashboard/datasets",
            ["organization"] = "/organization",
            ["organization/{name}"] = "/organization/tokyo",
            ["group"] = "/group",
            ["group/{name}"] = "/group/" + group,
            ["event"] = "/event",
            ["event/{slug}"] = "/event/symposium-2020",
            ["event/{slug}/moderate"] = "/event/symposium-2020/moderate",
            ["q/{code}"] = "/q/og2020",
            ["p/{secret}"] = presenter,
            ["council"] = "/council",
            ["council/timeline"] = "/council/timeline",
            ["council/year/{year}"] = "/council/year/2020",
            ["council/press/{slug}"] = "/council/press/symposium-2020",
            ["council/member/{id}"] = "/council/member/" + member,
            ["council/member/new"] = "/council/member/new",
            ["council/audit"] = "/council/audit",
            ["showcase"] = "/showcase",
            ["standard/{name}"] = "/standard/aed",
            ["showcase/{name}"] = "/showcase/tokyo-stopcovid19",
            ["showcase/new"] = "/showcase/new",
            ["showcase/admins"] = "/showcase/admins",
            ["showcase/edit/{name}"] = "/showcase/edit/tokyo-stopcovid19",
            ["council/contests"] = "/council/contests",
            ["council/contests/mine"] = "/council/contests/mine",
            ["council/contests/{slug}"] = "/council/contests/idea-contest-2020",
            ["council/contests/{slug}/entry/{id:long?}"] = "/council/contests/idea-contest-2020/entry",
            ["council/contests/{slug}/console"] = "/council/contests/idea-contest-2020/console",
            ["council/contests/{slug}/edit"] = "/council/contests/idea-contest-2020/edit",
            ["council/contests/new"] = "/council/contests/new",
            ["harvest"] = "/harvest",
            ["search/synonyms"] = "/search/synonyms",
            ["harvest/{name}"] = "/harvest/no-such-source",
            ["council/contests/{slug}/judge"] = "/council/contests/idea-contest-2020/judge",
            ["council/contests/{slug}/results"] = "/council/contests/idea-contest-2020/results",
            ["dashboards"] = "/dashboards",
            ["dashboards/compare"] = "/dashboards/compare",
            ["dashboards/{org}"] = "/dashboards/tokyo",
            ["dashboards/{org}/{slug}/{handler:regex(^cards$)?}/{card?}"] = "/dashboards/tokyo/covid19",
            ["dashboards/{org}/{slug}/edit"] = "/dashboards/tokyo/covid19/edit",
            ["user/login"] = "/user/login",
            ["user/logout"] = "/user/logout",
            ["user/password"] = "/user/password",
            ["error/{code:int}"] = "/error/404",
        };
    }

    private static string? FirstId(JsonNode members)
    {
        var list = members is JsonArray a ? a : members["members"] as JsonArray ?? members["localGovernments"] as JsonArray;
        return list?.FirstOrDefault()?["id"]?.ToString();
    }

    private static void AssertHeaders(HttpResponseMessage r, string url, bool embeddable = false)
    {
        var csp = string.Join(";", r.Headers.TryGetValues("Content-Security-Policy", out var v) ? v : []);
        Assert.True(csp.Contains("script-src 'self'", StringComparison.Ordinal), $"{url}: CSP {csp}");
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.DoesNotMatch("script-src[^;]*unsafe-inline", csp);
        Assert.Contains(embeddable ? "frame-ancestors *" : "frame-ancestors 'self'", csp);
        Assert.Equal("nosniff", string.Join(",", r.Headers.GetValues("X-Content-Type-Options")));
        Assert.True(r.Headers.Contains("Referrer-Policy"), url + ": Referrer-Policy");
        Assert.False(r.Headers.Contains("Strict-Transport-Security"), url + ": HSTS over plain HTTP");
    }

    [Theory, Databases]
    public async Task Every_page_type_api_and_file_carries_the_security_headers_and_no_inline_script(Db db)
    {
        await using var app = await TestApp.StartAsync(db, Demo);
        var samples = await PageSamplesAsync(app);
        var pageRoutes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null)
            .Select(e => (e.RoutePattern.RawText ?? "").TrimStart('/')).Distinct().ToList();
        Assert.NotEmpty(pageRoutes);
        var missing = pageRoutes.Where(p => !samples.ContainsKey(p)).ToList();
        Assert.True(missing.Count == 0, "pages without a sample in this test: " + string.Join(", ", missing));

        var editor = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await editor.LoginAsync("demo-secretariat", "opengov-demo");
        var editorPages = new HashSet<string> { "dataset/new", "dashboard/datasets", "user/password", "council/member/new", "council/audit", "council/contests/new", "council/contests/{slug}/edit", "harvest", "harvest/{name}", "showcase/new", "showcase/edit/{name}", "dashboards/{org}/{slug}/edit", "dataset/{name}/resource/{id}/view/new", "search/synonyms" };
        foreach (var (route, url) in samples)
        {
            var client = editorPages.Contains(route) ? editor : app.Anonymous();
            using var r = await client.GetAsync(url, Ct);
            AssertHeaders(r, url);
            if ((int)r.StatusCode == 200 && r.Content.Headers.ContentType?.MediaType == "text/html")
            {
                var html = await r.Content.ReadAsStringAsync(Ct);
                foreach (Match m in ScriptTag().Matches(html))
                {
                    var attrs = m.Groups[1].Value;
                    Assert.True(attrs.Contains("src=", StringComparison.Ordinal) || attrs.Contains("type=\"application/json\"", StringComparison.Ordinal),
                        $"{url}: inline script <script{attrs}>");
                }

                Assert.False(EventHandlerAttribute().IsMatch(html), $"{url}: inline event handler {EventHandlerAttribute().Match(html).Value}");
            }
        }

        foreach (var url in new[] { "/api/3/action/site_read", "/api/3/action/nope", "/api/events", "/healthz", "/css/site.css", "/js/events.js", "/openapi/v1.json", "/catalog.ttl", "/no/such/page", "/dashboards/tokyo/covid19/data.json" })
        {
            using var r = await app.Anonymous().GetAsync(url, Ct);
            AssertHeaders(r, url);
        }

        // the documented exception: one dashboard card, the target of the embed snippet, may be framed by other sites
        using var embed = await app.Anonymous().GetAsync("/dashboards/tokyo/covid19?card=x", Ct);
        AssertHeaders(embed, "embed", embeddable: true);
    }

    [Theory, Databases]
    public async Task Hsts_is_sent_only_over_https(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var https = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
        using var secure = await https.GetAsync("/about", Ct);
        Assert.StartsWith("max-age=", string.Join(",", secure.Headers.GetValues("Strict-Transport-Security")));
        using var plain = await app.Anonymous().GetAsync("/about", Ct);
        Assert.False(plain.Headers.Contains("Strict-Transport-Security"));
    }

    [GeneratedRegex("<script([^>]*)>", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();

    [GeneratedRegex("<[a-z][^>]*\\son[a-z]+\\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex EventHandlerAttribute();
}
