using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Hosting;

/// <summary>
/// Behind a load balancer (OpenGov:ForwardedHeaders): the client's address and scheme as a trusted proxy reports
/// them drive rate limits, participant admission and absolute URLs; without configuration the headers are ignored.
/// The app listens on a real port, so the "proxy" is this test's own connection from 127.0.0.1.
/// </summary>
public class TrustedProxyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, string?> Limits(bool trustLoopback)
    {
        var s = new Dictionary<string, string?>
        {
            ["OpenGov:WritesPerSecond"] = "1",
            ["OpenGov:Events:CookielessBurst"] = "3",
            ["OpenGov:Events:CookielessPerMinute"] = "1",
        };
        if (trustLoopback)
        {
            s["OpenGov:ForwardedHeaders:KnownProxies:0"] = "127.0.0.1";
            s["OpenGov:ForwardedHeaders:KnownNetworks:0"] = "::1/128";
        }

        return s;
    }

    [Theory, Databases]
    public async Task Behind_a_trusted_proxy_limits_and_urls_follow_the_client(Db db)
    {
        await using var app = await TestApp.StartAsync(db, Limits(trustLoopback: true), kestrel: true);
        await app.CreateEventAsync("sym", new { questionCode = "q1" });

        // the scheme: absolute URLs and HSTS follow the client's https
        var (siteUrl, hsts) = await StatusShowAsync(app, "198.51.100.1", "https");
        Assert.StartsWith("https://", siteUrl, StringComparison.Ordinal);
        Assert.True(hsts);

        // each client address has its own write budget and its own admission budget
        Assert.Contains(429, await AnonymousWritesAsync(app, "203.0.113.7", 8));
        Assert.DoesNotContain(429, await AnonymousWritesAsync(app, "203.0.113.8", 2)); // a fresh burst of two
        Assert.Contains(429, await CookielessQuestionsAsync(app, "203.0.113.7", 6));
        Assert.Equal(200, (await CookielessQuestionsAsync(app, "203.0.113.8", 1))[0]);
    }

    [Theory, Databases]
    public async Task Without_configured_proxies_forwarded_headers_are_ignored(Db db)
    {
        await using var app = await TestApp.StartAsync(db, Limits(trustLoopback: false), kestrel: true);
        await app.CreateEventAsync("sym", new { questionCode = "q1" });

        var (siteUrl, hsts) = await StatusShowAsync(app, "198.51.100.1", "https");
        Assert.StartsWith("http://", siteUrl, StringComparison.Ordinal);
        Assert.False(hsts);

        // a made-up X-Forwarded-For does not buy a new budget: every request is the connection's address
        Assert.Contains(429, await AnonymousWritesAsync(app, "203.0.113.7", 8));
        Assert.Contains(429, await AnonymousWritesAsync(app, "203.0.113.8", 2)); // no fresh burst
        Assert.Contains(429, await CookielessQuestionsAsync(app, "203.0.113.7", 6));
        Assert.Equal(429, (await CookielessQuestionsAsync(app, "203.0.113.8", 1))[0]);
    }

    private static HttpClient Through(TestApp app, string clientAddress, string scheme = "http")
    {
        var c = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = app.BaseAddress }; // no cookies: every write is a new participant
        c.DefaultRequestHeaders.Add("X-Forwarded-For", clientAddress);
        c.DefaultRequestHeaders.Add("X-Forwarded-Proto", scheme);
        return c;
    }

    private static async Task<(string SiteUrl, bool Hsts)> StatusShowAsync(TestApp app, string clientAddress, string scheme)
    {
        using var client = Through(app, clientAddress, scheme);
        using var r = await client.GetAsync("/api/3/action/status_show", Ct);
        var body = JsonNode.Parse(await r.Content.ReadAsStringAsync(Ct))!;
        return (body["result"]!["site_url"]!.GetValue<string>(), r.Headers.Contains("Strict-Transport-Security"));
    }

    private static async Task<List<int>> AnonymousWritesAsync(TestApp app, string clientAddress, int count)
    {
        using var client = Through(app, clientAddress);
        var statuses = new List<int>();
        for (var i = 0; i < count; i++)
        {
            using var r = await client.PostAsJsonAsync("/api/3/action/package_create", new { name = "x" + i }, Ct);
            statuses.Add((int)r.StatusCode);
        }

        return statuses;
    }

    private static async Task<List<int>> CookielessQuestionsAsync(TestApp app, string clientAddress, int count)
    {
        using var client = Through(app, clientAddress);
        var statuses = new List<int>();
        for (var i = 0; i < count; i++)
        {
            using var r = await client.PostAsJsonAsync("/q/q1/api/questions", new { text = "質問 " + i }, Ct);
            statuses.Add((int)r.StatusCode);
        }

        return statuses;
    }
}
