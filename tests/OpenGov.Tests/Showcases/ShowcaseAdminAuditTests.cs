using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenGov.Showcases;
using OpenGov.Storage;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Showcases;

/// <summary>Adding and removing showcase admins is recorded in the showcases' audit: who, when, whom.</summary>
public sealed class ShowcaseAdminAuditTests
{
    [Theory, Databases]
    public async Task Adding_and_removing_a_showcase_admin_is_audited_and_refusals_record_nothing(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateUserAsync("curator");
        var admin = app.Admin();
        var curatorId = (await admin.OkAsync("ckanext_showcase_admin_add", new { username = "curator" }))["user_id"]!.GetValue<string>();

        // refusals: a second add, an unknown user, a caller who is not a sysadmin
        Assert.Equal(409, (await admin.ActionAsync("ckanext_showcase_admin_add", new { username = "curator" })).Status);
        Assert.Equal(404, (await admin.ActionAsync("ckanext_showcase_admin_add", new { username = "nobody" })).Status);
        var (_, token) = await app.CreateEventUserAsync("citizen");
        Assert.Equal(403, (await app.WithToken(token).ActionAsync("ckanext_showcase_admin_remove", new { username = "curator" })).Status);

        await admin.OkAsync("ckanext_showcase_admin_remove", new { username = "curator" });
        Assert.Equal(404, (await admin.ActionAsync("ckanext_showcase_admin_remove", new { username = "curator" })).Status);
        Assert.Empty((await admin.GetOkAsync("ckanext_showcase_admin_list")).AsArray());

        await using var scope = app.Services.CreateAsyncScope();
        var dbx = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
        var audit = await ShowcaseAudit.HistoryAsync(dbx, ShowcaseAudit.SiteWide, TestContext.Current.CancellationToken);
        Assert.Equal(["delete", "create"], audit.Select(a => a.Action));
        Assert.All(audit, a =>
        {
            Assert.Equal(nameof(ShowcaseAdmin), a.EntityType);
            Assert.Equal(curatorId, a.EntityId);
            Assert.False(string.IsNullOrEmpty(a.UserName));
            Assert.NotNull(a.UserId);
            Assert.Contains("curator", a.Changes);
        });
        Assert.Contains("[null,\"curator\"]", audit[1].Changes);
        Assert.Contains("[\"curator\",null]", audit[0].Changes);
    }
    [Theory, Databases]
    public async Task Sysadmins_see_who_changed_the_showcase_admins_on_the_admins_page_and_others_do_not(Db db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await TestApp.StartAsync(db);
        await app.CreateUserAsync("curator");
        await app.CreateUserAsync("former");
        await app.CreateUserAsync("sysop", password: "pass-sysop");
        await app.CreateUserAsync("citizen", password: "pass-citizen");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var dbx = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
            (await dbx.Users.SingleAsync(u => u.Name == "sysop", ct)).Sysadmin = true;
            await dbx.SaveChangesAsync(ct);
        }

        var admin = app.Admin();
        await admin.OkAsync("ckanext_showcase_admin_add", new { username = "former" });
        await admin.OkAsync("ckanext_showcase_admin_add", new { username = "curator" });
        await admin.OkAsync("ckanext_showcase_admin_remove", new { username = "former" });

        var sysop = app.Anonymous();
        await sysop.LoginAsync("sysop", "pass-sysop");
        var page = await sysop.GetStringAsync("/showcase/admins", ct);
        var list = Regex.Match(page, "<ul id=\"showcase-admins\">(.*?)</ul>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Contains("<li>curator</li>", list);
        Assert.DoesNotContain("former", list);
        var history = Regex.Matches(page, "<li>\\s*<p><time datetime=\"[^\"]+\">[^<]+</time> ・ ([^<]+)</p>").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["admin ・ 「former」を活用事例の管理者から外しました", "admin ・ 「curator」を活用事例の管理者にしました", "admin ・ 「former」を活用事例の管理者にしました"], history);
        Assert.Contains("Removed “former” from the showcase admins", await sysop.GetStringAsync("/showcase/admins?lang=en", ct));
        Assert.Contains("href=\"/showcase/admins\"", await sysop.GetStringAsync("/showcase", ct));

        // a showcase admin or another user may not see it (403), an anonymous reader is sent to log in
        var citizen = app.Anonymous();
        await citizen.LoginAsync("citizen", "pass-citizen");
        using (var forbidden = await citizen.GetAsync("/showcase/admins", ct))
        {
            Assert.Equal(403, (int)forbidden.StatusCode);
        }

        using (var anonymous = await app.Anonymous().GetAsync("/showcase/admins", ct))
        {
            Assert.Equal(302, (int)anonymous.StatusCode);
            Assert.Contains("/user/login", anonymous.Headers.Location!.OriginalString);
        }

        // a showcase cannot take the page's name
        var (status, body) = await admin.ActionAsync("ckanext_showcase_create", new { name = "admins", title = "管理" });
        Assert.Equal(409, status);
        Assert.Contains("That URL is already in use.", body.ToJsonString());
    }
}
