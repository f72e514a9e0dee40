using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using OpenGov.Ckan;
using OpenGov.Storage;

namespace OpenGov.Catalog;

/// <summary>
/// CKAN's small lookups over public datasets: tag_show, vocabulary_list (none: tags here have no vocabularies),
/// package_autocomplete, format_autocomplete, tag_autocomplete, organization_autocomplete and group_autocomplete. Everyone may call them (CKAN: no auth beyond site_read); only
/// public datasets are looked at, so no private name or format shows through.
/// </summary>
public static class LookupActions
{
    public static void Map(CkanActionMapper api)
    {
        api.CachedRead("tag_show", api.Group.MapMethods("/tag_show", CkanActionMapper.ReadMethods, TagShow), "One free tag by id or name (include_datasets).");
        api.CachedRead("vocabulary_list", api.Group.MapMethods("/vocabulary_list", CkanActionMapper.ReadMethods, VocabularyList), "Tag vocabularies (none on this site).");
        api.CachedRead("package_autocomplete", api.Group.MapMethods("/package_autocomplete", CkanActionMapper.ReadMethods, PackageAutocomplete), "Public datasets whose name or title contains q (limit, default 10).");
        api.CachedRead("format_autocomplete", api.Group.MapMethods("/format_autocomplete", CkanActionMapper.ReadMethods, FormatAutocomplete), "Resource formats containing q, most used first (limit, default 5).");
        api.CachedRead("tag_autocomplete", api.Group.MapMethods("/tag_autocomplete", CkanActionMapper.ReadMethods, TagAutocomplete), "Names of free tags of public datasets containing q (limit, default 10; vocabulary_id finds none).");
        api.CachedRead("organization_autocomplete", api.Group.MapMethods("/organization_autocomplete", CkanActionMapper.ReadMethods, OrganizationAutocomplete), "Active organizations whose name or title contains q, as {id, name, title} (limit, default 20).");
        api.CachedRead("group_autocomplete", api.Group.MapMethods("/group_autocomplete", CkanActionMapper.ReadMethods, GroupAutocomplete), "Active groups whose name or title contains q, as {id, name, title} (limit, default 20).");
    }

    private static async Task<JsonHttpResult<CkanEnvelope<JsonArray>>> TagAutocomplete(CkanRequest req, OpenGovDb db, CancellationToken ct)
    {
        var q = req.RequiredString("q");
        var limit = req.Int("limit", 10, 1, 1000);
        var tags = req.String("vocabulary_id") is { Length: > 0 } ? [] : await TagsAsync(db, q, limit, ct);
        return CkanApi.Ok(req, new JsonArray([.. tags.Select(t => (JsonNode?)JsonValue.Create(t))]));
    }

    private static async Task<JsonHttpResult<CkanEnvelope<JsonArray>>> OrganizationAutocomplete(CkanRequest req, OpenGovDb db, CancellationToken ct) =>
        CkanApi.Ok(req, await OrganizationsOrGroupsAsync(db, true, req.RequiredString("q"), req.Int("limit", 20, 1, 1000), ct));

    private static async Task<JsonHttpResult<CkanEnvelope<JsonArray>>> GroupAutocomplete(CkanRequest req, OpenGovDb db, CancellationToken ct) =>
        CkanApi.Ok(req, await OrganizationsOrGroupsAsync(db, false, req.RequiredString("q"), req.Int("limit", 20, 1, 1000), ct));

    private static async Task<JsonHttpResult<CkanEnvelope<JsonObject>>> TagShow(CkanRequest req, OpenGovDb db, CatalogReader reader, CancellationToken ct)
    {
        var id = req.RequiredString("id");
        var tag = await db.Tags.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id || t.Name == id, ct) ?? throw CkanException.NotFound("Could not find tag \"" + id + "\"");
        var result = new JsonObject { ["id"] = tag.Id, ["name"] = tag.Name, ["display_name"] = tag.Name, ["vocabulary_id"] = null };
        if (req.Bool("include_datasets", false))
        {
            var datasets = await db.Datasets.AsNoTracking().Public().WithFullPackage()
                .Where(d => db.DatasetTags.Any(dt => dt.DatasetId == d.Id && dt.TagId == tag.Id)).OrderBy(d => d.Name).Take(1000).ToListAsync(ct);
            result["packages"] = System.Text.Json.JsonSerializer.SerializeToNode(await reader.ToDictsAsync(datasets, ct), CkanApi.Json);
        }

