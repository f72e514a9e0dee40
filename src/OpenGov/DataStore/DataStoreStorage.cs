using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using OpenGov.Hosting;
using OpenGov.Storage;

namespace OpenGov.DataStore;

/// <summary>
/// Where DataStore tables live: a separate SQLite file (datastore.db in the data directory), or the schema
/// "datastore" of the configured PostgreSQL database. A table per resource, named by the resource id, with
/// "_id" and typed columns; its fields are recorded in the metadata table "_og_tables", changed in the same
/// transaction as the table itself.
/// </summary>
public sealed class DataStoreStorage : IAsyncDisposable
{
    public const string MetaTable = "_og_tables";

    private readonly NpgsqlDataSource? _pg;
    private readonly string? _sqlite;
    private int _initialized;
    private readonly SemaphoreSlim _initLock = new(1, 1);

    private readonly Func<CancellationToken, Task>? _tablesChanged;

    /// <param name="tablesChanged">Called after a table appears, is replaced or disappears (the catalog's datastore_active changes).</param>
    public DataStoreStorage(StorageInfo storage, OpenGovOptions options, Func<CancellationToken, Task>? tablesChanged = null)
    {
        _tablesChanged = tablesChanged;
        IsPostgres = storage.IsPostgres;
        if (IsPostgres)
        {
            var b = new NpgsqlDataSourceBuilder(storage.ConnectionString);
            _pg = b.Build();
        }
        else
        {
            Directory.CreateDirectory(options.DataDirectory);
            _sqlite = new SqliteConnectionStringBuilder
            {
                DataSource = Path.Combine(options.DataDirectory, "datastore.db"),
                Pooling = true,
                DefaultTimeout = 60,
            }.ToString();
            SqlitePath = Path.Combine(options.DataDirectory, "datastore.db");
        }
    }

    public bool IsPostgres { get; }

    public string? SqlitePath { get; }

    /// <summary>The qualified, quoted name of a resource's table.</summary>
    public string Table(string name) => IsPostgres ? "datastore." + DsTypes.Quote(name) : DsTypes.Quote(name);

    public string Meta => Table(MetaTable);

    private Task TablesChangedAsync(CancellationToken ct) => _tablesChanged?.Invoke(ct) ?? Task.CompletedTask;

    public async Task<DbConnection> OpenAsync(CancellationToken ct, bool readOnly = false)
    {
        await EnsureInitializedAsync(ct);
        return await OpenRawAsync(ct, readOnly);
    }

    private async Task<DbConnection> OpenRawAsync(CancellationToken ct, bool readOnly = false)
    {
        if (_pg is not null)
        {
            return await _pg.OpenConnectionAsync(ct);
        }

        var cs = readOnly ? new SqliteConnectionStringBuilder(_sqlite) { Mode = SqliteOpenMode.ReadOnly }.ToString() : _sqlite!;
        var c = new SqliteConnection(cs);
        await c.OpenAsync(ct);
        return c;
    }

    public async Task EnsureInitializedAsync(CancellationToken ct)
    {
        if (Volatile.Read(ref _initialized) == 1)
        {
            return;
        }

        await _initLock.WaitAsync(ct);
        try
        {
            if (_initialized == 1)
            {
                return;
            }

            await using var c = await OpenRawAsync(ct);
            if (IsPostgres)
            {
                await ExecAsync(c, null, "CREATE SCHEMA IF NOT EXISTS datastore", ct);
            }
            else
            {
                await ExecAsync(c, null, "PRAGMA journal_mode=WAL", ct);
            }

            await ExecAsync(c, null, $"CREATE TABLE IF NOT EXISTS {Meta} (resource_id text PRIMARY KEY, fields text NOT NULL, primary_key text NOT NULL, indexes text NOT NULL DEFAULT '[]', updated text NOT NULL)", ct);
            Volatile.Write(ref _initialized, 1);
        }
        finally
        {
            _initLock.Release();
        }
    }

    public static async Task<int> ExecAsync(DbConnection c, DbTransaction? tx, string sql, CancellationToken ct, params object?[] args)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        for (var i = 0; i < args.Length; i++)
        {
            AddParam(cmd, "@p" + i.ToString(CultureInfo.InvariantCulture), args[i]);
        }

