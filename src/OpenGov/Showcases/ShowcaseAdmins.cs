using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OpenGov.Ckan;
using OpenGov.Storage;

namespace OpenGov.Showcases;

/// <summary>The showcase admin list (ckanext_showcase_admin_add/remove/list): sysadmins only; adding and removing are audited (<see cref="ShowcaseAudit.SaveAdminChangeAsync"/>).</summary>
public sealed class ShowcaseAdmins(OpenGovDb db, ShowcaseAuth auth)
{
    public sealed record AdminDict(string Name, string Id);

    /// <summary>Adds a user; {"user_id": ...} as ckanext-showcase answers. An unknown user is CKAN's "Not found".</summary>
    public async Task<string> AddAsync(JsonObject data, CancellationToken ct)
    {
        auth.RequireSysadmin("ckanext_showcase_admin_add");
        var username = Username(data);
        var userId = await UserIdAsync(username, ct) ?? throw CkanException.NotFound();
        if (await db.Set<ShowcaseAdmin>().AnyAsync(a => a.UserId == userId, ct))
        {
            throw new CkanException(409, "Validation Error", $"ShowcaseAdmin with user_id '{userId}' already exists.");
        }

        db.Add(new ShowcaseAdmin { UserId = userId });
        try
        {
            await ShowcaseAudit.SaveAdminChangeAsync(db, auth.User.Id, auth.User.Name ?? "", "create", userId, username, ct);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            throw new CkanException(409, "Validation Error", $"ShowcaseAdmin with user_id '{userId}' already exists.");
        }

        return userId;
    }

    public async Task RemoveAsync(JsonObject data, CancellationToken ct)
    {
        auth.RequireSysadmin("ckanext_showcase_admin_remove");
        var username = Username(data);
        var userId = await UserIdAsync(username, ct) ?? throw CkanException.Validation("username", "Not found: User");
        var admin = await db.Set<ShowcaseAdmin>().FirstOrDefaultAsync(a => a.UserId == userId, ct)
            ?? throw CkanException.NotFound($"Not found: ShowcaseAdmin with user_id '{userId}' doesn't exist.");
        db.Remove(admin);
        await ShowcaseAudit.SaveAdminChangeAsync(db, auth.User.Id, auth.User.Name ?? "", "delete", userId, username, ct);
    }

    public async Task<List<AdminDict>> ListAsync(CancellationToken ct)
    {
        auth.RequireSysadmin("ckanext_showcase_admin_list");
        var ids = db.Set<ShowcaseAdmin>().Select(a => a.UserId);
        return await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id) && u.State == RecordState.Active)
            .OrderBy(u => u.Name).Select(u => new AdminDict(u.Name, u.Id)).ToListAsync(ct);
    }

    private static string Username(JsonObject data)
    {
        var errors = new ValidationErrors();
        var name = DictReader.Str(data, "username", errors)?.Trim();
        if (string.IsNullOrEmpty(name) && !errors.Has("username"))
        {
            errors.Report("username", "Missing value");
        }

        errors.ThrowIfAny();
        return name!;
    }

    private Task<string?> UserIdAsync(string idOrName, CancellationToken ct) =>
        db.Users.AsNoTracking().Where(u => (u.Id == idOrName || u.Name == idOrName) && u.State == RecordState.Active).Select(u => u.Id).FirstOrDefaultAsync(ct);
}
