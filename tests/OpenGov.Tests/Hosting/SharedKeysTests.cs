using System.Net;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenGov.Storage;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Hosting;

/// <summary>Two nodes on the same database behind a balancer that is not sticky: one key ring, one login.</summary>
public class SharedKeysTests
{
    [Theory, Databases]
    public async Task A_login_and_a_form_token_issued_by_one_node_are_accepted_by_another(Db db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var a = await TestApp.StartAsync(db);
        await using var b = await TestApp.OpenOnSameDataAsync(a);
        b.KeepData = true; // node A drops the shared data
        await a.CreateOrganizationAsync("chiba", "千葉市");
        await a.CreateUserAsync("hanako", "chiba", "editor", password: "secret-pw");
        var chibaId = (await a.Anonymous().OkAsync("organization_show", new { id = "chiba" }))["id"]!.GetValue<string>();

        // one browser: its cookies go to whichever node the balancer picks
        var cookies = new CookieContainer();
        using var onA = a.CreateDefaultClient(new CookieContainerHandler(cookies));
        using var onB = b.CreateDefaultClient(new CookieContainerHandler(cookies));

        // the login page and the form come from node A (login cookie and antiforgery token issued there)
        await onA.LoginAsync("hanako", "secret-pw");
        var form = await onA.GetStringAsync("/dataset/new", ct);

        // node B reads the login cookie ...
        using var dashboard = await onB.GetAsync("/dashboard/datasets", ct);
        Assert.Equal(200, (int)dashboard.StatusCode);

        // ... and accepts the form posted with node A's token
        using var post = await onB.PostAsync("/dataset/new", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Title"] = "避難所一覧",
            ["Name"] = "shelters",
            ["LicenseId"] = "cc-by-4.0",
            ["OwnerOrg"] = chibaId,
            ["__RequestVerificationToken"] = CatalogFixtures.AntiforgeryToken(form),
        }), ct);
        Assert.Equal(302, (int)post.StatusCode);
        Assert.Equal("/dataset/shelters", post.Headers.Location?.OriginalString);
        var show = await b.Admin().OkAsync("package_show", new { id = "shelters" });
        Assert.Equal("hanako", (await b.Admin().OkAsync("user_show", new { id = show["creator_user_id"]!.GetValue<string>() }))["name"]!.GetValue<string>());

        // the key both nodes used is the one in the shared database
        using var scope = a.Services.CreateScope();
        var keys = await scope.ServiceProvider.GetRequiredService<OpenGovDb>().DataProtectionKeys.AsNoTracking().ToListAsync(ct);
        Assert.Single(keys);
    }
}
