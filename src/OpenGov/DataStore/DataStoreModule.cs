using System.Text;
using Microsoft.Extensions.Options;
using OpenGov.Ckan;
using OpenGov.Hosting;
using OpenGov.Notifications;

namespace OpenGov.DataStore;

/// <summary>DataStore: tabular resources become queryable tables (CKAN DataStore API).</summary>
public static class DataStoreModule
{
    public static IServiceCollection AddDataStore(this IServiceCollection services, OpenGovOptions options)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        services.AddOptions<DataStoreOptions>().BindConfiguration("OpenGov:DataStore");
        services.AddSingleton<SearchSqlLimits>();
        services.AddSingleton(sp => DataStoreBackends.Create(sp.GetRequiredService<Storage.StorageInfo>(), sp.GetRequiredService<IOptions<OpenGovOptions>>().Value));
        services.AddSingleton(sp =>
        {
            var notifications = sp.GetRequiredService<IChangeNotifications>();
            DataStoreCatalogStamp.Subscribe(notifications, sp.GetRequiredService<IServiceScopeFactory>());
            return new DataStoreStorage(sp.GetRequiredService<IDataStoreBackend>(), notifications);
        });
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
