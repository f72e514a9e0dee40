using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OpenGov.Catalog;
using OpenGov.Ckan;
using OpenGov.Storage;

namespace OpenGov.Showcases;

/// <summary>
/// Showcase writes, as ckanext-showcase's logic/action create.py, update.py and delete.py: create, update (replace),
/// patch (merge), delete (the row and its dataset links), and links between a showcase and a dataset. Every write is
/// checked by <see cref="ShowcaseAuth"/>; every refusal is a <see cref="CkanException"/> thrown before anything is saved.
/// </summary>
public sealed class ShowcaseEditor(OpenGovDb db, ShowcaseAuth auth, DatasetVisibility visibility)
{
    /// <summary>ckanext_showcase_create; the publisher form also gives the datasets used (names or ids), saved together.</summary>
    public async Task<Showcase> CreateAsync(JsonObject data, CancellationToken ct, IReadOnlyList<string>? datasets = null)
    {
        await auth.RequireManageAsync("ckanext_showcase_create", ct);
        return await CreateCheckedAsync(data, datasets, ct);
    }

    /// <summary>
    /// A showcase made by a room that has authorised the write itself (the council's secretariat turning an awarded
    /// contest entry into a showcase): the same validation, links and audit as ckanext_showcase_create.
    /// </summary>
    public Task<Showcase> CreateAuthorisedAsync(JsonObject data, IReadOnlyList<string> datasets, CancellationToken ct) =>
        CreateCheckedAsync(data, datasets, ct);

    private async Task<Showcase> CreateCheckedAsync(JsonObject data, IReadOnlyList<string>? datasets, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var input = ShowcaseSchema.Read(data, isNew: true, errors);
        await CheckNameFreeAsync(input.Name, null, errors, ct);
        var datasetIds = await ResolveDatasetsAsync(datasets, errors, ct);
        errors.ThrowIfAny();

        var now = DateTime.UtcNow;
        var s = new Showcase { Name = input.Name!, CreatorUserId = auth.User.Id, MetadataCreated = now };
        Apply(s, input, now);
        db.Add(s);
        await SetLinksAsync(s.Id, datasetIds, ct);
        await SaveAsync(ct);
        return s;
    }

    /// <summary>ckanext_showcase_update (every field given or cleared; title and name kept when absent) or patch (only the keys given).</summary>
    public async Task<Showcase> UpdateAsync(JsonObject data, bool patch, CancellationToken ct, IReadOnlyList<string>? datasets = null)
    {
        var idOrName = (data["id"] ?? data["name"]) is JsonValue v && v.TryGetValue(out string? key) && key.Length > 0 ? key : throw CkanException.Missing("id");
        var s = await db.Set<Showcase>().FirstOrDefaultAsync(x => x.Id == idOrName || x.Name == idOrName, ct)
            ?? throw CkanException.NotFound("Not found: Package was not found.");
        await auth.RequireManageAsync(patch ? "ckanext_showcase_patch" : "ckanext_showcase_update", ct);

        if (patch)
        {
            var current = Current(s);
            foreach (var (k, value) in data)
            {
                current[k] = value?.DeepClone();
            }

            data = current;
        }

        // the id only identifies the showcase; a name given with an id renames it
        data = data.DeepClone().AsObject();
        if (data["id"] is not null && data["name"] is null)
        {
            data.Remove("name");
        }

        data.Remove("id");
        var errors = new ValidationErrors();
        var input = ShowcaseSchema.Read(data, isNew: false, errors);
        await CheckNameFreeAsync(input.Name, s.Id, errors, ct);
        var datasetIds = await ResolveDatasetsAsync(datasets, errors, ct);
        errors.ThrowIfAny();
        Apply(s, input, DateTime.UtcNow);
        await SetLinksAsync(s.Id, datasetIds, ct);
        await SaveAsync(ct);
        return s;
    }

