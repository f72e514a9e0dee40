using System.Text.Json;
using System.Text.Json.Nodes;
using OpenGov.Ckan;
using OpenGov.Shared;

namespace OpenGov.Catalog.Editing;

/// <summary>
/// package_revise (CKAN 2.9+): reads the dataset as package_show shows it (403 to who may not read it), checks
/// <c>match</c> and <c>match__KEY</c> values against it (409 on <c>match</c> listing the keys that differ), removes
/// fields by <c>filter</c> globs, merges <c>update</c> and then <c>update__KEY</c> values (<c>__extend</c> appends to a
/// list), and saves the result with package_update (so its checks and authorisation apply). Answers
/// <c>{"package": ...}</c>, filtered by <c>include</c>. Files come as multipart fields
/// <c>update__resources__N__upload</c> (N an index, -1, or an id prefix): stored as resource_update stores an upload,
/// together with the rest of the change or not at all.
/// </summary>
public sealed class PackageReviser(CatalogReader reader, PackageEditor editor)
{
    /// <summary>Stands for a file in the revised dict until the dict is merged (CKAN puts the file object itself there).</summary>
    private const string FileMarker = "\u0000opengov-upload:";

    public async Task<JsonObject> ReviseAsync(JsonObject data, IFormFileCollection? files, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var match = DictArg(data, "match", errors);
        var update = DictArg(data, "update", errors);
        var filter = ListArg(data, "filter", errors);
        var include = ListArg(data, "include", errors);
        var matchKeys = Prefixed(data, "match__");
        var updateKeys = Prefixed(data, "update__");
        var uploads = ResourceFiles(files, updateKeys);
        errors.ThrowIfAny();

        var nameOrId = new[] { TextOf(matchKeys, "id"), TextIn(match, "id"), TextOf(matchKeys, "name"), TextIn(match, "name") }
            .FirstOrDefault(x => !string.IsNullOrEmpty(x))
            ?? throw CkanException.Validation("match__id", "Missing value");

        var shown = await reader.ShowPackageAsync(nameOrId, ct) ?? throw CkanException.NotFound();
        var orig = JsonSerializer.SerializeToNode(shown, CkanApi.Json)!.AsObject();

        var unmatched = new List<List<object>>();
        try
        {
            if (match is not null)
            {
                unmatched.AddRange(DictPaths.CheckDict(orig, match, []));
            }

            foreach (var (k, v) in matchKeys.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                unmatched.AddRange(DictPaths.CheckStringKey(orig, k, v));
            }
        }
        catch (DictPathException e)
        {
            // CKAN lets this DataError reach its api view: 400 "Integrity Error"
            throw new CkanException(400, "Integrity Error", e.Message);
        }

        if (unmatched.Count > 0)
        {
            throw CkanException.Validation(new Dictionary<string, List<string>> { ["match"] = [.. unmatched.Select(DictPaths.Join)] });
        }

        if (filter is not null)
        {
            var id = orig["id"]?.DeepClone();
            DictPaths.FilterGlobMatch(orig, filter);
            orig["id"] = id;
        }

        if (update is not null)
        {
            try
            {
                DictPaths.MergeDict(orig, update, []);
            }
            catch (DictPathException e)
            {
                throw CkanException.Validation("update", e.Message);
            }
        }

        // __extend keys first (CKAN sorts them by the character six from their end), so later keys may name new items
        foreach (var (k, v) in updateKeys.OrderBy(p => p.Key.EndsWith("extend", StringComparison.Ordinal) ? p.Key[^6].ToString() : p.Key, StringComparer.Ordinal))
        {
            try
            {
                DictPaths.MergeStringKey(orig, k, v);
            }
            catch (DictPathException e)
            {
                throw CkanException.Validation(k, e.Message);
            }
        }

        var saved = await editor.UpdateAsync(orig, patch: false, TakeFiles(orig, uploads), ct);
        var result = new JsonObject { ["package"] = JsonSerializer.SerializeToNode(saved, CkanApi.Json) };
        if (include is not null)
        {
            DictPaths.FilterGlobMatch(result, include);
        }

        return result;
    }

