using Microsoft.Extensions.Options;
using OpenGov.Accounts;
using OpenGov.Storage;

namespace OpenGov.Hosting;

/// <summary>Work done once before the node serves requests: migrations, the bootstrap sysadmin, demo content.</summary>
/// <remarks>
/// Begins when the host starts and runs beside the rest of the start (Razor Pages discovery, the request pipeline,
/// Kestrel binding), so that on two cores the EF model and the pages are built at the same time. Nothing is served
/// before it has finished: <see cref="StartupGate"/> holds every request until then (GET /healthz included), and the
/// host's start still fails when it fails, as <see cref="StartedAsync"/> awaits it.
/// </remarks>
public sealed class StartupTasks(IServiceProvider services, StartupGate gate) : IHostedLifecycleService
{
    private Task _work = Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        _work = Task.Run(() => RunAsync(services, cancellationToken), cancellationToken);
        gate.Follow(_work);
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>After every hosted service (Kestrel included) started: the host's start completes with the work.</summary>
    public Task StartedAsync(CancellationToken cancellationToken) => _work;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

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

/// <summary>
/// Holds requests until <see cref="StartupTasks"/> has finished (the first middleware): a request that arrives while
/// migrations run waits for them, then is served; if they fail, it is answered 503 while the host stops.
/// </summary>
public sealed class StartupGate
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the startup work succeeded; faults or is canceled when it did not.</summary>
    public Task Ready => _ready.Task;

    internal void Follow(Task work) => work.ContinueWith(
        (t, state) =>
        {
            var ready = (TaskCompletionSource)state!;
            if (t.IsCompletedSuccessfully)
            {
                ready.TrySetResult();
            }
            else if (t.Exception is { } e)
            {
                ready.TrySetException(e.InnerExceptions);
            }
            else
            {
                ready.TrySetCanceled();
            }
        },
        _ready,
        CancellationToken.None,
        TaskContinuationOptions.ExecuteSynchronously,
        TaskScheduler.Default);

    public Task InvokeAsync(HttpContext context, RequestDelegate next) =>
        Ready.IsCompletedSuccessfully ? next(context) : WaitThenInvokeAsync(context, next);

    private async Task WaitThenInvokeAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await Ready.WaitAsync(context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (Exception) when (!Ready.IsCompletedSuccessfully)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        await next(context);
    }
}

/// <summary>A DI-free view of the host's start for background services that must not touch storage before it.</summary>
public static class HostStartExtensions
{
    /// <summary>
    /// Completes once the host has started, which is after <see cref="StartupTasks"/> finished: background work
    /// that reads storage waits for it, and stays off the start's critical path.
    /// </summary>
    public static async Task WaitForStartedAsync(this IHostApplicationLifetime lifetime, CancellationToken ct)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(ct);
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