        return await cmd.ExecuteNonQueryAsync(ct);
    }

    public static void AddParam(DbCommand cmd, string name, object? value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = cmd is SqliteCommand ? DsTypes.ToSqlite(value) : value ?? DBNull.Value;
        cmd.Parameters.Add(p);
    }

    // ---- metadata ----

    public async Task<DsTable?> GetTableAsync(DbConnection c, DbTransaction? tx, string resourceId, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"SELECT fields, primary_key, indexes FROM {Meta} WHERE resource_id = @p0";
        AddParam(cmd, "@p0", resourceId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? ParseMeta(resourceId, r.GetString(0), r.GetString(1), r.GetString(2)) : null;
    }

    public async Task<DsTable?> GetTableAsync(string resourceId, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        return await GetTableAsync(c, null, resourceId, ct);
    }

    /// <summary>The ids among <paramref name="resourceIds"/> that have a table (one query per 500 ids).</summary>
    public async Task<HashSet<string>> ExistingTablesAsync(IReadOnlyCollection<string> resourceIds, CancellationToken ct)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        if (resourceIds.Count == 0)
        {
            return found;
        }

        await using var c = await OpenAsync(ct);
        foreach (var chunk in resourceIds.Distinct(StringComparer.Ordinal).Chunk(500))
        {
            await using var cmd = c.CreateCommand();
            var names = new string[chunk.Length];
            for (var i = 0; i < chunk.Length; i++)
            {
                names[i] = "@p" + i.ToString(CultureInfo.InvariantCulture);
                AddParam(cmd, names[i], chunk[i]);
            }

            cmd.CommandText = $"SELECT resource_id FROM {Meta} WHERE resource_id IN ({string.Join(", ", names)})";
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                found.Add(r.GetString(0));
            }
        }

        return found;
    }

    public async Task<List<DsTable>> ListTablesAsync(CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT resource_id, fields, primary_key, indexes FROM {Meta} ORDER BY resource_id";
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<DsTable>();
        while (await r.ReadAsync(ct))
        {
            list.Add(ParseMeta(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3)));
        }

        return list;
    }

    private static DsTable ParseMeta(string id, string fields, string pk, string indexes)
    {
        var ix = JsonSerializer.Deserialize<List<string>>(indexes) ?? [];
        var f = JsonNode.Parse(fields)!.AsArray().Select(n => new DsField(n!["id"]!.GetValue<string>(), n["type"]!.GetValue<string>(), n["info"] as JsonObject is { } info ? (JsonObject)info.DeepClone() : null)).ToList();
        var k = JsonSerializer.Deserialize<List<string>>(pk) ?? [];
        return new DsTable(id, f, k, ix);
    }

    private async Task WriteMetaAsync(DbConnection c, DbTransaction tx, DsTable t, CancellationToken ct)
    {
        var fields = new JsonArray([.. t.Fields.Select(f =>
        {
            var o = new JsonObject { ["id"] = f.Id, ["type"] = f.Type };
            if (f.Info is not null)
            {
                o["info"] = f.Info.DeepClone();
            }

            return (JsonNode)o;
        })]).ToJsonString();
        await ExecAsync(c, tx, $"INSERT INTO {Meta} (resource_id, fields, primary_key, indexes, updated) VALUES (@p0, @p1, @p2, @p3, @p4) ON CONFLICT (resource_id) DO UPDATE SET fields = excluded.fields, primary_key = excluded.primary_key, indexes = excluded.indexes, updated = excluded.updated",
            ct, t.ResourceId, fields, JsonSerializer.Serialize(t.PrimaryKey), JsonSerializer.Serialize(t.IndexedColumns.Distinct().ToList()), DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
    }

    // ---- DDL ----

    private static string NewGeneration() => Guid.NewGuid().ToString("N")[..12];

    private string CreateTableSql(string physical, IReadOnlyList<DsField> fields, string gen)
    {
        var sb = new StringBuilder("CREATE TABLE ").Append(Table(physical)).Append(" (");
        sb.Append(IsPostgres ? $"\"_id\" bigint GENERATED BY DEFAULT AS IDENTITY (SEQUENCE NAME datastore.\"s_{gen}\") NOT NULL" : "\"_id\" INTEGER PRIMARY KEY");
        foreach (var f in fields)
        {
            sb.Append(", ").Append(DsTypes.Quote(f.Id)).Append(' ').Append(IsPostgres ? DsTypes.PostgresType(f.Type) : DsTypes.SqliteType(f.Type));
        }

        return sb.Append(')').ToString();
    }

    private async Task CreateIndexesAsync(DbConnection c, DbTransaction? tx, string physical, string gen, IReadOnlyList<string> pk, IEnumerable<IReadOnlyList<string>> indexes, bool addIdKey, CancellationToken ct)
    {
        var n = 0;
        if (IsPostgres && addIdKey)
        {
            await ExecAsync(c, tx, $"ALTER TABLE {Table(physical)} ADD CONSTRAINT \"pk_{gen}\" PRIMARY KEY (\"_id\")", ct);
        }

        if (pk.Count > 0)
        {
            await ExecAsync(c, tx, $"CREATE UNIQUE INDEX \"ux_{gen}\" ON {Table(physical)} ({string.Join(", ", pk.Select(DsTypes.Quote))})", ct);
        }

        foreach (var cols in indexes)
        {
            await ExecAsync(c, tx, $"CREATE INDEX \"ix_{gen}_{n++}\" ON {Table(physical)} ({string.Join(", ", cols.Select(DsTypes.Quote))})", ct);
        }
    }

    /// <summary>
    /// datastore_create: creates the table, or adds the new fields to an existing one (a field's type cannot change).
    /// Returns the table as it is afterwards.
    /// </summary>
    public async Task<DsTable> CreateOrExtendAsync(string resourceId, IReadOnlyList<DsField> fields, IReadOnlyList<string>? primaryKey, IReadOnlyList<IReadOnlyList<string>> indexes, Func<DbConnection, DbTransaction, DsTable, Task>? then, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var existing = await GetTableAsync(c, tx, resourceId, ct);
        DsTable table;
        var gen = NewGeneration();
        if (existing is null)
        {
            table = new DsTable(resourceId, fields, primaryKey ?? [], [.. indexes.Select(IndexKey)]);
            await ExecAsync(c, tx, CreateTableSql(resourceId, fields, gen), ct);
            await CreateIndexesAsync(c, tx, resourceId, gen, table.PrimaryKey, indexes, addIdKey: true, ct);
        }
        else
        {
            var all = existing.Fields.ToList();
            var errors = new List<string>();
            foreach (var f in fields)
            {
                var old = all.FindIndex(x => x.Id == f.Id);
                if (old < 0)
                {
                    all.Add(f);
                    await ExecAsync(c, tx, $"ALTER TABLE {Table(resourceId)} ADD COLUMN {DsTypes.Quote(f.Id)} {(IsPostgres ? DsTypes.PostgresType(f.Type) : DsTypes.SqliteType(f.Type))}", ct);
                }
                else if (all[old].Type != f.Type)
                {
                    errors.Add($"field \"{f.Id}\" has type {all[old].Type}, cannot change it to {f.Type}");
                }
                else if (f.Info is not null)
                {
                    all[old] = all[old] with { Info = f.Info };
                }
            }

            if (errors.Count > 0)
            {
                throw new DataStoreValidationException("fields", string.Join("; ", errors));
            }

            var pk = primaryKey ?? existing.PrimaryKey;
            indexes = [.. indexes.Where(i => !existing.IndexedColumns.Contains(IndexKey(i)))];
            table = new DsTable(resourceId, all, pk, [.. existing.IndexedColumns.Concat(indexes.Select(IndexKey))]);
            if (primaryKey is not null && !primaryKey.SequenceEqual(existing.PrimaryKey))
            {
                await CreateIndexesAsync(c, tx, resourceId, gen, pk, [], addIdKey: false, ct);
            }

            await CreateIndexesAsync(c, tx, resourceId, gen, [], indexes, addIdKey: false, ct);
        }

        await WriteMetaAsync(c, tx, table, ct);
        if (then is not null)
        {
            await then(c, tx, table);
        }

        await tx.CommitAsync(ct);
        if (existing is null)
        {
            await TablesChangedAsync(ct);
        }

        return table;
    }

    /// <summary>Runs <paramref name="body"/> in a write transaction on the table (null when there is no such table).</summary>
    public async Task<T?> WriteAsync<T>(string resourceId, Func<DbConnection, DbTransaction, DsTable, Task<T>> body, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        if (IsPostgres)
        {
            var exists = await GetTableAsync(c, tx, resourceId, ct);
            if (exists is null)
            {
                return default;
            }

            await ExecAsync(c, tx, $"LOCK TABLE {Table(resourceId)} IN SHARE ROW EXCLUSIVE MODE", ct);
        }

        var table = await GetTableAsync(c, tx, resourceId, ct);
        if (table is null)
        {
            return default;
        }

        var result = await body(c, tx, table);
        await tx.CommitAsync(ct);
        return result;
    }

    /// <summary>
    /// Runs <paramref name="body"/> on a consistent view of the table: the fields and the rows are those of one load
    /// (a reload that completes meanwhile is seen entirely or not at all). Returns default when the table does not exist.
    /// </summary>
    public async Task<T?> ReadAsync<T>(string resourceId, Func<DbConnection, DbTransaction, DsTable, Task<T>> body, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        if (IsPostgres)
        {
            if (await GetTableAsync(c, null, resourceId, ct) is null)
            {
                return default;
            }

            await using var tx = await c.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
            try
            {
                // A swap needs ACCESS EXCLUSIVE on the old table: holding ACCESS SHARE makes it wait for us, or us for it.
                await ExecAsync(c, tx, $"LOCK TABLE {Table(resourceId)} IN ACCESS SHARE MODE", ct);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
            {
                return default;
            }

            var table = await GetTableAsync(c, tx, resourceId, ct);
            if (table is null)
            {
                return default;
            }

            var result = await body(c, tx, table);
            await tx.CommitAsync(ct);
            return result;
        }
        else
        {
            // WAL: a read transaction sees one snapshot of both the metadata and the table.
            await using var tx = ((SqliteConnection)c).BeginTransaction(deferred: true);
            var table = await GetTableAsync(c, tx, resourceId, ct);
            if (table is null)
            {
                return default;
            }

            var result = await body(c, tx, table);
            await tx.CommitAsync(ct);
            return result;
        }
    }

    /// <summary>Separator of the columns of a multi-column index in the metadata's index list.</summary>
    public const char IndexColumnSeparator = '\u001f';

    public static string IndexKey(IEnumerable<string> columns) => string.Join(IndexColumnSeparator, columns);

    public static string[] IndexColumns(string key) => key.Split(IndexColumnSeparator);

    /// <summary>
    /// Adds an index to a live table (PostgreSQL: CONCURRENTLY, readers and writers go on) and records it.
    /// Returns false when the table or a column no longer exists.
    /// </summary>
    public async Task<bool> AddIndexAsync(string resourceId, IReadOnlyList<string> columns, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        var t = await GetTableAsync(c, null, resourceId, ct);
        var key = IndexKey(columns);
        if (t is null || t.IndexedColumns.Contains(key) || !columns.All(col => t.Fields.Any(f => f.Id == col)))
        {
            return false;
        }

        var name = "ix_" + NewGeneration() + "_d";
        var cols = string.Join(", ", columns.Select(DsTypes.Quote));
        try
        {
            if (IsPostgres)
            {
                await ExecAsync(c, null, $"CREATE INDEX CONCURRENTLY IF NOT EXISTS \"{name}\" ON {Table(resourceId)} ({cols})", ct);
            }
            else
            {
                await ExecAsync(c, null, "PRAGMA threads=2", ct);
                await ExecAsync(c, null, $"CREATE INDEX IF NOT EXISTS \"{name}\" ON {Table(resourceId)} ({cols})", ct);
                await ExecAsync(c, null, $"PRAGMA analysis_limit=1000; ANALYZE \"{name}\"", ct);
            }
        }
        catch (DbException)
        {
            // the table was swapped or dropped meanwhile (or a deadlock with a reload's swap chose this build): the
            // next search asks again. A failed CONCURRENTLY build leaves an invalid index that only slows writes.
            if (IsPostgres)
            {
                try
                {
                    await ExecAsync(c, null, $"DROP INDEX CONCURRENTLY IF EXISTS datastore.\"{name}\"", ct);
                }
                catch (DbException)
                {
                }
            }

            return false;
        }

        await using var tx = await c.BeginTransactionAsync(ct);
        if (IsPostgres)
        {
            // a reload's swap rewrites this row in the transaction that replaces the table: wait for it
            await ExecAsync(c, tx, $"SELECT 1 FROM {Meta} WHERE resource_id = @p0 FOR UPDATE", ct, resourceId);
        }

        var now = await GetTableAsync(c, tx, resourceId, ct);
        if (now is null || !columns.All(col => now.Fields.Any(f => f.Id == col)) || !await HasIndexAsync(c, tx, resourceId, name, ct))
        {
            return false; // a reload replaced the table while the index was built (on the old one)
        }

        await WriteMetaAsync(c, tx, now with { Indexed = [.. now.IndexedColumns, key] }, ct);
        await tx.CommitAsync(ct);
        return true;
    }

    private async Task<bool> HasIndexAsync(DbConnection c, DbTransaction tx, string resourceId, string index, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = IsPostgres
            ? "SELECT count(*) FROM pg_indexes WHERE schemaname = 'datastore' AND tablename = @p0 AND indexname = @p1"
            : "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = @p0 AND name = @p1";
        AddParam(cmd, "@p0", resourceId);
        AddParam(cmd, "@p1", index);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture) > 0;
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _indexing = new();

    /// <summary>Most indexes a table gets on demand.</summary>
    public const int MaxIndexes = 24;

    /// <summary>
    /// Indexes on demand: a search whose equality filters and sort have no index gets one, on (filtered columns, sort
    /// columns), built in the background (that search runs without it). The next searches of the same shape then
    /// read the first page in index order and count from the index. Loads keep the indexes of the previous version.
    /// </summary>
    public void WantIndexes(DsTable table, IEnumerable<string> filterColumns, IEnumerable<string> sortColumns)
    {
        var cols = filterColumns.Where(c => c != "_id").Distinct().Order(StringComparer.Ordinal).ToList();
        foreach (var s in sortColumns)
        {
            if (s == "_id")
            {
                break;
            }

            if (!cols.Contains(s))
            {
                cols.Add(s);
            }
        }

        if (cols.Count == 0 || cols.Count > 8 || table.IndexedColumns.Count >= MaxIndexes
            || cols.Any(c => table.Fields.FirstOrDefault(f => f.Id == c) is not { Type: not DsTypes.Json }))
        {
            return;
        }

        // an existing index whose leading columns are these already serves
        if (table.IndexedColumns.Any(ix => IndexColumns(ix).Take(cols.Count).SequenceEqual(cols)))
        {
            return;
        }

        var key = table.ResourceId + "\0" + IndexKey(cols);
        if (_indexing.TryAdd(key, 0))
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    await AddIndexAsync(table.ResourceId, cols, CancellationToken.None);
                }
                catch (Exception e) when (e is DbException or ObjectDisposedException or InvalidOperationException or IOException)
                {
                }
                finally
                {
                    _indexing.TryRemove(key, out _);
                }
            });
        }
    }

    public async Task<bool> DropAsync(string resourceId, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var n = await ExecAsync(c, tx, $"DELETE FROM {Meta} WHERE resource_id = @p0", ct, resourceId);
        await ExecAsync(c, tx, $"DROP TABLE IF EXISTS {Table(resourceId)}", ct);
        await tx.CommitAsync(ct);
        if (n > 0)
        {
            await TablesChangedAsync(ct);
        }

        return n > 0;
    }

    // ---- bulk load ----

    /// <summary>Starts loading a new version of the table (readers keep the current one until <see cref="BulkLoad.CompleteAsync"/>).</summary>
    /// <param name="convert">Turns a row of cells (and its row number) into values in field order; runs on the writer thread.</param>
    public async Task<BulkLoad> BeginLoadAsync(string resourceId, IReadOnlyList<DsField> fields, Func<string[], long, object?[]> convert, CancellationToken ct)
    {
        var c = await OpenAsync(ct);
        var staging = resourceId + "__new";
        var gen = NewGeneration();
        NpgsqlTransaction? tx = null;
        try
        {
            await ExecAsync(c, null, $"DROP TABLE IF EXISTS {Table(staging)}", ct);
            if (IsPostgres)
            {
                // created in the COPY's transaction, so that COPY ... FREEZE writes frozen, all-visible rows
                // (index-only scans and counts are fast right after the load, without a VACUUM)
                tx = await ((NpgsqlConnection)c).BeginTransactionAsync(ct);
            }

            await ExecAsync(c, tx, CreateTableSql(staging, fields, gen), ct);
        }
        catch
        {
            await c.DisposeAsync();
            throw;
        }

        return IsPostgres
            ? new PostgresBulkLoad(this, (NpgsqlConnection)c, tx!, resourceId, staging, gen, fields) { Convert = convert }
            : new SqliteBulkLoad(this, (SqliteConnection)c, resourceId, staging, gen, fields) { Convert = convert };
    }

    /// <summary>
    /// One load into a staging table, then an atomic swap. Rows are handed over in batches to a writer thread, so that
    /// reading and normalising (the caller's thread) and inserting or COPYing run on two cores.
    /// </summary>
    public abstract class BulkLoad(DataStoreStorage storage, DbConnection connection, string resourceId, string staging, string gen, IReadOnlyList<DsField> fields) : IAsyncDisposable
    {
        private const int BatchSize = 512;
        private readonly System.Collections.Concurrent.BlockingCollection<(string[] Cells, long Row)[]> _queue = new(boundedCapacity: 8);
        private readonly CancellationTokenSource _stop = new();
        private (string[] Cells, long Row)[] _batch = new (string[], long)[BatchSize];
        private int _n;
        private Task? _writer;
        private Exception? _error;
        private bool _swapped;

        protected DataStoreStorage Storage => storage;

        protected DbConnection Connection => connection;

        protected string Staging => staging;

        protected IReadOnlyList<DsField> Fields => fields;

        /// <summary>Rows written so far (by the writer thread).</summary>
        public long Rows { get; protected set; }

        /// <summary>Adds one row (values in field order, as produced by the normaliser).</summary>
        /// <summary>Turns cells into values in field order (runs on the writer thread).</summary>
        public required Func<string[], long, object?[]> Convert { get; init; }

        /// <summary>Adds one row of cells; <see cref="Convert"/> turns it into values on the writer thread.</summary>
        public void Add(string[] cells, long rowNumber)
        {
            _batch[_n++] = (cells, rowNumber);
            if (_n == BatchSize)
            {
                Push();
            }
        }

        private void Push()
        {
            if (_n == 0)
            {
                return;
            }

            var batch = _n == BatchSize ? _batch : _batch[.._n];
            _batch = new (string[], long)[BatchSize];
            _n = 0;
            _writer ??= Task.Factory.StartNew(Write, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            try
            {
                _queue.Add(batch, _stop.Token);
            }
            catch (InvalidOperationException) when (_error is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(_error).Throw();
            }
        }

        private void Write()
        {
            try
            {
                foreach (var batch in _queue.GetConsumingEnumerable(_stop.Token))
                {
                    foreach (var (cells, row) in batch)
                    {
                        AddCore(Convert(cells, row));
                    }
                }
            }
            catch (Exception e)
            {
                _error = e;
                _queue.CompleteAdding();
            }
        }

        protected abstract void AddCore(object?[] row);

        protected abstract Task FlushAsync(CancellationToken ct);

        private bool _drained;

        /// <summary>Waits until every row added is stored in the staging table (idempotent). Errors of the writer surface here.</summary>
        public async Task DrainAsync(CancellationToken ct)
        {
            if (_drained)
            {
                return;
            }

            _drained = true;
            Push();
            _queue.CompleteAdding();
            if (_writer is not null)
            {
                await _writer.WaitAsync(ct);
            }

            if (_error is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(_error).Throw();
            }

            await FlushAsync(ct);
        }

        /// <summary>Builds the indexes, then replaces the live table and its metadata in one transaction.</summary>
        public async Task CompleteAsync(IReadOnlyList<IReadOnlyList<string>> indexes, CancellationToken ct, Action? rowsStored = null, Action<string, string>? log = null)
        {
            await DrainAsync(ct);
            rowsStored?.Invoke();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            if (storage.IsPostgres)
            {
                // _id values are 1..Rows (no scan needed); sorts of the index builds in memory
                await ExecAsync(connection, null, $"SELECT setval('datastore.\"s_{gen}\"', {Math.Max(1, Rows).ToString(CultureInfo.InvariantCulture)})", ct);
                await ExecAsync(connection, null, "SET maintenance_work_mem = '256MB'", ct);
                await storage.CreateIndexesAsync(connection, null, staging, gen, [], indexes, addIdKey: true, ct);
                await ExecAsync(connection, null, "RESET maintenance_work_mem", ct);
                var indexed = clock.Elapsed.TotalSeconds;
                clock.Restart();
                await ExecAsync(connection, null, $"ANALYZE {storage.Table(staging)}", ct);
                log?.Invoke(FormattableString.Invariant($"indexes built in {indexed:F2} s, statistics in {clock.Elapsed.TotalSeconds:F2} s"),
                    FormattableString.Invariant($"索引を {indexed:F2} 秒、統計情報を {clock.Elapsed.TotalSeconds:F2} 秒で作成しました"));
            }
            else
            {
                // the sorter of CREATE INDEX buffers up to cache_size per thread (main + 2 workers): 3 x 8 MB keeps the
                // peak memory of a big load bounded (the sort spills to temporary files beyond it)
                await ExecAsync(connection, null, "PRAGMA cache_size=-8192", ct);
                await using (var itx = await connection.BeginTransactionAsync(ct))
                {
                    await storage.CreateIndexesAsync(connection, itx, staging, gen, [], indexes, addIdKey: false, ct);
                    await itx.CommitAsync(ct);
                }

                log?.Invoke(FormattableString.Invariant($"indexes built in {clock.Elapsed.TotalSeconds:F2} s"),
                    FormattableString.Invariant($"索引を {clock.Elapsed.TotalSeconds:F2} 秒で作成しました"));
            }

            for (var attempt = 1; ; attempt++)
            {
                await using var tx = await connection.BeginTransactionAsync(ct);
                try
                {
                    if (storage.IsPostgres)
                    {
                        // a long reader (a big dump) holds ACCESS SHARE; waiting for it in the lock queue would stall
                        // every new reader behind us, so wait briefly and retry instead. An index built on demand
                        // (CONCURRENTLY) waits for this transaction while holding its lock: the deadlock that
                        // PostgreSQL breaks by cancelling one of the two is retried the same way.
                        await ExecAsync(connection, tx, "SET LOCAL lock_timeout = '2s'", ct);
                    }

                    await ExecAsync(connection, tx, $"DROP TABLE IF EXISTS {storage.Table(resourceId)}", ct);
                    await ExecAsync(connection, tx, $"ALTER TABLE {storage.Table(staging)} RENAME TO {DsTypes.Quote(resourceId)}", ct);
                    await storage.WriteMetaAsync(connection, tx, new DsTable(resourceId, fields, [], [.. indexes.Select(IndexKey)]), ct);
                    await tx.CommitAsync(ct);
                    break;
                }
                catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.DeadlockDetected && attempt < 30)
                {
                    await tx.RollbackAsync(ct);
                    await Task.Delay(1000, ct);
                }
            }

            _swapped = true;
            await storage.TablesChangedAsync(ct);
            if (!storage.IsPostgres)
            {
                // planner statistics from a sample (fast on big tables); sqlite_stat1 rows are by table name
                await ExecAsync(connection, null, $"PRAGMA analysis_limit=1000; ANALYZE {storage.Table(resourceId)}", ct);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_queue.IsAddingCompleted)
            {
                _queue.CompleteAdding();
            }

            await _stop.CancelAsync();
            if (_writer is not null)
            {
                try
                {
                    await _writer;
                }
                catch (OperationCanceledException)
                {
                }
            }

            _queue.Dispose();
            _stop.Dispose();
            await DisposeCoreAsync();
            if (!_swapped)
            {
                try
                {
                    await ExecAsync(connection, null, $"DROP TABLE IF EXISTS {storage.Table(staging)}", CancellationToken.None);
                }
                catch (DbException)
                {
                }
            }

            await connection.DisposeAsync();
            GC.SuppressFinalize(this);
        }

        protected abstract ValueTask DisposeCoreAsync();
    }

    /// <summary>SQLite bulk load through the native API (prepared statement, bind, step, reset): no ADO.NET overhead per row.</summary>
    private sealed class SqliteBulkLoad : BulkLoad
    {
        private const int BatchRows = 100_000;
        private readonly SQLitePCL.sqlite3 _db;
        private readonly SQLitePCL.sqlite3_stmt _stmt;
        private readonly int[] _kinds;
        private byte[] _buf = new byte[64 * 1024];
        private bool _inTx;
        private int _inBatch;

        public SqliteBulkLoad(DataStoreStorage storage, SqliteConnection c, string resourceId, string staging, string gen, IReadOnlyList<DsField> fields)
            : base(storage, c, resourceId, staging, gen, fields)
        {
            using (var pragma = c.CreateCommand())
            {
                pragma.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-16384; PRAGMA threads=2";
                pragma.ExecuteNonQuery();
            }

            _db = c.Handle!;

            // Microsoft.Data.Sqlite retries busy statements itself; native calls on the handle need SQLite's own busy
            // handler, or a reader's checkpoint or another writer makes them fail at once with "database is locked"
            Check(SQLitePCL.raw.sqlite3_busy_timeout(_db, 60_000));
            var sql = $"INSERT INTO {storage.Table(staging)} (\"_id\", {string.Join(", ", fields.Select(f => DsTypes.Quote(f.Id)))}) VALUES ({string.Join(", ", Enumerable.Range(1, fields.Count + 1).Select(i => "?" + i.ToString(CultureInfo.InvariantCulture)))})";
            Check(SQLitePCL.raw.sqlite3_prepare_v2(_db, sql, out _stmt));
            _kinds = [.. fields.Select(f => f.Type switch
            {
                DsTypes.Int or DsTypes.Bool => 1,
                DsTypes.Numeric or DsTypes.Float => 2,
                _ => 0,
            })];
        }

        private void Check(int rc)
        {
            if (rc is not (SQLitePCL.raw.SQLITE_OK or SQLitePCL.raw.SQLITE_DONE or SQLitePCL.raw.SQLITE_ROW))
            {
                SqliteException.ThrowExceptionForRC(rc, _db);
            }
        }

        protected override void AddCore(object?[] row)
        {
            if (!_inTx)
            {
                Check(SQLitePCL.raw.sqlite3_exec(_db, "BEGIN IMMEDIATE"));
                _inTx = true;
            }

            var stmt = _stmt;
            SQLitePCL.raw.sqlite3_bind_int64(stmt, 1, ++Rows);

            // text is encoded to UTF-8 into one buffer per row (no allocation per value), kept until the step
            var need = 0;
            for (var i = 0; i < row.Length; i++)
            {
                need += row[i] switch
                {
                    string str => str.Length * 3,
                    null or long or bool or decimal or double => 0,
                    _ => 64,
                };
            }

            if (_buf.Length < need)
            {
                _buf = new byte[Math.Max(need, _buf.Length * 2)];
            }

            var pos = 0;
            for (var i = 0; i < _kinds.Length; i++)
            {
                var v = i < row.Length ? row[i] : null;
                var p = i + 2;
                switch (v)
                {
                    case null:
                        SQLitePCL.raw.sqlite3_bind_null(stmt, p);
                        break;
                    case string str:
                        var n = System.Text.Encoding.UTF8.GetBytes(str, _buf.AsSpan(pos));
                        SQLitePCL.raw.sqlite3_bind_text(stmt, p, new ReadOnlySpan<byte>(_buf, pos, n));
                        pos += n;
                        break;
                    case long l:
                        SQLitePCL.raw.sqlite3_bind_int64(stmt, p, l);
                        break;
                    case bool b:
                        SQLitePCL.raw.sqlite3_bind_int64(stmt, p, b ? 1 : 0);
                        break;
                    case decimal m:
                        SQLitePCL.raw.sqlite3_bind_double(stmt, p, (double)m);
                        break;
                    case double d:
                        SQLitePCL.raw.sqlite3_bind_double(stmt, p, d);
                        break;
                    default:
                        var text = DsTypes.ToText(v);
                        var k = System.Text.Encoding.UTF8.GetBytes(text, _buf.AsSpan(pos));
                        SQLitePCL.raw.sqlite3_bind_text(stmt, p, new ReadOnlySpan<byte>(_buf, pos, k));
                        pos += k;
                        break;
                }
            }

            var rc = SQLitePCL.raw.sqlite3_step(stmt);
            SQLitePCL.raw.sqlite3_reset(stmt);
            Check(rc);
            if (++_inBatch >= BatchRows)
            {
                // Commit in batches: the staging table is invisible to readers, and other writers get a turn.
                Check(SQLitePCL.raw.sqlite3_exec(_db, "COMMIT"));
                _inTx = false;
                _inBatch = 0;
            }
        }

        protected override Task FlushAsync(CancellationToken ct)
        {
            if (_inTx)
            {
                Check(SQLitePCL.raw.sqlite3_exec(_db, "COMMIT"));
                _inTx = false;
            }

            return Task.CompletedTask;
        }

        protected override ValueTask DisposeCoreAsync()
        {
            if (_inTx)
            {
                SQLitePCL.raw.sqlite3_exec(_db, "ROLLBACK");
                _inTx = false;
            }

            _stmt.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>PostgreSQL bulk load: binary COPY ... FREEZE, rows encoded by <see cref="PgCopyEncoder"/> into a raw COPY stream.</summary>
    private sealed class PostgresBulkLoad : BulkLoad
    {
        private NpgsqlRawCopyStream? _copy;
        private PgCopyEncoder? _encoder;
        private NpgsqlTransaction? _tx;

        public PostgresBulkLoad(DataStoreStorage storage, NpgsqlConnection c, NpgsqlTransaction tx, string resourceId, string staging, string gen, IReadOnlyList<DsField> fields)
            : base(storage, c, resourceId, staging, gen, fields)
        {
            _tx = tx;
        }

        protected override void AddCore(object?[] row)
        {
            if (_encoder is null)
            {
                _copy = ((NpgsqlConnection)Connection).BeginRawBinaryCopy(
                    $"COPY {Storage.Table(Staging)} (\"_id\", {string.Join(", ", Fields.Select(f => DsTypes.Quote(f.Id)))}) FROM STDIN (FORMAT BINARY, FREEZE)");
                _encoder = new PgCopyEncoder(_copy, [.. Fields.Select(f => f.Type)]);
            }

            _encoder.WriteRow(++Rows, row);
        }

        protected override async Task FlushAsync(CancellationToken ct)
        {
            if (_copy is not null)
            {
                await _encoder!.FinishAsync(ct);
                await _copy.DisposeAsync(); // ends the COPY; errors of the server surface here
                _copy = null;
                _encoder = null;
            }

            if (_tx is not null)
            {
                await _tx.CommitAsync(ct);
                await _tx.DisposeAsync();
                _tx = null;
            }
        }

        protected override async ValueTask DisposeCoreAsync()
        {
            if (_copy is not null)
            {
                try
                {
                    await _copy.CancelAsync();
                    await _copy.DisposeAsync();
                }
                catch (Exception e) when (e is NpgsqlException or InvalidOperationException or IOException)
                {
                }

                _copy = null;
            }

            if (_tx is not null)
            {
                try
                {
                    await _tx.RollbackAsync();
                }
                catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
                {
                }

                await _tx.DisposeAsync();
                _tx = null;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_pg is not null)
        {
            await _pg.DisposeAsync();
        }

        _initLock.Dispose();
    }
}

/// <summary>A DataStore validation problem, turned into CKAN's Validation Error (409) by the actions.</summary>
public sealed class DataStoreValidationException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
