using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Hosting;

/// <summary>
/// Cookies are Secure when the site is served over HTTPS (issue 15, point 7): the login cookie, the antiforgery cookie,
/// the participant cookie and the language cookie. Over plain HTTP (a development server on 127.0.0.1) they are not,
/// or the browser would drop them.
/// </summary>
public class SecureCookieTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, Databases]
    public async Task Every_cookie_set_over_https_is_secure(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var cookies = await SetCookiesAsync(app, "https://localhost");

        Assert.All(["opengov_auth", ".AspNetCore.Antiforgery.", "og_participant", ".AspNetCore.Culture"], name =>
        {
            var set = cookies.Where(c => c.StartsWith(name, StringComparison.Ordinal)).ToList();
            Assert.True(set.Count > 0, $"no {name} cookie was set: {string.Join(" | ", cookies)}");
            Assert.All(set, c => Assert.True(IsSecure(c), $"not Secure over https: {c}"));
        });
    }

    [Theory, Databases]
    public async Task Cookies_set_over_plain_http_are_not_secure(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var cookies = await SetCookiesAsync(app, "http://localhost");

        Assert.Equal(4, new[] { "opengov_auth", ".AspNetCore.Antiforgery.", "og_participant", ".AspNetCore.Culture" }.Count(n => cookies.Any(c => c.StartsWith(n, StringComparison.Ordinal))));
        Assert.All(cookies, c => Assert.False(IsSecure(c), $"Secure over plain http: {c}"));
    }

    /// <summary>Every Set-Cookie of a login (its form and its post), a question from a phone without a cookie and a language switch.</summary>
    private static async Task<List<string>> SetCookiesAsync(TestApp app, string baseAddress)
    {
        await app.CreateUserAsync("hanako", password: "secret-pw");
        await app.CreateEventAsync("sym", new { questionCode = "q1" });
        var browser = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri(baseAddress), AllowAutoRedirect = false });
        var cookies = new List<string>();

        using var form = await browser.GetAsync("/user/login", Ct);
        cookies.AddRange(SetCookie(form));
        using var login = await browser.PostAsync("/user/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Login"] = "hanako",
            ["Password"] = "secret-pw",
            ["__RequestVerificationToken"] = CatalogFixtures.AntiforgeryToken(await form.Content.ReadAsStringAsync(Ct)),
        }), Ct);
        Assert.Equal(302, (int)login.StatusCode);
        cookies.AddRange(SetCookie(login));

        var phone = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri(baseAddress), AllowAutoRedirect = false, HandleCookies = false });
        using var question = await phone.PostAsJsonAsync("/q/q1/api/questions", new { text = "駐輪場はありますか" }, Ct);
        Assert.Equal(200, (int)question.StatusCode);
        cookies.AddRange(SetCookie(question));

        using var lang = await browser.GetAsync("/lang/en?returnUrl=/", Ct);
        cookies.AddRange(SetCookie(lang));
        return cookies;
    }

    private static IEnumerable<string> SetCookie(HttpResponseMessage r) =>
        r.Headers.TryGetValues("Set-Cookie", out var values) ? values : [];

    private static bool IsSecure(string setCookie) =>
        setCookie.Split(';').Skip(1).Any(a => a.Trim().Equals("secure", StringComparison.OrdinalIgnoreCase));
}
