using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenGov.Accounts;
using OpenGov.Ckan;
using OpenGov.Hosting;
using OpenGov.Storage;

namespace OpenGov.Catalog.Editing;

/// <summary>
/// package_create, package_update, package_patch and package_delete, for the Action API and the publisher screens
/// alike (so validation and authorisation are identical). Each action checks <see cref="PackageAuth"/> first, reads
/// the dict by <see cref="PackageSchema"/> and <see cref="ResourceSchema"/>, and writes through
/// <see cref="PackageWriter"/> (all-or-nothing). Errors are <see cref="CkanException"/>s.
/// </summary>
public sealed class PackageEditor(OpenGovDb db, CurrentUser user, PackageWriter writer, PackageAuth auth, UploadStore uploads, IOptions<OpenGovOptions> options)
{
    /// <summary>package_create.</summary>
    public async Task<PackageDict> CreateAsync(JsonObject data, CancellationToken ct)
    {
        await auth.CreatePackageAsync(ct);
        var errors = new ValidationErrors();
        var ownerOrg = DictReader.Str(data, "owner_org", errors);
        Organization? org = null;
        if (!string.IsNullOrWhiteSpace(ownerOrg))
        {
            org = await FindOrganizationAsync(ownerOrg.Trim(), ct);
            await auth.AddPackageToAsync(org, ct);
        }

        var groups = await ResolveGroupsAsync(data, errors, ct);
        var dataset = new Dataset { Name = "", OwnerOrgId = org?.Id ?? "", CreatorUserId = user.Id };
        if (await SuppliedIds.ReadAsync(data, user.IsSysadmin, id => db.Datasets.AnyAsync(x => x.Id == id, ct), "Dataset id already exists", errors) is { } suppliedId)
        {
            dataset.Id = suppliedId;
        }

        await PackageSchema.ApplyAsync(new PackageInput(data, ownerOrg, org, IsNew: true, db, auth), dataset, errors, ct);
        var resources = ResourceSchema.ReadInline(data, errors, dataset, existing: null, writer);
        var tags = PackageSchema.ReadTags(data, errors);
        options.Value.PackageLimits.Check(dataset, resources, tags, before: null, errors);
        errors.ThrowIfAny();
        await FreeResourceIdsAsync(dataset, resources, ct);

        return await writer.WriteAsync(dataset, "new package", async () =>
        {
            await ReleaseNameOfDeletedAsync(dataset.Name, dataset.Id, ct);
            db.Datasets.Add(dataset);
            await SetTagsAsync(dataset, tags ?? [], ct);
            SetGroups(dataset, groups ?? []);
            ResourceSchema.Replace(dataset, resources ?? [], writer);
        }, ct);
    }

    /// <summary>package_update (replaces the dataset by the dict) or package_patch (only the keys given change).</summary>
    public Task<PackageDict> UpdateAsync(JsonObject data, bool patch, CancellationToken ct) => UpdateAsync(data, patch, files: null, ct);

