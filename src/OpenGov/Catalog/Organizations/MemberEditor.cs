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
/// member_create and member_delete: a user's role in an organization (CKAN's "capacity"), or a dataset in a group.
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
        auth.EditGroup(group);

        if (objectType != "package")
        {
            throw CkanException.Validation("object_type", "Groups take members of object_type package");
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
