using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OpenGov.Accounts;
using OpenGov.Catalog.Editing;
using OpenGov.Catalog.Search;
using OpenGov.Ckan;
using OpenGov.Storage;

namespace OpenGov.Catalog.Organizations;

/// <summary>
/// organization_create/update/patch and group_create/update/patch (members: <see cref="MemberEditor"/>). Each action
/// checks <see cref="OrganizationAuth"/> first.
/// </summary>
public sealed class OrganizationEditor(OpenGovDb db, CurrentUser user, OrganizationAuth auth, ISearchIndexer indexer)
{
    /// <summary>organization_create: sysadmins only; the creator becomes its admin, as in CKAN.</summary>
    public async Task<OrganizationDict> CreateOrganizationAsync(JsonObject data, CancellationToken ct)
    {
        auth.CreateOrganization();

        var errors = new ValidationErrors();
        var org = new Organization { Name = "", Title = "" };
        if (await SuppliedIds.ReadAsync(data, user.IsSysadmin, id => db.Organizations.AnyAsync(o => o.Id == id, ct), "Id already exists", errors) is { } suppliedId)
        {
            org.Id = suppliedId;
        }

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

    /// <summary>group_create: sysadmins only; the creator becomes its admin, as in CKAN.</summary>
    public async Task<GroupDict> CreateGroupAsync(JsonObject data, CancellationToken ct)
    {
        auth.CreateGroup();

        var errors = new ValidationErrors();
        var group = new Group { Name = "", Title = "" };
        if (await SuppliedIds.ReadAsync(data, user.IsSysadmin, id => db.Groups.AnyAsync(g => g.Id == id, ct), "Id already exists", errors) is { } suppliedId)
        {
            group.Id = suppliedId;
        }

        await ApplyAsync(group, data, isNew: true, errors, ct);
        errors.ThrowIfAny();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Groups.Add(group);
        if (user.Id is { } uid)
        {
            db.GroupRoles.Add(new GroupRole { UserId = uid, GroupId = group.Id, Role = Roles.Admin }); // as in CKAN: the creator administers it
        }

        AddActivity(group.Id, "new group", GroupDict.From(group));
        await SaveUniqueAsync(ct);
        await tx.CommitAsync(ct);
        return GroupDict.From(group);
    }

    /// <summary>group_update (replaces) or group_patch: the group's admins, sysadmins.</summary>
    public async Task<GroupDict> UpdateGroupAsync(JsonObject data, bool patch, CancellationToken ct)
    {
        var id = IdOf(data);
        var group = await db.Groups.FirstOrDefaultAsync(g => g.Id == id || g.Name == id, ct) ?? throw CkanException.NotFound("Group was not found.");
        await auth.UpdateGroupAsync(group, ct);

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

    // ------------------------------------------------------------------ helpers

    private static string IdOf(JsonObject data)
    {
        var errors = new ValidationErrors();
        var id = DictReader.Str(data, "id", errors) is { Length: > 0 } i ? i : DictReader.Str(data, "name", errors);
        errors.ThrowIfAny();
        return string.IsNullOrWhiteSpace(id) ? throw CkanException.Missing("id") : id.Trim();
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
