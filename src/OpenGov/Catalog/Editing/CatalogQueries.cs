using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OpenGov.Accounts;
using OpenGov.Catalog.Ckan;
using OpenGov.Storage;

namespace OpenGov.Catalog.Editing;

/// <summary>The simple read actions (lists, shows, activity), with CKAN's parameters, defaults and limits.</summary>
public sealed class CatalogQueries(OpenGovDb db, CurrentUser user, CatalogReader reader, IResourceDataHooks dataHooks)
{
    /// <summary>ckan.group_and_organization_list_max and ..._all_fields_max.</summary>
    public const int GroupListMax = 1000;
    public const int GroupListAllFieldsMax = 25;

    /// <summary>ckan.search.rows_max.</summary>
    public const int RowsMax = 1000;

    /// <summary>ckan.activity_list_limit and ckan.activity_list_limit_max.</summary>
    public const int ActivityLimit = 31;
    public const int ActivityLimitMax = 100;

    private string UserLabel => user.Name ?? "not logged in";

    /// <summary>package_list: names of active public datasets, by name.</summary>
    public async Task<List<string>> PackageListAsync(int? limit, int offset, CancellationToken ct)
    {
        var q = db.Datasets.AsNoTracking().Where(d => d.State == "active" && !d.Private && d.Type == "dataset")
            .OrderBy(d => d.Name).Select(d => d.Name).Skip(offset);
        if (limit is { } l)
        {
            q = q.Take(l);
        }

        return await q.ToListAsync(ct);
    }

    /// <summary>current_package_list_with_resources: full dicts, most recently modified first (private ones for sysadmins only, as CKAN).</summary>
    public async Task<List<PackageDict>> CurrentPackagesAsync(int limit, int offset, CancellationToken ct)
    {
        var includePrivate = user.IsSysadmin;
        var datasets = await db.Datasets.AsNoTracking().AsSplitQuery()
            .Where(d => d.State == "active" && (includePrivate || !d.Private))
            .OrderByDescending(d => d.MetadataModified).ThenBy(d => d.Id)
            .Skip(offset).Take(limit)
            .Include(d => d.Resources)
            .Include(d => d.Tags).ThenInclude(t => t.Tag)
            .Include(d => d.Groups).ThenInclude(g => g.Group)
            .Include(d => d.Extras)
            .ToListAsync(ct);
        return await ToDictsAsync(datasets, ct);
    }

    private async Task<List<PackageDict>> ToDictsAsync(List<Dataset> datasets, CancellationToken ct)
    {
        var orgIds = datasets.Select(d => d.OwnerOrgId).Distinct().ToList();
        var orgs = await db.Organizations.AsNoTracking().Where(o => orgIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, ct);
        var active = await dataHooks.DataStoreActiveAsync(datasets, ct);
        return [.. datasets.Select(d => PackageDict.From(d, orgs.GetValueOrDefault(d.OwnerOrgId), reader.SiteUrl, active))];
    }

    /// <summary>resource_show.</summary>
    public async Task<ResourceDict> ResourceShowAsync(string id, CancellationToken ct)
    {
        var r = await db.Resources.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id && x.State != "deleted", ct)
            ?? throw CkanException.NotFound("Resource was not found.");
        var d = await db.Datasets.AsNoTracking().FirstAsync(x => x.Id == r.DatasetId, ct);
        if (!await reader.CanSeeAsync(d, ct))
        {
            throw CkanException.Forbidden($"User {UserLabel} not authorized to read resource {r.Id}");
        }

