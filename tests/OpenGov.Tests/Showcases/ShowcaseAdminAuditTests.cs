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
}
