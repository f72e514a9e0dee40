using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OpenGov.Accounts;
using OpenGov.Ckan;
using OpenGov.Storage;

namespace OpenGov.Catalog.Organizations;

/// <summary>
/// organization_list, group_list, organization_show, group_show and organization_list_for_user, with CKAN's
/// parameters, defaults and limits. Organizations and groups are public; their private datasets are counted and
/// listed only for those who may see them.
/// </summary>
public sealed class OrganizationQueries(OpenGovDb db, CurrentUser user, CatalogReader reader)
{
    /// <summary>ckan.group_and_organization_list_max and ..._all_fields_max.</summary>
    public const int GroupListMax = 1000;
    public const int GroupListAllFieldsMax = 25;

    private sealed record GroupRow(string Id, string Name, string Title, string Description, int Count);

    /// <summary>organization_list and group_list: sort by title (default), name or package_count; CKAN's limits.</summary>
    public async Task<JsonNode> GroupListAsync(CkanRequest req, bool organizations, CancellationToken ct)
    {
        var allFields = req.Bool("all_fields", false);
        var max = allFields ? GroupListAllFieldsMax : GroupListMax;
        var limit = req.Has("limit") ? req.Int("limit", max, 0) : max;
        limit = Math.Min(limit == 0 && req.Has("limit") ? max : limit, max);
        var offset = req.Int("offset", 0, 0);
        var sort = req.String("sort");
        if (string.IsNullOrWhiteSpace(sort))
        {
            sort = req.String("order_by") is { Length: > 0 } orderBy ? orderBy : "title";
        }

        if (sort.Trim() is "packages" or "package_count")
        {
            sort = "package_count desc";
        }

        var (field, direction) = UnpickSort(sort);
        var q = req.String("q")?.Trim().ToLowerInvariant();
        var only = req.List(organizations ? "organizations" : "groups");

        List<GroupRow> rows;
        if (organizations)
        {
            rows = await db.Organizations.AsNoTracking().Where(o => o.State == RecordState.Active)
                .Select(o => new GroupRow(o.Id, o.Name, o.Title, o.Description,
                    db.Datasets.Public().Count(d => d.OwnerOrgId == o.Id)))
                .ToListAsync(ct);
        }
        else
        {
            rows = await db.Groups.AsNoTracking().Where(g => g.State == RecordState.Active)
                .Select(g => new GroupRow(g.Id, g.Name, g.Title, g.Description,
                    db.DatasetGroups.Count(x => x.GroupId == g.Id && db.Datasets.Public().Any(d => d.Id == x.DatasetId))))
                .ToListAsync(ct);
        }

        IEnumerable<GroupRow> filtered = rows;
        if (only is { Count: > 0 })
        {
            filtered = filtered.Where(r => only.Contains(r.Name));
        }

        if (!string.IsNullOrEmpty(q))
        {
            filtered = filtered.Where(r => r.Name.Contains(q, StringComparison.OrdinalIgnoreCase) || r.Title.Contains(q, StringComparison.OrdinalIgnoreCase) || r.Description.Contains(q, StringComparison.OrdinalIgnoreCase));
        }

        Func<GroupRow, object> key = field switch
        {
            "name" => r => r.Name,
            "package_count" => r => r.Count,
            _ => r => r.Title,
        };
        var comparer = Comparer<object>.Create((a, b) => a is string sa && b is string sb ? string.CompareOrdinal(sa, sb) : Comparer<object>.Default.Compare(a, b));
        var ordered = direction == "asc" ? filtered.OrderBy(key, comparer) : filtered.OrderByDescending(key, comparer);
        var page = ordered.ThenBy(r => r.Name, StringComparer.Ordinal).Skip(offset).Take(limit).ToList();

        if (!allFields)
        {
            return new JsonArray([.. page.Select(r => (JsonNode?)JsonValue.Create(r.Name))]);
        }

        var result = new JsonArray();
        foreach (var r in page)
        {
            result.Add(organizations
                ? await OrganizationShowAsync(r.Id, includeDatasets: false, includeDatasetCount: req.Bool("include_dataset_count", true), includeUsers: false, ct)
                : await GroupShowAsync(r.Id, includeDatasets: false, includeDatasetCount: req.Bool("include_dataset_count", true), ct));
        }

        return result;
    }

