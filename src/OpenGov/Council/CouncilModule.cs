using OpenGov.Council.Contests;
using OpenGov.Hosting;

namespace OpenGov.Council;

/// <summary>The council's secretariat reads showcase histories (its awarded entries become showcases).</summary>
public sealed class SecretariatReadsShowcaseHistory(CouncilAccess access) : Showcases.IShowcaseHistoryReader
{
    public Task<bool> MayReadHistoryAsync(CancellationToken ct) => access.IsSecretariatAsync(ct);
}

/// <summary>The council's secretariat edits the catalog search's synonym list (陽性者, 陽性患者, 感染者).</summary>
public sealed class SecretariatEditsSynonyms(CouncilAccess access) : Catalog.Search.Synonyms.ISynonymEditor
{
    public Task<bool> MayEditAsync(CancellationToken ct) => access.IsSecretariatAsync(ct);
}

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
        services.AddScoped<Contests.ContestEditor>();
        services.AddScoped<Contests.EntryEditor>();
        services.AddScoped<Contests.Judging>();
        services.AddScoped<Contests.ContestQueries>();
        services.AddScoped<Contests.AudienceVote>();
        services.AddScoped<Contests.ContestShowcases>();
        services.AddScoped<Contests.EntryFiles>();
        services.AddSingleton<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor, Contests.EntryFileCleanup>();
        services.AddScoped<Showcases.IShowcaseHistoryReader, SecretariatReadsShowcaseHistory>();
        services.AddScoped<Catalog.Search.Synonyms.ISynonymEditor, SecretariatEditsSynonyms>();
        services.AddScoped<IDemoSeeder, Contests.ContestDemoSeeder>();
        return services;
    }

    public static IEndpointRouteBuilder MapCouncil(this IEndpointRouteBuilder app)
    {
        app.MapCouncilApi();
        app.MapPressRelease();
        app.MapCouncilContests();
        return app;
    }
}
