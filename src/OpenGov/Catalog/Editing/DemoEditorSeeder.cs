using Microsoft.EntityFrameworkCore;
using OpenGov.Accounts;
using OpenGov.Hosting;
using OpenGov.Storage;

namespace OpenGov.Catalog.Editing;

/// <summary>
/// Demo publisher: user "demo-editor" (password "opengov-demo") as editor of organization "chiba" when that
/// organization exists. Idempotent.
/// </summary>
public sealed class DemoEditorSeeder : IDemoSeeder
{
    public const string UserName = "demo-editor";
    public const string Password = "opengov-demo";
    public const string OrganizationName = "chiba";

    public int Order => 5;

    public async Task SeedAsync(IServiceProvider services, CancellationToken ct)
    {
        var db = services.GetRequiredService<OpenGovDb>();
        var accounts = services.GetRequiredService<AccountService>();
        var user = await db.Users.FirstOrDefaultAsync(u => u.Name == UserName, ct)
            ?? await accounts.CreateUserAsync(UserName, Password, sysadmin: false, fullName: "デモ編集者 (Demo editor)", email: "demo-editor@example.jp", ct: ct);
        var org = await db.Organizations.FirstOrDefaultAsync(o => o.Name == OrganizationName, ct);
        if (org is not null && !await db.OrganizationRoles.AnyAsync(m => m.UserId == user.Id && m.OrganizationId == org.Id, ct))
        {
            db.OrganizationRoles.Add(new OrganizationRole { UserId = user.Id, OrganizationId = org.Id, Role = Roles.Editor });
            await db.SaveChangesAsync(ct);
        }
    }
}
