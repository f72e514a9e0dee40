using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenGov.Accounts;
using OpenGov.Catalog.Editing;
using OpenGov.Catalog.Organizations;
using OpenGov.Catalog.Search;
using OpenGov.Catalog.Usage;
using OpenGov.Ckan;
using OpenGov.Storage;

namespace OpenGov.Catalog;

/// <summary>The open data catalog: CKAN Action API, DCAT, pages at CKAN's paths.</summary>
public static class CatalogModule
{
    public static IServiceCollection AddCatalog(this IServiceCollection services)
    {
        services.AddScoped<CatalogReader>();
        services.AddScoped<DatasetVisibility>();
        services.AddScoped<PackageAuth>();
        services.AddScoped<CatalogQueries>();
        services.AddScoped<OrganizationAuth>();
        services.AddScoped<OrganizationQueries>();
        services.AddScoped<OrganizationEditor>();
        services.AddScoped<MemberEditor>();
        services.AddScoped<OrganizationRemover>();
        services.AddScoped<Hosting.IDemoSeeder, Demo.CouncilOrganizationsSeeder>();
        services.AddScoped<Hosting.IDemoSeeder, Demo.TokyoCovidDatasetsSeeder>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<Usage.UsageCounter>();
        services.AddScoped<Usage.UsageReader>();
        services.AddSingleton<Usage.UsageFlusher>();
        services.AddHostedService(sp => sp.GetRequiredService<Usage.UsageFlusher>());
        services.AddCatalogEditing();
        services.AddCatalogSearch();
        return services;
    }

    public static IEndpointRouteBuilder MapCatalog(this IEndpointRouteBuilder app)
    {
        app.MapCkanActions("CKAN catalog", api =>
        {
            api.CachedRead("site_read", api.Group.MapMethods("/site_read", CkanActionMapper.ReadMethods, SiteRead), "Whether the site is readable (always true).");
            api.CachedRead("status_show", api.Group.MapMethods("/status_show", CkanActionMapper.ReadMethods, StatusShow), "Site and API version information.");
            api.CachedRead("license_list", api.Group.MapMethods("/license_list", CkanActionMapper.ReadMethods, LicenseList), "The licences a dataset may carry.");
            PackageActions.Map(api);
            LookupActions.Map(api);
            OrganizationActions.Map(api);
            UserActions.Map(api);
            CatalogSearchModule.MapSearchActions(api);
        });
        app.MapCatalogEditing();
        app.MapExternalLinks();
        app.MapCatalogSearch();
        return app;
    }

    private static JsonHttpResult<CkanEnvelope<bool>> SiteRead(CkanRequest req) => CkanApi.Ok(req, true);

    public sealed record StatusDict(string SiteTitle, string SiteDescription, string SiteUrl, string CkanVersion, [property: System.Text.Json.Serialization.JsonPropertyName("locale_default")] string LocaleDefault, IReadOnlyList<string> Extensions);

    private static JsonHttpResult<CkanEnvelope<StatusDict>> StatusShow(CkanRequest req, HttpContext ctx, Microsoft.Extensions.Options.IOptions<Hosting.OpenGovOptions> options) =>
        CkanApi.Ok(req, new StatusDict(options.Value.SiteTitle, "オープンガバメント推進協議会 共同オープンデータカタログ", CkanApi.SiteUrl(ctx), "2.10.0", "ja", ["datastore", "dcat", "opengov"]));

    /// <summary>CKAN's license_dictize: the register's keys plus the deprecated is_okd_compliant/is_osi_compliant.</summary>
    public sealed record LicenseDict(string Id, string Title, string Url, string OdConformance, string OsdConformance, string Status, string Maintainer, string Family, bool DomainContent, bool DomainData, bool DomainSoftware, bool IsGeneric, bool IsOkdCompliant, bool IsOsiCompliant);

    private static JsonHttpResult<CkanEnvelope<List<LicenseDict>>> LicenseList(CkanRequest req) =>
        CkanApi.Ok(req, Licenses.All.Select(l => new LicenseDict(
            l.Id, l.ApiTitle, l.Url, l.OdConformance ? "approved" : "not reviewed", l.OsdConformance ? "approved" : "not reviewed",
            "active", "", l.Family, l.DomainContent, l.DomainData, l.DomainSoftware, l.IsGeneric, l.OdConformance, l.OsdConformance)).ToList());
}

/// <summary>Reads datasets for the API and the pages, applying visibility rules.</summary>
public sealed class CatalogReader(OpenGovDb db, DatasetVisibility visibility, PackageAuth auth, IHttpContextAccessor http, IResourceDataHooks dataHooks)
{
    public string SiteUrl => http.HttpContext is { } ctx ? CkanApi.SiteUrl(ctx) : "";

    /// <summary>Loads a dataset by id or name with everything package_show shows.</summary>
    public Task<Dataset?> LoadAsync(string idOrName, CancellationToken ct) =>
        db.Datasets.AsNoTracking().WithFullPackage().ByIdOrName(idOrName).FirstOrDefaultAsync(ct);

    /// <summary>Whether the current user may see the dataset (<see cref="DatasetVisibility"/>).</summary>
    public Task<bool> CanSeeAsync(Dataset d, CancellationToken ct) => visibility.CanSeeAsync(d, ct);

    /// <summary>Package dicts of datasets read with <see cref="PackageQueries.WithFullPackage"/>, their organizations read once.</summary>
    public async Task<List<PackageDict>> ToDictsAsync(List<Dataset> datasets, CancellationToken ct)
    {
        var orgIds = datasets.Select(d => d.OwnerOrgId).Distinct().ToList();
        var orgs = await db.Organizations.AsNoTracking().Where(o => orgIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, ct);
        var active = await dataHooks.DataStoreActiveAsync(datasets, ct);
        return [.. datasets.Select(d => PackageDict.From(d, orgs.GetValueOrDefault(d.OwnerOrgId), SiteUrl, active))];
    }

    /// <summary>package_show's dict, or null when it does not exist or the user may not see it.</summary>
    public async Task<PackageDict?> ShowPackageAsync(string idOrName, CancellationToken ct)
    {
        var d = await LoadAsync(idOrName, ct);
        if (d is null)
        {
            return null;
        }

        await auth.ReadPackageAsync(d, ct);

        var org = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == d.OwnerOrgId, ct);
        var active = await dataHooks.DataStoreActiveAsync([.. d.Resources.Where(r => r.State == RecordState.Active).Select(r => r.Id)], ct);
        return PackageDict.From(d, org, SiteUrl, active);
    }
}
