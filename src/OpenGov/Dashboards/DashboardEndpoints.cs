using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;

namespace OpenGov.Dashboards;

/// <summary>
/// HTTP endpoints of dashboards: the definitions as JSON (read by anyone, written by the organization's editors),
/// Tokyo's data.json, and each card's numbers as CSV. The pages are Razor pages under /dashboards.
/// </summary>
public static class DashboardEndpoints
{
    public sealed record ErrorBody(string Message, string MessageEn);

    public sealed record SavedBody(string Organization, string Slug, int Version, string Url);

    public sealed record VersionBody(int Version, string? ChangedBy, DateTime ChangedAt, string Summary);

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/dashboards/{org}").WithTags("Dashboards").DisableAntiforgery();
        api.MapGet("", List).WithName("DashboardList").WithSummary("The organization's dashboards (definitions).");
        api.MapGet("/{slug}", Show).WithName("DashboardShow").WithSummary("A dashboard's definition as JSON.");
        api.MapPut("/{slug}", Save).WithName("DashboardSave").WithSummary("Create or replace a dashboard's definition (editors of the organization).");
        api.MapGet("/{slug}/versions", Versions).WithName("DashboardVersions").WithSummary("Saved versions: who changed what, when (editors).");
        api.MapPost("/template/covid19", FromTemplate).WithName("DashboardFromTemplate")
            .WithSummary("Create the COVID-19 dashboard from the standard datasets the organization publishes (editors).");

