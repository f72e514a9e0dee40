using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenGov.Shared;

namespace OpenGov.Ckan;

/// <summary>
/// The parameters of one action call, however they came: the query string (GET), a JSON object body (POST), or
/// form fields (POST multipart/form-data or urlencoded, with uploaded files). CKAN merges them the same way.
/// </summary>
public sealed class CkanRequest
{
    private CkanRequest(string action, JsonObject data, IFormFileCollection? files, string? parseError)
    {
        Action = action;
        HelpUrl = "";
        Data = data;
        Files = files;
        ParseError = parseError;
    }

    public string Action { get; }

    /// <summary>CKAN's "help" link for this action, absolute.</summary>
    public string HelpUrl { get; private set; }

    public JsonObject Data { get; }

    public IFormFileCollection? Files { get; }

    /// <summary>Why the body could not be read, if it could not (turned into a 400 by the action filter).</summary>
    public string? ParseError { get; }

    /// <summary>True when the body was refused for its size (Kestrel's or the form reader's limit): a 413.</summary>
    public bool TooLarge { get; private init; }

    /// <summary>Minimal API binding: never throws; a bad body is reported through <see cref="ParseError"/>.</summary>
    public static async ValueTask<CkanRequest?> BindAsync(HttpContext context)
    {
        var request = await ReadAsync(context);
        request.HelpUrl = CkanApi.SiteUrl(context) + "/api/3/action/help_show?name=" + Uri.EscapeDataString(request.Action);
        return request;
    }

