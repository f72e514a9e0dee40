using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OpenGov.Shared;

namespace OpenGov.Ckan;

/// <summary>Collects CKAN validation errors (field → messages) and throws them together as one 409.</summary>
internal sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _fields = new(StringComparer.Ordinal);

    public bool Any => _fields.Count > 0;

    public IReadOnlyDictionary<string, List<string>> Fields => _fields;

    public bool Has(string field) => _fields.ContainsKey(field);

    public void Report(string field, string message)
    {
        if (!_fields.TryGetValue(field, out var list))
        {
            _fields[field] = list = [];
        }

        if (!list.Contains(message))
        {
            list.Add(message);
        }
    }

    public void ThrowIfAny()
    {
        if (_fields.Count > 0)
        {
            throw CkanException.Validation(_fields);
        }
    }
}

/// <summary>Reads typed values out of a CKAN data dict, reporting wrong types as CKAN does.</summary>
internal static partial class DictReader
{
    public static bool Present(JsonObject o, string key) => o.TryGetPropertyValue(key, out var n) && n is not null;

    /// <summary>A string value (numbers and booleans as text); null when absent; wrong types reported.</summary>
    public static string? Str(JsonObject o, string key, ValidationErrors errors, string? field = null)
    {
        var node = o[key];
        switch (node)
        {
            case null:
                return null;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                return v.GetValue<string>();
            case JsonValue v when v.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                return v.ToJsonString();
            default:
                errors.Report(field ?? key, "Must be a string");
                return null;
        }
    }

    public static bool? Bool(JsonObject o, string key, ValidationErrors errors)
    {
        var node = o[key];
        if (node is null)
        {
            return null;
        }

        var value = CkanRequest.ParseBool(node);
        if (value is null)
        {
            errors.Report(key, "Value must be one of: true; false");
        }

        return value;
    }

    public static long? Long(JsonObject o, string key, ValidationErrors errors, string? field = null)
    {
        var node = o[key];
        switch (node)
        {
            case null:
                return null;
            case JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out long l):
                return l;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                var s = v.GetValue<string>().Trim();
                if (s.Length == 0)
                {
                    return null;
                }

                if (long.TryParse(s, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
                {
                    return parsed;
                }

                break;
        }

        errors.Report(field ?? key, "Invalid integer");
        return null;
    }

    /// <summary>A list value: a JSON list, or a string holding one.</summary>
    public static JsonArray? List(JsonObject o, string key, ValidationErrors errors)
    {
        var node = o[key];
        switch (node)
        {
            case null:
                return null;
            case JsonArray a:
                return a;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().TrimStart().StartsWith('['):
                try
                {
                    if (RequestJson.Parse(v.GetValue<string>()) is JsonArray parsed)
                    {
                        return parsed;
                    }
                }
                catch (JsonException)
                {
                }

                break;
        }

        errors.Report(key, "Not a list");
        return null;
    }

    public const int NameMin = 2;
    public const int NameMax = 100;

    [GeneratedRegex("^[a-z0-9_\\-]*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[\\w \\-.]*$")]
    private static partial Regex TagPattern();

    /// <summary>CKAN's name_validator: the message for a bad dataset, organization or group name, or null.</summary>
    public static string? NameError(string name)
    {
        if (name is "new" or "edit" or "search")
        {
            return "That name cannot be used";
        }

        if (name.Length < NameMin)
        {
            return $"Must be at least {NameMin} characters long";
        }

        if (name.Length > NameMax)
        {
            return $"Name must be a maximum of {NameMax} characters long";
        }

        return NamePattern().IsMatch(name) ? null : "Must be purely lowercase alphanumeric (ascii) characters and these symbols: -_";
    }

    /// <summary>CKAN's tag_length_validator and tag_name_validator.</summary>
    public static string? TagError(string tag)
    {
        if (tag.Length < 2)
        {
            return $"Tag \"{tag}\" length is less than minimum 2";
        }

        if (tag.Length > 100)
        {
            return $"Tag \"{tag}\" length is more than maximum 100";
        }

        return TagPattern().IsMatch(tag) ? null : $"Tag \"{tag}\" must be alphanumeric characters or symbols: -_.";
    }

    /// <summary>Links must be web links: no javascript:, data: or file: URLs on pages.</summary>
    public static bool IsAcceptableUrl(string url)
    {
        if (url.Length == 0)
        {
            return true;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            // a relative reference (an uploaded file's name) is fine as long as it carries no scheme
            var colon = url.IndexOf(':', StringComparison.Ordinal);
            var slash = url.IndexOfAny(['/', '?', '#']);
            return colon < 0 || (slash >= 0 && slash < colon);
        }

        return uri.Scheme is "http" or "https" or "ftp";
    }

    /// <summary>A simple e-mail check (CKAN's email_validator).</summary>
    public static bool IsEmail(string s) => s.Length == 0 || EmailPattern().IsMatch(s);

    [GeneratedRegex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$")]
    private static partial Regex EmailPattern();
}