    /// <summary>ckanext_showcase_delete: the showcase is removed with its dataset links (CKAN purges it).</summary>
    public async Task DeleteAsync(JsonObject data, CancellationToken ct)
    {
        var idOrName = Required(data, "id");
        var s = await db.Set<Showcase>().FirstOrDefaultAsync(x => x.Id == idOrName || x.Name == idOrName, ct) ?? throw CkanException.NotFound();
        await auth.RequireManageAsync("ckanext_showcase_delete", ct);
        db.RemoveRange(await db.Set<ShowcaseDataset>().Where(l => l.ShowcaseId == s.Id).ToListAsync(ct));
        db.Remove(s);
        await SaveAsync(ct);
    }

    /// <summary>ckanext_showcase_package_association_create: {"package_id", "showcase_id"} of the new link.</summary>
    public async Task<ShowcaseDataset> AssociateAsync(JsonObject data, CancellationToken ct)
    {
        await auth.RequireManageAsync("ckanext_showcase_package_association_create", ct);
        var (datasetId, showcaseId) = await ReadAssociationAsync(data, ct);
        if (await db.Set<ShowcaseDataset>().AnyAsync(l => l.DatasetId == datasetId && l.ShowcaseId == showcaseId, ct))
        {
            throw new CkanException(409, "Validation Error", $"ShowcasePackageAssociation with package_id '{datasetId}' and showcase_id '{showcaseId}' already exists.");
        }

        var link = new ShowcaseDataset { ShowcaseId = showcaseId, DatasetId = datasetId };
        db.Add(link);
        await SaveAsync(ct);
        return link;
    }

    /// <summary>ckanext_showcase_package_association_delete.</summary>
    public async Task DissociateAsync(JsonObject data, CancellationToken ct)
    {
        await auth.RequireManageAsync("ckanext_showcase_package_association_delete", ct);
        var (datasetId, showcaseId) = await ReadAssociationAsync(data, ct);
        var link = await db.Set<ShowcaseDataset>().FirstOrDefaultAsync(l => l.DatasetId == datasetId && l.ShowcaseId == showcaseId, ct)
            ?? throw CkanException.NotFound($"Not found: ShowcasePackageAssociation with package_id '{datasetId}' and showcase_id '{showcaseId}' doesn't exist.");
        db.Remove(link);
        await SaveAsync(ct);
    }

    /// <summary>
    /// The publisher form's dataset list (names or ids): each must exist and be visible to the editor; errors go to
    /// the "datasets" field as "Not found: Dataset NAME". Null when the form did not give the list.
    /// </summary>
    private async Task<List<string>?> ResolveDatasetsAsync(IReadOnlyList<string>? refs, ValidationErrors errors, CancellationToken ct)
    {
        if (refs is null)
        {
            return null;
        }

        var ids = new List<string>();
        foreach (var r in refs.Select(x => x.Trim()).Where(x => x.Length > 0).Distinct(StringComparer.Ordinal))
        {
            if (await FindDatasetIdAsync(r, ct) is { } id)
            {
                if (!ids.Contains(id))
                {
                    ids.Add(id);
                }
            }
            else
            {
                errors.Report("datasets", "Not found: Dataset " + r);
            }
        }

        return ids;
    }

    /// <summary>The showcase uses exactly these datasets afterwards (saved with the showcase).</summary>
    private async Task SetLinksAsync(string showcaseId, List<string>? datasetIds, CancellationToken ct)
    {
        if (datasetIds is null)
        {
            return;
        }

        var links = db.Set<ShowcaseDataset>();
        var current = await links.Where(l => l.ShowcaseId == showcaseId).ToListAsync(ct);
        links.RemoveRange(current.Where(l => !datasetIds.Contains(l.DatasetId)));
        links.AddRange(datasetIds.Where(id => current.All(l => l.DatasetId != id)).Select(id => new ShowcaseDataset { ShowcaseId = showcaseId, DatasetId = id }));
    }

