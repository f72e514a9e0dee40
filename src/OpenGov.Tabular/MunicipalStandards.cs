using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenGov.Tabular;

/// <summary>
/// Reads the 自治体標準オープンデータセット definitions (embedded <c>Schemas/municipal_standard.json</c>: one table of
/// datasets, each a list of compact field specs with shared blocks) into <see cref="TableSchema"/>s with a generated
/// Frictionless JSON. No code per dataset: a dataset is added by adding a row to the data file.
/// </summary>
internal static class MunicipalStandards
{
    public static List<TableSchema> Load(string json)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        var source = string.Join(" / ", root["source"]!.AsArray().Select(s => s!.GetValue<string>()));
        var blocks = root["blocks"]!.AsObject().ToDictionary(b => b.Key, b => b.Value!.AsArray().Select(v => v!.GetValue<string>()).ToList());
        var result = new List<TableSchema>();
        foreach (var d in root["datasets"]!.AsArray())
        {
            var specs = new List<string>();
            foreach (var f in d!["fields"]!.AsArray().Select(v => v!.GetValue<string>()))
            {
                if (f.StartsWith('@'))
                {
                    specs.AddRange(blocks[f[1..]]);
                }
                else
                {
                    specs.Add(f);
                }
            }
            var fields = specs.Select(Field).ToList();
            var name = d["name"]!.GetValue<string>();
            var title = d["title"]!.GetValue<string>();
            var schema = new TableSchema
            {
                Name = name,
                Title = title,
                Fields = fields,
                AllowExtraColumns = true,
                DistinctiveColumns = [.. d["distinctive"]!.AsArray().Select(v => v!.GetValue<string>())],
                FileNames = [.. d["files"]!.AsArray().Select(v => v!.GetValue<string>())],
                Source = source,
            };
            result.Add(schema with { Json = ToFrictionless(schema) });
        }
        return result;
    }

    /// <summary>Parses <c>name[:type][!][=alias|alias]</c>.</summary>
    private static SchemaField Field(string spec)
    {
        var aliases = Array.Empty<string>();
        var eq = spec.IndexOf('=', StringComparison.Ordinal);
        if (eq >= 0)
        {
            aliases = spec[(eq + 1)..].Split('|');
            spec = spec[..eq];
        }
        var required = spec.EndsWith('!');
        spec = spec.TrimEnd('!');
        var colon = spec.LastIndexOf(':');
        var kind = colon > 0 ? spec[(colon + 1)..] : "string";
        var name = colon > 0 ? spec[..colon] : spec;
        return new SchemaField
        {
            Name = name,
            Type = kind switch
            {
                "int" => "integer",
                "num" or "lat" or "lon" => "number",
                "date" => "date",
                "time" => "time",
                "datetime" => "datetime",
                "code" or "url" or "string" => "string",
                _ => throw new InvalidOperationException($"Unknown field type '{kind}' in '{spec}'"),
            },
            Required = required,
            OptionalColumn = !required,
            LocalGovCode = kind == "code",
            Geo = kind switch { "lat" => "latitude", "lon" => "longitude", _ => null },
            Url = kind == "url",
            Aliases = aliases,
        };
    }

    private static string ToFrictionless(TableSchema s)
    {
        var fields = new JsonArray();
        foreach (var f in s.Fields)
        {
            var o = new JsonObject { ["name"] = f.Name, ["type"] = f.Type };
            if (f.Required)
            {
                o["constraints"] = new JsonObject { ["required"] = true };
            }
            if (f.Geo is { } geo)
            {
                o["x-geo"] = geo;
                o["constraints"] = new JsonObject
                {
                    ["minimum"] = geo == "latitude" ? GeoBounds.MinLatitude : GeoBounds.MinLongitude,
                    ["maximum"] = geo == "latitude" ? GeoBounds.MaxLatitude : GeoBounds.MaxLongitude,
                };
            }
            if (f.Url)
            {
                o["format"] = "uri";
            }
            if (f.LocalGovCode)
            {
                o["x-localGovCode"] = true;
            }
            if (f.OptionalColumn)
            {
                o["x-optionalColumn"] = true;
            }
            if (f.Aliases.Count > 0)
            {
                o["x-aliases"] = new JsonArray([.. f.Aliases.Select(a => (JsonNode)a)]);
            }
            fields.Add(o);
        }
        var root = new JsonObject
        {
            ["name"] = s.Name,
            ["title"] = s.Title,
            ["description"] = "自治体標準オープンデータセット: " + s.Title,
            ["sources"] = new JsonArray(new JsonObject { ["title"] = s.Source }),
            ["fields"] = fields,
            ["x-allowExtraColumns"] = true,
            ["x-distinctiveColumns"] = new JsonArray([.. s.DistinctiveColumns.Select(c => (JsonNode)c)]),
            ["x-fileNames"] = new JsonArray([.. s.FileNames.Select(c => (JsonNode)c)]),
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}

/// <summary>Latitude and longitude bounds of Japan (with its remote islands: 沖ノ鳥島 20.4°N, 南鳥島 153.98°E, 与那国島 122.93°E, 択捉島 45.5°N).</summary>
public static class GeoBounds
{
    /// <summary>Southernmost latitude accepted.</summary>
    public const decimal MinLatitude = 20m;

    /// <summary>Northernmost latitude accepted.</summary>
    public const decimal MaxLatitude = 46m;

    /// <summary>Westernmost longitude accepted.</summary>
    public const decimal MinLongitude = 122m;

    /// <summary>Easternmost longitude accepted.</summary>
    public const decimal MaxLongitude = 154m;

    /// <summary>True when the point lies within Japan's bounding box.</summary>
    public static bool InJapan(decimal latitude, decimal longitude) =>
        latitude is >= MinLatitude and <= MaxLatitude && longitude is >= MinLongitude and <= MaxLongitude;
}
