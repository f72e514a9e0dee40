using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OpenGov.Accounts;
using OpenGov.Catalog.Ckan;
using OpenGov.Catalog.Search;
using OpenGov.Storage;

namespace OpenGov.Catalog.Editing;

/// <summary>
/// Every change to datasets and resources, for the Action API and the publisher screens alike (so validation and
/// authorisation are identical). Each call is all-or-nothing: one transaction, the search index updated inside it,
/// and an activity row with the dataset's snapshot. Errors are <see cref="CkanException"/>s.
/// </summary>
public sealed class CatalogEditor(OpenGovDb db, CurrentUser user, ISearchIndexer indexer, UploadStore uploads, IHttpContextAccessor http, IResourceDataHooks dataHooks)
{
    /// <summary>Top-level keys of a package dict; an extra may not reuse them.</summary>
    private static readonly HashSet<string> PackageFields =
    [
        "id", "name", "title", "notes", "url", "version", "author", "author_email", "maintainer", "maintainer_email",
        "license_id", "owner_org", "private", "state", "type", "tags", "groups", "extras", "resources", "tag_string",
        "metadata_created", "metadata_modified", "creator_user_id", "organization", "num_resources", "num_tags",
    ];

    /// <summary>Resource keys kept as columns or computed; all other keys are kept as the resource's extras.</summary>
    private static readonly HashSet<string> ResourceFields =
    [
        "id", "package_id", "url", "name", "description", "format", "mimetype", "size", "hash", "url_type", "position",
        "state", "created", "last_modified", "metadata_modified", "datastore_active", "cache_url", "mimetype_inner",
        "resource_type", "upload", "clear_upload", "cache_last_updated",
    ];

    /// <summary>Resources whose stored files go once the current change is committed.</summary>
    private readonly List<string> _filesToDelete = [];

    private string SiteUrl => http.HttpContext is { } ctx ? CkanApi.SiteUrl(ctx) : "";

    private string UserLabel => user.Name ?? "not logged in";

    // ------------------------------------------------------------------ packages

    /// <summary>package_create.</summary>
    public async Task<PackageDict> CreatePackageAsync(JsonObject data, CancellationToken ct)
    {
        if (!user.IsAuthenticated || (!user.IsSysadmin && (await user.EditableOrganizationIdsAsync(ct)).Count == 0))
        {
            throw CkanException.Forbidden($"User {UserLabel} not authorized to create packages");
        }

        var errors = new ValidationErrors();
        var ownerOrg = DictReader.Str(data, "owner_org", errors);
        Organization? org = null;
        if (!string.IsNullOrWhiteSpace(ownerOrg))
        {
            org = await FindOrganizationAsync(ownerOrg.Trim(), ct);
            if (!user.IsSysadmin && (org is null || !await user.CanEditDatasetsAsync(org.Id, ct)))
            {
                throw CkanException.Forbidden($"User {UserLabel} not authorized to add dataset to this organization");
            }
        }

        var groups = await ResolveGroupsAsync(data, errors, ct);
        var dataset = new Dataset { Name = "", OwnerOrgId = org?.Id ?? "", CreatorUserId = user.Id };
        await ApplyPackageAsync(dataset, data, org, ownerOrg, isNew: true, errors, ct);
        var resources = ReadResources(data, errors, dataset, existing: null);
        var tags = ReadTags(data, errors);
        errors.ThrowIfAny();

        return await WriteAsync(dataset, "new package", async () =>
        {
            await ReleaseNameOfDeletedAsync(dataset.Name, dataset.Id, ct);
            db.Datasets.Add(dataset);
            await SetTagsAsync(dataset, tags ?? [], ct);
            SetGroups(dataset, groups ?? []);
            ApplyResources(dataset, resources ?? []);
        }, ct);
    }

