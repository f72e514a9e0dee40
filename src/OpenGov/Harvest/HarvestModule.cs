using OpenGov.Ckan;

namespace OpenGov.Harvest;

/// <summary>
/// Harvesting: other CKAN catalogs' datasets copied into an organization here, kept in step by jobs run now or on a
/// schedule, read-only locally (docs/rooms/harvest.md).
/// </summary>
public static class HarvestModule
{
    public static IServiceCollection AddHarvest(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<HarvestOptions>().Bind(config.GetSection("OpenGov:Harvest"));
        services.AddHttpClient(HarvestClient.HttpClientName, c =>
            {
                c.Timeout = Timeout.InfiniteTimeSpan; // each request has its own timeout (HarvestOptions.TimeoutSeconds)
                c.DefaultRequestHeaders.UserAgent.ParseAdd("OpenGov-harvester/1.0");
                c.DefaultRequestHeaders.Accept.ParseAdd("application/json");
            })
            .ConfigurePrimaryHttpMessageHandler(HarvestClient.CreateHandler);
        services.AddSingleton<HarvestSignal>();
        services.AddScoped<HarvestClient>();
        services.AddScoped<Dcat.DcatClient>();
        services.AddScoped<HarvestAuth>();
        services.AddScoped<HarvestSources>();
        services.AddScoped<HarvestOperations>();
        services.AddScoped<HarvestMaintenance>();
        services.AddScoped<HarvestRunner>();
        services.AddHostedService<HarvestScheduler>();
        return services;
    }

    public static IEndpointRouteBuilder MapHarvest(this IEndpointRouteBuilder app)
    {
        app.MapCkanActions("Harvest", HarvestActions.Map);
        return app;
    }
}
