using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OpenGov.Accounts;
using OpenGov.Catalog.Search;
using OpenGov.Ckan;
using OpenGov.Storage;

namespace OpenGov.Catalog.Organizations;

/// <summary>CKAN's member dict.</summary>
public sealed record MemberDict(string Id, string TableName, string TableId, string Capacity, string GroupId, string State);

/// <summary>
/// member_create and member_delete: a user's role in an organization or a group (CKAN's "capacity"), or a dataset in
/// a group; organization_member_* and group_member_*; member_list.
/// Checked by <see cref="OrganizationAuth"/> first.
/// </summary>
public sealed class MemberEditor(OpenGovDb db, OrganizationAuth auth, ISearchIndexer indexer)
{
    /// <summary>member_create: a user into an organization (admins of it, sysadmins), or a dataset into a group.</summary>
    public async Task<MemberDict> CreateMemberAsync(JsonObject data, CancellationToken ct)
    {
        var (groupRef, objectRef, objectType) = MemberKeys(data, requireCapacity: true, out var capacity);
        var org = await db.Organizations.FirstOrDefaultAsync(o => (o.Id == groupRef || o.Name == groupRef) && o.State == RecordState.Active, ct);
        if (org is not null)
        {
            await auth.EditMembersAsync(org, ct);

            if (objectType != "user")
            {
                throw CkanException.Validation("object_type", "Organizations take members of object_type user");
            }

            if (!Roles.IsValid(capacity))
            {
                throw CkanException.Validation("capacity", "Role must be one of: admin, editor, member");
            }

            var member = await db.Users.FirstOrDefaultAsync(u => (u.Id == objectRef || u.Name == objectRef) && u.State == RecordState.Active, ct)
                ?? throw CkanException.NotFound("User was not found.");
            var existing = await db.OrganizationRoles.FirstOrDefaultAsync(m => m.UserId == member.Id && m.OrganizationId == org.Id, ct);
            if (existing is null)
            {
                db.OrganizationRoles.Add(new OrganizationRole { UserId = member.Id, OrganizationId = org.Id, Role = capacity! });
            }
            else
            {
                existing.Role = capacity!;
            }

            await db.SaveChangesAsync(ct);
            return new MemberDict(org.Id + ":" + member.Id, "user", member.Id, capacity!, org.Id, RecordState.Active);
        }

        var group = await db.Groups.FirstOrDefaultAsync(g => (g.Id == groupRef || g.Name == groupRef) && g.State == RecordState.Active, ct)
            ?? throw CkanException.NotFound("Group was not found.");
        if (objectType == "user")
        {
            return await AddUserToGroupAsync(group, objectRef, capacity, ct);
        }

        auth.EditGroup(group);
        if (objectType != "package")
        {
            throw CkanException.Validation("object_type", "Groups take members of object_type package or user");
        }

        var dataset = await db.Datasets.FirstOrDefaultAsync(d => d.Id == objectRef || d.Name == objectRef, ct)
            ?? throw CkanException.NotFound("Package was not found.");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await db.DatasetGroups.AnyAsync(x => x.DatasetId == dataset.Id && x.GroupId == group.Id, ct))
        {
            db.DatasetGroups.Add(new DatasetGroup { DatasetId = dataset.Id, GroupId = group.Id });
            dataset.MetadataModified = DateTime.UtcNow;
            await db.SaveChangesAsync(ct);
            await indexer.IndexAsync(dataset.Id, ct);
        }

