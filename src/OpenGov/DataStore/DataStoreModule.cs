using OpenGov.Hosting;

namespace OpenGov.DataStore;

/// <summary>DataStore: tabular resources become queryable tables (CKAN DataStore API).</summary>
public static class DataStoreModule
{
    public static IServiceCollection AddDataStore(this IServiceCollection services, OpenGovOptions options) => services;

    public static IEndpointRouteBuilder MapDataStore(this IEndpointRouteBuilder app) => app;
}
