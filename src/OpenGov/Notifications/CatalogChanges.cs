using OpenGov.Catalog;
using OpenGov.Hosting;
using OpenGov.Storage;

namespace OpenGov.Notifications;

/// <summary>The catalog changed: its stamp (catalog_stamp, moved by every committed catalog write) is now <paramref name="Stamp"/>.</summary>
public sealed record CatalogChanged(long Stamp) : IChange
{
    public static string Topic => "catalog";
}

/// <summary>
/// Publishes <see cref="CatalogChanged"/> on this node when the catalog's stamp moves. Every node reads the stamp
/// from the shared database (every OpenGov:Notifications:CatalogPollSeconds, 2 by default, and only while something
/// subscribes), so the news reaches every node without Redis and whichever code path wrote: the triggers on the
/// catalog tables move the stamp, and so do DataStore tables appearing or disappearing (datastore_active).
/// </summary>
public sealed class CatalogChangeWatcher(
    ChangeNotifications notifications,
    IServiceScopeFactory scopes,
    IConfiguration config,
    IHostApplicationLifetime lifetime,
    ILogger<CatalogChangeWatcher> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromSeconds(Math.Max(0.2, config.GetValue("OpenGov:Notifications:CatalogPollSeconds", 2.0)));
        try
        {
            // the stamp's table exists once the host has started (migrations)
            await lifetime.WaitForStartedAsync(stoppingToken);
            long? last = null;
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(period, stoppingToken);
                if (!notifications.HasSubscribers<CatalogChanged>())
                {
                    last = null;
                    continue;
                }

                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var stamp = await CatalogStamp.ReadAsync(scope.ServiceProvider.GetRequiredService<OpenGovDb>(), stoppingToken);
                    if (last is not null && stamp != last)
                    {
                        await notifications.PublishLocalAsync(new CatalogChanged(stamp), stoppingToken);
                    }

                    last = stamp;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogWarning(e, "Could not read the catalog stamp; trying again");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
