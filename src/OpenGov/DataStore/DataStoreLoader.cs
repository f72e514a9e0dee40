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

/// <summary>Per-resource load overrides. Null members mean "detect".</summary>
public sealed record LoadOverrides
{
    public string? Encoding { get; init; }
    public string? Delimiter { get; init; }
    public int? HeaderRow { get; init; }
    public bool? NoHeader { get; init; }
    public string? Sheet { get; init; }
    public string? Standard { get; init; }
    public List<string>? EmptyMarkers { get; init; }
    public Dictionary<string, string>? Types { get; init; }

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static LoadOverrides Parse(string? json)
    {
        try
        {
            return string.IsNullOrWhiteSpace(json) ? new LoadOverrides() : JsonSerializer.Deserialize<LoadOverrides>(json, Json) ?? new LoadOverrides();
        }
        catch (JsonException)
        {
            return new LoadOverrides();
        }
    }

    /// <summary>Reads overrides from action parameters (encoding, delimiter, header_row, no_header, sheet, standard, empty_markers, types); null when none given.</summary>
    public static LoadOverrides? FromRequest(JsonObject data)
    {
        string? S(string k) => data[k] is JsonValue v ? v.ToString() : null;
        var keys = new[] { "encoding", "delimiter", "header_row", "no_header", "sheet", "standard", "empty_markers", "types" };
        if (!keys.Any(data.ContainsKey))
        {
            return null;
        }

        var encoding = S("encoding") is { Length: > 0 } e && e != "auto" ? e : null;
        try
        {
            _ = DataStoreDump.EncodingByName(encoding);
        }
        catch (ArgumentException)
        {
            throw Ckan.CkanException.Validation("encoding", "Value must be one of: auto, utf-8, cp932, euc-jp");
        }

        var delimiter = S("delimiter") switch
        {
            null or "" or "auto" => null,
            "tab" or "\\t" or "\t" => "\t",
            { Length: 1 } d => d,
            _ => throw Ckan.CkanException.Validation("delimiter", "A single character, \"tab\" or \"auto\""),
        };
        int? headerRow = null;
        if (S("header_row") is { Length: > 0 } hr && hr != "auto")
        {
            headerRow = int.TryParse(hr, NumberStyles.Integer, CultureInfo.InvariantCulture, out var h) && h >= 1 && h <= 1000 ? h
                : throw Ckan.CkanException.Validation("header_row", "A row number from 1, or \"auto\"");
        }

        var standard = S("standard") is { Length: > 0 } st && st != "auto" && st != "none" ? st : S("standard") == "none" ? "none" : null;
        if (standard is not null && standard != "none" && !StandardSchemas.Names.Contains(standard))
        {
            throw Ckan.CkanException.Validation("standard", "Value must be one of: " + string.Join(", ", StandardSchemas.Names) + ", none");
        }

        Dictionary<string, string>? types = null;
        if (data["types"] is { } tnode)
        {
            JsonObject? obj;
            try
            {
                obj = tnode as JsonObject ?? (tnode is JsonValue tv && tv.ToString().TrimStart().StartsWith('{') ? RequestJson.Parse(tv.ToString()) as JsonObject : null);
            }
            catch (JsonException)
            {
                throw Ckan.CkanException.Validation("types", "Not a dictionary of column names and types");
            }

            if (obj is not null)
            {
                types = [];
                foreach (var (k, v) in obj)
                {
                    var t = DsTypes.Canonical(v?.ToString());
                    if (t is null || DsTypes.ToColumnType(t) is null)
                    {
                        throw Ckan.CkanException.Validation("types", $"\"{v}\" is not a type for column \"{k}\"");
                    }

                    types[k] = t;
                }
            }
        }

        List<string>? markers = null;
        if (data["empty_markers"] is JsonArray ma)
        {
            markers = [.. ma.Select(x => x?.ToString() ?? "")];
        }
        else if (S("empty_markers") is { Length: > 0 } ms)
        {
            markers = [.. ms.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
        }

        var noHeader = S("no_header") is { } nh ? nh is "true" or "1" or "on" : (bool?)null;
        return new LoadOverrides
        {
            Encoding = encoding,
            Delimiter = delimiter,
            HeaderRow = headerRow,
            NoHeader = noHeader == true ? true : null,
            Sheet = S("sheet") is { Length: > 0 } sh ? sh : null,
            Standard = standard,
            EmptyMarkers = markers,
            Types = types,
        };
    }
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
    IHostApplicationLifetime lifetime,
    ILogger<DataStoreLoader> logger) : BackgroundService, IDataStoreLoader
{
    private static readonly string[] TabularFormats = ["CSV", "TSV", "XLSX", "XLS", "TEXT/CSV"];
    private static readonly string[] TabularExtensions = [".csv", ".tsv", ".xlsx", ".xls"];
    private static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(60);

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

    private static string SourceKey(Resource r) => r.Hash is { Length: > 0 } h ? h : "modified:" + r.MetadataModified.Ticks.ToString(CultureInfo.InvariantCulture);

    public async Task<DataStoreJob> EnqueueAsync(string resourceId, CancellationToken ct = default)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
        var job = await EnqueueCoreAsync(db, resourceId, ct);
        _wake.Writer.TryWrite(true);
        return job;
    }

