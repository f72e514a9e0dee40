using Microsoft.Extensions.Options;
using OpenGov.Accounts;
using OpenGov.Storage;

namespace OpenGov.Hosting;

/// <summary>Work done once before the node takes requests: migrations, the bootstrap sysadmin, demo content.</summary>
/// <remarks>Runs as a hosted service, which the host starts before Kestrel listens.</remarks>
public sealed class StartupTasks(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => RunAsync(services, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public static async Task RunAsync(IServiceProvider services, CancellationToken ct = default)
    {
        var options = services.GetRequiredService<IOptions<OpenGovOptions>>().Value;
        Directory.CreateDirectory(options.DataDirectory);
        Directory.CreateDirectory(options.UploadsDirectory);
        await StorageSetup.MigrateAsync(services, ct);
        using var scope = services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<AccountService>().BootstrapAsync(options.BootstrapAdminToken, ct);
        if (options.Demo)
        {
            foreach (var seeder in scope.ServiceProvider.GetServices<IDemoSeeder>().OrderBy(s => s.Order))
            {
                await seeder.SeedAsync(scope.ServiceProvider, ct);
            }
        }
    }
}

/// <summary>A feature's demo content, loaded by --demo into an empty catalog.</summary>
public interface IDemoSeeder
{
    /// <summary>Organizations first (0), then datasets (10), then what builds on them.</summary>
    int Order { get; }

    Task SeedAsync(IServiceProvider services, CancellationToken ct);
}