    /// <summary>
    /// package_update with files for some of the dict's resources (by their position in its resources list), stored
    /// as resource_update stores an upload: all files and the change together, or nothing.
    /// </summary>
    public async Task<PackageDict> UpdateAsync(JsonObject data, bool patch, IReadOnlyDictionary<int, IFormFile>? files, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var idOrName = DictReader.Str(data, "id", errors) is { Length: > 0 } i ? i : DictReader.Str(data, "name", errors);
        if (string.IsNullOrWhiteSpace(idOrName))
        {
            throw CkanException.Missing("id");
        }

        var dataset = await writer.LoadTrackedAsync(idOrName, ct) ?? throw CkanException.NotFound("Package was not found.");
        await auth.UpdatePackageAsync(dataset, ct);

        if (patch)
        {
            var current = await writer.CurrentDictAsync(dataset, ct);
            foreach (var (key, value) in data)
            {
                current[key] = value?.DeepClone();
            }

            current["id"] = dataset.Id;
            data = current;
        }

        var ownerOrg = DictReader.Str(data, "owner_org", errors);
        Organization? org = null;
        if (!string.IsNullOrWhiteSpace(ownerOrg))
        {
            org = await FindOrganizationAsync(ownerOrg.Trim(), ct);
        }

        var groups = await ResolveGroupsAsync(data, errors, ct);
        await PackageSchema.ApplyAsync(new PackageInput(data, ownerOrg, org, IsNew: false, db, auth), dataset, errors, ct);
        var resources = ResourceSchema.ReadInline(data, errors, dataset, dataset.Resources, writer, files?.Keys.ToHashSet());
        if (files?.Values.Any(f => f.Length > uploads.MaxBytes) == true)
        {
            throw UploadStore.TooLarge();
        }

        var tags = PackageSchema.ReadTags(data, errors);
        options.Value.PackageLimits.Check(dataset, resources, tags, before: dataset, errors); // resources and tags are not replaced yet
        errors.ThrowIfAny();
        await FreeResourceIdsAsync(dataset, resources, ct);
        await StoreFilesAsync(data, resources ?? [], files, ct);

        return await writer.WriteAsync(dataset, "changed package", async () =>
        {
            await ReleaseNameOfDeletedAsync(dataset.Name, dataset.Id, ct);
            await SetTagsAsync(dataset, tags ?? [], ct);
            SetGroups(dataset, groups ?? []);
            ResourceSchema.Replace(dataset, resources ?? [], writer);
        }, ct);
    }

    /// <summary>package_delete: the dataset is marked deleted (kept for its history).</summary>
    public async Task DeleteAsync(string idOrName, CancellationToken ct)
    {
        var dataset = await writer.LoadTrackedAsync(idOrName, ct) ?? throw CkanException.NotFound("Package was not found.");
        await auth.DeletePackageAsync(dataset, ct);
        await writer.WriteAsync(dataset, "deleted package", () =>
        {
            dataset.State = RecordState.Deleted;
            return Task.CompletedTask;
        }, ct);
    }

    /// <summary>
    /// dataset_purge (sysadmins): the dataset is removed for good, with its resources, files, DataStore tables,
    /// group memberships and history (CKAN's purge; a deleted dataset may be purged too).
    /// </summary>
    public async Task PurgeAsync(string idOrName, CancellationToken ct)
    {
        var dataset = await writer.LoadTrackedAsync(idOrName, ct) ?? throw CkanException.NotFound("Dataset was not found");
        auth.PurgePackage();
        if (!await RemoveForGoodAsync(dataset, ct))
        {
            throw CkanException.NotFound("Dataset was not found");
        }
    }

    /// <summary>
    /// The purge itself (dataset_purge, harvest_source_clear): the tracked dataset removed in its own transaction, then
    /// its files, tables and index entry. False when another request purged it first.
    /// </summary>
    private async Task<bool> RemoveForGoodAsync(Dataset dataset, CancellationToken ct)
    {
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await writer.RemoveDatasetsAsync([dataset], ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return false;
        }

        await writer.AfterRemovedAsync([dataset], ct);
        return true;
    }