        var files = app.MapGroup("/dashboards/{org}/{slug}").WithTags("Dashboards");
        files.MapGet("/data.json", DataJson).WithName("DashboardDataJson").WithSummary("data.json in the shape of Tokyo's COVID-19 site.")
            .CacheOutput(DashboardCachePolicy.Name);
        files.MapGet("/stamp", Stamp).WithName("DashboardStamp")
            .WithSummary("A stamp that changes when the definition or a source table changes; open pages poll it to refresh.");
        files.MapGet("/cards/{card}.csv", CardCsv).WithName("DashboardCardCsv").WithSummary("The numbers a card plots, as CSV.")
            .CacheOutput(DashboardCachePolicy.Name);
    }

    private static JsonHttpResult<ErrorBody> Error(int status, string ja, string en) => TypedResults.Json(new ErrorBody(ja, en), statusCode: status);

    private static JsonHttpResult<ErrorBody> NotFound() => Error(404, "ダッシュボードが見つかりません。", "Dashboard not found.");

    private static async Task<Results<Ok<IReadOnlyList<DashboardDefinition>>, JsonHttpResult<ErrorBody>>> List(string org, DashboardStore store, CancellationToken ct)
    {
        var o = await store.OrganizationAsync(org, ct);
        if (o is null)
        {
            return Error(404, "組織が見つかりません。", "Organization not found.");
        }
        return TypedResults.Ok<IReadOnlyList<DashboardDefinition>>((await store.ListAsync(o.Id, ct)).Select(d => d.Definition).ToList());
    }

    private static async Task<Results<ContentHttpResult, JsonHttpResult<ErrorBody>>> Show(string org, string slug, DashboardStore store, CancellationToken ct)
    {
        var d = await store.GetAsync(org, slug, ct);
        return d is null ? NotFound() : TypedResults.Text(d.Record.DefinitionJson, "application/json; charset=utf-8");
    }

    private static async Task<Results<Ok<SavedBody>, JsonHttpResult<ErrorBody>>> Save(string org, string slug, HttpRequest request, DashboardStore store, CancellationToken ct)
    {
        var o = await store.OrganizationAsync(org, ct);
        if (o is null)
        {
            return Error(404, "組織が見つかりません。", "Organization not found.");
        }
        if (!await store.CanEditAsync(o, ct))
        {
            return Error(403, "この組織のダッシュボードを編集する権限がありません。", "You may not edit this organization's dashboards.");
        }
        string body;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(ct);
        }
        DashboardDefinition definition;
        try
        {
            definition = DashboardJson.Deserialize(body) with { Slug = slug };
        }
        catch (DashboardDefinitionException e)
        {
            return Error(400, e.Message, "The definition is not valid: " + e.Message);
        }
        return await SaveAsync(store, o, definition, "API で保存", ct);
    }

    private static async Task<Results<Ok<SavedBody>, JsonHttpResult<ErrorBody>>> SaveAsync(DashboardStore store, Catalog.Organization o, DashboardDefinition definition, string summary, CancellationToken ct)
    {
        try
        {
            var rec = await store.SaveAsync(o, definition, summary, ct);
            return TypedResults.Ok(new SavedBody(o.Name, rec.Slug, rec.Version, $"/dashboards/{o.Name}/{rec.Slug}"));
        }
        catch (DashboardWriteException e)
        {
            return Error(e.Status, e.Message, e.MessageEn);
        }
    }

    private static async Task<Results<Ok<IReadOnlyList<VersionBody>>, JsonHttpResult<ErrorBody>>> Versions(string org, string slug, DashboardStore store, CancellationToken ct)
    {
        var d = await store.GetAsync(org, slug, ct);
        if (d is null)
        {
            return NotFound();
        }
        if (!await store.CanEditAsync(d.Organization, ct))
        {
            return Error(403, "版の履歴は組織の編集者だけが見られます。", "Only the organization's editors can see the versions.");
        }
        var versions = await store.VersionsAsync(d.Record.Id, ct);
        return TypedResults.Ok<IReadOnlyList<VersionBody>>(versions.Select(v => new VersionBody(v.Version, v.ChangedBy, v.ChangedAt, v.Summary)).ToList());
    }

    private static async Task<Results<Ok<SavedBody>, JsonHttpResult<ErrorBody>>> FromTemplate(string org, DashboardStore store, Storage.OpenGovDb db, DataStore.Api.DataStoreAggregates aggregates, CancellationToken ct)
    {
        var o = await store.OrganizationAsync(org, ct);
        if (o is null)
        {
            return Error(404, "組織が見つかりません。", "Organization not found.");
        }
        var found = await CovidTemplate.FindAsync(db, aggregates, o.Id, ct);
        if (!found.Any)
        {
            return Error(409, "標準の新型コロナウイルス感染症データセットが見つかりません。", "No standard COVID-19 dataset was found.");
        }
        return await SaveAsync(store, o, CovidTemplate.Build(o.Name, o.Title, found), "テンプレートから作成", ct);
    }

    private static async Task<Results<ContentHttpResult, JsonHttpResult<ErrorBody>>> DataJson(string org, string slug, DashboardStore store, DashboardData data, CancellationToken ct)
    {
        var d = await store.GetAsync(org, slug, ct);
        if (d?.Definition.TokyoData is not { } sources)
        {
            return NotFound();
        }
        var ids = SourceQueries.Of(sources).Select(q => q.Resource).ToList();
        var readable = await store.ReadableAsync(ids, ct);
        if (ids.Any(i => !readable.Contains(i)))
        {
            return Error(403, "非公開のデータを含むため表示できません。", "This includes data you may not read.");
        }
        var json = await data.DataJsonAsync(d.Definition, ct);
        return json is null ? NotFound() : TypedResults.Text(json, "application/json; charset=utf-8");
    }

    public sealed record StampBody(string Stamp, DateTime? LastLoaded);

    private static async Task<Results<Ok<StampBody>, JsonHttpResult<ErrorBody>>> Stamp(string org, string slug, HttpContext http, DashboardStore store, DashboardData data, CancellationToken ct)
    {
        var d = await store.GetAsync(org, slug, ct);
        if (d is null)
        {
            return NotFound();
        }
        var (stamp, last) = await data.StampAsync(d.Definition, d.Record.Version, ct);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new StampBody(stamp, last));
    }

    private static async Task<Results<FileContentHttpResult, JsonHttpResult<ErrorBody>>> CardCsv(string org, string slug, string card, HttpContext http, DashboardStore store, DashboardData data, CancellationToken ct)
    {
        var d = await store.GetAsync(org, slug, ct);
        var def = d?.Definition.Cards.FirstOrDefault(c => c.Id == card);
        if (d is null || def is null)
        {
            return NotFound();
        }
        var readable = await store.ReadableAsync(SourceQueries.Of(def).Select(q => q.Resource), ct);
        var computed = await data.ComputeAsync(d.Definition with { Cards = [def] }, readable, ct);
        var english = DashboardLanguage.IsEnglish(http);
        var csv = DashboardData.Csv(computed.Cards[card], english);
        return TypedResults.File(Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8", $"{org}-{slug}-{card}.csv");
    }
}

/// <summary>The reader's language as the site sets it (request culture).</summary>
public static class DashboardLanguage
{
    public static bool IsEnglish(HttpContext http) =>
        (http.Features.Get<Microsoft.AspNetCore.Localization.IRequestCultureFeature>()?.RequestCulture.UICulture.Name ?? "ja")
        .StartsWith("en", StringComparison.OrdinalIgnoreCase);
}
