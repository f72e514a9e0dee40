using System.Text.Json.Nodes;
using OpenGov.Ckan;
using OpenGov.Storage;

namespace OpenGov.Catalog.Editing;

/// <summary>How a resource dict is read into a <see cref="Resource"/>: its columns, its checks, its extras.</summary>
internal static class ResourceSchema
{
    /// <summary>Resource keys kept as columns or computed; all other keys are kept as the resource's extras.</summary>
    private static readonly HashSet<string> Fields =
    [
        "id", "package_id", "url", "name", "description", "format", "mimetype", "size", "hash", "url_type", "position",
        "state", "created", "last_modified", "metadata_modified", "datastore_active", "cache_url", "mimetype_inner",
        "resource_type", "upload", "clear_upload", "cache_last_updated",
    ];

    /// <summary>
    /// Applies a resource dict. For a stored file, a url equal to its name or download link (what resource_show
    /// returned) keeps the file; another url turns the resource into a link.
    /// </summary>
    public static void Apply(Resource r, JsonObject o, ValidationErrors errors, bool isNew, bool hasUpload, PackageWriter writer)
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
                    writer.DropFile(r);
                }

                if (r.Url != url)
                {
                    // a new link is new content (the publisher's last_modified below wins when given)
                    r.LastModified = isNew ? null : DateTime.UtcNow;
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
            if (!Fields.Contains(key) && value is not null)
            {
                extras[key] = value.DeepClone();
            }
        }

        r.ExtrasJson = extras.ToJsonString();
        r.MetadataModified = DateTime.UtcNow;
        ApplyLastModified(r, o, errors, hasUpload);
    }

    /// <summary>
    /// The publisher's last_modified (when the data itself last changed, as CKAN keeps it): an ISO date or time,
    /// read as UTC unless it names its offset; absent or empty keeps the current value; a new upload sets it.
    /// </summary>
    private static void ApplyLastModified(Resource r, JsonObject o, ValidationErrors errors, bool hasUpload)
    {
        if (hasUpload || !o.ContainsKey("last_modified"))
        {
            return;
        }

        var text = DictReader.Str(o, "last_modified", errors);
        if (string.IsNullOrWhiteSpace(text))
        {
            return;
        }

        if (DateTime.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var at))
        {
            r.LastModified = at;
        }
        else
        {
            errors.Report("last_modified", "Date format incorrect");
        }
    }

    /// <summary>
    /// The inline resources of package_create/update, validated; existing ones matched by id. Those at the positions
    /// in <paramref name="withUpload"/> get a file (package_revise's update__resources__N__upload), so need no url.
    /// </summary>
    public static List<Resource>? ReadInline(JsonObject data, ValidationErrors errors, Dataset d, List<Resource>? existing, PackageWriter writer, IReadOnlySet<int>? withUpload = null)
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
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is not JsonObject o)
            {
                errors.Report("resources", "Not a dict");
                continue;
            }

            var id = DictReader.Str(o, "id", errors, "resources");
            var current = id is null ? null : existing?.FirstOrDefault(r => r.Id == id && r.State != RecordState.Deleted);
            // an id that is not one of this dataset's resources names a new resource; kept when free (the editor checks)
            var resource = current ?? new Resource { DatasetId = d.Id };
            if (current is null && id is { Length: > 0 } && SuppliedIds.IsValid(id.Trim()))
            {
                resource.Id = id.Trim();
            }

            var resourceErrors = new ValidationErrors();
            Apply(resource, o, resourceErrors, isNew: current is null, hasUpload: withUpload?.Contains(i) == true, writer);
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

    /// <summary>Makes the dataset's resources the given list, in its order; the others are marked deleted.</summary>
    public static void Replace(Dataset d, List<Resource> resources, PackageWriter writer)
    {
        var keep = resources.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var old in d.Resources.Where(r => r.State != RecordState.Deleted && !keep.Contains(r.Id)).ToList())
        {
            writer.MarkResourceDeleted(old);
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

    /// <summary>The position after the dataset's last active resource.</summary>
    public static int NextPosition(Dataset d) =>
        d.Resources.Where(r => r.State == RecordState.Active).Select(r => r.Position + 1).DefaultIfEmpty(0).Max();

    /// <summary>Numbers the active resources 0, 1, 2 ... in their order.</summary>
    public static void Renumber(Dataset d)
    {
        var i = 0;
        foreach (var r in d.Resources.Where(r => r.State == RecordState.Active).OrderBy(r => r.Position))
        {
            r.Position = i++;
        }
    }

    /// <summary>Points the resource at a file just stored.</summary>
    public static void ApplyUpload(Resource r, StoredUpload stored, JsonObject data)
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