    /// <summary>
    /// A harvest job's write (the Harvest room): creates or replaces a dataset by a dict from another catalog, keeping
    /// its id and name, in the harvest source's organization, marked with the source. There is no caller to authorise
    /// (the job runs for a source a sysadmin registered), but the dict goes through the same schema, limits and
    /// all-or-nothing write as package_create and package_update. An id held by a dataset that is not this source's
    /// (published here, or another source's) is refused, never overwritten. Answers whether the dataset is new.
    /// </summary>
    public async Task<bool> HarvestAsync(JsonObject data, Organization org, string sourceId, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var id = DictReader.Str(data, "id", errors)?.Trim();
        if (string.IsNullOrEmpty(id) || !SuppliedIds.IsValid(id))
        {
            throw CkanException.Validation("id", "Invalid id: " + id);
        }

        var existing = await db.Datasets.WithFullPackage().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (existing is not null && existing.HarvestSourceId != sourceId)
        {
            throw CkanException.Validation("id", "Dataset id already exists");
        }

        var dataset = existing ?? new Dataset { Id = id, Name = "", OwnerOrgId = org.Id, HarvestSourceId = sourceId };
        dataset.OwnerOrgId = org.Id; // the source's organization (an existing one moves with its source)
        data["owner_org"] = org.Id;
        await PackageSchema.ApplyAsync(new PackageInput(data, org.Id, org, IsNew: existing is null, db, auth), dataset, errors, ct);
        var resources = ResourceSchema.ReadInline(data, errors, dataset, existing?.Resources, writer);
        var tags = PackageSchema.ReadTags(data, errors);
        options.Value.PackageLimits.Check(dataset, resources, tags, before: existing, errors);
        errors.ThrowIfAny();
        await FreeResourceIdsAsync(dataset, resources, ct);

        await writer.WriteAsync(dataset, existing is null ? "new package" : "changed package", async () =>
        {
            await ReleaseNameOfDeletedAsync(dataset.Name, dataset.Id, ct);
            if (existing is null)
            {
                db.Datasets.Add(dataset);
            }

            await SetTagsAsync(dataset, tags ?? [], ct);
            SetGroups(dataset, []);
            ResourceSchema.Replace(dataset, resources ?? [], writer);
        }, ct);
        return existing is null;
    }

    /// <summary>
    /// A harvest job withdraws a dataset its source no longer has: marked deleted, as package_delete does. Only a
    /// dataset of that source that is not deleted yet; answers whether it was withdrawn.
    /// </summary>
    public async Task<bool> WithdrawHarvestedAsync(string id, string sourceId, CancellationToken ct)
    {
        var dataset = await db.Datasets.WithFullPackage().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (dataset is null || dataset.HarvestSourceId != sourceId || dataset.State == RecordState.Deleted)
        {
            return false;
        }

        await writer.WriteAsync(dataset, "deleted package", () =>
        {
            dataset.State = RecordState.Deleted;
            return Task.CompletedTask;
        }, ct);
        return true;
    }

    /// <summary>
    /// harvest_source_clear (the Harvest room): a source's datasets, in every state, are purged as dataset_purge does
    /// (resources, files, DataStore tables, history and the search index), each in its own transaction, as
    /// ckanext-harvest deletes them. The caller authorises (the source's managers). Answers how many went.
    /// </summary>
    public async Task<int> PurgeHarvestedAsync(string sourceId, CancellationToken ct)
    {
        var ids = await db.Datasets.AsNoTracking().Where(d => d.HarvestSourceId == sourceId).Select(d => d.Id).ToListAsync(ct);
        var purged = 0;
        foreach (var id in ids)
        {
            var dataset = await db.Datasets.WithFullPackage().FirstOrDefaultAsync(d => d.Id == id && d.HarvestSourceId == sourceId, ct);
            if (dataset is not null && await RemoveForGoodAsync(dataset, ct))
            {
                purged++;
            }

            db.ChangeTracker.Clear();
        }

        return purged;
    }

    /// <summary>
    /// Stores the files of the dict's resources staged (the dataset's write moves them into place once committed and
    /// drops them when it fails); a file that cannot be stored drops those stored before it.
    /// </summary>
    private async Task StoreFilesAsync(JsonObject data, List<Resource> resources, IReadOnlyDictionary<int, IFormFile>? files, CancellationToken ct)
    {
        if (files is not { Count: > 0 })
        {
            return;
        }

        var dicts = DictReader.List(data, "resources", new ValidationErrors()) ?? [];
        var stored = new List<StoredUpload>();
        try
        {
            foreach (var (i, file) in files.Where(f => f.Key < resources.Count).OrderBy(f => f.Key))
            {
                var s = await uploads.SaveAsync(resources[i].Id, file, ct, staged: true);
                stored.Add(s);
                ResourceSchema.ApplyUpload(resources[i], s, dicts[i] as JsonObject ?? []);
            }
        }
        catch
        {
            foreach (var s in stored)
            {
                uploads.Discard(s);
            }

            throw;
        }

        foreach (var s in stored)
        {
            writer.PromoteOnCommit(s);
        }
    }

