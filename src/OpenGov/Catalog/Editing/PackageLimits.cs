using OpenGov.Ckan;

namespace OpenGov.Catalog.Editing;

/// <summary>
/// Bounds on one package (configuration OpenGov:PackageLimits), so that no package write holds the database's write
/// lock for long or builds a dict of hundreds of megabytes: a package beyond them is refused before anything is
/// written, with CKAN's 409 "Validation Error" naming the field and the limit. CKAN itself has no such bounds; the
/// defaults are far above any real catalog's packages (the largest of the national catalogs have a few hundred
/// resources). A package that already exceeds a lowered limit can still be changed as long as it does not grow.
/// </summary>
public sealed class PackageLimits
{
    /// <summary>Resources (not deleted) in one package.</summary>
    public int MaxResources { get; set; } = 1000;

    /// <summary>Tags on one package.</summary>
    public int MaxTags { get; set; } = 200;

    /// <summary>Extras (custom fields) on one package.</summary>
    public int MaxExtras { get; set; } = 200;

    /// <summary>Characters of the description (notes) of a package or of one resource.</summary>
    public int MaxNotesLength { get; set; } = 100_000;

    /// <summary>Reports each bound the package would exceed (and exceed by more than it already does).</summary>
    internal void Check(Dataset changed, IReadOnlyCollection<Resource>? resources, IReadOnlyCollection<string>? tags, Dataset? before, ValidationErrors errors)
    {
        var resourcesBefore = before?.Resources.Count(r => r.State != Storage.RecordState.Deleted) ?? 0;
        if (resources is not null && resources.Count > MaxResources && resources.Count > resourcesBefore)
        {
            errors.Report("resources", $"A dataset may have at most {MaxResources} resources (OpenGov:PackageLimits:MaxResources)");
        }

        if (tags is not null && tags.Count > MaxTags && tags.Count > (before?.Tags.Count ?? 0))
        {
            errors.Report("tags", $"A dataset may have at most {MaxTags} tags (OpenGov:PackageLimits:MaxTags)");
        }

        if (changed.Extras.Count > MaxExtras)
        {
            errors.Report("extras", $"A dataset may have at most {MaxExtras} extras (OpenGov:PackageLimits:MaxExtras)");
        }

        if (changed.Notes.Length > MaxNotesLength)
        {
            errors.Report("notes", $"Notes must be a maximum of {MaxNotesLength} characters long");
        }

        foreach (var r in resources ?? [])
        {
            if (r.Description.Length > MaxNotesLength)
            {
                errors.Report("resources", $"description: must be a maximum of {MaxNotesLength} characters long");
            }
        }
    }

    /// <summary>resource_create: one more resource must fit.</summary>
    internal void CheckOneMore(Dataset dataset, Resource added, ValidationErrors errors)
    {
        if (dataset.Resources.Count(r => r.State != Storage.RecordState.Deleted) >= MaxResources)
        {
            errors.Report("package_id", $"A dataset may have at most {MaxResources} resources (OpenGov:PackageLimits:MaxResources)");
        }

        CheckResource(added, errors);
    }

    /// <summary>resource_create and resource_update: the resource's own description.</summary>
    internal void CheckResource(Resource resource, ValidationErrors errors)
    {
        if (resource.Description.Length > MaxNotesLength)
        {
            errors.Report("description", $"Description must be a maximum of {MaxNotesLength} characters long");
        }
    }
}
