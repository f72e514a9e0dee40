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

    public DataStoreStorage(StorageInfo storage, OpenGovOptions options)
    {
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

            await ExecAsync(c, null, $"CREATE TABLE IF NOT EXISTS {Meta} (resource_id text PRIMARY KEY, fields text NOT NULL, primary_key text NOT NULL, updated text NOT NULL)", ct);
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
        cmd.CommandText = $"SELECT fields, primary_key FROM {Meta} WHERE resource_id = @p0";
        AddParam(cmd, "@p0", resourceId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? ParseMeta(resourceId, r.GetString(0), r.GetString(1)) : null;
    }

    public async Task<DsTable?> GetTableAsync(string resourceId, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        return await GetTableAsync(c, null, resourceId, ct);
    }

    public async Task<List<DsTable>> ListTablesAsync(CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT resource_id, fields, primary_key FROM {Meta} ORDER BY resource_id";
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<DsTable>();
        while (await r.ReadAsync(ct))
        {
            list.Add(ParseMeta(r.GetString(0), r.GetString(1), r.GetString(2)));
        }

        return list;
    }

    private static DsTable ParseMeta(string id, string fields, string pk)
    {
        var f = JsonNode.Parse(fields)!.AsArray().Select(n => new DsField(n!["id"]!.GetValue<string>(), n["type"]!.GetValue<string>(), n["info"] as JsonObject is { } info ? (JsonObject)info.DeepClone() : null)).ToList();
        var k = JsonSerializer.Deserialize<List<string>>(pk) ?? [];
        return new DsTable(id, f, k);
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
        await ExecAsync(c, tx, $"INSERT INTO {Meta} (resource_id, fields, primary_key, updated) VALUES (@p0, @p1, @p2, @p3) ON CONFLICT (resource_id) DO UPDATE SET fields = excluded.fields, primary_key = excluded.primary_key, updated = excluded.updated",
            ct, t.ResourceId, fields, JsonSerializer.Serialize(t.PrimaryKey), DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
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
            table = new DsTable(resourceId, fields, primaryKey ?? []);
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
            table = new DsTable(resourceId, all, pk);
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

    public async Task<bool> DropAsync(string resourceId, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var n = await ExecAsync(c, tx, $"DELETE FROM {Meta} WHERE resource_id = @p0", ct, resourceId);
        await ExecAsync(c, tx, $"DROP TABLE IF EXISTS {Table(resourceId)}", ct);
        await tx.CommitAsync(ct);
        return n > 0;
    }

    // ---- bulk load ----

    /// <summary>Starts loading a new version of the table (readers keep the current one until <see cref="BulkLoad.CompleteAsync"/>).</summary>
    public async Task<BulkLoad> BeginLoadAsync(string resourceId, IReadOnlyList<DsField> fields, CancellationToken ct)
    {
        var c = await OpenAsync(ct);
        var staging = resourceId + "__new";
        var gen = NewGeneration();
        try
        {
            await ExecAsync(c, null, $"DROP TABLE IF EXISTS {Table(staging)}", ct);
            await ExecAsync(c, null, CreateTableSql(staging, fields, gen), ct);
        }
        catch
        {
            await c.DisposeAsync();
            throw;
        }

        return IsPostgres
            ? new PostgresBulkLoad(this, (NpgsqlConnection)c, resourceId, staging, gen, fields)
            : new SqliteBulkLoad(this, (SqliteConnection)c, resourceId, staging, gen, fields);
    }

    /// <summary>One load into a staging table, then an atomic swap.</summary>
    public abstract class BulkLoad(DataStoreStorage storage, DbConnection connection, string resourceId, string staging, string gen, IReadOnlyList<DsField> fields) : IAsyncDisposable
    {
        private bool _swapped;

        protected DataStoreStorage Storage => storage;

        protected DbConnection Connection => connection;

        protected string Staging => staging;

        protected IReadOnlyList<DsField> Fields => fields;

        public long Rows { get; protected set; }

        /// <summary>Adds one row (values in field order, as produced by the normaliser).</summary>
        public abstract void Add(object?[] row);

        protected abstract Task FlushAsync(CancellationToken ct);

        /// <summary>Builds the indexes, then replaces the live table and its metadata in one transaction.</summary>
        public async Task CompleteAsync(IReadOnlyList<IReadOnlyList<string>> indexes, CancellationToken ct)
        {
            await FlushAsync(ct);
            if (storage.IsPostgres)
            {
                await ExecAsync(connection, null, $"SELECT setval('datastore.\"s_{gen}\"', GREATEST(1, (SELECT COALESCE(MAX(\"_id\"), 0) FROM {storage.Table(staging)})))", ct);
                await storage.CreateIndexesAsync(connection, null, staging, gen, [], indexes, addIdKey: true, ct);
                await ExecAsync(connection, null, $"ANALYZE {storage.Table(staging)}", ct);
            }
            else
            {
                await using var itx = await connection.BeginTransactionAsync(ct);
                await storage.CreateIndexesAsync(connection, itx, staging, gen, [], indexes, addIdKey: false, ct);
                await itx.CommitAsync(ct);
            }

            await using var tx = await connection.BeginTransactionAsync(ct);
            await ExecAsync(connection, tx, $"DROP TABLE IF EXISTS {storage.Table(resourceId)}", ct);
            await ExecAsync(connection, tx, $"ALTER TABLE {storage.Table(staging)} RENAME TO {DsTypes.Quote(resourceId)}", ct);
            await storage.WriteMetaAsync(connection, tx, new DsTable(resourceId, fields, []), ct);
            await tx.CommitAsync(ct);
            _swapped = true;
        }

        public async ValueTask DisposeAsync()
        {
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

    private sealed class SqliteBulkLoad : BulkLoad
    {
        private const int BatchRows = 50_000;
        private readonly SqliteCommand _insert;
        private readonly SqliteParameter[] _params;
        private SqliteTransaction? _tx;
        private int _inBatch;

        public SqliteBulkLoad(DataStoreStorage storage, SqliteConnection c, string resourceId, string staging, string gen, IReadOnlyList<DsField> fields)
            : base(storage, c, resourceId, staging, gen, fields)
        {
            using (var pragma = c.CreateCommand())
            {
                pragma.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY";
                pragma.ExecuteNonQuery();
            }

            _insert = c.CreateCommand();
            _insert.CommandText = $"INSERT INTO {storage.Table(staging)} (\"_id\", {string.Join(", ", fields.Select(f => DsTypes.Quote(f.Id)))}) VALUES ({string.Join(", ", Enumerable.Range(0, fields.Count + 1).Select(i => "$" + i.ToString(CultureInfo.InvariantCulture)))})";
            _params = new SqliteParameter[fields.Count + 1];
            for (var i = 0; i < _params.Length; i++)
            {
                _params[i] = _insert.Parameters.Add("$" + i.ToString(CultureInfo.InvariantCulture), SqliteType.Text);
                _params[i].SqliteType = i == 0 ? SqliteType.Integer : fields[i - 1].Type switch
                {
                    DsTypes.Int or DsTypes.Bool => SqliteType.Integer,
                    DsTypes.Numeric or DsTypes.Float => SqliteType.Real,
                    _ => SqliteType.Text,
                };
            }
        }

        public override void Add(object?[] row)
        {
            if (_tx is null)
            {
                _tx = (SqliteTransaction)Connection.BeginTransaction();
                _insert.Transaction = _tx;
                _insert.Prepare();
            }

            _params[0].Value = ++Rows;
            for (var i = 0; i < row.Length && i + 1 < _params.Length; i++)
            {
                _params[i + 1].Value = DsTypes.ToSqlite(row[i]);
            }

            _insert.ExecuteNonQuery();
            if (++_inBatch >= BatchRows)
            {
                // Commit in batches: the staging table is invisible to readers, and other writers get a turn.
                _tx.Commit();
                _tx.Dispose();
                _tx = null;
                _inBatch = 0;
            }
        }

        protected override Task FlushAsync(CancellationToken ct)
        {
            _tx?.Commit();
            _tx?.Dispose();
            _tx = null;
            return Task.CompletedTask;
        }

        protected override ValueTask DisposeCoreAsync()
        {
            _tx?.Dispose();
            _tx = null;
            _insert.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private sealed class PostgresBulkLoad : BulkLoad
    {
        private readonly NpgsqlDbType[] _types;
        private NpgsqlBinaryImporter? _copy;

        public PostgresBulkLoad(DataStoreStorage storage, NpgsqlConnection c, string resourceId, string staging, string gen, IReadOnlyList<DsField> fields)
            : base(storage, c, resourceId, staging, gen, fields)
        {
            _types = [.. fields.Select(f => f.Type switch
            {
                DsTypes.Int => NpgsqlDbType.Bigint,
                DsTypes.Numeric => NpgsqlDbType.Numeric,
                DsTypes.Float => NpgsqlDbType.Double,
                DsTypes.Bool => NpgsqlDbType.Boolean,
                DsTypes.Date => NpgsqlDbType.Date,
                DsTypes.Timestamp => NpgsqlDbType.Timestamp,
                DsTypes.Time => NpgsqlDbType.Time,
                DsTypes.Json => NpgsqlDbType.Jsonb,
                _ => NpgsqlDbType.Text,
            })];
        }

        public override void Add(object?[] row)
        {
            _copy ??= ((NpgsqlConnection)Connection).BeginBinaryImport(
                $"COPY {Storage.Table(Staging)} (\"_id\", {string.Join(", ", Fields.Select(f => DsTypes.Quote(f.Id)))}) FROM STDIN (FORMAT BINARY)");
            _copy.StartRow();
            _copy.Write(++Rows, NpgsqlDbType.Bigint);
            for (var i = 0; i < _types.Length; i++)
            {
                var v = i < row.Length ? row[i] : null;
                if (v is null)
                {
                    _copy.WriteNull();
                }
                else
                {
                    if (_types[i] == NpgsqlDbType.Double && v is decimal m)
                    {
                        v = (double)m;
                    }
                    else if (_types[i] == NpgsqlDbType.Text && v is string s && s.Contains('\0'))
                    {
                        v = s.Replace("\0", "", StringComparison.Ordinal);
                    }

                    _copy.Write(v, _types[i]);
                }
            }
        }

        protected override async Task FlushAsync(CancellationToken ct)
        {
            if (_copy is not null)
            {
                await _copy.CompleteAsync(ct);
                await _copy.DisposeAsync();
                _copy = null;
            }
        }

        protected override async ValueTask DisposeCoreAsync()
        {
            if (_copy is not null)
            {
                try
                {
                    await _copy.DisposeAsync();
                }
                catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
                {
                }

                _copy = null;
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
