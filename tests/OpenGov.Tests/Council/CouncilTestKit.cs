using Microsoft.Extensions.DependencyInjection;
using OpenGov.Hosting;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Council;

/// <summary>Helpers for council tests: the demo registry, secretariat users.</summary>
public static class CouncilTestKit
{
    public static readonly Dictionary<string, string?> Demo = new() { ["OpenGov:Demo"] = "true" };

    /// <summary>The seed's twelve local governments on 2020-11-06, in the seed's order.</summary>
    public static readonly string[] Twelve = ["室蘭市", "郡山市", "つくば市", "千葉市", "浜松市", "三重県", "桑名市", "奈良市", "福岡市", "武雄市", "熊本市", "日南市"];

    /// <summary>Demo seeders of other rooms at the same orders, left out: their uploads start DataStore loads that
    /// cost each council test seconds of CPU and that no council test reads.</summary>
    private static readonly string[] NotNeeded = ["MembersDemoSeeder", "DashboardDemoSeeder", "ShowcaseDemoSeeder"];

    /// <summary>Runs only the seeders the council needs (catalog organizations, events, council): faster than --demo.</summary>
    public static Task SeedCouncilAsync(this TestApp app) => app.SeedDemoAsync(0, 20, 30);

    /// <summary>Runs the demo seeders of the given orders, without those of other rooms (<see cref="NotNeeded"/>).</summary>
    public static async Task SeedDemoAsync(this TestApp app, params int[] orders)
    {
        using var scope = app.Services.CreateScope();
        foreach (var seeder in scope.ServiceProvider.GetServices<IDemoSeeder>().Where(s => orders.Contains(s.Order) && !NotNeeded.Contains(s.GetType().Name)).OrderBy(s => s.Order))
        {
            await seeder.SeedAsync(scope.ServiceProvider, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>A user of the council secretariat, as a client with an API token.</summary>
    public static async Task<HttpClient> SecretaryAsync(this TestApp app, string name = "jimukyoku")
    {
        var (n, token) = await app.CreateEventUserAsync(name);
        var (status, _) = await app.Admin().PostJsonAsync("/api/council/secretariat", new { user = n });
        Assert.Equal(204, status);
        return app.WithToken(token);
    }
}