    /// <summary>package_update (replaces the dataset by the dict) or package_patch (only the keys given change).</summary>
    public async Task<PackageDict> UpdatePackageAsync(JsonObject data, bool patch, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var idOrName = DictReader.Str(data, "id", errors) is { Length: > 0 } i ? i : DictReader.Str(data, "name", errors);
        if (string.IsNullOrWhiteSpace(idOrName))
        {
            throw CkanException.Missing("id");
        }

        var dataset = await LoadTrackedAsync(idOrName, ct) ?? throw CkanException.NotFound("Package was not found.");
        if (!await user.CanEditDatasetsAsync(dataset.OwnerOrgId, ct))
        {
            throw CkanException.Forbidden($"User {UserLabel} not authorized to edit package {dataset.Id}");
        }

        if (patch)
        {
            var current = await CurrentDictAsync(dataset, ct);
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
        await ApplyPackageAsync(dataset, data, org, ownerOrg, isNew: false, errors, ct);
        var resources = ReadResources(data, errors, dataset, dataset.Resources);
        var tags = ReadTags(data, errors);
        errors.ThrowIfAny();

        return await WriteAsync(dataset, "changed package", async () =>
        {
            await ReleaseNameOfDeletedAsync(dataset.Name, dataset.Id, ct);
            await SetTagsAsync(dataset, tags ?? [], ct);
            SetGroups(dataset, groups ?? []);
            ApplyResources(dataset, resources ?? []);
        }, ct);
    }

    /// <summary>package_delete: the dataset is marked deleted (kept for its history).</summary>
    public async Task DeletePackageAsync(string idOrName, CancellationToken ct)
    {
        var dataset = await LoadTrackedAsync(idOrName, ct) ?? throw CkanException.NotFound("Package was not found.");
        if (!await user.CanEditDatasetsAsync(dataset.OwnerOrgId, ct))
        {
            throw CkanException.Forbidden($"User {UserLabel} not authorized to delete package {dataset.Id}");
        }

        await WriteAsync(dataset, "deleted package", () =>
        {
            dataset.State = "deleted";
            return Task.CompletedTask;
        }, ct);
    }

    // ------------------------------------------------------------------ resources

    /// <summary>resource_create: a link (url) or an uploaded file.</summary>
    public async Task<ResourceDict> CreateResourceAsync(JsonObject data, IFormFile? upload, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var packageId = DictReader.Str(data, "package_id", errors);
        if (string.IsNullOrWhiteSpace(packageId))
        {
            throw CkanException.Missing("package_id");
        }

        var dataset = await LoadTrackedAsync(packageId, ct) ?? throw CkanException.NotFound("No package found for this resource, cannot check auth.");
        if (!await user.CanEditDatasetsAsync(dataset.OwnerOrgId, ct))
        {
            throw CkanException.Forbidden($"User {UserLabel} not authorized to create resources on dataset {dataset.Id}");
        }

        var resource = new Resource { DatasetId = dataset.Id };
        ApplyResource(resource, data, errors, isNew: true, hasUpload: upload is not null);
        if (upload is not null && upload.Length > uploads.MaxBytes)
        {
            throw UploadStore.TooLarge();
        }

        errors.ThrowIfAny();
        resource.Position = dataset.Resources.Where(r => r.State == "active").Select(r => r.Position + 1).DefaultIfEmpty(0).Max();

        try
        {
            if (upload is not null)
            {
                ApplyUpload(resource, await uploads.SaveAsync(resource.Id, upload, ct), data);
            }

            await WriteAsync(dataset, "changed package", () =>
            {
                dataset.Resources.Add(resource);
                return Task.CompletedTask;
            }, ct);
        }
        catch
        {
            uploads.Delete(resource.Id);
            throw;
        }

        return ResourceDict.From(resource, SiteUrl);
    }

    /// <summary>resource_update (replaces) or resource_patch (merges); a new file may replace the old one.</summary>
    public async Task<ResourceDict> UpdateResourceAsync(JsonObject data, IFormFile? upload, bool patch, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var id = DictReader.Str(data, "id", errors);
        if (string.IsNullOrWhiteSpace(id))
        {
            throw CkanException.Missing("id");
        }

        var found = await db.Resources.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id && r.State != "deleted", ct)
            ?? throw CkanException.NotFound("Resource was not found.");
        var dataset = await LoadTrackedAsync(found.DatasetId, ct) ?? throw CkanException.NotFound("Resource was not found.");
        var resource = dataset.Resources.First(r => r.Id == id);
        if (!await user.CanEditDatasetsAsync(dataset.OwnerOrgId, ct))
        {
            throw CkanException.Forbidden($"User {UserLabel} not authorized to edit resource {resource.Id}");
        }

        if (patch)
        {
            var current = JsonSerializer.SerializeToNode(ResourceDict.From(resource, SiteUrl), CkanApi.Json)!.AsObject();
            foreach (var (key, value) in data)
            {
                current[key] = value?.DeepClone();
            }

            data = current;
        }

        ApplyResource(resource, data, errors, isNew: false, hasUpload: upload is not null);
        if (upload is not null && upload.Length > uploads.MaxBytes)
        {
            throw UploadStore.TooLarge();
        }

        errors.ThrowIfAny();
        StoredUpload? stored = null;
        if (upload is not null)
        {
            stored = await uploads.SaveAsync(resource.Id, upload, ct, staged: true);
            ApplyUpload(resource, stored, data);
        }

        PackageDict written;
        try
        {
            written = await WriteAsync(dataset, "changed package", () => Task.CompletedTask, ct);
        }
        catch
        {
            if (stored is not null)
            {
                uploads.Discard(stored);
            }

            throw;
        }

        if (stored is not null)
        {
            uploads.Promote(stored);
        }

        // as in the package dict just written (datastore_active included: a replaced file reloads in the background,
        // and until then the previous table is served)
        return written.Resources.First(r => r.Id == resource.Id);
    }