    private async Task<(string DatasetId, string ShowcaseId)> ReadAssociationAsync(JsonObject data, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var package = DictReader.Str(data, "package_id", errors)?.Trim();
        var showcase = DictReader.Str(data, "showcase_id", errors)?.Trim();
        string? datasetId = null, showcaseId = null;
        if (string.IsNullOrEmpty(package))
        {
            if (!errors.Has("package_id"))
            {
                errors.Report("package_id", "Missing value");
            }
        }
        else if ((datasetId = await FindDatasetIdAsync(package, ct)) is null)
        {
            errors.Report("package_id", "Not found: Dataset");
        }

        if (string.IsNullOrEmpty(showcase))
        {
            if (!errors.Has("showcase_id"))
            {
                errors.Report("showcase_id", "Missing value");
            }
        }
        else if ((showcaseId = await db.Set<Showcase>().Where(s => s.Id == showcase || s.Name == showcase).Select(s => s.Id).FirstOrDefaultAsync(ct)) is null)
        {
            // ckanext-showcase's validator names the package type "Dataset" for showcases too
            errors.Report("showcase_id", "Not found: Dataset");
        }

        errors.ThrowIfAny();
        return (datasetId!, showcaseId!);
    }

    /// <summary>A dataset by id or name that the caller may see (a private one of another organization is "not found").</summary>
    private async Task<string?> FindDatasetIdAsync(string idOrName, CancellationToken ct)
    {
        var d = await db.Datasets.AsNoTracking().Where(x => x.Id == idOrName || x.Name == idOrName)
            .Select(x => new { x.Id, x.State, x.Private, x.OwnerOrgId }).FirstOrDefaultAsync(ct);
        return d is not null && d.State != RecordState.Deleted && await visibility.CanSeeAsync(d.State, d.Private, d.OwnerOrgId, ct) ? d.Id : null;
    }

    /// <summary>Names the showcase pages use themselves (/showcase/new, /showcase/admins, /showcase/edit/…): "in use".</summary>
    private static readonly string[] PagePaths = ["new", "admins", "edit"];

    /// <summary>A showcase name is a package name in CKAN: free among showcases and the catalog's datasets (and not a page's path).</summary>
    private async Task CheckNameFreeAsync(string? name, string? selfId, ValidationErrors errors, CancellationToken ct)
    {
        if (name is null || errors.Has("name"))
        {
            return;
        }

        if (PagePaths.Contains(name)
            || await db.Set<Showcase>().AnyAsync(s => s.Name == name && s.Id != selfId, ct)
            || await db.Datasets.AnyAsync(d => d.Name == name && d.State != RecordState.Deleted, ct))
        {
            errors.Report("name", "That URL is already in use.");
        }
    }

    private static string Required(JsonObject data, string key) =>
        data[key] is JsonValue v && v.TryGetValue(out string? s) && s.Trim().Length > 0 ? s.Trim() : throw CkanException.Missing(key);

    private static void Apply(Showcase s, ShowcaseInput input, DateTime now)
    {
        s.Name = input.Name ?? s.Name;
        s.Title = input.Title ?? s.Title;
        s.Notes = input.Notes;
        s.Url = input.Url;
        s.ImageUrl = input.ImageUrl;
        s.Author = input.Author;
        s.AuthorEmail = input.AuthorEmail;
        s.Tags = ShowcaseTags.Join(input.Tags);
        s.MetadataModified = now;
    }

    private static JsonObject Current(Showcase s) => new()
    {
        ["id"] = s.Id,
        ["name"] = s.Name,
        ["title"] = s.Title,
        ["notes"] = s.Notes,
        ["url"] = s.Url,
        ["image_url"] = s.ImageUrl,
        ["author"] = s.Author,
        ["author_email"] = s.AuthorEmail,
        ["tags"] = new JsonArray([.. ShowcaseTags.Split(s.Tags).Select(t => (JsonNode)new JsonObject { ["name"] = t })]),
    };

    /// <summary>
    /// Saves with the audit entries (<see cref="ShowcaseAudit"/>); a name taken by a concurrent write (unique index)
    /// is CKAN's name error, not a 500.
    /// </summary>
    private async Task SaveAsync(CancellationToken ct)
    {
        try
        {
            await ShowcaseAudit.SaveAsync(db, auth.User.Id, auth.User.Name ?? "", ct);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            throw CkanException.Validation("name", "That URL is already in use.");
        }
    }
}