    /// <summary>
    /// New inline resources keep the ids they came with (a dump loaded elsewhere); one used by another resource
    /// anywhere gets a fresh id instead, as before ids were kept.
    /// </summary>
    private async Task FreeResourceIdsAsync(Dataset dataset, List<Resource>? resources, CancellationToken ct)
    {
        var added = (resources ?? []).Where(r => !dataset.Resources.Contains(r)).ToList();
        var ids = added.Select(r => r.Id).ToList();
        var taken = ids.Count == 0 ? [] : await db.Resources.AsNoTracking().Where(r => ids.Contains(r.Id)).Select(r => r.Id).ToListAsync(ct);
        var seen = new HashSet<string>(taken, StringComparer.Ordinal);
        foreach (var r in added)
        {
            if (!seen.Add(r.Id))
            {
                r.Id = Guid.NewGuid().ToString();
            }
        }
    }

    private Task<Organization?> FindOrganizationAsync(string idOrName, CancellationToken ct) =>
        db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => (o.Id == idOrName || o.Name == idOrName) && o.State == RecordState.Active, ct);

    /// <summary>A deleted dataset keeps its row; its name is freed (renamed to its id) when reused.</summary>
    private async Task ReleaseNameOfDeletedAsync(string name, string selfId, CancellationToken ct)
    {
        var holder = await db.Datasets.FirstOrDefaultAsync(d => d.Name == name && d.Id != selfId && d.State == RecordState.Deleted, ct);
        if (holder is not null)
        {
            holder.Name = holder.Id;
        }
    }

    /// <summary>The groups named in the dict; every one must exist (CKAN: 404 "Group was not found.").</summary>
    private async Task<List<Group>?> ResolveGroupsAsync(JsonObject data, ValidationErrors errors, CancellationToken ct)
    {
        if (PackageSchema.ReadGroupRefs(data, errors) is not { } refs)
        {
            return null;
        }

        var groups = new List<Group>();
        foreach (var r in refs)
        {
            var g = await db.Groups.FirstOrDefaultAsync(x => (x.Id == r || x.Name == r) && x.State == RecordState.Active, ct)
                ?? throw CkanException.NotFound("Group was not found.");
            if (!groups.Contains(g))
            {
                groups.Add(g);
            }
        }

        return groups;
    }

    private async Task SetTagsAsync(Dataset d, List<string> names, CancellationToken ct)
    {
        var existing = names.Count == 0 ? [] : await db.Tags.Where(t => names.Contains(t.Name)).ToDictionaryAsync(t => t.Name, StringComparer.Ordinal, ct);
        d.Tags.RemoveAll(t => t.Tag is null || !names.Contains(t.Tag.Name));
        foreach (var name in names)
        {
            if (d.Tags.Any(t => t.Tag?.Name == name))
            {
                continue;
            }

            if (!existing.TryGetValue(name, out var tag))
            {
                tag = new Tag { Name = name };
                db.Tags.Add(tag);
                existing[name] = tag;
            }

            d.Tags.Add(new DatasetTag { DatasetId = d.Id, TagId = tag.Id, Tag = tag });
        }
    }

    private static void SetGroups(Dataset d, List<Group> groups)
    {
        d.Groups.RemoveAll(x => !groups.Any(g => g.Id == x.GroupId));
        foreach (var g in groups.Where(g => d.Groups.All(x => x.GroupId != g.Id)))
        {
            d.Groups.Add(new DatasetGroup { DatasetId = d.Id, GroupId = g.Id, Group = g });
        }
    }
}
