using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using OpenGov.Hosting;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Hosting;

/// <summary>
/// Logout, a password change and a sysadmin disabling a user end every login session on every node (the security
/// stamp in the cookie), including a copy of the cookie taken by someone else. Two nodes share one database.
/// </summary>
public class SessionEndTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // node B trusts its cached stamp for a second (the default is 5): the test waits for it instead of sleeping
    private static readonly Dictionary<string, string?> ShortCache = new() { ["OpenGov:SecurityStampCheckSeconds"] = "1" };

    [Theory, Databases]
    public async Task Logout_on_one_node_ends_a_copied_cookie_on_every_node(Db db)
    {
        var (a, b) = await TwoNodesAsync(db);
        await using var _ = a;
        await using var __ = b;
        var cookies = new CookieContainer();
        using var browserOnA = a.CreateDefaultClient(new CookieContainerHandler(cookies));
        await browserOnA.LoginAsync("hanako", "secret-pw");
        var stolen = cookies.GetCookieHeader(new Uri("http://localhost/"));
        Assert.Contains("opengov_auth=", stolen, StringComparison.Ordinal);

        // the copy works on both nodes while the session lasts
        Assert.Equal(HttpStatusCode.OK, await StatusWithCookieAsync(a, stolen));
        Assert.Equal(HttpStatusCode.OK, await StatusWithCookieAsync(b, stolen));

        await LogoutAsync(browserOnA);

        // the node that logged out refuses the copy at once, and deletes it; the other node within its cache time
        using (var refused = await GetWithCookieAsync(a, stolen))
        {
            Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
            Assert.StartsWith("http://localhost/user/login", refused.Headers.Location!.ToString(), StringComparison.Ordinal);
            Assert.Contains(refused.Headers.GetValues("Set-Cookie"), c => c.StartsWith("opengov_auth=;", StringComparison.Ordinal));
        }

        Assert.True(await RefusedEventuallyAsync(b, stolen), "node B still accepts a logged-out cookie");

        // the copy is no login for the API either: a cookie write is anonymous (CKAN's 403)
        using var write = new HttpRequestMessage(HttpMethod.Post, "/api/3/action/package_create") { Content = JsonContent.Create(new { name = "x", owner_org = "chiba" }) };
        write.Headers.Add("Cookie", stolen);
        write.Headers.Add("Origin", "http://localhost");
        using var writeResponse = await b.CreateDefaultClient().SendAsync(write, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, writeResponse.StatusCode);

        // logging in again works on both nodes
        await browserOnA.LoginAsync("hanako", "secret-pw");
        Assert.Equal(HttpStatusCode.OK, await StatusWithCookieAsync(b, cookies.GetCookieHeader(new Uri("http://localhost/"))));
    }

    [Theory, Databases]
    public async Task Changing_the_password_ends_every_other_session_and_keeps_this_one(Db db)
    {
        var (a, b) = await TwoNodesAsync(db);
        await using var _ = a;
        await using var __ = b;
        var mine = new CookieContainer();
        using var meOnA = a.CreateDefaultClient(new CookieContainerHandler(mine));
        using var meOnB = b.CreateDefaultClient(new CookieContainerHandler(mine));
        var other = new CookieContainer();
        using var otherOnB = b.CreateDefaultClient(new CookieContainerHandler(other));
        await meOnA.LoginAsync("hanako", "secret-pw");
        await otherOnB.LoginAsync("hanako", "secret-pw");
        var otherCookie = other.GetCookieHeader(new Uri("http://localhost/"));
        Assert.Equal(HttpStatusCode.OK, await StatusWithCookieAsync(b, otherCookie));

        // mistakes answer 400 with the reason, in Japanese by default and in English on request; nothing changes
        var (wrong, wrongHtml) = await ChangePasswordAsync(meOnA, "not-it", "new-secret-pw", "new-secret-pw");
        Assert.Equal(HttpStatusCode.BadRequest, wrong);
        Assert.Contains("現在のパスワードが正しくありません。", wrongHtml, StringComparison.Ordinal);
        var (shortPw, shortHtml) = await ChangePasswordAsync(meOnA, "secret-pw", "short", "short", "?lang=en");
        Assert.Equal(HttpStatusCode.BadRequest, shortPw);
        Assert.Contains("The new password must be at least 8 characters long.", shortHtml, StringComparison.Ordinal);
        var (mismatch, _) = await ChangePasswordAsync(meOnA, "secret-pw", "new-secret-pw", "new-secret-px");
        Assert.Equal(HttpStatusCode.BadRequest, mismatch);
        Assert.Equal(HttpStatusCode.OK, await StatusWithCookieAsync(b, otherCookie));

        var (changed, _) = await ChangePasswordAsync(meOnA, "secret-pw", "new-secret-pw", "new-secret-pw");
        Assert.Equal(HttpStatusCode.Redirect, changed);

        // this browser stays logged in, on both nodes; the other session ends on both
        Assert.Equal(HttpStatusCode.OK, (await meOnA.GetAsync("/dashboard/datasets", Ct)).StatusCode);
        Assert.True(await RefusedEventuallyAsync(a, otherCookie), "node A still accepts the other session");
        Assert.True(await RefusedEventuallyAsync(b, otherCookie), "node B still accepts the other session");
        Assert.Equal(HttpStatusCode.OK, (await meOnB.GetAsync("/dashboard/datasets", Ct)).StatusCode);

        // the old password no longer logs in; the new one does
        using var fresh = b.CreateDefaultClient(new CookieContainerHandler(new CookieContainer()));
        var page = await fresh.GetStringAsync("/user/login", Ct);
        using var old = await fresh.PostAsync("/user/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Login"] = "hanako",
            ["Password"] = "secret-pw",
            ["__RequestVerificationToken"] = CatalogFixtures.AntiforgeryToken(page),
        }), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, old.StatusCode);
        await fresh.LoginAsync("hanako", "new-secret-pw");
    }

    [Theory, Databases]
    public async Task A_sysadmin_disabling_a_user_ends_their_sessions_and_tokens_on_every_node(Db db)
    {
        var (a, b) = await TwoNodesAsync(db);
        await using var _ = a;
        await using var __ = b;
        var token = await a.CreateUserAsync("taro", "chiba", "editor", password: "taro-secret");
        var cookies = new CookieContainer();
        using var onA = a.CreateDefaultClient(new CookieContainerHandler(cookies));
        await onA.LoginAsync("taro", "taro-secret");
        var cookie = cookies.GetCookieHeader(new Uri("http://localhost/"));
        Assert.Equal(HttpStatusCode.OK, await StatusWithCookieAsync(a, cookie));

        // only a sysadmin may disable a user
        var (forbidden, body) = await b.WithToken(token).ActionAsync("user_delete", new { id = "hanako" });
        Assert.Equal(403, forbidden);
        Assert.Equal("Authorization Error", body["error"]!["__type"]!.GetValue<string>());
        var (missing, _) = await b.Admin().ActionAsync("user_delete", new { id = "nobody" });
        Assert.Equal(404, missing);

        await b.Admin().OkAsync("user_delete", new { id = "taro" });

        Assert.True(await RefusedEventuallyAsync(a, cookie), "node A still accepts a disabled user's cookie");
        Assert.True(await RefusedEventuallyAsync(b, cookie), "node B still accepts a disabled user's cookie");
        var (tokenWrite, _) = await a.WithToken(token).ActionAsync("package_create", new { name = "after-delete", owner_org = "chiba" });
        Assert.Equal(403, tokenWrite);
        Assert.Equal("deleted", (await a.Admin().OkAsync("user_show", new { id = "taro" }))["state"]!.GetValue<string>());
    }

    [Theory, Databases]
    public async Task Admin_verbs_log_a_user_out_everywhere_and_disable_and_enable_them(Db db)
    {
        var (a, b) = await TwoNodesAsync(db);
        await using var _ = a;
        await using var __ = b;
        var token = await a.CreateUserAsync("taro", "chiba", "editor", password: "taro-secret");
        var cookies = new CookieContainer();
        using var onA = a.CreateDefaultClient(new CookieContainerHandler(cookies));
        await onA.LoginAsync("taro", "taro-secret");
        var cookie = cookies.GetCookieHeader(new Uri("http://localhost/"));
        Assert.Equal(HttpStatusCode.OK, await StatusWithCookieAsync(b, cookie));

        // log out everywhere: every cookie ends on both nodes; API tokens are not sessions and keep working
        Assert.Equal(0, await AdminCommands.RunAsync(a.Services, ["end-sessions", "taro"]));
        Assert.Equal(HttpStatusCode.Redirect, await StatusWithCookieAsync(a, cookie));
        Assert.True(await RefusedEventuallyAsync(b, cookie), "node B still accepts a cookie after end-sessions");
        await a.WithToken(token).OkAsync("package_create", new { name = "by-token-1", owner_org = "chiba" });
        await onA.LoginAsync("taro", "taro-secret");
        cookie = cookies.GetCookieHeader(new Uri("http://localhost/"));

        // disabled: the new cookie ends too, the password no longer logs in, the token is anonymous
        Assert.Equal(0, await AdminCommands.RunAsync(a.Services, ["disable-user", "taro"]));
        Assert.True(await RefusedEventuallyAsync(b, cookie), "node B still accepts a disabled user's cookie");
        Assert.Equal(HttpStatusCode.BadRequest, await LoginStatusAsync(b, "taro", "taro-secret"));
        Assert.Equal(403, (await b.WithToken(token).ActionAsync("package_create", new { name = "by-token-2", owner_org = "chiba" })).Status);

        // enabled again: login and token work, and the user is still an editor of chiba; the old cookie stays dead
        Assert.Equal(0, await AdminCommands.RunAsync(a.Services, ["enable-user", "taro"]));
        Assert.Equal(HttpStatusCode.Redirect, await StatusWithCookieAsync(a, cookie));
        Assert.Equal(HttpStatusCode.Redirect, await LoginStatusAsync(b, "taro", "taro-secret"));
        await b.WithToken(token).OkAsync("package_create", new { name = "by-token-3", owner_org = "chiba" });
        Assert.Equal(1, await AdminCommands.RunAsync(a.Services, ["disable-user", "nobody"]));
    }

    private static async Task<HttpStatusCode> LoginStatusAsync(TestApp node, string name, string password)
    {
        using var client = node.CreateDefaultClient(new CookieContainerHandler(new CookieContainer()));
        var page = await client.GetStringAsync("/user/login", Ct);
        using var response = await client.PostAsync("/user/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Login"] = name,
            ["Password"] = password,
            ["__RequestVerificationToken"] = CatalogFixtures.AntiforgeryToken(page),
        }), Ct);
        return response.StatusCode;
    }

    private static async Task<(TestApp A, TestApp B)> TwoNodesAsync(Db db)
    {
        var a = await TestApp.StartAsync(db);
        var b = await TestApp.OpenOnSameDataAsync(a, ShortCache);
        b.KeepData = true; // node A drops the shared data
        await a.CreateOrganizationAsync("chiba", "千葉市");
        await a.CreateUserAsync("hanako", "chiba", "editor", password: "secret-pw");
        return (a, b);
    }

    private static async Task LogoutAsync(HttpClient browser)
    {
        var page = await browser.GetStringAsync("/user/logout", Ct);
        using var response = await browser.PostAsync("/user/logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = CatalogFixtures.AntiforgeryToken(page),
        }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    private static async Task<(HttpStatusCode Status, string Html)> ChangePasswordAsync(HttpClient browser, string current, string next, string confirm, string query = "")
    {
        var page = await browser.GetStringAsync("/user/password", Ct);
        using var response = await browser.PostAsync("/user/password" + query, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["CurrentPassword"] = current,
            ["NewPassword"] = next,
            ["ConfirmPassword"] = confirm,
            ["__RequestVerificationToken"] = CatalogFixtures.AntiforgeryToken(page),
        }), Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    private static async Task<HttpResponseMessage> GetWithCookieAsync(TestApp node, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard/datasets");
        request.Headers.Add("Cookie", cookie);
        return await node.CreateDefaultClient().SendAsync(request, Ct);
    }

    private static async Task<HttpStatusCode> StatusWithCookieAsync(TestApp node, string cookie)
    {
        using var response = await GetWithCookieAsync(node, cookie);
        return response.StatusCode;
    }

    /// <summary>Waits (up to 30 s) for the node to send the cookie to the login page.</summary>
    private static async Task<bool> RefusedEventuallyAsync(TestApp node, string cookie)
    {
        for (var i = 0; i < 120; i++)
        {
            if (await StatusWithCookieAsync(node, cookie) == HttpStatusCode.Redirect)
            {
                return true;
            }

            await Task.Delay(250, Ct);
        }

        return false;
    }
}