    /// <summary>
    /// Queues a load, or answers the job already pending. Two nodes (or two requests) queueing the first load of a
    /// resource at the same moment both find no state row and both insert one; the loser of that race tries again and
    /// then finds the winner's row and pending job.
    /// </summary>
    private static async Task<DataStoreJob> EnqueueCoreAsync(OpenGovDb db, string resourceId, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await EnqueueOnceAsync(db, resourceId, ct);
            }
            catch (DbUpdateException e) when (attempt < 3 && DbErrors.IsUniqueViolation(e))
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private static async Task<DataStoreJob> EnqueueOnceAsync(OpenGovDb db, string resourceId, CancellationToken ct)
    {
        var resource = await db.Resources.AsNoTracking().FirstOrDefaultAsync(r => r.Id == resourceId, ct)
            ?? throw new InvalidOperationException("No resource " + resourceId);
        var pending = await db.Set<DataStoreJob>().FirstOrDefaultAsync(j => j.ResourceId == resourceId && j.State == JobState.Pending, ct);
        var key = SourceKey(resource);
        var state = await db.Set<DataStoreResource>().FirstOrDefaultAsync(s => s.ResourceId == resourceId, ct);
        if (state is null)
        {
            state = new DataStoreResource { ResourceId = resourceId };
            db.Add(state);
        }

        state.LastSourceHash = key;
        state.LastSourceModified = resource.MetadataModified;
        if (pending is null)
        {
            pending = new DataStoreJob { ResourceId = resourceId, SourceHash = key };
            db.Add(pending);
            pending.LogJson = new JsonArray(LogEntry("info", "queued", "順番待ち")).ToJsonString();
        }

        state.LastJobId = pending.Id;
        await db.SaveChangesAsync(ct);
        return pending;
    }