    private static async ValueTask<CkanRequest> ReadAsync(HttpContext context)
    {
        var action = context.GetRouteValue("action") as string
            ?? context.Request.Path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
        var data = new JsonObject();
        foreach (var (key, values) in context.Request.Query)
        {
            data[key] = values.Count == 1 ? JsonValue.Create(values[0]) : new JsonArray([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
        }

        if (NulGuard.HasNul(context.Request.Query))
        {
            return new CkanRequest(action, data, null, NulMessage);
        }

        if (!HttpMethods.IsPost(context.Request.Method))
        {
            return new CkanRequest(action, data, null, null);
        }

        try
        {
            if (context.Request.HasFormContentType)
            {
                var form = await context.Request.ReadFormAsync(context.RequestAborted);
                if (NulGuard.HasNul(form))
                {
                    return new CkanRequest(action, data, null, NulMessage);
                }

                foreach (var (key, values) in form)
                {
                    data[key] = values.Count == 1 ? ParseFormValue(values[0]) : new JsonArray([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
                }

                return new CkanRequest(action, data, form.Files, null);
            }

            if (context.Request.ContentLength == 0)
            {
                return new CkanRequest(action, data, null, null);
            }

            using var reader = new StreamReader(context.Request.Body);
            var text = await reader.ReadToEndAsync(context.RequestAborted);
            if (string.IsNullOrWhiteSpace(text))
            {
                return new CkanRequest(action, data, null, null);
            }

            if (RequestJson.ContainsEscapedNul(text))
            {
                return new CkanRequest(action, data, null, NulMessage);
            }

            if (RequestJson.ContainsLoneSurrogate(text))
            {
                return new CkanRequest(action, data, null, "Bad request - JSON Error: unpaired surrogate escape (such as \\ud800 alone) in the JSON text");
            }

            var node = RequestJson.Parse(text);
            if (node is not JsonObject obj)
            {
                return new CkanRequest(action, data, null, "Bad request data: Request data JSON decoded to '" + node?.GetValueKind().ToString().ToLowerInvariant() + "' but it needs to be a dictionary.");
            }

            foreach (var (key, value) in obj.ToList())
            {
                obj.Remove(key);
                data[key] = value;
            }

            return new CkanRequest(action, data, null, null);
        }
        catch (JsonException e)
        {
            return new CkanRequest(action, data, null, "Bad request - JSON Error: " + e.Message);
        }
        catch (InvalidDataException e)
        {
            return new CkanRequest(action, data, null, "Bad request: " + e.Message) { TooLarge = e.Message.Contains("body length limit", StringComparison.OrdinalIgnoreCase) };
        }
        catch (BadHttpRequestException e)
        {
            return new CkanRequest(action, data, null, "Bad request: " + e.Message) { TooLarge = e.StatusCode == StatusCodes.Status413PayloadTooLarge };
        }
    }

    /// <summary>
    /// U+0000 cannot be stored in PostgreSQL text (and is never meaningful in a catalog or a table cell), so a request
    /// carrying it is refused as a whole, on every database alike, before anything is read or written.
    /// </summary>
    private const string NulMessage = "Bad request - text must not contain the character U+0000 (NUL)";

    /// <summary>Form fields that hold JSON lists or objects (tags, extras) are parsed; others stay strings.</summary>
    private static JsonNode? ParseFormValue(string? value)
    {
        if (value is { Length: > 1 } && (value[0] == '[' || value[0] == '{'))
        {
            try
            {
                return RequestJson.Parse(value);
            }
            catch (JsonException)
            {
            }
        }

        return JsonValue.Create(value);
    }

    public bool Has(string key) => Data.ContainsKey(key);

    /// <summary>A string parameter; numbers and booleans are turned to their text.</summary>
    public string? String(string key)
    {
        var node = Data[key];
        return node switch
        {
            null => null,
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            JsonValue v when v.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.ToJsonString(),
            _ => throw CkanException.Validation(key, "Must be a string"),
        };
    }

    public string RequiredString(string key)
    {
        var s = String(key);
        return string.IsNullOrWhiteSpace(s) ? throw CkanException.Missing(key) : s;
    }

    /// <summary>The "id" parameter, or "name" when there is no id (as CKAN's *_show actions accept).</summary>
    public string IdOrName() => String("id") is { Length: > 0 } id ? id : String("name") is { Length: > 0 } n ? n : throw CkanException.Missing("id");

    /// <summary>An integer parameter within bounds; CKAN answers 409 for a bad integer.</summary>
    public int Int(string key, int defaultValue, int min = int.MinValue, int max = int.MaxValue)
    {
        var node = Data[key];
        if (node is null)
        {
            return defaultValue;
        }

        long value;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out long l))
        {
            value = l;
        }
        else if (node is JsonValue s && s.GetValueKind() == JsonValueKind.String && long.TryParse(s.GetValue<string>(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
        {
            value = parsed;
        }
        else if (node is JsonValue s2 && s2.GetValueKind() == JsonValueKind.String && string.IsNullOrWhiteSpace(s2.GetValue<string>()))
        {
            return defaultValue;
        }
        else
        {
            throw CkanException.Validation(key, "Invalid integer");
        }

        if (value < min)
        {
            throw CkanException.Validation(key, "Must be a natural number");
        }

        return (int)Math.Min(value, max);
    }

    /// <summary>A boolean parameter: true/false, "true"/"false", "1"/"0", "yes"/"no"; an empty string means the default.</summary>
    public bool Bool(string key, bool defaultValue)
    {
        var node = Data[key];
        if (node is null || (node is JsonValue e && e.GetValueKind() == JsonValueKind.String && string.IsNullOrWhiteSpace(e.GetValue<string>())))
        {
            return defaultValue;
        }

        return ParseBool(node) ?? throw CkanException.Validation(key, "Value must be one of: true; false");
    }

    /// <summary>
    /// CKAN's boolean_validator: JSON booleans, numbers (0 is false) and the words true/false, yes/no, on/off, t/f,
    /// y/n, 1/0 ("" is false); null when the value is none of them.
    /// </summary>
    public static bool? ParseBool(JsonNode node)
    {
        if (node is JsonValue v)
        {
            switch (v.GetValueKind())
            {
                case JsonValueKind.True: return true;
                case JsonValueKind.False: return false;
                case JsonValueKind.Number: return v.ToJsonString() != "0";
                case JsonValueKind.String:
                    var s = v.GetValue<string>().Trim().ToLowerInvariant();
                    if (s is "true" or "1" or "yes" or "on" or "t" or "y")
                    {
                        return true;
                    }

                    if (s is "false" or "0" or "no" or "off" or "f" or "n" or "")
                    {
                        return false;
                    }

                    break;
            }
        }

        return null;
    }

    /// <summary>A list parameter given as a JSON list, a JSON-encoded string, or a comma-separated string.</summary>
    public List<string>? List(string key)
    {
        var node = Data[key];
        switch (node)
        {
            case null:
                return null;
            case JsonArray a:
                return [.. a.Select(x => x is JsonValue jv && jv.GetValueKind() == JsonValueKind.String ? jv.GetValue<string>() : x?.ToJsonString() ?? "")];
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                var s = v.GetValue<string>().Trim();
                if (s.StartsWith('['))
                {
                    try
                    {
                        return RequestJson.Parse(s) is JsonArray parsed ? [.. parsed.Select(x => x?.GetValue<string>() ?? "")] : throw CkanException.Validation(key, "Not a list");
                    }
                    catch (Exception e) when (e is JsonException or InvalidOperationException)
                    {
                        throw CkanException.Validation(key, "Not a list");
                    }
                }

                return s.Length == 0 ? [] : [.. s.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
            default:
                throw CkanException.Validation(key, "Not a list");
        }
    }

    public JsonArray? Array(string key) => Data[key] switch
    {
        null => null,
        JsonArray a => a,
        JsonValue v when v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().TrimStart().StartsWith('[') => TryParseArray(key, v.GetValue<string>()),
        _ => throw CkanException.Validation(key, "Not a list"),
    };

    private static JsonArray TryParseArray(string key, string s)
    {
        try
        {
            return RequestJson.Parse(s) as JsonArray ?? throw CkanException.Validation(key, "Not a list");
        }
        catch (JsonException)
        {
            throw CkanException.Validation(key, "Not a list");
        }
    }
}