    /// <summary>CKAN's _unpick_search for one sort criterion over name, title, package_count.</summary>
    private static (string Field, string Direction) UnpickSort(string sort)
    {
        var parts = sort.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length > 1)
        {
            throw new CkanException(409, "Validation Error", "Too many sort criteria provided only 1 allowed");
        }

        var words = (parts.FirstOrDefault() ?? "title").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var field = words[0];
        var direction = words.Length > 1 ? words[1].ToLowerInvariant() : "asc";
        if (field == "packages")
        {
            field = "package_count";
        }

        if (field is not ("name" or "title" or "package_count"))
        {
            throw new CkanException(409, "Validation Error", $"Cannot sort by field `{field}`");
        }

        if (direction is not ("asc" or "desc"))
        {
            throw new CkanException(409, "Validation Error", $"Invalid sort direction `{direction}`");
        }

        return (field, direction);
    }

    /// <summary>organization_show: the dict (with local_gov_code), dataset count, members, and datasets when asked.</summary>
    public async Task<JsonObject> OrganizationShowAsync(string idOrName, bool includeDatasets, bool includeDatasetCount, bool includeUsers, CancellationToken ct)
    {
        var org = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => (o.Id == idOrName || o.Name == idOrName) && o.State != RecordState.Deleted, ct)
            ?? throw CkanException.NotFound("Organization not found");
        var canSeePrivate = await user.CanReadPrivateAsync(org.Id, ct);
        var datasets = db.Datasets.AsNoTracking().Active().Where(d => d.OwnerOrgId == org.Id && (canSeePrivate || !d.Private));
        var count = await datasets.CountAsync(ct);
        var dict = JsonSerializer.SerializeToNode(OrganizationDict.From(org, includeDatasetCount ? count : null), CkanApi.Json)!.AsObject();
        dict["title_en"] = org.TitleEn;
        dict["extras"] = new JsonArray();
        dict["groups"] = new JsonArray();
        dict["tags"] = new JsonArray();
        dict["num_followers"] = 0;
        if (includeUsers)
        {
            dict["users"] = UsersArray(await db.OrganizationRoles.AsNoTracking().Where(r => r.OrganizationId == org.Id)
                .Join(db.Users.Where(u => u.State == RecordState.Active), r => r.UserId, u => u.Id, (r, u) => new MemberUser(u.Id, u.Name, u.FullName, r.Role))
                .ToListAsync(ct));
        }

        if (includeDatasets)
        {
            var list = await datasets.OrderByDescending(d => d.MetadataModified).Take(CatalogQueries.RowsMax).WithFullPackage().ToListAsync(ct);
            dict["packages"] = JsonSerializer.SerializeToNode(await reader.ToDictsAsync(list, ct), CkanApi.Json);
        }

        return dict;
    }

    /// <summary>group_show.</summary>
    public async Task<JsonObject> GroupShowAsync(string idOrName, bool includeDatasets, bool includeDatasetCount, CancellationToken ct)
    {
        var group = await db.Groups.AsNoTracking().FirstOrDefaultAsync(g => (g.Id == idOrName || g.Name == idOrName) && g.State != RecordState.Deleted, ct)
            ?? throw CkanException.NotFound("Group not found");
        var datasets = db.Datasets.AsNoTracking().Public().Where(d => d.Groups.Any(x => x.GroupId == group.Id));
        var count = await datasets.CountAsync(ct);
        var dict = JsonSerializer.SerializeToNode(GroupDict.From(group, includeDatasetCount ? count : null), CkanApi.Json)!.AsObject();
        dict["title_en"] = group.TitleEn;
        dict["extras"] = new JsonArray();
        dict["groups"] = new JsonArray();
        dict["tags"] = new JsonArray();
        dict["users"] = UsersArray(await db.GroupRoles.AsNoTracking().Where(r => r.GroupId == group.Id)
            .Join(db.Users.Where(u => u.State == RecordState.Active), r => r.UserId, u => u.Id, (r, u) => new MemberUser(u.Id, u.Name, u.FullName, r.Role))
            .ToListAsync(ct));
        dict["num_followers"] = 0;
        if (includeDatasets)
        {
            var list = await datasets.OrderByDescending(d => d.MetadataModified).Take(CatalogQueries.RowsMax).WithFullPackage().ToListAsync(ct);
            dict["packages"] = JsonSerializer.SerializeToNode(await reader.ToDictsAsync(list, ct), CkanApi.Json);
        }

        return dict;
    }

    /// <summary>
    /// group_package_show: the group's public datasets as package_search gives them (fq groups:NAME; newest change
    /// first; limit default 10, at most 1000). An organization is found too, and has no datasets in this sense.
    /// </summary>
    public async Task<List<PackageDict>> GroupPackageShowAsync(string idOrName, string? limitText, CancellationToken ct)
    {
        var limit = 10;
        if (!string.IsNullOrWhiteSpace(limitText))
        {
            if (!int.TryParse(limitText, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var parsed) || parsed < 0)
            {
                throw new CkanException(409, "Validation Error", "Limit must be a positive integer");
            }

            limit = parsed == 0 ? 10 : Math.Min(parsed, CatalogQueries.RowsMax);
        }

        var group = await db.Groups.AsNoTracking().FirstOrDefaultAsync(g => g.Id == idOrName || g.Name == idOrName, ct);
        if (group is null)
        {
            return await db.Organizations.AnyAsync(o => o.Id == idOrName || o.Name == idOrName, ct) ? [] : throw CkanException.NotFound();
        }

        var list = await db.Datasets.AsNoTracking().Public().Where(d => d.Groups.Any(x => x.GroupId == group.Id))
            .OrderByDescending(d => d.MetadataModified).Take(limit).WithFullPackage().ToListAsync(ct);
        return await reader.ToDictsAsync(list, ct);
    }

    /// <summary>member_roles_list: CKAN's roles (admin, editor, member); a group has no editors.</summary>
    public static JsonArray MemberRoles(string? groupType) =>
        new([.. new[] { (Roles.Admin, "Admin"), (Roles.Editor, "Editor"), (Roles.Member, "Member") }
            .Where(r => groupType != "group" || r.Item1 != Roles.Editor)
            .Select(r => (JsonNode?)new JsonObject { ["text"] = r.Item2, ["value"] = r.Item1 })]);

    /// <summary>
    /// organization_list_for_user: organizations where the user holds a permission (manage_group: admins;
    /// create_dataset, update_dataset, delete_dataset: editors and admins; read: any member). All for a sysadmin.
    /// </summary>
    public async Task<JsonArray> OrganizationListForUserAsync(string? userRef, string permission, bool includeDatasetCount, CancellationToken ct)
    {
        string? userId = user.Id;
        var sysadmin = user.IsSysadmin;
        if (!string.IsNullOrEmpty(userRef))
        {
            var target = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userRef || u.Name == userRef, ct)
                ?? throw CkanException.NotFound("User not found");
            userId = target.Id;
            sysadmin = target.Sysadmin;
        }

        if (userId is null)
        {
            return [];
        }

        string[] allowed = permission switch
        {
            "read" => [Roles.Admin, Roles.Editor, Roles.Member],
            "create_dataset" or "update_dataset" or "delete_dataset" => [Roles.Admin, Roles.Editor],
            _ => [Roles.Admin],
        };
        var roles = await db.OrganizationRoles.AsNoTracking().Where(r => r.UserId == userId).ToDictionaryAsync(r => r.OrganizationId, r => r.Role, ct);
        var orgs = await db.Organizations.AsNoTracking().Where(o => o.State == RecordState.Active).ToListAsync(ct);
        var result = new JsonArray();
        foreach (var o in orgs.Where(o => sysadmin || (roles.TryGetValue(o.Id, out var r) && allowed.Contains(r))).OrderBy(o => o.Title, StringComparer.Ordinal))
        {
            int? count = includeDatasetCount ? await db.Datasets.Active().CountAsync(d => d.OwnerOrgId == o.Id, ct) : null;
            var dict = JsonSerializer.SerializeToNode(OrganizationDict.From(o, count), CkanApi.Json)!.AsObject();
            dict["capacity"] = sysadmin ? Roles.Admin : roles[o.Id];
            result.Add(dict);
        }

        return result;
    }

    private sealed record MemberUser(string Id, string Name, string FullName, string Role);

    /// <summary>The "users" of organization_show and group_show: members by name, with their capacity.</summary>
    private static JsonArray UsersArray(List<MemberUser> members) =>
        new([.. members.OrderBy(m => m.Name, StringComparer.Ordinal).Select(m => (JsonNode?)new JsonObject
        {
            ["id"] = m.Id,
            ["name"] = m.Name,
            ["fullname"] = m.FullName,
            ["display_name"] = string.IsNullOrEmpty(m.FullName) ? m.Name : m.FullName,
            ["capacity"] = m.Role,
        })]);
}
