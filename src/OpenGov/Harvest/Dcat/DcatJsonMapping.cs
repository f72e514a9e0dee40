using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenGov.Harvest.Dcat;

/// <summary>
/// A DCAT JSON dataset (the Project Open Data shape ckanext-dcat's dcat_json harvester reads) → a CKAN dict, as
/// ckanext-dcat's converters.dcat_to_ckan: title, description, landingPage, keyword, issued/modified, publisher,
/// license, distribution (downloadURL or accessURL, format, mediaType, byteSize). The guid is the identifier (else a
/// hash of the dataset, as ckanext-dcat does, SHA-256 here).
/// </summary>
public static class DcatJsonMapping
{
    public static HarvestRecord ToRecord(JsonObject d)
    {
        var identifier = Str(d, "identifier");
        var guid = identifier ?? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(d.ToJsonString())));
        var id = Guid.TryParse(identifier, out var uuid) ? uuid.ToString() : DcatMapping.DerivedId(guid);
        var title = Str(d, "title") ?? guid;
        var modified = Str(d, "modified") ?? "";
        var dict = new JsonObject
        {
            ["id"] = id,
            ["title"] = title,
            ["notes"] = Str(d, "description") ?? "",
            ["metadata_modified"] = modified,
        };
        if (Str(d, "landingPage") is { } landing)
        {
            dict["url"] = landing;
        }

        if (Str(d, "license") is { } license)
        {
            dict["license_id"] = Catalog.Licenses.All.FirstOrDefault(l => l.Url.Length > 0 && l.Url.TrimEnd('/') == license.TrimEnd('/'))?.Id ?? license;
        }

        var tags = new JsonArray();
        foreach (var k in (d["keyword"] as JsonArray ?? []).Select(k => k is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>().Trim() : "")
            .Where(k => k.Length > 0).Distinct(StringComparer.Ordinal))
        {
            tags.Add(new JsonObject { ["name"] = k });
        }

        dict["tags"] = tags;
        var extras = new JsonArray();
        void Extra(string key, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                extras.Add(new JsonObject { ["key"] = key, ["value"] = value });
            }
        }

        Extra("guid", guid);
        Extra("dcat_issued", Str(d, "issued"));
        Extra("dcat_modified", modified);
        Extra("dcat_publisher_name", d["publisher"] is JsonObject p ? Str(p, "name") : Str(d, "publisher"));
        dict["extras"] = extras;

        var resources = new JsonArray();
        foreach (var dist in (d["distribution"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var r = new JsonObject
            {
                ["url"] = Str(dist, "downloadURL") ?? Str(dist, "accessURL") ?? "",
                ["name"] = Str(dist, "title") ?? "",
                ["description"] = Str(dist, "description") ?? "",
            };
            if (Str(dist, "format") is { } format)
            {
                r["format"] = format;
            }

            if (Str(dist, "mediaType") is { } mediaType)
            {
                r["mimetype"] = mediaType;
            }

            if (dist["byteSize"] is JsonValue size && long.TryParse(size.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var bytes))
            {
                r["size"] = bytes;
            }

            resources.Add(r);
        }

        dict["resources"] = resources;
        var name = DcatMapping.NameOf(title, null, id);
        dict["name"] = name;
        return new HarvestRecord(guid, id, name, modified, dict);
    }

    private static string? Str(JsonObject o, string key) =>
        o[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Trim() is { Length: > 0 } s ? s : null;
}
