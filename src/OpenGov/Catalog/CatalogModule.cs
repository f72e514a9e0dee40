using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using OpenGov.Accounts;
using OpenGov.Catalog.Ckan;
using OpenGov.Catalog.Editing;
using OpenGov.Catalog.Search;
using OpenGov.Storage;

namespace OpenGov.Catalog;

/// <summary>The open data catalog: CKAN Action API, DCAT, pages at CKAN's paths.</summary>
public static class CatalogModule
{
    public static IServiceCollection AddCatalog(this IServiceCollection services)
    {
        services.AddScoped<CatalogReader>();
        services.AddScoped<Hosting.IDemoSeeder, Demo.CouncilOrganizationsSeeder>();
        services.AddScoped<Hosting.IDemoSeeder, Demo.TokyoCovidDatasetsSeeder>();
        services.AddCatalogEditing();
        services.AddCatalogSearch();
        return services;
    }

    public static IEndpointRouteBuilder MapCatalog(this IEndpointRouteBuilder app)
    {
        app.MapCkanActions("CKAN catalog", api =>
        {
            api.Read("site_read", SiteRead, "Whether the site is readable (always true).");
            api.Read("status_show", StatusShow, "Site and API version information.");
            api.Read("license_list", LicenseList, "The licences a dataset may carry.");
            api.Read("package_show", PackageShow, "One dataset with its resources, tags, groups and organization.");
            CatalogEditingModule.MapEditingActions(api);
            CatalogSearchModule.MapSearchActions(api);
        });
        app.MapCatalogEditing();
        app.MapCatalogSearch();
        return app;
    }

    private static JsonHttpResult<CkanEnvelope<bool>> SiteRead(CkanRequest req) => CkanApi.Ok(req, true);

    public sealed record StatusDict(string SiteTitle, string SiteDescription, string SiteUrl, string CkanVersion, [property: System.Text.Json.Serialization.JsonPropertyName("locale_default")] string LocaleDefault, IReadOnlyList<string> Extensions);

    private static JsonHttpResult<CkanEnvelope<StatusDict>> StatusShow(CkanRequest req, HttpContext ctx, Microsoft.Extensions.Options.IOptions<Hosting.OpenGovOptions> options) =>
        CkanApi.Ok(req, new StatusDict(options.Value.SiteTitle, "オープンガバメント推進協議会 共同オープンデータカタログ", CkanApi.SiteUrl(ctx), "2.10.0", "ja", ["datastore", "dcat", "opengov"]));

    public sealed record LicenseDict(string Id, string Title, string Url, string OdConformance, string OsdConformance, string Status, string Maintainer, string Family, bool DomainContent, bool DomainData, bool DomainSoftware, bool IsGeneric, bool IsOkdCompliant, bool IsOsiCompliant);

    private static JsonHttpResult<CkanEnvelope<List<LicenseDict>>> LicenseList(CkanRequest req) =>
        CkanApi.Ok(req, Licenses.All.Select(l => new LicenseDict(
            l.Id, l.Title, l.Url, l.OdConformance ? "approved" : "not reviewed", l.OsdConformance ? "approved" : "not reviewed",
            "active", "", l.Family, true, true, false, false, l.OdConformance, false)).ToList());

    private static async Task<JsonHttpResult<CkanEnvelope<PackageDict>>> PackageShow(CkanRequest req, CatalogReader reader, CancellationToken ct)
    {
        var dict = await reader.ShowPackageAsync(req.IdOrName(), ct) ?? throw CkanException.NotFound();
        return CkanApi.Ok(req, dict);
    }
}

/// <summary>Reads datasets for the API and the pages, applying visibility rules.</summary>
public sealed class CatalogReader(OpenGovDb db, CurrentUser user, IHttpContextAccessor http, IResourceDataHooks dataHooks)
{
    public string SiteUrl => http.HttpContext is { } ctx ? CkanApi.SiteUrl(ctx) : "";

    /// <summary>Loads a dataset by id or name with everything package_show shows.</summary>
    public Task<Dataset?> LoadAsync(string idOrName, CancellationToken ct) =>
        db.Datasets.AsNoTracking().AsSplitQuery()
            .Include(d => d.Resources)
            .Include(d => d.Tags).ThenInclude(t => t.Tag)
            .Include(d => d.Groups).ThenInclude(g => g.Group)
            .Include(d => d.Extras)
            .FirstOrDefaultAsync(d => d.Id == idOrName || d.Name == idOrName, ct);

    /// <summary>Whether the current user may see the dataset: active and public, or private/draft/deleted to its organization's members.</summary>
    public async Task<bool> CanSeeAsync(Dataset d, CancellationToken ct) =>
        (d.State == "active" && !d.Private) || await user.CanReadPrivateAsync(d.OwnerOrgId, ct);

    /// <summary>package_show's dict, or null when it does not exist or the user may not see it.</summary>
    public async Task<PackageDict?> ShowPackageAsync(string idOrName, CancellationToken ct)
    {
        var d = await LoadAsync(idOrName, ct);
        if (d is null)
        {
            return null;
        }

        if (!await CanSeeAsync(d, ct))
        {
            throw CkanException.Forbidden($"User {user.Name ?? "not logged in"} not authorized to read package {d.Name}");
        }

        var org = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == d.OwnerOrgId, ct);
        var active = await dataHooks.DataStoreActiveAsync([.. d.Resources.Where(r => r.State == "active").Select(r => r.Id)], ct);
        return PackageDict.From(d, org, SiteUrl, active);
    }
}
