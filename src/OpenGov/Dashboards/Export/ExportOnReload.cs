using System.Threading.Channels;
using OpenGov.DataStore;
using OpenGov.Hosting;
using OpenGov.Notifications;

namespace OpenGov.Dashboards;

/// <summary>One dashboard an operator publishes as a static folder (a row of <c>OpenGov:DashboardExports</c>).</summary>
public sealed class DashboardExportTarget
{
    /// <summary>The organization's name (as in /dashboards/{org}).</summary>
    public string Organization { get; set; } = "";

    public string Slug { get; set; } = "";

    /// <summary>The folder nginx or a CDN serves; relative paths are taken from the current directory.</summary>
    public string Directory { get; set; } = "";
}

/// <summary>
/// Re-exports the dashboards listed in <c>OpenGov:DashboardExports</c> whenever a table their cards (or data.json)
/// read changes on this node: the change is queued (the load that published it is not held up), the queue is drained
/// in one go so a burst of changes gives one export per dashboard, and each export is written beside the folder and
/// swapped in (<see cref="FolderSwap"/>). A failed export is logged and leaves the previous folder served.
/// </summary>
internal sealed class ExportOnReload(IChangeNotifications notifications, IServiceScopeFactory scopes, IConfiguration config,
    IHostApplicationLifetime lifetime, ILogger<ExportOnReload> logger)
    : BackgroundService
{
    public const string Section = "OpenGov:DashboardExports";

    private readonly Channel<string> _changed = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private IDisposable? _subscription;

    public static IReadOnlyList<DashboardExportTarget> Targets(IConfiguration config) =>
        (config.GetSection(Section).Get<List<DashboardExportTarget>>() ?? [])
        .Where(t => t.Organization.Length > 0 && t.Slug.Length > 0 && t.Directory.Length > 0).ToList();

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // only the node that changed the table exports (with Redis, every node hears it; one folder, one writer)
        _subscription = notifications.Subscribe<DataStoreTableChanged>((n, _) =>
        {
            if (n.Local && Targets(config).Count > 0)
            {
                _changed.Writer.TryWrite(n.Change.ResourceId);
            }
            return Task.CompletedTask;
        });
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        _changed.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // at start (once migrations are done and the host serves), so a fresh node publishes a current folder;
            // changes heard meanwhile are queued and give one more export after this one
            if (Targets(config).Count > 0)
            {
                await lifetime.WaitForStartedAsync(stoppingToken);
                await ExportAsync(null, stoppingToken);
            }
            while (await _changed.Reader.WaitToReadAsync(stoppingToken))
            {
                var resources = new HashSet<string>(StringComparer.Ordinal);
                while (_changed.Reader.TryRead(out var id))
                {
                    resources.Add(id);
                }
                await ExportAsync(resources, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Exports every listed dashboard that reads one of <paramref name="resources"/> (null: every listed dashboard, at start).</summary>
    private async Task ExportAsync(IReadOnlySet<string>? resources, CancellationToken ct)
    {
        foreach (var target in Targets(config))
        {
            string? scratch = null;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var d = await scope.ServiceProvider.GetRequiredService<DashboardStore>().GetAsync(target.Organization, target.Slug, ct);
                if (d is null || (resources is not null && !Sources(d.Definition).Overlaps(resources)))
                {
                    continue;
                }
                scratch = FolderSwap.Scratch(target.Directory);
                var export = await scope.ServiceProvider.GetRequiredService<DashboardExporter>().ExportAsync(target.Organization, target.Slug, scratch, ct);
                if (export is null)
                {
                    continue;
                }
                FolderSwap.Publish(scratch, target.Directory);
                scratch = null;
                logger.LogInformation("Dashboard {Organization}/{Slug} exported to {Directory} {Reason}",
                    target.Organization, target.Slug, target.Directory, resources is null ? "at start" : "after a change of " + string.Join(',', resources));
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                logger.LogWarning(e, "Dashboard {Organization}/{Slug} not exported to {Directory}; the previous export stays",
                    target.Organization, target.Slug, target.Directory);
            }
            finally
            {
                if (scratch is not null && System.IO.Directory.Exists(scratch))
                {
                    try
                    {
                        System.IO.Directory.Delete(scratch, recursive: true);
                    }
                    catch (IOException)
                    {
                    }
                }
            }
        }
    }

    /// <summary>Every table the dashboard reads: its cards' and its data.json's.</summary>
    internal static HashSet<string> Sources(DashboardDefinition d)
    {
        var ids = d.Cards.SelectMany(SourceQueries.Of).Select(q => q.Resource).ToHashSet(StringComparer.Ordinal);
        if (d.TokyoData is { } t)
        {
            ids.UnionWith(SourceQueries.Of(t).Select(q => q.Resource));
            if (t.Patients is { } p)
            {
                ids.Add(p);
            }
        }
        return ids;
    }
}
