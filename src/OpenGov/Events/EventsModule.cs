using OpenGov.Hosting;

namespace OpenGov.Events;

/// <summary>Online symposia: event pages, live questions, polls, moderator console, presenter screen.</summary>
public static class EventsModule
{
    public static IServiceCollection AddEvents(this IServiceCollection services, OpenGovOptions options)
    {
        services.AddOptions<EventsOptions>().BindConfiguration("OpenGov:Events");
        services.AddSingleton<EventRateLimits>();
        services.AddSingleton<EventBus>();
        services.AddHostedService(sp => sp.GetRequiredService<EventBus>());
        services.AddSingleton<EventWriter>();
        services.AddScoped<EventService>();
        services.AddScoped<IDemoSeeder, EventDemoSeeder>();
        services.AddHttpClient(YouTubeChatImporter.HttpClientName);
        services.AddHostedService<YouTubeChatImporter>();
        return services;
    }

    public static IEndpointRouteBuilder MapEvents(this IEndpointRouteBuilder app)
    {
        app.MapEventApi();
        app.MapEventExports();
        return app;
    }
}