    /// <summary>resource_delete: the resource is marked deleted and its file removed.</summary>
    public async Task DeleteResourceAsync(string id, CancellationToken ct)
    {
        var found = await db.Resources.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id && r.State != "deleted", ct)
            ?? throw CkanException.NotFound("Resource was not found.");
        var dataset = await LoadTrackedAsync(found.DatasetId, ct) ?? throw CkanException.NotFound("Resource was not found.");
        if (!await user.CanEditDatasetsAsync(dataset.OwnerOrgId, ct))
        {
            throw CkanException.Forbidden($"User {UserLabel} not authorized to delete resource {id}");
        }

        var resource = dataset.Resources.First(r => r.Id == id);
        await WriteAsync(dataset, "changed package", () =>
        {
            MarkResourceDeleted(resource);
            Renumber(dataset);
            return Task.CompletedTask;
        }, ct);
    }

    // ------------------------------------------------------------------ shared steps

    /// <summary>Runs a change in one transaction: apply, save, reindex, record the activity, commit.</summary>
    private async Task<PackageDict> WriteAsync(Dataset dataset, string activityType, Func<Task> apply, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        try
        {
            await apply();
            dataset.MetadataModified = DateTime.UtcNow;
            await db.SaveChangesAsync(ct);
            await indexer.IndexAsync(dataset.Id, ct);
            var org = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == dataset.OwnerOrgId, ct);
            var dict = PackageDict.From(dataset, org, SiteUrl, await dataHooks.DataStoreActiveAsync([dataset], ct));
            db.Activities.Add(new Activity
            {
                UserId = user.Id,
                ObjectId = dataset.Id,
                ActivityType = activityType,
                Data = JsonSerializer.Serialize(new Dictionary<string, object> { ["package"] = dict }, CkanApi.Json),
            });
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            await dataHooks.ResourcesChangedAsync(dataset, ct);
            foreach (var id in _filesToDelete)
            {
                uploads.Delete(id);
            }

            _filesToDelete.Clear();
            return dict;
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            // another request took the same name (or created the same tag) between our check and our insert
            _filesToDelete.Clear();
            await tx.RollbackAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
            throw IsDatasetName(e)
                ? CkanException.Validation("name", "That URL is already in use.")
                : new CkanException(409, "Validation Error", "A concurrent change conflicted with this one; please try again");
        }
        catch
        {
            _filesToDelete.Clear();
            await tx.RollbackAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
            throw;
        }
    }

    private static bool IsDatasetName(DbUpdateException e) =>
        e.InnerException?.Message is { } m && (m.Contains("datasets.name", StringComparison.Ordinal) || m.Contains("ix_datasets_name", StringComparison.Ordinal));

    private Task<Dataset?> LoadTrackedAsync(string idOrName, CancellationToken ct) =>
        db.Datasets.AsSplitQuery()
            .Include(d => d.Resources)
            .Include(d => d.Tags).ThenInclude(t => t.Tag)
            .Include(d => d.Groups).ThenInclude(g => g.Group)
            .Include(d => d.Extras)
            .FirstOrDefaultAsync(d => d.Id == idOrName || d.Name == idOrName, ct);

    private async Task<JsonObject> CurrentDictAsync(Dataset dataset, CancellationToken ct)
    {
        var org = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == dataset.OwnerOrgId, ct);
        return JsonSerializer.SerializeToNode(PackageDict.From(dataset, org, SiteUrl), CkanApi.Json)!.AsObject();
    }

    private Task<Organization?> FindOrganizationAsync(string idOrName, CancellationToken ct) =>
        db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => (o.Id == idOrName || o.Name == idOrName) && o.State == "active", ct);

    /// <summary>A deleted dataset keeps its row; its name is freed (renamed to its id) when reused.</summary>
    private async Task ReleaseNameOfDeletedAsync(string name, string selfId, CancellationToken ct)
    {
        var holder = await db.Datasets.FirstOrDefaultAsync(d => d.Name == name && d.Id != selfId && d.State == "deleted", ct);
        if (holder is not null)
        {
            holder.Name = holder.Id;
        }
    }

    private async Task ApplyPackageAsync(Dataset d, JsonObject data, Organization? org, string? ownerOrgRaw, bool isNew, ValidationErrors errors, CancellationToken ct)
    {
        // name
        var name = DictReader.Str(data, "name", errors)?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            if (isNew && !errors.Has("name"))
            {
                errors.Report("name", "Missing value");
            }
        }
        else if (DictReader.NameError(name) is { } nameError)
        {
            errors.Report("name", nameError);
        }
        else if (await db.Datasets.AnyAsync(x => x.Name == name && x.State != "deleted" && x.Id != d.Id, ct))
        {
            errors.Report("name", "That URL is already in use.");
        }
        else
        {
            d.Name = name;
        }

        // owner_org
        if (string.IsNullOrWhiteSpace(ownerOrgRaw))
        {
            if (!errors.Has("owner_org"))
            {
                errors.Report("owner_org", "An organization must be provided");
            }
        }
        else if (org is null)
        {
            errors.Report("owner_org", "Organization does not exist");
        }
        else if (org.Id != d.OwnerOrgId && !await user.CanEditDatasetsAsync(org.Id, ct))
        {
            errors.Report("owner_org", "You cannot add a dataset to this organization");
        }
        else
        {
            d.OwnerOrgId = org.Id;
        }

        var title = DictReader.Str(data, "title", errors);
        if (isNew || title is not null)
        {
            d.Title = string.IsNullOrWhiteSpace(title) ? (name ?? d.Name) : title.Trim();
        }

        d.Notes = DictReader.Str(data, "notes", errors) ?? "";
        d.Url = (DictReader.Str(data, "url", errors) ?? "").Trim();
        if (!DictReader.IsAcceptableUrl(d.Url) || (d.Url.Length > 0 && !Uri.IsWellFormedUriString(d.Url, UriKind.Absolute)))
        {
            errors.Report("url", "Please provide a valid URL");
        }

        d.Version = (DictReader.Str(data, "version", errors) ?? "").Trim();
        if (d.Version.Length > 100)
        {
            errors.Report("version", "Version must be a maximum of 100 characters long");
        }

        d.Author = DictReader.Str(data, "author", errors) ?? "";
        d.AuthorEmail = (DictReader.Str(data, "author_email", errors) ?? "").Trim();
        d.Maintainer = DictReader.Str(data, "maintainer", errors) ?? "";
        d.MaintainerEmail = (DictReader.Str(data, "maintainer_email", errors) ?? "").Trim();
        foreach (var (field, value) in new[] { ("author_email", d.AuthorEmail), ("maintainer_email", d.MaintainerEmail) })
        {
            if (!DictReader.IsEmail(value))
            {
                errors.Report(field, $"Email {value} is not a valid format");
            }
        }

        d.LicenseId = (DictReader.Str(data, "license_id", errors) ?? "").Trim();
        d.Private = DictReader.Bool(data, "private", errors) ?? false;
        if (DictReader.Str(data, "state", errors) is { Length: > 0 } state)
        {
            if (state is "active" or "draft")
            {
                d.State = state;
            }
            else if (state != d.State)
            {
                errors.Report("state", "Value must be one of: active; draft");
            }
        }

        // extras
        var extras = DictReader.List(data, "extras", errors);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var newExtras = new List<DatasetExtra>();
        foreach (var node in extras ?? [])
        {
            if (node is not JsonObject e)
            {
                errors.Report("extras", "Not a dict");
                continue;
            }

            var key = DictReader.Str(e, "key", errors, "extras")?.Trim();
            var value = e["value"] switch
            {
                null => "",
                JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                var other => other.ToJsonString(),
            };
            if (string.IsNullOrEmpty(key))
            {
                errors.Report("extras", "key: Missing value");
            }
            else if (PackageFields.Contains(key))
            {
                errors.Report("extras", $"There is a schema field with the same name: {key}");
            }
            else if (!seen.Add(key))
            {
                errors.Report("extras", $"There are duplicate keys: {key}");
            }
            else if (DictReader.Bool(e, "deleted", new ValidationErrors()) != true)
            {
                newExtras.Add(new DatasetExtra { DatasetId = d.Id, Key = key, Value = value });
            }
        }

        if (!errors.Has("extras"))
        {
            var byKey = d.Extras.ToDictionary(x => x.Key, StringComparer.Ordinal);
            d.Extras.RemoveAll(x => !seen.Contains(x.Key));
            foreach (var e in newExtras)
            {
                if (byKey.TryGetValue(e.Key, out var existing))
                {
                    existing.Value = e.Value;
                }
                else
                {
                    d.Extras.Add(e);
                }
            }
        }
    }

    /// <summary>tags: [{name}] (or plain strings), or tag_string "a,b".</summary>
    private static List<string>? ReadTags(JsonObject data, ValidationErrors errors)
    {
        var names = new List<string>();
        if (DictReader.Present(data, "tags"))
        {
            foreach (var node in DictReader.List(data, "tags", errors) ?? [])
            {
                var tag = node switch
                {
                    JsonObject o => DictReader.Str(o, "name", errors, "tags"),
                    JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                    _ => null,
                };
                if (tag is null)
                {
                    if (!errors.Has("tags"))
                    {
                        errors.Report("tags", "name: Missing value");
                    }

                    continue;
                }

                names.Add(tag.Trim());
            }
        }
        else if (DictReader.Str(data, "tag_string", errors) is { } tagString)
        {
            names.AddRange(tagString.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        }

        foreach (var name in names)
        {
            if (DictReader.TagError(name) is { } message)
            {
                errors.Report("tags", message);
            }
        }

        return [.. names.Distinct(StringComparer.Ordinal)];
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

    /// <summary>groups: [{name}|{id}] — every group must exist (CKAN: 404 "Group was not found.").</summary>
    private async Task<List<Group>?> ResolveGroupsAsync(JsonObject data, ValidationErrors errors, CancellationToken ct)
    {
        if (!DictReader.Present(data, "groups"))
        {
            return null;
        }

        var refs = new List<string>();
        foreach (var node in DictReader.List(data, "groups", errors) ?? [])
        {
            var r = node switch
            {
                JsonObject o => DictReader.Str(o, "id", errors, "groups") is { Length: > 0 } id ? id : DictReader.Str(o, "name", errors, "groups"),
                JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                _ => null,
            };
            if (!string.IsNullOrWhiteSpace(r))
            {
                refs.Add(r.Trim());
            }
        }

        var groups = new List<Group>();
        foreach (var r in refs.Distinct(StringComparer.Ordinal))
        {
            var g = await db.Groups.FirstOrDefaultAsync(x => (x.Id == r || x.Name == r) && x.State == "active", ct)
                ?? throw CkanException.NotFound("Group was not found.");
            if (!groups.Contains(g))
            {
                groups.Add(g);
            }
        }

        return groups;
    }

    private static void SetGroups(Dataset d, List<Group> groups)
    {
        d.Groups.RemoveAll(x => !groups.Any(g => g.Id == x.GroupId));
        foreach (var g in groups.Where(g => d.Groups.All(x => x.GroupId != g.Id)))
        {
            d.Groups.Add(new DatasetGroup { DatasetId = d.Id, GroupId = g.Id, Group = g });
        }
    }

    /// <summary>The inline resources of package_create/update, validated; existing ones matched by id.</summary>
    private List<Resource>? ReadResources(JsonObject data, ValidationErrors errors, Dataset d, List<Resource>? existing)
    {
        if (!DictReader.Present(data, "resources"))
        {
            return [];
        }

        var list = DictReader.List(data, "resources", errors);
        if (list is null)
        {
            return null;
        }

        var result = new List<Resource>();
        foreach (var node in list)
        {
            if (node is not JsonObject o)
            {
                errors.Report("resources", "Not a dict");
                continue;
            }

            var id = DictReader.Str(o, "id", errors, "resources");
            var current = id is null ? null : existing?.FirstOrDefault(r => r.Id == id && r.State != "deleted");
            // an id that is not one of this dataset's resources is ignored: the resource is new
            var resource = current ?? new Resource { DatasetId = d.Id };

            var resourceErrors = new ValidationErrors();
            ApplyResource(resource, o, resourceErrors, isNew: current is null, hasUpload: false);
            foreach (var (field, messages) in resourceErrors.Fields)
            {
                foreach (var m in messages)
                {
                    errors.Report("resources", field + ": " + m);
                }
            }

            result.Add(resource);
        }

        return result;
    }

    private void ApplyResources(Dataset d, List<Resource> resources)
    {
        var keep = resources.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var old in d.Resources.Where(r => r.State != "deleted" && !keep.Contains(r.Id)).ToList())
        {
            MarkResourceDeleted(old);
        }

        for (var i = 0; i < resources.Count; i++)
        {
            resources[i].Position = i;
            if (!d.Resources.Contains(resources[i]))
            {
                d.Resources.Add(resources[i]);
            }
        }
    }

    private void MarkResourceDeleted(Resource r)
    {
        r.State = "deleted";
        r.MetadataModified = DateTime.UtcNow;
        if (r.StoragePath is not null)
        {
            DropFile(r);
        }
    }

    private static void Renumber(Dataset d)
    {
        var i = 0;
        foreach (var r in d.Resources.Where(r => r.State == "active").OrderBy(r => r.Position))
        {
            r.Position = i++;
        }
    }

    /// <summary>
    /// Applies a resource dict. For a stored file, a url equal to its name or download link (what resource_show
    /// returned) keeps the file; another url turns the resource into a link.
    /// </summary>
    private void ApplyResource(Resource r, JsonObject o, ValidationErrors errors, bool isNew, bool hasUpload)
    {
        var url = (DictReader.Str(o, "url", errors) ?? "").Trim();
        var keepsUpload = r.UrlType == "upload" && r.StoragePath is not null
            && (url.Length == 0 || url == r.Url || url.EndsWith("/" + Uri.EscapeDataString(r.Url), StringComparison.Ordinal) || url.EndsWith("/" + r.Url, StringComparison.Ordinal));
        if (!hasUpload && !keepsUpload)
        {
            if (!DictReader.IsAcceptableUrl(url))
            {
                errors.Report("url", "Please provide a valid URL");
            }
            else
            {
                if (r.UrlType == "upload")
                {
                    // the file is replaced by a link; the stored file goes once the change is committed
                    DropFile(r);
                }

                r.Url = url;
                r.UrlType = "";
            }
        }

        r.Name = DictReader.Str(o, "name", errors) ?? "";
        r.Description = DictReader.Str(o, "description", errors) ?? "";
        var format = (DictReader.Str(o, "format", errors) ?? "").Trim();
        if (format.Length == 0 && isNew && !hasUpload)
        {
            format = UploadStore.GuessFormat(url);
        }

        r.Format = CleanFormat(format);
        if (!hasUpload && !keepsUpload)
        {
            r.Mimetype = DictReader.Str(o, "mimetype", errors) ?? "";
            r.Hash = DictReader.Str(o, "hash", errors) ?? "";
            var size = DictReader.Long(o, "size", errors);
            if (size is < 0)
            {
                errors.Report("size", "Must be a natural number");
            }

            r.Size = size;
        }

        var extras = new JsonObject();
        foreach (var (key, value) in o)
        {
            if (!ResourceFields.Contains(key) && value is not null)
            {
                extras[key] = value.DeepClone();
            }
        }

        r.ExtrasJson = extras.ToJsonString();
        r.MetadataModified = DateTime.UtcNow;
    }

    /// <summary>Forgets a resource's stored file; the file itself is removed once the change is committed.</summary>
    private void DropFile(Resource r)
    {
        r.StoragePath = null;
        r.Size = null;
        r.Hash = "";
        _filesToDelete.Add(r.Id);
    }

    private static void ApplyUpload(Resource r, StoredUpload stored, JsonObject data)
    {
        r.Url = stored.FileName;
        r.UrlType = "upload";
        r.StoragePath = stored.RelativePath;
        r.Size = stored.Size;
        r.Hash = stored.Hash;
        r.Mimetype = stored.Mimetype;
        r.LastModified = DateTime.UtcNow;
        if (string.IsNullOrWhiteSpace(DictReader.Str(data, "format", new ValidationErrors())))
        {
            r.Format = stored.Format;
        }

        if (string.IsNullOrWhiteSpace(r.Name))
        {
            r.Name = stored.FileName;
        }
    }

    /// <summary>CKAN's clean_format: known formats in their usual spelling (csv → CSV).</summary>
    private static string CleanFormat(string format)
    {
        if (format.Length == 0)
        {
            return "";
        }

        var known = UploadStore.GuessFormat("x." + format.TrimStart('.'));
        return known.Length > 0 ? known : format;
    }
}