    /// <summary>
    /// The files of fields <c>update__resources__SELECTOR__upload</c> (CKAN's api view puts request.files among the
    /// parameters, so they merge as update__ keys); each is put into the update keys as a marker. Other file fields
    /// are ignored, as resource_create ignores all but "upload".
    /// </summary>
    private static Dictionary<string, IFormFile> ResourceFiles(IFormFileCollection? files, Dictionary<string, JsonNode?> updateKeys)
    {
        var byMarker = new Dictionary<string, IFormFile>(StringComparer.Ordinal);
        foreach (var file in files ?? (IEnumerable<IFormFile>)[])
        {
            var parts = file.Name.Split("__");
            if (parts is not ["update", "resources", { Length: > 0 }, "upload"] || (file.Length == 0 && string.IsNullOrEmpty(file.FileName)))
            {
                continue;
            }

            var marker = FileMarker + Guid.NewGuid().ToString("N");
            byMarker[marker] = file;
            updateKeys[file.Name["update__".Length..]] = JsonValue.Create(marker);
        }

        return byMarker;
    }

    /// <summary>Takes the markers out of the revised resources: the file for each resource position.</summary>
    private static Dictionary<int, IFormFile>? TakeFiles(JsonObject revised, Dictionary<string, IFormFile> byMarker)
    {
        if (byMarker.Count == 0 || revised["resources"] is not JsonArray resources)
        {
            return null;
        }

        var files = new Dictionary<int, IFormFile>();
        for (var i = 0; i < resources.Count; i++)
        {
            if (resources[i] is JsonObject r && r["upload"] is JsonValue v && v.TryGetValue(out string? marker) && byMarker.TryGetValue(marker, out var file))
            {
                r.Remove("upload");
                files[i] = file;
            }
        }

        return files;
    }

    /// <summary>CKAN's collect_prefix_validate(prefix, json_or_string): the keys starting with the prefix, without it.</summary>
    private static Dictionary<string, JsonNode?> Prefixed(JsonObject data, string prefix) =>
        data.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(p => p.Key[prefix.Length..], p => JsonOrString(p.Value), StringComparer.Ordinal);

    /// <summary>ignore_missing, json_or_string, dict_only.</summary>
    private static JsonObject? DictArg(JsonObject data, string key, ValidationErrors errors)
    {
        if (!data.TryGetPropertyValue(key, out var node) || node is null)
        {
            return null;
        }

        if (JsonOrString(node) is JsonObject o)
        {
            return o;
        }

        errors.Report(key, "Must be a dict");
        return null;
    }

    /// <summary>ignore_missing, json_list_or_string, list_of_strings.</summary>
    private static List<string>? ListArg(JsonObject data, string key, ValidationErrors errors)
    {
        if (!data.TryGetPropertyValue(key, out var node) || node is null)
        {
            return null;
        }

        var value = node is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? JsonOrString(node) is JsonArray parsed ? parsed : new JsonArray([.. v.GetValue<string>().Split(',').Select(s => (JsonNode?)JsonValue.Create(s))])
            : node;
        if (value is not JsonArray a)
        {
            errors.Report(key, "Not a list");
            return null;
        }

        var list = new List<string>();
        foreach (var item in a)
        {
            if (item is not JsonValue s || s.GetValueKind() != JsonValueKind.String)
            {
                errors.Report(key, "Not a string: " + item?.ToJsonString());
                return null;
            }

            list.Add(s.GetValue<string>());
        }

        return list;
    }

    /// <summary>CKAN's json_or_string: a string holding JSON is parsed; any other string stays one.</summary>
    private static JsonNode? JsonOrString(JsonNode? node)
    {
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            try
            {
                return RequestJson.Parse(v.GetValue<string>()) ?? node.DeepClone();
            }
            catch (JsonException)
            {
            }
        }

        return node?.DeepClone();
    }

    private static string? TextOf(Dictionary<string, JsonNode?> values, string key) =>
        values.TryGetValue(key, out var v) && v is JsonValue jv && jv.GetValueKind() == JsonValueKind.String ? jv.GetValue<string>() : null;

    private static string? TextIn(JsonObject? values, string key) =>
        values?[key] is JsonValue jv && jv.GetValueKind() == JsonValueKind.String ? jv.GetValue<string>() : null;
}