        var active = await dataHooks.DataStoreActiveAsync([r.Id], ct);
        return ResourceDict.From(r, reader.SiteUrl, active.Contains(r.Id));
    }

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
            rows = await db.Organizations.AsNoTracking().Where(o => o.State == "active")
                .Select(o => new GroupRow(o.Id, o.Name, o.Title, o.Description,
                    db.Datasets.Count(d => d.OwnerOrgId == o.Id && d.State == "active" && !d.Private)))
                .ToListAsync(ct);
        }
        else
        {
            rows = await db.Groups.AsNoTracking().Where(g => g.State == "active")
                .Select(g => new GroupRow(g.Id, g.Name, g.Title, g.Description,
                    db.DatasetGroups.Count(x => x.GroupId == g.Id && db.Datasets.Any(d => d.Id == x.DatasetId && d.State == "active" && !d.Private))))
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
        var org = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => (o.Id == idOrName || o.Name == idOrName) && o.State != "deleted", ct)
            ?? throw CkanException.NotFound("Organization not found");
        var canSeePrivate = await user.CanReadPrivateAsync(org.Id, ct);
        var datasets = db.Datasets.AsNoTracking().Where(d => d.OwnerOrgId == org.Id && d.State == "active" && (canSeePrivate || !d.Private));
        var count = await datasets.CountAsync(ct);
        var dict = JsonSerializer.SerializeToNode(OrganizationDict.From(org, includeDatasetCount ? count : null), CkanApi.Json)!.AsObject();
        dict["title_en"] = org.TitleEn;
        dict["extras"] = new JsonArray();
        dict["groups"] = new JsonArray();
        dict["tags"] = new JsonArray();
        dict["num_followers"] = 0;
        if (includeUsers)
        {
            var members = await db.Memberships.AsNoTracking().Where(m => m.OrganizationId == org.Id)
                .Join(db.Users.Where(u => u.State == "active"), m => m.UserId, u => u.Id, (m, u) => new { u.Id, u.Name, u.FullName, m.Capacity })
                .ToListAsync(ct);
            dict["users"] = new JsonArray([.. members.OrderBy(m => m.Name, StringComparer.Ordinal).Select(m => (JsonNode?)new JsonObject
            {
                ["id"] = m.Id,
                ["name"] = m.Name,
                ["fullname"] = m.FullName,
                ["display_name"] = string.IsNullOrEmpty(m.FullName) ? m.Name : m.FullName,
                ["capacity"] = m.Capacity,
            })]);
        }

        if (includeDatasets)
        {
            var list = await datasets.AsSplitQuery().OrderByDescending(d => d.MetadataModified).Take(RowsMax)
                .Include(d => d.Resources).Include(d => d.Tags).ThenInclude(t => t.Tag).Include(d => d.Groups).ThenInclude(g => g.Group).Include(d => d.Extras)
                .ToListAsync(ct);
            dict["packages"] = JsonSerializer.SerializeToNode(await ToDictsAsync(list, ct), CkanApi.Json);
        }

        return dict;
    }

    /// <summary>group_show.</summary>
    public async Task<JsonObject> GroupShowAsync(string idOrName, bool includeDatasets, bool includeDatasetCount, CancellationToken ct)
    {
        var group = await db.Groups.AsNoTracking().FirstOrDefaultAsync(g => (g.Id == idOrName || g.Name == idOrName) && g.State != "deleted", ct)
            ?? throw CkanException.NotFound("Group not found");
        var datasets = db.Datasets.AsNoTracking().Where(d => d.State == "active" && !d.Private && d.Groups.Any(x => x.GroupId == group.Id));
        var count = await datasets.CountAsync(ct);
        var dict = JsonSerializer.SerializeToNode(GroupDict.From(group, includeDatasetCount ? count : null), CkanApi.Json)!.AsObject();
        dict["title_en"] = group.TitleEn;
        dict["extras"] = new JsonArray();
        dict["groups"] = new JsonArray();
        dict["tags"] = new JsonArray();
        dict["users"] = new JsonArray();
        dict["num_followers"] = 0;
        if (includeDatasets)
        {
            var list = await datasets.AsSplitQuery().OrderByDescending(d => d.MetadataModified).Take(RowsMax)
                .Include(d => d.Resources).Include(d => d.Tags).ThenInclude(t => t.Tag).Include(d => d.Groups).ThenInclude(g => g.Group).Include(d => d.Extras)
                .ToListAsync(ct);
            dict["packages"] = JsonSerializer.SerializeToNode(await ToDictsAsync(list, ct), CkanApi.Json);
        }

        return dict;
    }

    /// <summary>tag_list: names of tags on active public datasets, optionally matching query; dicts with all_fields.</summary>
    public async Task<JsonNode> TagListAsync(string? query, bool allFields, bool hasVocabulary, CancellationToken ct)
    {
        if (hasVocabulary)
        {
            return new JsonArray();
        }

        var tags = db.Tags.AsNoTracking().Where(t => db.DatasetTags.Any(dt => dt.TagId == t.Id && db.Datasets.Any(d => d.Id == dt.DatasetId && d.State == "active" && !d.Private)));
        var list = await tags.Select(t => new { t.Id, t.Name }).ToListAsync(ct);
        var q = query?.Trim();
        var filtered = list.Where(t => string.IsNullOrEmpty(q) || t.Name.Contains(q, StringComparison.OrdinalIgnoreCase)).OrderBy(t => t.Name, StringComparer.Ordinal);
        return allFields
            ? new JsonArray([.. filtered.Select(t => (JsonNode?)new JsonObject { ["id"] = t.Id, ["name"] = t.Name, ["display_name"] = t.Name, ["vocabulary_id"] = null })])
            : new JsonArray([.. filtered.Select(t => (JsonNode?)JsonValue.Create(t.Name))]);
    }

    /// <summary>user_show: e-mail only to the user themself and sysadmins.</summary>
    public async Task<JsonObject> UserShowAsync(string idOrName, bool includeDatasets, CancellationToken ct)
    {
        var u = await db.Users.AsNoTracking().FirstOrDefaultAsync(x => x.Id == idOrName || x.Name == idOrName, ct)
            ?? throw CkanException.NotFound("User not found");
        var self = user.Id == u.Id;
        var privileged = self || user.IsSysadmin;
        var created = db.Datasets.AsNoTracking().Where(d => d.CreatorUserId == u.Id && d.State == "active" && (privileged || !d.Private));
        var dict = new JsonObject
        {
            ["id"] = u.Id,
            ["name"] = u.Name,
            ["fullname"] = u.FullName,
            ["display_name"] = string.IsNullOrEmpty(u.FullName) ? u.Name : u.FullName,
            ["about"] = u.About,
            ["created"] = CkanTime.Format(u.Created),
            ["sysadmin"] = u.Sysadmin,
            ["state"] = u.State,
            ["image_url"] = "",
            ["image_display_url"] = "",
            ["email_hash"] = EmailHash(u.Email),
            ["number_created_packages"] = await created.CountAsync(ct),
            ["activity_streams_email_notifications"] = false,
        };
        if (privileged)
        {
            dict["email"] = u.Email;
        }

        if (includeDatasets)
        {
            var list = await created.AsSplitQuery().OrderByDescending(d => d.MetadataModified).Take(RowsMax)
                .Include(d => d.Resources).Include(d => d.Tags).ThenInclude(t => t.Tag).Include(d => d.Groups).ThenInclude(g => g.Group).Include(d => d.Extras)
                .ToListAsync(ct);
            dict["datasets"] = JsonSerializer.SerializeToNode(await ToDictsAsync(list, ct), CkanApi.Json);
        }

        return dict;
    }

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

        string[] capacities = permission switch
        {
            "read" => [Capacity.Admin, Capacity.Editor, Capacity.Member],
            "create_dataset" or "update_dataset" or "delete_dataset" => [Capacity.Admin, Capacity.Editor],
            _ => [Capacity.Admin],
        };
        var memberships = await db.Memberships.AsNoTracking().Where(m => m.UserId == userId).ToDictionaryAsync(m => m.OrganizationId, m => m.Capacity, ct);
        var orgs = await db.Organizations.AsNoTracking().Where(o => o.State == "active").ToListAsync(ct);
        var result = new JsonArray();
        foreach (var o in orgs.Where(o => sysadmin || (memberships.TryGetValue(o.Id, out var c) && capacities.Contains(c))).OrderBy(o => o.Title, StringComparer.Ordinal))
        {
            int? count = includeDatasetCount ? await db.Datasets.CountAsync(d => d.OwnerOrgId == o.Id && d.State == "active", ct) : null;
            var dict = JsonSerializer.SerializeToNode(OrganizationDict.From(o, count), CkanApi.Json)!.AsObject();
            dict["capacity"] = sysadmin ? Capacity.Admin : memberships[o.Id];
            result.Add(dict);
        }

        return result;
    }

    /// <summary>CKAN's email_hash (Gravatar's MD5 of the lower-cased address); not a security use.</summary>
