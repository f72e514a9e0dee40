using System.Text.Json.Nodes;
using OpenGov.Ckan;

namespace OpenGov.Showcases;

/// <summary>What a showcase dict sets, read and checked by <see cref="ShowcaseSchema"/>.</summary>
public sealed record ShowcaseInput(
    string? Name,
    string? Title,
    string Notes,
    string Url,
    string ImageUrl,
    string Author,
    string AuthorEmail,
    List<string> Tags);

/// <summary>
/// ckanext-showcase's schema.py (showcase_create_schema, showcase_update_schema) for the fields OpenGov keeps: name
/// (CKAN's name_validator; unique among showcases and datasets, as in CKAN's one package table), title (the name when
/// empty), notes, url (url_validator), image_url (a web URL or a path on this site), author, author_email, tags or tag_string. On create an "id" is
/// refused (the schema's <c>empty</c>). Keys the schema does not know are ignored, as CKAN's <c>__extras</c>.
/// </summary>
internal static class ShowcaseSchema
{
    public const int TextMax = 10_000;

    public static ShowcaseInput Read(JsonObject data, bool isNew, ValidationErrors errors)
    {
        if (isNew && DictReader.Str(data, "id", errors) is { Length: > 0 } id && id.Trim().Length > 0)
        {
            errors.Report("id", "The input field id was not expected.");
        }

        var name = DictReader.Str(data, "name", errors)?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            if (isNew && !errors.Has("name"))
            {
                errors.Report("name", "Missing value");
            }

            name = null;
        }
        else if (DictReader.NameError(name) is { } nameError)
        {
            errors.Report("name", nameError);
        }

        var title = DictReader.Str(data, "title", errors)?.Trim();
        if (isNew && string.IsNullOrEmpty(title))
        {
            title = name;
        }

        var url = Text(data, "url", errors);
        if (url.Length > 0 && !IsWebUrl(url))
        {
            errors.Report("url", "Please provide a valid URL");
        }

        var image = Text(data, "image_url", errors);
        if (image.Length > 0 && !IsWebUrl(image) && !Shared.LocalUrls.IsSafe(image))
        {
            errors.Report("image_url", "Please provide a valid URL");
        }

        return new ShowcaseInput(
            name,
            title is null ? null : Limit(title, "title", errors),
            Text(data, "notes", errors),
            url,
            image,
            Text(data, "author", errors),
            Text(data, "author_email", errors),
            ReadTags(data, errors));
    }

    /// <summary>CKAN's url_validator: an absolute http, https or ftp URL with a host.</summary>
    public static bool IsWebUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "ftp" && uri.Host.Length > 0;

    private static string Text(JsonObject data, string key, ValidationErrors errors) =>
        Limit(DictReader.Str(data, key, errors)?.Trim() ?? "", key, errors);

    private static string Limit(string value, string key, ValidationErrors errors)
    {
        if (value.Length > TextMax)
        {
            errors.Report(key, $"Must be a maximum of {TextMax} characters long");
        }

        return value;
    }

    /// <summary>"tags" as CKAN's list of {"name": ...} dicts (or of strings), else "tag_string" split on commas.</summary>
    private static List<string> ReadTags(JsonObject data, ValidationErrors errors)
    {
        var names = new List<string>();
        if (DictReader.Present(data, "tags"))
        {
            foreach (var item in DictReader.List(data, "tags", errors) ?? [])
            {
                var tagName = item switch
                {
                    JsonObject o => DictReader.Str(o, "name", errors, "tags"),
                    JsonValue => DictReader.Str(new JsonObject { ["name"] = item.DeepClone() }, "name", errors, "tags"),
                    _ => null,
                };
                if (!string.IsNullOrWhiteSpace(tagName))
                {
                    names.Add(tagName.Trim());
                }
            }
        }
        else if (DictReader.Str(data, "tag_string", errors) is { } tagString)
        {
            names.AddRange(tagString.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        foreach (var tag in names)
        {
            if (DictReader.TagError(tag) is { } error)
            {
                errors.Report("tags", error);
            }
        }

        return [.. names.Distinct(StringComparer.Ordinal)];
    }
}