    public async Task<LoadOverrides> GetOptionsAsync(string resourceId, CancellationToken ct = default)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
        var json = await db.Set<DataStoreResource>().AsNoTracking().Where(s => s.ResourceId == resourceId).Select(s => s.OptionsJson).FirstOrDefaultAsync(ct);
        return LoadOverrides.Parse(json);
    }

    public async Task SetOptionsAsync(string resourceId, LoadOverrides overrides, CancellationToken ct = default)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
        var state = await db.Set<DataStoreResource>().FirstOrDefaultAsync(s => s.ResourceId == resourceId, ct);
        if (state is null)
        {
            state = new DataStoreResource { ResourceId = resourceId };
            db.Add(state);
        }

        state.OptionsJson = overrides.ToJson();
        await db.SaveChangesAsync(ct);
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
                    await PollChangedResourcesAsync(stoppingToken);
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

    /// <summary>Queues loads for tabular uploads that are new or whose file changed since the last load.</summary>
    private async Task PollChangedResourcesAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
        var candidates = await (from r in db.Resources.AsNoTracking()
                                join s in db.Set<DataStoreResource>().AsNoTracking() on r.Id equals s.ResourceId into states
                                from s in states.DefaultIfEmpty()
                                where r.State == "active" && r.UrlType == "upload" && r.StoragePath != null
                                select new { Resource = r, Key = s == null ? null : s.LastSourceHash }).ToListAsync(ct);
        foreach (var c in candidates)
        {
            if (IsTabular(c.Resource) && c.Key != SourceKey(c.Resource))
            {
                await EnqueueCoreAsync(db, c.Resource.Id, ct);
            }
        }
    }

    private async Task<bool> ClaimAndRunAsync(CancellationToken ct)
    {
        string? jobId;
        using (var scope = scopes.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
            var jobs = db.Set<DataStoreJob>();

            // take over jobs of nodes that stopped
            var stale = DateTime.UtcNow - StaleAfter;
            await jobs.Where(j => j.State == JobState.Running && j.Heartbeat < stale)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.State, JobState.Pending).SetProperty(j => j.ClaimedBy, (string?)null), ct);

            var next = await jobs.AsNoTracking().Where(j => j.State == JobState.Pending).OrderBy(j => j.Created).Select(j => j.Id).Take(5).ToListAsync(ct);
            jobId = null;
            foreach (var id in next)
            {
                var now = DateTime.UtcNow;
                int claimed;
                try
                {
                    claimed = await jobs.Where(j => j.Id == id && j.State == JobState.Pending
                            && !jobs.Any(o => o.ResourceId == j.ResourceId && o.State == JobState.Running))
                        .ExecuteUpdateAsync(s => s.SetProperty(j => j.State, JobState.Running).SetProperty(j => j.ClaimedBy, _node)
                            .SetProperty(j => j.Started, now).SetProperty(j => j.Heartbeat, now).SetProperty(j => j.Attempts, j => j.Attempts + 1), ct);
                }
                catch (System.Data.Common.DbException e) when (DbErrors.IsUniqueViolation(e))
                {
                    // another node claimed a job of the same resource at the same moment (ux_datastore_job_one_running)
                    claimed = 0;
                }

                if (claimed == 1)
                {
                    jobId = id;
                    break;
                }
            }
        }

        if (jobId is null)
        {
            return false;
        }

        await Task.Run(() => RunJobAsync(jobId, ct), ct);
        return true;
    }

    /// <summary>A log line: <c>message</c> in English (as CKAN's loaders write it) and <c>message_ja</c> for the Japanese pages.</summary>
    private static JsonObject LogEntry(string level, string message, string? messageJa = null)
    {
        var e = new JsonObject { ["t"] = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), ["level"] = level, ["message"] = message };
        if (messageJa is not null)
        {
            e["message_ja"] = messageJa;
        }

        return e;
    }

    /// <summary>Progress shared between the loading thread and the reporter.</summary>
    private sealed class Progress
    {
        private long _rows;
        private long _bytes;

        public long Rows => Interlocked.Read(ref _rows);

        public long Bytes => Interlocked.Read(ref _bytes);

        public void SetRows(long v) => Interlocked.Exchange(ref _rows, v);

        public void SetBytes(long v) => Interlocked.Exchange(ref _bytes, v);

        public JsonArray Log { get; } = [];

        private readonly Stopwatch _clock = Stopwatch.StartNew();

        /// <summary>When the last row was stored (before indexes).</summary>
        public TimeSpan RowsStoredAt { get; private set; }

        public void RowsStored() => RowsStoredAt = _clock.Elapsed;

        public JsonObject Detected { get; set; } = [];

        public void Add(string level, string message, string? messageJa = null)
        {
            lock (Log)
            {
                if (Log.Count < 500)
                {
                    Log.Add(LogEntry(level, message, messageJa));
                }
            }
        }

        public string LogJson()
        {
            lock (Log)
            {
                return Log.ToJsonString();
            }
        }

        public string DetectedJson()
        {
            lock (Log)
            {
                return Detected.ToJsonString();
            }
        }
    }

    private async Task RunJobAsync(string jobId, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
        var job = await db.Set<DataStoreJob>().AsNoTracking().FirstAsync(j => j.Id == jobId, ct);
        var progress = new Progress();
        if (JsonNode.Parse(job.LogJson) is JsonArray old)
        {
            foreach (var e in old)
            {
                progress.Log.Add(e?.DeepClone());
            }
        }

        progress.Add("info", $"started on {_node}", $"{_node} で開始");
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
            progress.Add("warning", "interrupted: the node stopped; the job will be resumed", "中断: ノードが停止しました。読み込みは再開されます");
            await reporterStop.CancelAsync();
            await reporter;
            await using var s2 = scopes.CreateAsyncScope();
            await s2.ServiceProvider.GetRequiredService<OpenGovDb>().Set<DataStoreJob>().Where(j => j.Id == jobId && j.ClaimedBy == _node && j.State == JobState.Running)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.State, JobState.Pending).SetProperty(j => j.LogJson, progress.LogJson()), CancellationToken.None);
            throw;
        }
        catch (Exception e)
        {
            logger.LogError(e, "DataStore load of {Resource} failed", job.ResourceId);
            state = JobState.Error;
            error = "Internal error while loading: " + e.GetType().Name + ": " + e.Message;
            progress.Add("error", error, "読み込み中の内部エラー: " + e.GetType().Name + ": " + e.Message);
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
            .SetProperty(j => j.RowsRead, progress.Rows).SetProperty(j => j.BytesRead, progress.Bytes)
            .SetProperty(j => j.LogJson, progress.LogJson()).SetProperty(j => j.DetectedJson, progress.DetectedJson()), CancellationToken.None);
    }

    private async Task ReportAsync(string jobId, Progress progress, CancellationTokenSource lost, CancellationToken stop)
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
                    .SetProperty(j => j.RowsRead, progress.Rows).SetProperty(j => j.BytesRead, progress.Bytes).SetProperty(j => j.Heartbeat, now)
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

    /// <summary>A load that cannot start; <see cref="Exception.Message"/> is "MessageJa / MessageEn", as <see cref="TableReadException"/>.</summary>
    private sealed class LoadException(string messageJa, string messageEn) : Exception(messageJa + " / " + messageEn)
    {
        public string MessageJa => messageJa;

        public string MessageEn => messageEn;
    }

    private async Task LoadAsync(OpenGovDb db, DataStoreJob job, Progress progress, CancellationToken ct)
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

        var outcome = await LoadFileCoreAsync(storage, resource.Id, path, overrides, standard, progress, ct);
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

    /// <summary>What a load produced.</summary>
    /// <param name="RowsSeconds">Time until every row was stored (before indexes and the swap).</param>
    public sealed record LoadResult(long Rows, JsonObject Detected, JsonObject? Validation, bool? Conforms, string Log, double RowsSeconds);

    /// <summary>
    /// Loads a file into the resource's table (detect, infer, normalise, validate, bulk load, index, swap): the whole
    /// pipeline of a job without the job bookkeeping. Used by jobs and by bench/datastore.sh.
    /// </summary>
    public static async Task<LoadResult> LoadFileAsync(DataStoreStorage storage, string resourceId, string path, LoadOverrides overrides, string? standard, CancellationToken ct)
    {
        var progress = new Progress();
        var outcome = await LoadFileCoreAsync(storage, resourceId, path, overrides, standard, progress, ct);
        return new LoadResult(progress.Rows, progress.Detected, outcome.Validation, outcome.Conforms, progress.LogJson(), progress.RowsStoredAt.TotalSeconds);
    }

    private static async Task<Outcome> LoadFileCoreAsync(DataStoreStorage storage, string resourceId, string path, LoadOverrides overrides, string? standard, Progress progress, CancellationToken ct)
    {
        var forcedText = new HashSet<string>(StringComparer.Ordinal);
        for (var attempt = 0; ; attempt++)
        {
            var outcome = await LoadOnceAsync(storage, resourceId, path, overrides, standard, forcedText, progress, attempt == 0, ct);
            if (outcome.RetryAsText.Count == 0 || attempt > 0)
            {
                return outcome;
            }

            foreach (var c in outcome.RetryAsText)
            {
                forcedText.Add(c);
            }

            var retried = string.Join(", ", outcome.RetryAsText.Select(c => "「" + c + "」"));
            progress.Add("warning", $"values that do not fit the inferred type in {retried}: loading again with these columns as text", $"{retried} に推定した型に合わない値があるため、これらの列を文字列として読み込み直します");
        }
    }

    private sealed record Outcome(List<string> RetryAsText, JsonObject? Validation, bool? Conforms);

    private static async Task<Outcome> LoadOnceAsync(DataStoreStorage storage, string resourceId, string path, LoadOverrides o, string? standard, HashSet<string> forcedText, Progress progress, bool first, CancellationToken ct)
    {
        var readOptions = new TableReadOptions
        {
            Encoding = DataStoreDump.EncodingByName(o.Encoding),
            Delimiter = o.Delimiter is { Length: 1 } d ? d[0] : null,
            HeaderRowIndex = o.HeaderRow is { } h ? h - 1 : null,
            HasHeader = o.NoHeader != true,
            SheetName = o.Sheet,
            RaggedRows = RaggedRowPolicy.PadOrTruncate,
        };
        var fileLength = new FileInfo(path).Length;
        await using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var counting = new CountingStream(fs);
        using var table = TableReader.Open(counting, readOptions);
        var detected = new JsonObject
        {
            ["format"] = table.Format.ToString().ToLowerInvariant(),
            ["encoding"] = table.EncodingName is { Length: > 0 } en ? en : null,
            ["encoding_reason"] = table.EncodingReason is { Length: > 0 } er ? er : null,
            ["delimiter"] = table.Delimiter is { } dl ? (dl == '\t' ? "tab" : dl.ToString()) : null,
            ["header_row"] = table.HeaderRowIndex + 1,
            ["sheet"] = table.SheetName,
            ["title_rows"] = new JsonArray([.. table.TitleRows.Select(t => (JsonNode)t)]),
            ["standard"] = standard,
            ["file_bytes"] = fileLength,
        };
        if (first)
        {
            progress.Add("info", $"format {detected["format"]}" + (table.EncodingName is { Length: > 0 } ? $", encoding {table.EncodingName} ({table.EncodingReason})" : "")
                + (table.Delimiter is { } dd ? $", delimiter {(dd == '\t' ? "tab" : dd.ToString())}" : "") + $", header row {table.HeaderRowIndex + 1}"
                + (table.SheetName is { } sn ? $", sheet {sn}" : ""),
                $"形式 {detected["format"]}" + (table.EncodingName is { Length: > 0 } ? $"、文字コード {table.EncodingName}（{table.EncodingReason}）" : "")
                + (table.Delimiter is { } dj ? $"、区切り文字 {(dj == '\t' ? "タブ" : dj.ToString())}" : "") + $"、見出し {table.HeaderRowIndex + 1} 行目"
                + (table.SheetName is { } sj ? $"、シート {sj}" : ""));
            foreach (var rename in table.HeaderRenames)
            {
                progress.Add("warning", $"column {rename.ColumnIndex + 1}: {(rename.Reason == "empty" ? "empty header" : "duplicate header「" + rename.Original + "」")} named「{rename.Name}」",
                    $"{rename.ColumnIndex + 1} 列目: {(rename.Reason == "empty" ? "見出しが空" : "見出し「" + rename.Original + "」が重複")}のため「{rename.Name}」と名付けました");
            }
        }

        // field names: CKAN's rules (no leading underscore, no quotes, at most 63 bytes), unique
        var names = new List<string>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (col, i) in table.Columns.Select((c, i) => (c, i)))
        {
            var n = col.Replace("\"", "", StringComparison.Ordinal).Replace("%", "％", StringComparison.Ordinal).Replace("\0", "", StringComparison.Ordinal).TrimStart('_').Trim();
            if (n.Length == 0)
            {
                n = "column_" + (i + 1).ToString(CultureInfo.InvariantCulture);
            }

            while (Encoding.UTF8.GetByteCount(n) > 60)
            {
                n = n[..^1];
            }

            var baseName = n;
            for (var k = 2; !used.Add(n); k++)
            {
                n = baseName + "_" + k.ToString(CultureInfo.InvariantCulture);
            }

            if (n != col && first)
            {
                progress.Add("warning", $"column {i + 1}「{col}」stored as「{n}」", $"{i + 1} 列目「{col}」は「{n}」として保存します");
            }

            names.Add(n);
        }

        var typeOverrides = new Dictionary<string, ColumnType>(StringComparer.Ordinal);
        foreach (var (k, v) in o.Types ?? [])
        {
            var idx = names.IndexOf(k) is >= 0 and var i1 ? i1 : table.Columns.ToList().IndexOf(k);
            if (idx >= 0 && DsTypes.ToColumnType(v) is { } ct1)
            {
                typeOverrides[table.Columns[idx]] = ct1;
            }
        }

        foreach (var c in forcedText)
        {
            typeOverrides[c] = ColumnType.Text;
        }

        var inference = new InferenceOptions
        {
            Overrides = typeOverrides,
            EmptyMarkers = o.EmptyMarkers is { } m ? new HashSet<string>(m, StringComparer.Ordinal) : TextNormalizer.DefaultEmptyMarkers,
        };
        var inferred = TypeInference.InferFromSample(table.Columns, table.Rows, inference, out var allRows);
        var fields = inferred.Select((c, i) => new DsField(names[i], DsTypes.FromColumnType(c.Type), table.Columns[i] != names[i] ? new JsonObject { ["label"] = table.Columns[i] } : null)).ToList();
        detected["columns"] = new JsonArray([.. fields.Select(f => (JsonNode)new JsonObject { ["id"] = f.Id, ["type"] = f.Type })]);
        progress.Detected = detected;
        if (first)
        {
            var typeList = string.Join(", ", fields.Select(f => f.Id + " " + f.Type));
            progress.Add("info", "types: " + typeList, "列の型: " + typeList);
        }

        var normalizer = new ColumnNormalizer(inferred, inference, maxProblems: 20);
        await using var load = await storage.BeginLoadAsync(resourceId, fields, normalizer.Normalize, ct);
        long rows = 0;
        var lastTick = Environment.TickCount64;
        IEnumerable<string[]> Tap()
        {
            foreach (var row in allRows)
            {
                load.Add(row, table.CurrentRowNumber);
                rows++;
                if ((rows & 1023) == 0)
                {
                    progress.SetRows(rows);
                    progress.SetBytes(counting.BytesRead);
                    ct.ThrowIfCancellationRequested();
                }

                yield return row;
            }
        }

        JsonObject? validation = null;
        bool? conforms = null;
        if (standard is not null)
        {
            var report = SchemaValidator.Validate(StandardSchemas.Get(standard), table.Columns, Tap(), new ValidationOptions { FirstDataRowNumber = table.HeaderRowIndex + 2 });
            conforms = report.Conforms;
            validation = new JsonObject
            {
                ["standard"] = standard,
                ["conforms"] = report.Conforms,
                ["error_count"] = report.ErrorCount,
                ["warning_count"] = report.WarningCount,
                ["truncated"] = report.Truncated,
                ["row_count"] = report.RowCount,
                ["problems"] = new JsonArray([.. report.Problems.Select(p => (JsonNode)new JsonObject
                {
                    ["row"] = p.Row,
                    ["column"] = p.Column,
                    ["code"] = p.Code,
                    ["severity"] = p.Severity.ToString().ToLowerInvariant(),
                    ["value"] = p.Value,
                    ["message"] = p.MessageEn,
                    ["message_ja"] = p.MessageJa,
                })]),
            };
            progress.Add(report.Conforms ? "info" : "warning", $"standard {standard}: {(report.Conforms ? "conforms" : "does not conform")} ({report.ErrorCount} errors, {report.WarningCount} warnings)",
                $"標準データセット {standard}: {(report.Conforms ? "準拠" : "不適合")}（エラー {report.ErrorCount} 件、警告 {report.WarningCount} 件）");
        }
        else
        {
            foreach (var _ in Tap())
            {
            }
        }

        progress.SetRows(rows);
        progress.SetBytes(fileLength);
        await load.DrainAsync(ct); // the normaliser runs on the writer thread: its problems are known once every row is stored
        progress.RowsStored();
        if (normalizer.ProblemCount > 0 && first)
        {
            var cols = normalizer.Problems.Select(p => p.ColumnName).Distinct().ToList();
            foreach (var p in normalizer.Problems.Take(5))
            {
                progress.Add("warning", $"row {p.Row}, column「{p.ColumnName}」: \"{p.Value}\" is not {DsTypes.FromColumnType(p.Expected)}", $"{p.Row} 行目「{p.ColumnName}」: 「{p.Value}」は {DsTypes.FromColumnType(p.Expected)} ではありません");
            }

            return new Outcome(cols, validation, conforms);
        }

        if (table.RaggedRowCount > 0)
        {
            var rr = table.RaggedRows.FirstOrDefault();
            progress.Add("warning", $"{table.RaggedRowCount} rows have a different number of cells than the header (first: row {rr?.Row}, {rr?.CellCount} cells for {rr?.Expected}); padded or cut",
                $"{table.RaggedRowCount} 行のセル数が見出しと違います（最初は {rr?.Row} 行目: 見出し {rr?.Expected} 列に対し {rr?.CellCount} セル）。空欄で補うか切り詰めました");
        }

        if (table.SkippedRowCount > 0)
        {
            progress.Add("info", $"{table.SkippedRowCount} note or blank rows left out", $"注記行・空行 {table.SkippedRowCount} 行を除きました");
        }

        if (table.FirstNulCell is { } nul)
        {
            progress.Add("warning", $"{table.NulCellCount} cells contained NUL characters (U+0000), removed (first: row {nul.Row}, column {nul.Column}); is the encoding right?",
                $"{table.NulCellCount} 個のセルに NUL 文字（U+0000）があり、取り除きました（最初は {nul.Row} 行目 {nul.Column} 列目）。文字コードの指定は正しいですか");
        }

        progress.Add("info", FormattableString.Invariant($"{rows:N0} rows stored in {progress.RowsStoredAt.TotalSeconds:F2} s; building indexes"),
            FormattableString.Invariant($"{rows:N0} 行を {progress.RowsStoredAt.TotalSeconds:F2} 秒で保存しました。索引を作成しています"));
        // indexes: the _id key, and every index the previous version had (those were asked for by searches); a first
        // load guesses none: the first filter or sort that needs one builds it on demand (docs/decisions/0004)
        var previous = await storage.GetTableAsync(resourceId, ct);
        var names2 = fields.Where(f => f.Type != DsTypes.Json).Select(f => f.Id).ToHashSet(StringComparer.Ordinal);
        var indexes = (previous?.IndexedColumns ?? []).Select(DataStoreStorage.IndexColumns).Where(cols => cols.All(names2.Contains)).Select(cols => (IReadOnlyList<string>)cols)
            .DistinctBy(DataStoreStorage.IndexKey).Take(DataStoreStorage.MaxIndexes).ToList();
        await load.CompleteAsync(indexes, ct, log: (en, ja) => progress.Add("info", en, ja));
        return new Outcome([], validation, conforms);
    }

    /// <summary>Counts bytes read, for progress by bytes.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        private long _read;

        public long BytesRead => Interlocked.Read(ref _read);

        public override bool CanRead => true;

        public override bool CanSeek => inner.CanSeek;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => inner.Position = value; }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override long Seek(long offset, SeekOrigin origin)
        {
            var p = inner.Seek(offset, origin);
            Interlocked.Exchange(ref _read, p);
            return p;
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int n)
        {
            Interlocked.Add(ref _read, n);
            return n;
        }
    }
}
