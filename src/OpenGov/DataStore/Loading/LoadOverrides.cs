using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OpenGov.Ckan;
using OpenGov.Shared;
using OpenGov.Storage;
using OpenGov.Tabular;

namespace OpenGov.DataStore;

/// <summary>Per-resource load overrides. Null members mean "detect".</summary>
public sealed record LoadOverrides
{
    public string? Encoding { get; init; }
    public string? Delimiter { get; init; }
    public int? HeaderRow { get; init; }
    public bool? NoHeader { get; init; }
    public string? Sheet { get; init; }
    public string? Standard { get; init; }
    public List<string>? EmptyMarkers { get; init; }
    public Dictionary<string, string>? Types { get; init; }

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static LoadOverrides Parse(string? json)
    {
        try
        {
            return string.IsNullOrWhiteSpace(json) ? new LoadOverrides() : JsonSerializer.Deserialize<LoadOverrides>(json, Json) ?? new LoadOverrides();
        }
        catch (JsonException)
        {
            return new LoadOverrides();
        }
    }

    /// <summary>Reads overrides from action parameters (encoding, delimiter, header_row, no_header, sheet, standard, empty_markers, types); null when none given.</summary>
    public static LoadOverrides? FromRequest(JsonObject data)
    {
        string? S(string k) => data[k] is JsonValue v ? v.ToString() : null;
        var keys = new[] { "encoding", "delimiter", "header_row", "no_header", "sheet", "standard", "empty_markers", "types" };
        if (!keys.Any(data.ContainsKey))
        {
            return null;
        }

        var encoding = S("encoding") is { Length: > 0 } e && e != "auto" ? e : null;
        try
        {
            _ = DataStoreDump.EncodingByName(encoding);
        }
        catch (ArgumentException)
        {
            throw CkanException.Validation("encoding", "Value must be one of: auto, utf-8, cp932, euc-jp");
        }

        var delimiter = S("delimiter") switch
        {
            null or "" or "auto" => null,
            "tab" or "\\t" or "\t" => "\t",
            { Length: 1 } d => d,
            _ => throw CkanException.Validation("delimiter", "A single character, \"tab\" or \"auto\""),
        };
        int? headerRow = null;
        if (S("header_row") is { Length: > 0 } hr && hr != "auto")
        {
            headerRow = int.TryParse(hr, NumberStyles.Integer, CultureInfo.InvariantCulture, out var h) && h >= 1 && h <= 1000 ? h
                : throw CkanException.Validation("header_row", "A row number from 1, or \"auto\"");
        }

        var standard = S("standard") is { Length: > 0 } st && st != "auto" && st != "none" ? st : S("standard") == "none" ? "none" : null;
        if (standard is not null && standard != "none" && !StandardSchemas.Names.Contains(standard))
        {
            throw CkanException.Validation("standard", "Value must be one of: " + string.Join(", ", StandardSchemas.Names) + ", none");
        }

        Dictionary<string, string>? types = null;
        if (data["types"] is { } tnode)
        {
            JsonObject? obj;
            try
            {
                obj = tnode as JsonObject ?? (tnode is JsonValue tv && tv.ToString().TrimStart().StartsWith('{') ? RequestJson.Parse(tv.ToString()) as JsonObject : null);
            }
            catch (JsonException)
            {
                throw CkanException.Validation("types", "Not a dictionary of column names and types");
            }

            if (obj is not null)
            {
                types = [];
                foreach (var (k, v) in obj)
                {
                    var t = DsTypes.Canonical(v?.ToString());
                    if (t is null || DsTypes.ToColumnType(t) is null)
                    {
                        throw CkanException.Validation("types", $"\"{v}\" is not a type for column \"{k}\"");
                    }

                    types[k] = t;
                }
            }
        }

        List<string>? markers = null;
        if (data["empty_markers"] is JsonArray ma)
        {
            markers = [.. ma.Select(x => x?.ToString() ?? "")];
        }
        else if (S("empty_markers") is { Length: > 0 } ms)
        {
            markers = [.. ms.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
        }

        var noHeader = S("no_header") is { } nh ? nh is "true" or "1" or "on" : (bool?)null;
        return new LoadOverrides
        {
            Encoding = encoding,
            Delimiter = delimiter,
            HeaderRow = headerRow,
            NoHeader = noHeader == true ? true : null,
            Sheet = S("sheet") is { Length: > 0 } sh ? sh : null,
            Standard = standard,
            EmptyMarkers = markers,
            Types = types,
        };
    }
}

/// <summary>Where a resource's overrides are kept: its row of datastore_resource (used by every later load).</summary>
public static class LoadOverridesStore
{
    public static async Task<LoadOverrides> GetAsync(OpenGovDb db, string resourceId, CancellationToken ct)
    {
        var json = await db.Set<DataStoreResource>().AsNoTracking().Where(s => s.ResourceId == resourceId).Select(s => s.OptionsJson).FirstOrDefaultAsync(ct);
        return LoadOverrides.Parse(json);
    }

    public static async Task SetAsync(OpenGovDb db, string resourceId, LoadOverrides overrides, CancellationToken ct)
    {
        var state = await db.Set<DataStoreResource>().FirstOrDefaultAsync(s => s.ResourceId == resourceId, ct);
        if (state is null)
        {
            state = new DataStoreResource { ResourceId = resourceId };
            db.Add(state);
        }

        state.OptionsJson = overrides.ToJson();
        await db.SaveChangesAsync(ct);
    }
}
