using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenGov.Catalog;
using OpenGov.Hosting;
using OpenGov.Shared;
using OpenGov.Storage;
using OpenGov.Tabular;

namespace OpenGov.DataStore;

/// <summary>Queues loads of tabular resources into the DataStore.</summary>
public interface IDataStoreLoader
{
    /// <summary>
    /// Queues a load of the resource's file (call after resource_create/resource_update of an uploaded CSV, TSV, XLSX
    /// or XLS). Returns the pending job (an already pending job of the resource is reused).
    /// </summary>
    Task<DataStoreJob> EnqueueAsync(string resourceId, CancellationToken ct = default);

    /// <summary>Stores load overrides for the resource (used by every later load).</summary>
    Task SetOptionsAsync(string resourceId, LoadOverrides overrides, CancellationToken ct = default);

    /// <summary>The resource's stored load overrides (empty when none).</summary>
    Task<LoadOverrides> GetOptionsAsync(string resourceId, CancellationToken ct = default);
}

/// <summary>
/// Runs load jobs: a BackgroundService over the datastore_job table, woken by a Channel when a job is queued here and
/// polling for jobs queued by other nodes and for new or changed tabular uploads. Jobs are claimed with a conditional
/// UPDATE (multi-node safe); a running job whose node stopped beating is taken over.
/// </summary>
public sealed class DataStoreLoader(
    IServiceScopeFactory scopes,
    DataStoreStorage storage,
    IOptions<OpenGovOptions> options,
    IOptions<DataStoreOptions> dsOptions,
    StorageSpace space,
    IHostApplicationLifetime lifetime,
    ILogger<DataStoreLoader> logger) : BackgroundService, IDataStoreLoader
{
    private const string DiskFullEn = "Not enough free disk space on the server to load this file; ask the site administrator";
    private const string DiskFullJa = "サーバーのディスクの空き容量が不足しているため、このファイルを読み込めません。サイト管理者にお問い合わせください";

    private static readonly string[] TabularFormats = ["CSV", "TSV", "XLSX", "XLS", "TEXT/CSV"];
    private static readonly string[] TabularExtensions = [".csv", ".tsv", ".xlsx", ".xls"];

    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly string _node = Environment.MachineName + ":" + Environment.ProcessId + ":" + Guid.NewGuid().ToString("N")[..6];

    public static bool IsTabular(Resource r)
    {
        if (r.UrlType != "upload" || string.IsNullOrEmpty(r.StoragePath))
        {
            return false;
        }

        var format = r.Format.Trim().ToUpperInvariant();
        if (TabularFormats.Contains(format))
        {
            return true;
        }

        return TabularExtensions.Any(e => r.StoragePath.EndsWith(e, StringComparison.OrdinalIgnoreCase) || r.Url.EndsWith(e, StringComparison.OrdinalIgnoreCase));
    }


    public async Task<DataStoreJob> EnqueueAsync(string resourceId, CancellationToken ct = default)
    {
        using var scope = scopes.CreateScope();
        var job = await DataStoreJobQueue.EnqueueAsync(scope.ServiceProvider.GetRequiredService<OpenGovDb>(), resourceId, ct);
        _wake.Writer.TryWrite(true);
        return job;
    }

    public async Task<LoadOverrides> GetOptionsAsync(string resourceId, CancellationToken ct = default)
    {
        using var scope = scopes.CreateScope();
        return await LoadOverridesStore.GetAsync(scope.ServiceProvider.GetRequiredService<OpenGovDb>(), resourceId, ct);
    }

    public async Task SetOptionsAsync(string resourceId, LoadOverrides overrides, CancellationToken ct = default)
    {
        using var scope = scopes.CreateScope();
        await LoadOverridesStore.SetAsync(scope.ServiceProvider.GetRequiredService<OpenGovDb>(), resourceId, overrides, ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!dsOptions.Value.RunJobs)
        {
            return;
        }

        // storage is migrated once the host has started (StartupTasks); the first poll also stays off the start's critical path
        try
        {
            await lifetime.WaitForStartedAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var lastPoll = DateTime.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var poll = dsOptions.Value.PollSeconds;
                if (poll > 0 && DateTime.UtcNow - lastPoll > TimeSpan.FromSeconds(poll))
                {
                    lastPoll = DateTime.UtcNow;
                    using var scope = scopes.CreateScope();
                    await DataStoreJobQueue.EnqueueChangedUploadsAsync(scope.ServiceProvider.GetRequiredService<OpenGovDb>(), stoppingToken);
                }

                if (await ClaimAndRunAsync(stoppingToken))
                {
                    continue;
                }

                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                wait.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, Math.Min(poll <= 0 ? 5 : poll, 5))));
                try
                {
                    await _wake.Reader.ReadAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogError(e, "DataStore job loop failed; retrying");
                try
                {
                    await Task.Delay(2000, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }


    private async Task<bool> ClaimAndRunAsync(CancellationToken ct)
    {
        string? jobId;
        using (var scope = scopes.CreateScope())
        {
            jobId = await DataStoreJobQueue.ClaimAsync(scope.ServiceProvider.GetRequiredService<OpenGovDb>(), _node, ct);
        }

        if (jobId is null)
        {
            return false;
        }

        await Task.Run(() => RunJobAsync(jobId, ct), ct);
        return true;
    }

    private async Task RunJobAsync(string jobId, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
        var job = await db.Set<DataStoreJob>().AsNoTracking().FirstAsync(j => j.Id == jobId, ct);
        var progress = new LoadProgress();
        if (JsonNode.Parse(job.LogJson) is JsonArray old)
        {
            foreach (var e in old)
            {
                progress.Log.Add(e?.DeepClone());
            }
        }

        // The node's name stays out of the message (the resource page shows the log to everyone): in its own field.
        progress.Add("info", "started", "読み込みを開始しました");
        progress.Tag("node", _node);
        using var reporterStop = new CancellationTokenSource();
        using var lost = CancellationTokenSource.CreateLinkedTokenSource(ct); // cancelled when the job is no longer ours
        var reporter = Task.Run(() => ReportAsync(jobId, progress, lost, reporterStop.Token), CancellationToken.None);
        string state;
        string? error = null;
        var sw = Stopwatch.StartNew();
        try
        {
            await LoadAsync(db, job, progress, lost.Token);
            state = JobState.Complete;
            progress.Add("info", $"complete: {progress.Rows:N0} rows in {sw.Elapsed.TotalSeconds:F1} s", $"完了: {progress.Rows:N0} 行（{sw.Elapsed.TotalSeconds:F1} 秒）");
        }
        catch (TableReadException e)
        {
            state = JobState.Error;
            error = e.Message;
            progress.Add("error", e.MessageEn, e.MessageJa);
        }
        catch (LoadException e)
        {
            state = JobState.Error;
            error = e.Message;
            progress.Add("error", e.MessageEn, e.MessageJa);
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            // another node took the job over (this node looked stopped): its run is the one that counts
            logger.LogWarning("DataStore job {Job} of {Resource} was taken over by another node; stopped here", jobId, job.ResourceId);
            await reporterStop.CancelAsync();
            await reporter;
            return;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // the node is stopping: leave the job to be taken over
            progress.Add("warning", "interrupted: the load will be resumed", "中断しました。読み込みは自動で再開されます");
            await reporterStop.CancelAsync();
            await reporter;
            await using var s2 = scopes.CreateAsyncScope();
            await s2.ServiceProvider.GetRequiredService<OpenGovDb>().Set<DataStoreJob>().Where(j => j.Id == jobId && j.ClaimedBy == _node && j.State == JobState.Running)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.State, JobState.Pending).SetProperty(j => j.LogJson, progress.LogJson()), CancellationToken.None);
            throw;
        }
        catch (Exception e) when (StorageSpace.IsDiskFull(e))
        {
            // the table swap had not happened: the previous data stays, and the half-loaded copy was dropped with its transaction
            logger.LogError(e, "DataStore load of {Resource} ran out of disk space", job.ResourceId);
            state = JobState.Error;
            error = DiskFullEn;
            progress.Add("error", DiskFullEn, DiskFullJa);
        }
        catch (Exception e)
        {
            logger.LogError(e, "DataStore load of {Resource} failed", job.ResourceId);
            state = JobState.Error;
            // The exception is in the server's log; the page and the API say what happened without internals.
            error = "Internal error while loading";
            progress.Add("error", error, "読み込み中に内部エラーが発生しました");
        }

        if (state == JobState.Error)
        {
            progress.Add("info", "the previous data (if any) is still served", "前のデータ（あれば）は引き続き公開されています");
        }

        await reporterStop.CancelAsync();
        await reporter;
        var finished = DateTime.UtcNow;
        // only while the job is still ours (a node that lost it to a takeover must not overwrite the other's result)
        await db.Set<DataStoreJob>().Where(j => j.Id == jobId && j.ClaimedBy == _node && j.State == JobState.Running).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.State, state).SetProperty(j => j.Error, error).SetProperty(j => j.Finished, finished)
            .SetProperty(j => j.RowsRead, progress.Rows).SetProperty(j => j.BytesRead, progress.Bytes).SetProperty(j => j.TotalBytes, progress.Total)
            .SetProperty(j => j.LogJson, progress.LogJson()).SetProperty(j => j.DetectedJson, progress.DetectedJson()), CancellationToken.None);
    }

    private async Task ReportAsync(string jobId, LoadProgress progress, CancellationTokenSource lost, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(700, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
                var now = DateTime.UtcNow;
                var ours = await db.Set<DataStoreJob>().Where(j => j.Id == jobId && j.State == JobState.Running && j.ClaimedBy == _node).ExecuteUpdateAsync(s => s
                    .SetProperty(j => j.RowsRead, progress.Rows).SetProperty(j => j.BytesRead, progress.Bytes).SetProperty(j => j.TotalBytes, progress.Total).SetProperty(j => j.Heartbeat, now)
                    .SetProperty(j => j.LogJson, progress.LogJson()).SetProperty(j => j.DetectedJson, progress.DetectedJson()), CancellationToken.None);
                if (ours == 0)
                {
                    await lost.CancelAsync();
                    return;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Could not record progress of job {Job}", jobId);
            }
        }
    }


    private async Task LoadAsync(OpenGovDb db, DataStoreJob job, LoadProgress progress, CancellationToken ct)
    {
        var resource = await db.Resources.AsNoTracking().FirstOrDefaultAsync(r => r.Id == job.ResourceId, ct)
            ?? throw new LoadException("リソースが存在しません", "The resource no longer exists");
        var dataset = await db.Datasets.AsNoTracking().Include(d => d.Extras).FirstAsync(d => d.Id == resource.DatasetId, ct);
        var state = await db.Set<DataStoreResource>().AsNoTracking().FirstOrDefaultAsync(s => s.ResourceId == resource.Id, ct);
        var overrides = LoadOverrides.Parse(state?.OptionsJson);
        if (!IsTabular(resource))
        {
            throw new LoadException("アップロードされた CSV・TSV・XLSX・XLS ファイルではありません", "The resource is not an uploaded CSV, TSV, XLSX or XLS file");
        }

        var root = Path.GetFullPath(options.Value.UploadsDirectory);
        var path = Path.GetFullPath(Path.Combine(root, resource.StoragePath!));
        if (!path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(path))
        {
            throw new LoadException("アップロードされたファイルが見つかりません", "The uploaded file is missing");
        }

        if (space.IsLow(new FileInfo(path).Length))
        {
            throw new LoadException(DiskFullJa, DiskFullEn);
        }

        var fileName = resource.Url is { Length: > 0 } u ? Path.GetFileName(new Uri(new Uri("http://x/"), u).AbsolutePath) : Path.GetFileName(path);
        var declared = dataset.Extras.FirstOrDefault(e => e.Key == "standard")?.Value?.Trim();
        var standard = overrides.Standard ?? (string.IsNullOrEmpty(declared) ? null : declared);
        standard ??= StandardSchemas.GuessFromFileName(fileName) ?? StandardSchemas.GuessFromFileName(resource.Name) ?? StandardSchemas.GuessFromFileName(path);
        if (standard == "none")
        {
            standard = null;
        }

        if (standard is not null && StandardSchemas.Find(standard) is null)
        {
            progress.Add("warning", $"unknown standard \"{standard}\" ignored", $"不明な標準データセット「{standard}」は無視しました");
            standard = null;
        }

        var outcome = await LoadPipeline.LoadFileCoreAsync(storage, resource.Id, path, overrides, standard, progress, ct);
        {
            {
                await using var s2 = scopes.CreateAsyncScope();
                var db2 = s2.ServiceProvider.GetRequiredService<OpenGovDb>();
                var st = await db2.Set<DataStoreResource>().FirstOrDefaultAsync(s => s.ResourceId == resource.Id, ct);
                if (st is null)
                {
                    st = new DataStoreResource { ResourceId = resource.Id, LastSourceHash = job.SourceHash };
                    db2.Add(st);
                }

                st.Standard = standard;
                st.ValidationJson = outcome.Validation?.ToJsonString();
                st.Conforms = outcome.Conforms;
                await db2.SaveChangesAsync(ct);
            }
        }
    }

    /// <summary>Loads a file into the resource's table outside any job (bench/datastore.sh): see <see cref="LoadPipeline"/>.</summary>
    public static Task<LoadPipeline.LoadResult> LoadFileAsync(DataStoreStorage storage, string resourceId, string path, LoadOverrides overrides, string? standard, CancellationToken ct) =>
        LoadPipeline.LoadFileAsync(storage, resourceId, path, overrides, standard, ct);
}
