using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenGov.DataStore.Api;
using OpenGov.Hosting;

namespace OpenGov.Dashboards;

/// <summary>Dashboards: Tokyo-style infectious-disease dashboards declared as data over DataStore tables.</summary>
public static class DashboardsModule
{
    public static IServiceCollection AddDashboards(this IServiceCollection services)
    {
        services.AddMemoryCache();
        services.TryAddSingleton<DataStoreAggregates>();
        services.AddSingleton<DashboardData>();
        services.AddScoped<DashboardStore>();
        services.AddScoped<Pages.SourceTables>();
        services.AddScoped<DashboardExporter>();
        services.AddHostedService<ExportOnReload>();
        services.AddSingleton<DashboardStamps>();
        services.AddHostedService(sp => sp.GetRequiredService<DashboardStamps>());
        services.Configure<OutputCacheOptions>(o => o.AddPolicy(DashboardCachePolicy.Name, new DashboardCachePolicy()));
        services.AddScoped<IDemoSeeder, MembersDemoSeeder>();
        services.AddScoped<IDemoSeeder, DashboardDemoSeeder>();
        return services;
    }

    public static IEndpointRouteBuilder MapDashboards(this IEndpointRouteBuilder app)
    {
        DashboardEndpoints.Map(app);
        return app;
    }
}
