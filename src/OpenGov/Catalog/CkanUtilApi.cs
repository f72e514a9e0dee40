using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenGov.Accounts;
using OpenGov.Ckan;
using OpenGov.Hosting;
using OpenGov.Storage;

namespace OpenGov.Catalog;

/// <summary>
/// CKAN's util API (ckan/views/api.py), which CKAN's own forms and older clients call: GET /api/util/... and
/// /api/{1,2}/util/... autocompletes with their parameters (incomplete= for datasets, tags and formats; q= for users,
/// organizations and groups) and answer shapes ({"ResultSet": {"Result": [...]}} or a bare list), and
/// /api/i18n/{lang} (CKAN's JavaScript translations for a locale of the site). The answers are not CKAN envelopes; a
/// bad request answers 400 with the JSON string "Bad request: ...", as CKAN's _finish_bad_request does.
/// </summary>
public static class CkanUtilApi
{
    public static IEndpointRouteBuilder MapCkanUtilApi(this IEndpointRouteBuilder app)
    {
        foreach (var prefix in new[] { "/api", "/api/{ver:int:range(1,2)}" })
        {
            var g = app.MapGroup(prefix).WithTags("CKAN util API");
            g.MapGet("/util/dataset/autocomplete", Dataset).WithSummary("Public datasets whose name or title contains incomplete (limit, default 10).");
            g.MapGet("/util/tag/autocomplete", Tag).WithSummary("Free tags of public datasets containing incomplete (limit, default 10).");
            g.MapGet("/util/resource/format_autocomplete", Format).WithSummary("Resource formats containing incomplete (limit, default 5).");
            g.MapGet("/util/user/autocomplete", User).WithSummary("Users whose name or full name contains q (limit, default 20; ignore_self).");
            g.MapGet("/util/organization/autocomplete", (HttpContext ctx, OpenGovDb db, CancellationToken ct) => OrganizationsOrGroups(ctx, db, true, ct))
                .WithSummary("Active organizations whose name or title contains q (limit, default 20).");
            g.MapGet("/util/group/autocomplete", (HttpContext ctx, OpenGovDb db, CancellationToken ct) => OrganizationsOrGroups(ctx, db, false, ct))
                .WithSummary("Active groups whose name or title contains q (limit, default 20).");
            g.MapGet("/i18n/{lang}", I18n).WithSummary("The JavaScript translations of a locale of the site (CKAN's i18n JSON).");
        }

        return app;
    }

    private static JsonObject ResultSet(IEnumerable<JsonNode?> items) =>
        new() { ["ResultSet"] = new JsonObject { ["Result"] = new JsonArray([.. items]) } };

    private static JsonHttpResult<string> BadRequest(string message) => TypedResults.Json("Bad request: " + message, CkanApi.Json, statusCode: 400);

    /// <summary>limit as CKAN's validators take it: a whole number from 0; null when it is not one.</summary>
    private static int? Limit(HttpContext ctx, int fallback)
    {
        var raw = ctx.Request.Query["limit"].ToString();
        return raw.Length == 0 ? fallback
            : int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? Math.Min(n, 1000) : null;
    }

    private static async Task<Results<JsonHttpResult<JsonObject>, JsonHttpResult<string>>> Dataset(HttpContext ctx, OpenGovDb db, CancellationToken ct)
    {
        if (Limit(ctx, 10) is not { } limit)
        {
            return BadRequest("limit must be a whole number");
        }

        var found = await LookupActions.PackagesAsync(db, ctx.Request.Query["incomplete"], Math.Max(limit, 1), ct);
        return TypedResults.Json(ResultSet(found.Select(n => n?.DeepClone())), CkanApi.Json);
    }

    private static async Task<Results<JsonHttpResult<JsonObject>, JsonHttpResult<string>>> Tag(HttpContext ctx, OpenGovDb db, CancellationToken ct)
    {
        if (Limit(ctx, 10) is not { } limit)
        {
            return BadRequest("limit must be a whole number");
        }

        if (ctx.Request.Query["vocabulary_id"].ToString() is { Length: > 0 })
        {
            // tags here have no vocabularies (vocabulary_list is empty): CKAN answers nothing for an unknown one
            return TypedResults.Json(ResultSet([]), CkanApi.Json);
        }

        var tags = await LookupActions.TagsAsync(db, ctx.Request.Query["incomplete"], limit, ct);
        return TypedResults.Json(ResultSet(tags.Select(t => (JsonNode?)new JsonObject { ["Name"] = t })), CkanApi.Json);
    }

    private static async Task<Results<JsonHttpResult<JsonObject>, JsonHttpResult<string>>> Format(HttpContext ctx, OpenGovDb db, CancellationToken ct)
    {
        if (Limit(ctx, 5) is not { } limit)
        {
            return BadRequest("limit must be a whole number");
        }

        var q = ctx.Request.Query["incomplete"].ToString();
        var formats = q.Trim().Length == 0 ? [] : await LookupActions.FormatsAsync(db, q, Math.Max(limit, 1), ct);
        return TypedResults.Json(ResultSet(formats.Select(f => (JsonNode?)new JsonObject { ["Format"] = f })), CkanApi.Json);
    }

    private static async Task<Results<JsonHttpResult<JsonArray>, JsonHttpResult<string>>> User(HttpContext ctx, UserQueries users, CurrentUser user, CancellationToken ct)
    {
        if (Limit(ctx, 20) is not { } limit)
        {
            return BadRequest("limit must be a whole number");
        }

        var q = ctx.Request.Query["q"].ToString();
        if (q.Trim().Length == 0)
        {
            return TypedResults.Json(new JsonArray(), CkanApi.Json);
        }

        var ignoreSelf = ctx.Request.Query["ignore_self"].ToString().ToLowerInvariant() is "true" or "1" or "yes" or "on";
        try
        {
            return TypedResults.Json(await users.UserAutocompleteAsync(q, limit, ignoreSelf, user.Id, ct), CkanApi.Json);
        }
        catch (CkanException e)
        {
            return TypedResults.Json(e.Message, CkanApi.Json, statusCode: e.Status);
        }
    }

    private static async Task<Results<JsonHttpResult<JsonArray>, JsonHttpResult<string>>> OrganizationsOrGroups(HttpContext ctx, OpenGovDb db, bool organizations, CancellationToken ct)
    {
        if (Limit(ctx, 20) is not { } limit)
        {
            return BadRequest("limit must be a whole number");
        }

        return TypedResults.Json(await LookupActions.OrganizationsOrGroupsAsync(db, organizations, ctx.Request.Query["q"], limit, ct), CkanApi.Json);
    }

    /// <summary>
    /// CKAN answers a locale it serves with its JavaScript catalogue, and "{}" when it has none for that locale. The
    /// pages here are rendered in the user's language on the server and their scripts carry no strings to translate,
    /// so each locale of the site (ja, en; ja-JP and ja_JP too) has the empty catalogue; any other is a bad request.
    /// </summary>
    private static Results<JsonHttpResult<JsonObject>, JsonHttpResult<string>> I18n(string lang)
    {
        var known = OpenGovApp.Cultures.Any(c =>
            string.Equals(c.Name, lang.Replace('_', '-'), StringComparison.OrdinalIgnoreCase)
            || string.Equals(c.TwoLetterISOLanguageName, lang, StringComparison.OrdinalIgnoreCase));
        return known ? TypedResults.Json(new JsonObject(), CkanApi.Json) : BadRequest("Unknown locale: " + lang);
    }
}
