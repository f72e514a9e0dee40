using System.Text;
using OpenGov.Catalog.Ckan;
using OpenGov.Hosting;

namespace OpenGov.DataStore;

/// <summary>DataStore: tabular resources become queryable tables (CKAN DataStore API).</summary>
public static class DataStoreModule
{
    public static IServiceCollection AddDataStore(this IServiceCollection services, OpenGovOptions options)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        services.AddOptions<DataStoreOptions>().BindConfiguration("OpenGov:DataStore");
        services.AddSingleton(sp => new DataStoreStorage(
            sp.GetRequiredService<Storage.StorageInfo>(),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<OpenGovOptions>>().Value,
            async ct =>
            {
                // datastore_active shows in package_show: cached catalog answers must not outlive the change
                await using var scope = sp.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
                await Catalog.CatalogStamp.BumpAsync(scope.ServiceProvider.GetRequiredService<Storage.OpenGovDb>(), ct);
            }));
        services.AddScoped<DataStoreAccess>();
        services.AddScoped<Catalog.IResourceDataHooks, DataStoreResourceHooks>();
        services.AddSingleton<DataStoreLoader>();
        services.AddSingleton<IDataStoreLoader>(sp => sp.GetRequiredService<DataStoreLoader>());
        services.AddHostedService(sp => sp.GetRequiredService<DataStoreLoader>());
        return services;
    }

    public static IEndpointRouteBuilder MapDataStore(this IEndpointRouteBuilder app)
    {
        app.MapCkanActions("CKAN DataStore", DataStoreActions.Map);
        DataStoreDump.MapDump(app);
        return app;
    }
}
