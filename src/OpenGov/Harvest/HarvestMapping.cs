using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenGov.Harvest;

/// <summary>
/// A source's package dict as this catalog stores it (ckanext-harvest's CKAN harvester import stage): the same id
/// and name, the source's organization (not the remote one), no groups (the remote ones need not exist here),
/// active and public, resources as links (their URLs point at the source), extras kept as text with the harvest
/// marks added (harvest_object_id, harvest_source_id, harvest_source_title; the source's own marks dropped).
/// </summary>
public static class HarvestMapping
{
    /// <summary>Top-level keys taken from the source; the others are computed here.</summary>
    private static readonly string[] PackageKeys =
    [
        "id", "name", "title", "notes", "url", "version", "author", "author_email", "maintainer", "maintainer_email", "license_id",
    ];

    /// <summary>Resource keys that describe the source's copy, not the data: dropped.</summary>
    private static readonly HashSet<string> ResourceDropped =
    [
        "url_type", "upload", "datastore_active", "datastore_contains_all_records_of_source_file", "package_id", "position",
        "state", "metadata_modified", "revision_id", "tracking_summary", "cache_url", "cache_last_updated", "created",
    ];

    public static readonly string[] HarvestExtras = ["harvest_object_id", "harvest_source_id", "harvest_source_title"];

    public static JsonObject ToLocal(JsonObject remote, HarvestSource source, string objectId)
    {
        var local = new JsonObject();
        foreach (var key in PackageKeys)
        {
            if (remote[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            {
                local[key] = v.DeepClone();
            }
        }

        local["state"] = "active";
        local["private"] = false;
        local["groups"] = new JsonArray();

        var tags = new JsonArray();
        foreach (var t in remote["tags"] as JsonArray ?? [])
        {
            var name = t switch
            {
                JsonObject o when o["name"] is JsonValue n && n.GetValueKind() == JsonValueKind.String => n.GetValue<string>(),
                JsonValue s when s.GetValueKind() == JsonValueKind.String => s.GetValue<string>(),
                _ => null,
            };
            if (name is not null)
            {
                tags.Add(new JsonObject { ["name"] = name });
            }
        }

        local["tags"] = tags;

        var extras = new JsonArray();
        foreach (var e in remote["extras"] as JsonArray ?? [])
        {
            if (e is JsonObject o && o["key"] is JsonValue k && k.GetValueKind() == JsonValueKind.String && !HarvestExtras.Contains(k.GetValue<string>()))
            {
                // extras are text; a remote number or object is kept as its JSON text (as the CKAN harvester does)
                var value = o["value"] switch
                {
                    null => "",
                    JsonValue s when s.GetValueKind() == JsonValueKind.String => s.GetValue<string>(),
                    var other => other.ToJsonString(),
                };
                extras.Add(new JsonObject { ["key"] = k.GetValue<string>(), ["value"] = value });
            }
        }

        extras.Add(new JsonObject { ["key"] = "harvest_object_id", ["value"] = objectId });
        extras.Add(new JsonObject { ["key"] = "harvest_source_id", ["value"] = source.Id });
        extras.Add(new JsonObject { ["key"] = "harvest_source_title", ["value"] = source.Title.Length > 0 ? source.Title : source.Name });
        local["extras"] = extras;

        var resources = new JsonArray();
        foreach (var r in remote["resources"] as JsonArray ?? [])
        {
            if (r is not JsonObject o)
            {
                continue;
            }

            var copy = new JsonObject();
            foreach (var (key, value) in o)
            {
                if (!ResourceDropped.Contains(key) && value is not null)
                {
                    copy[key] = value.DeepClone();
                }
            }

            resources.Add(copy);
        }

        local["resources"] = resources;
        return local;
    }

    /// <summary>The source's metadata_modified of a dict ("" when absent).</summary>
    public static string RemoteModified(JsonObject remote) =>
        remote["metadata_modified"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : "";

    public static string Name(JsonObject remote) =>
        remote["name"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : "";
}