        return CkanApi.Ok(req, result);
    }

    private static JsonHttpResult<CkanEnvelope<JsonArray>> VocabularyList(CkanRequest req) => CkanApi.Ok(req, new JsonArray());

    private static async Task<JsonHttpResult<CkanEnvelope<JsonArray>>> PackageAutocomplete(CkanRequest req, OpenGovDb db, CancellationToken ct) =>
        CkanApi.Ok(req, await PackagesAsync(db, req.String("q"), req.Int("limit", 10, 1, 100), ct));

    private static async Task<JsonHttpResult<CkanEnvelope<JsonArray>>> FormatAutocomplete(CkanRequest req, OpenGovDb db, CancellationToken ct) =>
        CkanApi.Ok(req, new JsonArray([.. (await FormatsAsync(db, req.String("q"), req.Int("limit", 5, 1, 100), ct)).Select(f => (JsonNode?)JsonValue.Create(f))]));

    /// <summary>package_autocomplete's answer: public datasets whose name or title contains q.</summary>
    public static async Task<JsonArray> PackagesAsync(OpenGovDb db, string? query, int limit, CancellationToken ct)
    {
        var q = (query ?? "").Trim();
        var result = new JsonArray();
        if (q.Length == 0)
        {
            return result;
        }

        var rows = await db.Datasets.AsNoTracking().Public().Select(d => new { d.Name, d.Title }).ToListAsync(ct);
        var matches = rows
            .Select(d => (d.Name, d.Title, Field: d.Name.Contains(q, StringComparison.OrdinalIgnoreCase) ? "name" : d.Title.Contains(q, StringComparison.OrdinalIgnoreCase) ? "title" : null))
            .Where(m => m.Field is not null)
            .OrderBy(m => m.Field == "name" && m.Name.StartsWith(q, StringComparison.OrdinalIgnoreCase) ? 0 : 1).ThenBy(m => m.Name, StringComparer.Ordinal)
            .Take(limit);
        foreach (var (name, title, field) in matches)
        {
            // CKAN's answer: match_displayed is "title (name)" when the title matched, else the name
            result.Add(new JsonObject { ["name"] = name, ["title"] = title, ["match_field"] = field, ["match_displayed"] = field == "title" ? $"{title} ({name})" : name });
        }

        return result;
    }

    /// <summary>format_autocomplete's answer: formats of public resources containing q, most used first, lower case.</summary>
    public static async Task<List<string>> FormatsAsync(OpenGovDb db, string? query, int limit, CancellationToken ct)
    {
        var q = (query ?? "").Trim();
        var formats = await db.Resources.AsNoTracking()
            .Where(r => r.State == RecordState.Active && r.Format != "" && db.Datasets.Public().Any(d => d.Id == r.DatasetId))
            .Select(r => r.Format).ToListAsync(ct);
        var found = formats.Select(f => f.ToLowerInvariant()).Where(f => f.Contains(q.ToLowerInvariant(), StringComparison.Ordinal))
            .GroupBy(f => f).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(limit);
        return [.. found.Select(g => g.Key)];
    }

    /// <summary>
    /// CKAN's tag_autocomplete (_tag_search): free tags applied to a dataset whose name contains q, case-insensitively,
    /// by name; here only tags of public active datasets, so a private dataset's tag does not show through.
    /// </summary>
    public static async Task<List<string>> TagsAsync(OpenGovDb db, string? query, int limit, CancellationToken ct)
    {
        var q = (query ?? "").Trim().ToLowerInvariant();
        if (q.Length == 0)
        {
            return [];
        }

        var names = await db.Tags.AsNoTracking()
            .Where(t => db.DatasetTags.Any(dt => dt.TagId == t.Id && db.Datasets.Public().Any(d => d.Id == dt.DatasetId)))
            .Select(t => t.Name).ToListAsync(ct);
        return [.. names.Where(n => n.ToLowerInvariant().Contains(q, StringComparison.Ordinal)).Order(StringComparer.Ordinal).Take(limit)];
    }

    /// <summary>
    /// CKAN's organization_autocomplete / group_autocomplete (Group.search_by_name_or_title): active organizations or
    /// groups whose name or title contains q (case-insensitively), as {id, name, title}, by title.
    /// </summary>
    public static async Task<JsonArray> OrganizationsOrGroupsAsync(OpenGovDb db, bool organizations, string? query, int limit, CancellationToken ct)
    {
        var q = (query ?? "").Trim().ToLowerInvariant();
        if (q.Length == 0)
        {
            return [];
        }

        var rows = organizations
            ? await db.Organizations.AsNoTracking().Where(o => o.State == RecordState.Active).Select(o => new { o.Id, o.Name, o.Title }).ToListAsync(ct)
            : await db.Groups.AsNoTracking().Where(g => g.State == RecordState.Active).Select(g => new { g.Id, g.Name, g.Title }).ToListAsync(ct);
        return new JsonArray([.. rows
            .Where(r => r.Name.Contains(q, StringComparison.Ordinal) || r.Title.ToLowerInvariant().Contains(q, StringComparison.Ordinal))
            .OrderBy(r => r.Title, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal).Take(limit)
            .Select(r => (JsonNode?)new JsonObject { ["id"] = r.Id, ["name"] = r.Name, ["title"] = r.Title })]);
    }
}
