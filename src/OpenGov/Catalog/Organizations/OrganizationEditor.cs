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
/// organization_create/update/patch, group_create/update/patch, member_create and member_delete: the catalog's writes
/// besides datasets. Each action checks <see cref="OrganizationAuth"/> first.
/// </summary>
public sealed class OrganizationEditor(OpenGovDb db, CurrentUser user, OrganizationAuth auth, ISearchIndexer indexer)
{
    /// <summary>organization_create: sysadmins only; the creator becomes its admin, as in CKAN.</summary>
    public async Task<OrganizationDict> CreateOrganizationAsync(JsonObject data, CancellationToken ct)
    {
        auth.CreateOrganization();

        var errors = new ValidationErrors();
        var org = new Organization { Name = "", Title = "" };
        await ApplyAsync(org, data, isNew: true, errors, ct);
        errors.ThrowIfAny();

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Organizations.Add(org);
        if (user.Id is { } uid)
        {
            db.OrganizationRoles.Add(new OrganizationRole { UserId = uid, OrganizationId = org.Id, Role = Roles.Admin });
        }

        AddActivity(org.Id, "new organization", OrganizationDict.From(org));
        await SaveUniqueAsync(ct);
        await tx.CommitAsync(ct);
        return OrganizationDict.From(org);
    }

    /// <summary>organization_update (replaces) or organization_patch: its admins or a sysadmin.</summary>
    public async Task<OrganizationDict> UpdateOrganizationAsync(JsonObject data, bool patch, CancellationToken ct)
    {
        var id = IdOf(data);
        var org = await db.Organizations.FirstOrDefaultAsync(o => o.Id == id || o.Name == id, ct) ?? throw CkanException.NotFound("Organization was not found.");
        await auth.UpdateOrganizationAsync(org, ct);

        if (patch)
        {
            var current = JsonSerializer.SerializeToNode(OrganizationDict.From(org), CkanApi.Json)!.AsObject();
            current["title_en"] = org.TitleEn;
            foreach (var (k, v) in data)
            {
                current[k] = v?.DeepClone();
            }

            data = current;
        }

        var (oldName, oldTitle) = (org.Name, org.Title);
        var errors = new ValidationErrors();
        await ApplyAsync(org, data, isNew: false, errors, ct);
        errors.ThrowIfAny();

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        AddActivity(org.Id, "changed organization", OrganizationDict.From(org));
        await SaveUniqueAsync(ct);
        if (oldName != org.Name || oldTitle != org.Title)
        {
            await indexer.IndexOrganizationAsync(org.Id, ct);
        }

        await tx.CommitAsync(ct);
        return OrganizationDict.From(org);
    }

    /// <summary>group_create: sysadmins only.</summary>
    public async Task<GroupDict> CreateGroupAsync(JsonObject data, CancellationToken ct)
    {
        auth.CreateGroup();

        var errors = new ValidationErrors();
        var group = new Group { Name = "", Title = "" };
        await ApplyAsync(group, data, isNew: true, errors, ct);
        errors.ThrowIfAny();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Groups.Add(group);
        AddActivity(group.Id, "new group", GroupDict.From(group));
        await SaveUniqueAsync(ct);
        await tx.CommitAsync(ct);
        return GroupDict.From(group);
    }

    /// <summary>group_update (replaces) or group_patch: sysadmins only.</summary>
    public async Task<GroupDict> UpdateGroupAsync(JsonObject data, bool patch, CancellationToken ct)
    {
        var id = IdOf(data);
        var group = await db.Groups.FirstOrDefaultAsync(g => g.Id == id || g.Name == id, ct) ?? throw CkanException.NotFound("Group was not found.");
        auth.EditGroup(group);

        if (patch)
        {
            var current = JsonSerializer.SerializeToNode(GroupDict.From(group), CkanApi.Json)!.AsObject();
            current["title_en"] = group.TitleEn;
            foreach (var (k, v) in data)
            {
                current[k] = v?.DeepClone();
            }

            data = current;
        }

        var oldTitle = group.Title;
        var errors = new ValidationErrors();
        await ApplyAsync(group, data, isNew: false, errors, ct);
        errors.ThrowIfAny();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        AddActivity(group.Id, "changed group", GroupDict.From(group));
        await SaveUniqueAsync(ct);
        if (oldTitle != group.Title)
        {
            var datasetIds = await db.DatasetGroups.Where(x => x.GroupId == group.Id).Select(x => x.DatasetId).ToListAsync(ct);
            foreach (var datasetId in datasetIds)
            {
                await indexer.IndexAsync(datasetId, ct);
            }
        }

        await tx.CommitAsync(ct);
        return GroupDict.From(group);
    }

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

