using OpenGov.Ckan;
using OpenGov.Hosting;

namespace OpenGov.Showcases;

/// <summary>Showcases: apps and reports built on the catalog's data, linked both ways with the datasets they use.</summary>
public static class ShowcasesModule
{
    public static IServiceCollection AddShowcases(this IServiceCollection services)
    {
        services.AddScoped<ShowcaseAuth>();
        services.AddScoped<ShowcaseQueries>();
        services.AddScoped<ShowcaseEditor>();
        services.AddScoped<ShowcaseAdmins>();
        services.AddScoped<ShowcaseHistory>();
        services.AddScoped<IDemoSeeder, ShowcaseDemoSeeder>();
        return services;
    }

    public static IEndpointRouteBuilder MapShowcases(this IEndpointRouteBuilder app)
    {
        app.MapCkanActions("Showcases", ShowcaseActions.Map);
        return app;
    }
}
