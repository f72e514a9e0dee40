using OpenGov.Hosting;

namespace OpenGov.Council;

/// <summary>The council: member registry with its history, fiscal-year activities, the press release.</summary>
public static class CouncilModule
{
    public static IServiceCollection AddCouncil(this IServiceCollection services)
    {
        services.AddScoped<CouncilRegistry>();
        services.AddScoped<CouncilAccess>();
        services.AddScoped<CouncilEditor>();
        services.AddScoped<CouncilYears>();
        services.AddScoped<PressReleaseBuilder>();
        services.AddScoped<IDemoSeeder, CouncilDemoSeeder>();
        return services;
    }

    public static IEndpointRouteBuilder MapCouncil(this IEndpointRouteBuilder app)
    {
        app.MapCouncilApi();
        app.MapPressRelease();
        return app;
    }
}