    // ------------------------------------------------------------------ helpers

    private static string IdOf(JsonObject data)
    {
        var errors = new ValidationErrors();
        var id = DictReader.Str(data, "id", errors) is { Length: > 0 } i ? i : DictReader.Str(data, "name", errors);
        errors.ThrowIfAny();
        return string.IsNullOrWhiteSpace(id) ? throw CkanException.Missing("id") : id.Trim();
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

    private async Task ApplyAsync(Organization org, JsonObject data, bool isNew, ValidationErrors errors, CancellationToken ct)
    {
        var (name, title, titleEn, description, imageUrl) = await ReadCommonAsync(data, isNew, org.Id, org.Name, errors,
            (n, id) => db.Organizations.AnyAsync(o => o.Name == n && o.Id != id, ct));
        org.Name = name ?? org.Name;
        org.Title = title ?? (isNew ? org.Name : org.Title);
        org.TitleEn = titleEn ?? "";
        org.Description = description ?? "";
        org.ImageUrl = imageUrl ?? "";

        var code = DictReader.Str(data, "local_gov_code", errors)?.Trim();
        if (code is null && DictReader.List(data, "extras", new ValidationErrors()) is { } extras)
        {
            code = extras.OfType<JsonObject>().Where(e => e["key"]?.ToString() == "local_gov_code").Select(e => e["value"]?.ToString()?.Trim()).FirstOrDefault();
        }

        if (string.IsNullOrEmpty(code))
        {
            org.LocalGovCode = null;
        }
        else if (!OpenGov.Tabular.LocalGovCode.IsValid(code))
        {
            errors.Report("local_gov_code", "Must be a valid 6-digit local government code (全国地方公共団体コード) with its check digit");
        }
        else
        {
            org.LocalGovCode = OpenGov.Tabular.TextNormalizer.ToHalfWidthDigits(code);
        }
    }

    private async Task ApplyAsync(Group group, JsonObject data, bool isNew, ValidationErrors errors, CancellationToken ct)
    {
        var (name, title, titleEn, description, imageUrl) = await ReadCommonAsync(data, isNew, group.Id, group.Name, errors,
            (n, id) => db.Groups.AnyAsync(g => g.Name == n && g.Id != id, ct));
        group.Name = name ?? group.Name;
        group.Title = title ?? (isNew ? group.Name : group.Title);
        group.TitleEn = titleEn ?? "";
        group.Description = description ?? "";
        group.ImageUrl = imageUrl ?? "";
    }

    private static async Task<(string? Name, string? Title, string? TitleEn, string? Description, string? ImageUrl)> ReadCommonAsync(
        JsonObject data, bool isNew, string selfId, string currentName, ValidationErrors errors, Func<string, string, Task<bool>> nameTaken)
    {
        var name = DictReader.Str(data, "name", errors)?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            if (isNew && !errors.Has("name"))
            {
                errors.Report("name", "Missing value");
            }

            name = null;
        }
        else if (DictReader.NameError(name) is { } message)
        {
            errors.Report("name", message);
            name = null;
        }
        else if (name != currentName && await nameTaken(name, selfId))
        {
            errors.Report("name", "Group name already exists in database");
            name = null;
        }

        var title = DictReader.Str(data, "title", errors)?.Trim();
        var imageUrl = DictReader.Str(data, "image_url", errors)?.Trim();
        if (imageUrl is { Length: > 0 } && !DictReader.IsAcceptableUrl(imageUrl))
        {
            errors.Report("image_url", "Please provide a valid URL");
        }

        return (name, string.IsNullOrEmpty(title) ? null : title, DictReader.Str(data, "title_en", errors)?.Trim(), DictReader.Str(data, "description", errors), imageUrl);
    }

    private void AddActivity(string objectId, string type, object dict) =>
        db.Activities.Add(new Activity
        {
            UserId = user.Id,
            ObjectId = objectId,
            ActivityType = type,
            Data = JsonSerializer.Serialize(new Dictionary<string, object> { ["group"] = dict }, CkanApi.Json),
        });

    private async Task SaveUniqueAsync(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException?.Message is { } m && (m.Contains("UNIQUE", StringComparison.OrdinalIgnoreCase) || m.Contains("23505", StringComparison.Ordinal)))
        {
            db.ChangeTracker.Clear();
            throw CkanException.Validation("name", "Group name already exists in database");
        }
    }
}
