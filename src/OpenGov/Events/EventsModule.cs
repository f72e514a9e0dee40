using OpenGov.Events.Api;
using OpenGov.Events.Live;
using OpenGov.Events.Moderation;
using OpenGov.Events.Polls;
using OpenGov.Events.Questions;
using OpenGov.Events.Writing;
using OpenGov.Hosting;

namespace OpenGov.Events;

/// <summary>
/// Online symposia: event pages, live questions, polls, moderator console, presenter screen. Data flows one way:
/// API and pages → services (questions, polls, moderation) → <see cref="EventWrites"/> → <see cref="EventWriter"/>
/// (group commit) → <see cref="EventBus"/> → <see cref="EventFeed"/> → <see cref="EventStream"/>.
/// </summary>
public static class EventsModule
{
    public static IServiceCollection AddEvents(this IServiceCollection services, OpenGovOptions options)
    {
        services.AddOptions<EventsOptions>().BindConfiguration("OpenGov:Events");
        services.AddSingleton<EventRateLimits>();
        services.AddSingleton<EventBus>();
        services.AddHostedService(sp => sp.GetRequiredService<EventBus>());
        services.AddSingleton<EventWriter>();
        services.AddScoped<EventWrites>();
        services.AddScoped<EventQueries>();
        services.AddScoped<EventAuthorization>();
        services.AddScoped<EventSetup>();
        services.AddScoped<QuestionService>();
        services.AddScoped<PollService>();
        services.AddScoped<ModerationService>();
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