        await tx.CommitAsync(ct);
        return new MemberDict(group.Id + ":" + dataset.Id, "package", dataset.Id, capacity ?? "public", group.Id, RecordState.Active);
    }

    /// <summary>member_delete.</summary>
    public async Task DeleteMemberAsync(JsonObject data, CancellationToken ct)
    {
        var (groupRef, objectRef, objectType) = MemberKeys(data, requireCapacity: false, out _);
        var org = await db.Organizations.FirstOrDefaultAsync(o => o.Id == groupRef || o.Name == groupRef, ct);
        if (org is not null)
        {
            await auth.EditMembersAsync(org, ct);

            var member = await db.Users.FirstOrDefaultAsync(u => u.Id == objectRef || u.Name == objectRef, ct)
                ?? throw CkanException.NotFound("User was not found.");
            var existing = await db.OrganizationRoles.FirstOrDefaultAsync(m => m.UserId == member.Id && m.OrganizationId == org.Id, ct);
            if (existing is not null && objectType == "user")
            {
                db.OrganizationRoles.Remove(existing);
                await db.SaveChangesAsync(ct);
            }

            return;
        }

        var group = await db.Groups.FirstOrDefaultAsync(g => g.Id == groupRef || g.Name == groupRef, ct)
            ?? throw CkanException.NotFound("Group was not found.");
        if (objectType == "user")
        {
            await auth.EditGroupMembersAsync(group, ct);
            var leaving = await db.Users.FirstOrDefaultAsync(u => u.Id == objectRef || u.Name == objectRef, ct)
                ?? throw CkanException.NotFound("User was not found.");
            if (await db.GroupRoles.FirstOrDefaultAsync(r => r.GroupId == group.Id && r.UserId == leaving.Id, ct) is { } role)
            {
                db.GroupRoles.Remove(role);
                await db.SaveChangesAsync(ct);
            }

            return;
        }

        auth.EditGroup(group);

        var dataset = await db.Datasets.FirstOrDefaultAsync(d => d.Id == objectRef || d.Name == objectRef, ct)
            ?? throw CkanException.NotFound("Package was not found.");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var link = await db.DatasetGroups.FirstOrDefaultAsync(x => x.DatasetId == dataset.Id && x.GroupId == group.Id, ct);
        if (link is not null)
        {
            db.DatasetGroups.Remove(link);
            dataset.MetadataModified = DateTime.UtcNow;
            await db.SaveChangesAsync(ct);
            await indexer.IndexAsync(dataset.Id, ct);
        }

        await tx.CommitAsync(ct);
    }

    /// <summary>organization_member_create: id (the organization), username, role; as member_create on a user.</summary>
    public async Task<MemberDict> CreateOrganizationMemberAsync(JsonObject data, CancellationToken ct)
    {
        var (orgRef, username) = await OrganizationMemberKeysAsync(data, "role", ct);
        return await CreateMemberAsync(new JsonObject { ["id"] = orgRef, ["object"] = username, ["object_type"] = "user", ["capacity"] = data["role"]?.DeepClone() }, ct);
    }

    /// <summary>organization_member_delete: id (the organization), username or user_id.</summary>
    public async Task DeleteOrganizationMemberAsync(JsonObject data, CancellationToken ct)
    {
        var (orgRef, username) = await OrganizationMemberKeysAsync(data, null, ct);
        await DeleteMemberAsync(new JsonObject { ["id"] = orgRef, ["object"] = username, ["object_type"] = "user" }, ct);
    }

    /// <summary>member_create of a user in a group: its admins or sysadmins; capacity admin, editor or member.</summary>
    private async Task<MemberDict> AddUserToGroupAsync(Group group, string userRef, string? capacity, CancellationToken ct)
    {
        await auth.EditGroupMembersAsync(group, ct);
        if (!Roles.IsValid(capacity))
        {
            throw CkanException.Validation("capacity", "Role must be one of: admin, editor, member");
        }

        var member = await db.Users.FirstOrDefaultAsync(u => (u.Id == userRef || u.Name == userRef) && u.State == RecordState.Active, ct)
            ?? throw CkanException.NotFound("User was not found.");
        if (await db.GroupRoles.FirstOrDefaultAsync(r => r.GroupId == group.Id && r.UserId == member.Id, ct) is { } existing)
        {
            existing.Role = capacity!;
        }
        else
        {
            db.GroupRoles.Add(new GroupRole { UserId = member.Id, GroupId = group.Id, Role = capacity! });
        }

        await db.SaveChangesAsync(ct);
        return new MemberDict(group.Id + ":" + member.Id, "user", member.Id, capacity!, group.Id, RecordState.Active);
    }

    /// <summary>group_member_create: id (the group), username, role; unknown users are CKAN's 409 message.</summary>
    public async Task<MemberDict> CreateGroupMemberAsync(JsonObject data, CancellationToken ct)
    {
        var (groupRef, username) = await GroupMemberKeysAsync(data, "role", ct);
        if (!await db.Users.AnyAsync(u => (u.Id == username || u.Name == username) && u.State == RecordState.Active, ct))
        {
            throw new CkanException(409, "Validation Error", $"User {username} does not exist.");
        }

        return await CreateMemberAsync(new JsonObject { ["id"] = groupRef, ["object"] = username, ["object_type"] = "user", ["capacity"] = data["role"]?.DeepClone() }, ct);
    }

    /// <summary>group_member_delete: id (the group), username or user_id.</summary>
    public async Task DeleteGroupMemberAsync(JsonObject data, CancellationToken ct)
    {
        var (groupRef, username) = await GroupMemberKeysAsync(data, null, ct);
        await DeleteMemberAsync(new JsonObject { ["id"] = groupRef, ["object"] = username, ["object_type"] = "user" }, ct);
    }

    private async Task<(string Group, string User)> GroupMemberKeysAsync(JsonObject data, string? requiredRole, CancellationToken ct)
    {
        var (id, username) = MemberNames(data, requiredRole);
        var group = await db.Groups.AsNoTracking().FirstOrDefaultAsync(g => (g.Id == id || g.Name == id) && g.State == RecordState.Active, ct)
            ?? throw CkanException.NotFound("Group not found");
        return (group.Id, username);
    }

    /// <summary>
    /// member_list: [id, type, capacity] of a group's or organization's members (object_type, capacity filter).
    /// Organizations have users (their roles) and packages ("organization"); groups have packages ("public").
    /// Private datasets are listed only to who may read them.
    /// </summary>
    public async Task<JsonArray> MemberListAsync(string idOrName, string? objectType, string? capacity, CurrentUser user, CancellationToken ct)
    {
        var rows = new List<(string Id, string Type, string Capacity)>();
        var org = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => (o.Id == idOrName || o.Name == idOrName) && o.State == RecordState.Active, ct);
        if (org is not null)
        {
            var seePrivate = await user.CanReadPrivateAsync(org.Id, ct);
            rows.AddRange((await db.Datasets.AsNoTracking().Where(d => d.OwnerOrgId == org.Id && d.State == RecordState.Active && (seePrivate || !d.Private))
                .OrderBy(d => d.Name).Select(d => d.Id).ToListAsync(ct)).Select(id => (id, "package", "organization")));
            rows.AddRange((await db.OrganizationRoles.AsNoTracking().Where(r => r.OrganizationId == org.Id).OrderBy(r => r.UserId).Select(r => new { r.UserId, r.Role }).ToListAsync(ct))
                .Select(r => (r.UserId, "user", r.Role)));
        }
        else
        {
            var group = await db.Groups.AsNoTracking().FirstOrDefaultAsync(g => (g.Id == idOrName || g.Name == idOrName) && g.State == RecordState.Active, ct)
                ?? throw CkanException.NotFound("Group was not found.");
            rows.AddRange((await db.DatasetGroups.AsNoTracking().Where(x => x.GroupId == group.Id && db.Datasets.Public().Any(d => d.Id == x.DatasetId))
                .OrderBy(x => x.DatasetId).Select(x => x.DatasetId).ToListAsync(ct)).Select(id => (id, "package", "public")));
            rows.AddRange((await db.GroupRoles.AsNoTracking().Where(r => r.GroupId == group.Id).OrderBy(r => r.UserId).Select(r => new { r.UserId, r.Role }).ToListAsync(ct))
                .Select(r => (r.UserId, "user", r.Role)));
        }

        return new JsonArray([.. rows
            .Where(r => string.IsNullOrEmpty(objectType) || r.Type == objectType)
            .Where(r => string.IsNullOrEmpty(capacity) || r.Capacity == capacity)
            .Select(r => (JsonNode?)new JsonArray(r.Id, r.Type, r.Capacity))]);
    }

    private async Task<(string Org, string User)> OrganizationMemberKeysAsync(JsonObject data, string? requiredRole, CancellationToken ct)
    {
        var (id, username) = MemberNames(data, requiredRole);
        _ = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => (o.Id == id || o.Name == id) && o.State == RecordState.Active, ct)
            ?? throw CkanException.NotFound("Organization not found");
        return (id, username);
    }

    /// <summary>The id and username (or user_id) of organization_member_* and group_member_*, and the role when required.</summary>
    private static (string Id, string User) MemberNames(JsonObject data, string? requiredRole)
    {
        var errors = new ValidationErrors();
        var id = DictReader.Str(data, "id", errors)?.Trim();
        var username = (DictReader.Str(data, "username", errors) is { Length: > 0 } u ? u : DictReader.Str(data, "user_id", errors))?.Trim();
        if (string.IsNullOrEmpty(id))
        {
            errors.Report("id", "Missing value");
        }

        if (string.IsNullOrEmpty(username))
        {
            errors.Report("username", "Missing value");
        }

        if (requiredRole is not null && string.IsNullOrWhiteSpace(DictReader.Str(data, requiredRole, errors)))
        {
            errors.Report(requiredRole, "Missing value");
        }

        errors.ThrowIfAny();
        return (id!, username!);
    }

    private static (string Group, string Object, string ObjectType) MemberKeys(JsonObject data, bool requireCapacity, out string? capacity)
    {
        var errors = new ValidationErrors();
        var id = DictReader.Str(data, "id", errors);
        var obj = DictReader.Str(data, "object", errors);
        var type = DictReader.Str(data, "object_type", errors);
        capacity = DictReader.Str(data, "capacity", errors)?.Trim();
        foreach (var (field, value) in new[] { ("id", id), ("object", obj), ("object_type", type) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                errors.Report(field, "Missing value");
            }
        }

        if (requireCapacity && string.IsNullOrWhiteSpace(capacity))
        {
            errors.Report("capacity", "Missing value");
        }

        errors.ThrowIfAny();
        return (id!.Trim(), obj!.Trim(), type!.Trim());
    }

}
