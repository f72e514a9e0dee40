using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OpenGov.Accounts;
using OpenGov.Catalog.Editing;
using OpenGov.Ckan;
using OpenGov.Storage;

namespace OpenGov.Catalog;

/// <summary>
/// The simple dataset read actions (package_list, current_package_list_with_resources, resource_show, tag_list,
/// package_activity_list), with CKAN's parameters, defaults and limits. package_show is <see cref="CatalogReader"/>.
/// </summary>
public sealed class CatalogQueries(OpenGovDb db, CurrentUser user, CatalogReader reader, PackageAuth auth, IResourceDataHooks dataHooks)
{
    /// <summary>ckan.search.rows_max.</summary>
    public const int RowsMax = 1000;

    /// <summary>ckan.activity_list_limit and ckan.activity_list_limit_max.</summary>
    public const int ActivityLimit = 31;
    public const int ActivityLimitMax = 100;

    /// <summary>package_list: names of active public datasets, by name.</summary>
    public async Task<List<string>> PackageListAsync(int? limit, int offset, CancellationToken ct)
    {
        var q = db.Datasets.AsNoTracking().Public().Where(d => d.Type == "dataset")
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
        var datasets = await db.Datasets.AsNoTracking().Active()
            .Where(d => includePrivate || !d.Private)
            .OrderByDescending(d => d.MetadataModified).ThenBy(d => d.Id)
            .Skip(offset).Take(limit)
            .WithFullPackage()
            .ToListAsync(ct);
        return await reader.ToDictsAsync(datasets, ct);
    }

    /// <summary>resource_show.</summary>
    public async Task<ResourceDict> ResourceShowAsync(string id, CancellationToken ct)
    {
        var r = await db.Resources.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id && x.State != RecordState.Deleted, ct)
            ?? throw CkanException.NotFound("Resource was not found.");
        var d = await db.Datasets.AsNoTracking().FirstAsync(x => x.Id == r.DatasetId, ct);
        await auth.ReadResourceAsync(d, r.Id, ct);

        var active = await dataHooks.DataStoreActiveAsync([r.Id], ct);
        return ResourceDict.From(r, reader.SiteUrl, active.Contains(r.Id));
    }

    /// <summary>tag_list: names of tags on active public datasets, optionally matching query; dicts with all_fields.</summary>
    public async Task<JsonNode> TagListAsync(string? query, bool allFields, bool hasVocabulary, CancellationToken ct)
    {
        if (hasVocabulary)
        {
            return new JsonArray();
        }

        var tags = db.Tags.AsNoTracking().Where(t => db.DatasetTags.Any(dt => dt.TagId == t.Id && db.Datasets.Public().Any(d => d.Id == dt.DatasetId)));
        var list = await tags.Select(t => new { t.Id, t.Name }).ToListAsync(ct);
        var q = query?.Trim();
        var filtered = list.Where(t => string.IsNullOrEmpty(q) || t.Name.Contains(q, StringComparison.OrdinalIgnoreCase)).OrderBy(t => t.Name, StringComparer.Ordinal);
        return allFields
            ? new JsonArray([.. filtered.Select(t => (JsonNode?)new JsonObject { ["id"] = t.Id, ["name"] = t.Name, ["display_name"] = t.Name, ["vocabulary_id"] = null })])
            : new JsonArray([.. filtered.Select(t => (JsonNode?)JsonValue.Create(t.Name))]);
    }


    /// <summary>package_activity_list: newest first; whoever may read the dataset may read its history.</summary>
    public async Task<JsonArray> PackageActivityListAsync(string idOrName, int offset, int limit, CancellationToken ct)
    {
        var d = await db.Datasets.AsNoTracking().ByIdOrName(idOrName).FirstOrDefaultAsync(ct)
            ?? throw CkanException.NotFound("Package not found");
        await auth.ReadPackageAsync(d, ct);

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
