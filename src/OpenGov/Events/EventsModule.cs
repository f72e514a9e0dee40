using OpenGov.Hosting;

namespace OpenGov.Events;

/// <summary>Online symposia: event pages, live questions, polls, moderator console, presenter screen.</summary>
public static class EventsModule
{
    public static IServiceCollection AddEvents(this IServiceCollection services, OpenGovOptions options) => services;

    public static IEndpointRouteBuilder MapEvents(this IEndpointRouteBuilder app) => app;
}
