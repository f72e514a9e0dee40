using OpenGov.Ckan;
using OpenGov.DataStore;
using OpenGov.Notifications;

namespace OpenGov.ResourceViews;

/// <summary>Resource views: CKAN's resource_view_* actions, the default table view, and the views on the resource page.</summary>
public static class ResourceViewsModule
{
    public static IServiceCollection AddResourceViews(this IServiceCollection services)
    {
        services.AddScoped<ResourceViewEditor>();
        services.AddScoped<ResourceViewDefaults>();
        services.AddScoped<ResourceViewCharts>();
        services.AddScoped<ResourceViewMaps>();
        services.AddHostedService<DefaultViews>();
        return services;
    }

    public static IEndpointRouteBuilder MapResourceViews(this IEndpointRouteBuilder app)
    {
        app.MapCkanActions("CKAN resource views", ResourceViewActions.Map);
        return app;
    }
}

/// <summary>
/// A resource whose DataStore table appears or is reloaded gets CKAN's default datatables_view, and a
/// recline_map_view when the table has latitude and longitude columns (as xloader and datapusher call
/// resource_create_default_resource_views when a load completes); only on the node that loaded it, never twice.
/// </summary>
internal sealed class DefaultViews(IChangeNotifications notifications, IServiceScopeFactory scopes, ILogger<DefaultViews> logger) : IHostedService
{
    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = notifications.Subscribe<DataStoreTableChanged>(async (n, ct) =>
        {
            if (!n.Local || n.Change.Kind is not (DataStoreChangeKind.Created or DataStoreChangeKind.Loaded))
            {
                return;
            }

            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var defaults = scope.ServiceProvider.GetRequiredService<ResourceViewDefaults>();
                await defaults.AddTableViewAsync(n.Change.ResourceId, ct);
                await defaults.AddMapViewAsync(n.Change.ResourceId, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Default views of resource {Resource} not created", n.Change.ResourceId);
            }
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        return Task.CompletedTask;
    }
}
