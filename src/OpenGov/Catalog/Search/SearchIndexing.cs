namespace OpenGov.Catalog.Search;

/// <summary>
/// Keeps the full-text index in step with the catalog. Every write that changes what a dataset shows (title, notes,
/// tags, organization, resources, state, privacy) calls <see cref="IndexAsync"/> in the same unit of work, after
/// SaveChanges, so that search never shows a dataset that does not exist or misses one that does.
/// </summary>
public interface ISearchIndexer
{
    /// <summary>(Re)indexes one dataset by id; removes it from the index when it no longer exists or is deleted.</summary>
    Task IndexAsync(string datasetId, CancellationToken ct);

    /// <summary>Reindexes every dataset of an organization (after its title changes).</summary>
    Task IndexOrganizationAsync(string organizationId, CancellationToken ct);
}

/// <summary>Registration of the search feature (index, package_search, browse pages, DCAT).</summary>
public static class CatalogSearchModule
{
    public static IServiceCollection AddCatalogSearch(this IServiceCollection services)
    {
        services.AddScoped<ISearchIndexer, NoSearchIndexer>();
        return services;
    }

    public static void MapSearchActions(Ckan.CkanActionMapper api)
    {
    }

    public static IEndpointRouteBuilder MapCatalogSearch(this IEndpointRouteBuilder app) => app;

    private sealed class NoSearchIndexer : ISearchIndexer
    {
        public Task IndexAsync(string datasetId, CancellationToken ct) => Task.CompletedTask;

        public Task IndexOrganizationAsync(string organizationId, CancellationToken ct) => Task.CompletedTask;
    }
}