#pragma warning disable CA5351
    private static string EmailHash(string email) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant())));
#pragma warning restore CA5351

    /// <summary>package_activity_list: newest first; whoever may read the dataset may read its history.</summary>
    public async Task<JsonArray> PackageActivityListAsync(string idOrName, int offset, int limit, CancellationToken ct)
    {
        var d = await db.Datasets.AsNoTracking().FirstOrDefaultAsync(x => x.Id == idOrName || x.Name == idOrName, ct)
            ?? throw CkanException.NotFound("Package not found");
        if (!await reader.CanSeeAsync(d, ct))
        {
            throw CkanException.Forbidden($"User {UserLabel} not authorized to read package {d.Name}");
        }

        var rows = await db.Activities.AsNoTracking().Where(a => a.ObjectId == d.Id)
            .OrderByDescending(a => a.Timestamp).ThenByDescending(a => a.Id)
            .Skip(offset).Take(limit).ToListAsync(ct);
        var result = new JsonArray();
        foreach (var a in rows)
        {
            JsonNode? data;
            try
            {
                data = JsonNode.Parse(a.Data);
            }
            catch (JsonException)
            {
                data = new JsonObject();
            }

            result.Add(new JsonObject
            {
                ["id"] = a.Id,
                ["timestamp"] = CkanTime.Format(a.Timestamp),
                ["user_id"] = a.UserId,
                ["object_id"] = a.ObjectId,
                ["activity_type"] = a.ActivityType,
                ["data"] = data,
            });
        }

        return result;
    }
}
