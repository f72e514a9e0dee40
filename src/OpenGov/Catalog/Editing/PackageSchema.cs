using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OpenGov.Ckan;
using OpenGov.Storage;

namespace OpenGov.Catalog.Editing;

/// <summary>What a package rule sees: the dict, the organization owner_org named, and whether the dataset is new.</summary>
internal sealed record PackageInput(JsonObject Data, string? OwnerOrgRaw, Organization? Org, bool IsNew, OpenGovDb Db, PackageAuth Auth);

/// <summary>One field of the package dict: how it is read, checked and stored.</summary>
internal sealed record PackageRule(string Key, Func<PackageInput, Dataset, ValidationErrors, CancellationToken, Task> Apply);

/// <summary>
/// The package dict's fields as a schema (CKAN's default_create_package_schema / default_update_package_schema): an
/// ordered list of rules, one per field, each reading its key, checking it and storing it on the dataset. Errors
/// are collected for all fields and thrown together by the caller. Tags, groups and resources are read by their
/// own readers (<see cref="ReadTags"/>, <see cref="ReadGroupRefs"/>, <see cref="ResourceSchema"/>).
/// </summary>
internal static class PackageSchema
{
    /// <summary>Top-level keys of a package dict; an extra may not reuse them.</summary>
    private static readonly HashSet<string> PackageFields =
    [
        "id", "name", "title", "notes", "url", "version", "author", "author_email", "maintainer", "maintainer_email",
        "license_id", "owner_org", "private", "state", "type", "tags", "groups", "extras", "resources", "tag_string",
        "metadata_created", "metadata_modified", "creator_user_id", "organization", "num_resources", "num_tags",
    ];

    /// <summary>The rules, in the order CKAN reports their errors.</summary>
    public static readonly IReadOnlyList<PackageRule> Rules =
    [
        new("name", NameAsync),
        new("owner_org", OwnerOrgAsync),
        new("title", Title),
        Text("notes", (d, v) => d.Notes = v),
        Text("url", (d, v) => d.Url = v, trim: true, Url),
        Text("version", (d, v) => d.Version = v, trim: true, MaxLength(100, "Version")),
        Text("author", (d, v) => d.Author = v),
        Text("author_email", (d, v) => d.AuthorEmail = v, trim: true, Email),
        Text("maintainer", (d, v) => d.Maintainer = v),
        Text("maintainer_email", (d, v) => d.MaintainerEmail = v, trim: true, Email),
        Text("license_id", (d, v) => d.LicenseId = v, trim: true),
        new("private", Private),
        new("state", State),
        new("extras", Extras),
    ];

    /// <summary>Applies every rule to the dataset, in order.</summary>
    public static async Task ApplyAsync(PackageInput input, Dataset d, ValidationErrors errors, CancellationToken ct)
    {
        foreach (var rule in Rules)
        {
            await rule.Apply(input, d, errors, ct);
        }
    }

    // ------------------------------------------------------------------ rule builders and checks

    /// <summary>A text field: absent is "", optionally trimmed, then each check (a message, or null when fine).</summary>
    private static PackageRule Text(string key, Action<Dataset, string> set, bool trim = false, params Func<string, string?>[] checks) =>
        new(key, (input, d, errors, _) =>
        {
            var value = DictReader.Str(input.Data, key, errors) ?? "";
            value = trim ? value.Trim() : value;
            set(d, value);
            foreach (var check in checks)
            {
                if (check(value) is { } message)
                {
                    errors.Report(key, message);
                }
            }

            return Task.CompletedTask;
        });

    private static string? Url(string v) =>
        !DictReader.IsAcceptableUrl(v) || (v.Length > 0 && !Uri.IsWellFormedUriString(v, UriKind.Absolute)) ? "Please provide a valid URL" : null;

    private static string? Email(string v) => DictReader.IsEmail(v) ? null : $"Email {v} is not a valid format";

    private static Func<string, string?> MaxLength(int max, string label) =>
        v => v.Length > max ? $"{label} must be a maximum of {max} characters long" : null;

    // ------------------------------------------------------------------ rules with more to them

    /// <summary>name: required when new; CKAN's name rules; unique among datasets that are not deleted.</summary>
    private static async Task NameAsync(PackageInput input, Dataset d, ValidationErrors errors, CancellationToken ct)
    {
        var name = DictReader.Str(input.Data, "name", errors)?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            if (input.IsNew && !errors.Has("name"))
            {
                errors.Report("name", "Missing value");
            }
        }
        else if (DictReader.NameError(name) is { } nameError)
        {
            errors.Report("name", nameError);
        }
        else if (await input.Db.Datasets.AnyAsync(x => x.Name == name && x.State != RecordState.Deleted && x.Id != d.Id, ct))
        {
            errors.Report("name", "That URL is already in use.");
        }
        else
        {
            d.Name = name;
        }
    }

    /// <summary>owner_org: required, existing, and one the caller may publish in when it changes.</summary>
    private static async Task OwnerOrgAsync(PackageInput input, Dataset d, ValidationErrors errors, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(input.OwnerOrgRaw))
        {
            if (!errors.Has("owner_org"))
            {
                errors.Report("owner_org", "An organization must be provided");
            }
        }
        else if (input.Org is null)
        {
            errors.Report("owner_org", "Organization does not exist");
        }
        else if (input.Org.Id != d.OwnerOrgId && !await input.Auth.CanMoveToAsync(input.Org, ct))
        {
            errors.Report("owner_org", "You cannot add a dataset to this organization");
        }
        else
        {
            d.OwnerOrgId = input.Org.Id;
        }
    }

    /// <summary>title: the name when new and not given; kept when absent from an update.</summary>
    private static Task Title(PackageInput input, Dataset d, ValidationErrors errors, CancellationToken ct)
    {
        var title = DictReader.Str(input.Data, "title", errors);
        if (input.IsNew || title is not null)
        {
            d.Title = string.IsNullOrWhiteSpace(title) ? (DictReader.Str(input.Data, "name", new ValidationErrors())?.Trim() ?? d.Name) : title.Trim();
        }

        return Task.CompletedTask;
    }

    private static Task Private(PackageInput input, Dataset d, ValidationErrors errors, CancellationToken ct)
    {
        d.Private = DictReader.Bool(input.Data, "private", errors) ?? false;
        return Task.CompletedTask;
    }

    /// <summary>state: active or draft may be set; deleted only by package_delete (an unchanged state passes).</summary>
    private static Task State(PackageInput input, Dataset d, ValidationErrors errors, CancellationToken ct)
    {
        if (DictReader.Str(input.Data, "state", errors) is { Length: > 0 } state)
        {
            if (state is RecordState.Active or RecordState.Draft)
            {
                d.State = state;
            }
            else if (state != d.State)
            {
                errors.Report("state", "Value must be one of: active; draft");
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>extras: [{key, value, deleted?}]; keys unique and not a package field; values kept as text.</summary>
    private static Task Extras(PackageInput input, Dataset d, ValidationErrors errors, CancellationToken ct)
    {
        var extras = DictReader.List(input.Data, "extras", errors);
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

        return Task.CompletedTask;
    }

    // ------------------------------------------------------------------ tags and groups

    /// <summary>tags: [{name}] (or plain strings), or tag_string "a,b".</summary>
    public static List<string>? ReadTags(JsonObject data, ValidationErrors errors)
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

    /// <summary>groups: [{id}|{name}] (or plain strings) as given; null when the key is absent (groups unchanged).</summary>
    public static List<string>? ReadGroupRefs(JsonObject data, ValidationErrors errors)
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

        return [.. refs.Distinct(StringComparer.Ordinal)];
    }
}
