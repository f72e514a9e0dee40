using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace OpenGov.DataStore;

/// <summary>
/// DataStore tables in a SQLite file of their own (datastore.db in the data directory), in WAL mode: readers see one
/// snapshot per transaction while a writer works; dates and times are ISO text, booleans 0/1.
/// </summary>
public sealed class SqliteBackend : IDataStoreBackend
{
    private readonly string _connectionString;

    public SqliteBackend(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        SqlitePath = Path.Combine(dataDirectory, "datastore.db");
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = SqlitePath,
            Pooling = true,
            DefaultTimeout = 60,
        }.ToString();
    }

    public string Name => "sqlite";

    public string? SqlitePath { get; }

    public string Table(string name) => DsTypes.Quote(name);

    public async Task<DbConnection> OpenAsync(bool readOnly, CancellationToken ct)
    {
        var cs = readOnly ? new SqliteConnectionStringBuilder(_connectionString) { Mode = SqliteOpenMode.ReadOnly }.ToString() : _connectionString;
        var c = new SqliteConnection(cs);
        await c.OpenAsync(ct);
        return c;
    }

    public Task InitializeAsync(DbConnection c, CancellationToken ct) => DataStoreStorage.ExecAsync(c, null, "PRAGMA journal_mode=WAL", ct);

    public string ColumnType(string dsType) => DsTypes.SqliteType(dsType);

    public string IdColumnSql(string gen) => "\"_id\" INTEGER PRIMARY KEY";

    public string? IdKeySql(string table, string gen) => null;

    // a write transaction of SQLite excludes every other writer
    public Task<bool> LockForWriteAsync(DbConnection c, DbTransaction tx, string resourceId, CancellationToken ct) => Task.FromResult(false);

    // WAL: a read transaction sees one snapshot of both the metadata and the table
    public Task<DbTransaction?> BeginConsistentReadAsync(DbConnection c, string resourceId, CancellationToken ct) =>
        Task.FromResult<DbTransaction?>(((SqliteConnection)c).BeginTransaction(deferred: true));

    public async Task CreateIndexOnlineAsync(DbConnection c, string name, string table, string columns, CancellationToken ct)
    {
        await DataStoreStorage.ExecAsync(c, null, "PRAGMA threads=2", ct);
        await DataStoreStorage.ExecAsync(c, null, $"CREATE INDEX IF NOT EXISTS \"{name}\" ON {table} ({columns})", ct);
        await DataStoreStorage.ExecAsync(c, null, $"PRAGMA analysis_limit=1000; ANALYZE \"{name}\"", ct);
    }

    public Task DropFailedIndexAsync(DbConnection c, string name, CancellationToken ct) => Task.CompletedTask;

    // the write transaction already holds the database's only write lock
    public Task LockMetadataAsync(DbConnection c, DbTransaction tx, string metaTable, string resourceId, CancellationToken ct) => Task.CompletedTask;

    public string IndexExistsSql => "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = @p0 AND name = @p1";

    public async Task<BulkLoad> BeginLoadAsync(DataStoreStorage storage, DbConnection c, BulkLoad.Target target, CancellationToken ct)
    {
        await DataStoreStorage.ExecAsync(c, null, storage.CreateTableSql(target.Staging, target.Fields, target.Gen), ct);
        return new SqliteBulkLoad(storage, (SqliteConnection)c, target);
    }

    public string AsText(string quotedColumn) => quotedColumn;

    public string FullTextDocument(IEnumerable<string> quotedColumns) =>
        "lower(" + string.Join(" || ' ' || ", quotedColumns.Select(c => "coalesce(" + c + ", '')")) + ")";

    public string Contains(string text, string param) => $"instr({text}, {param}) > 0";

    public string? NoLimitClause => " LIMIT -1";

    public object? ReadValue(DbDataReader r, int i, string type)
    {
        if (r.IsDBNull(i))
        {
            return null;
        }

        switch (type)
        {
            case DsTypes.Int:
                return r.GetInt64(i);
            case DsTypes.Float:
                return r.GetDouble(i);
            case DsTypes.Numeric:
                var v = r.GetValue(i);
                return v is long or double ? v : v is string s && decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : v;
            case DsTypes.Bool:
                return r.GetInt64(i) != 0;
            case DsTypes.Json:
                return DsTypes.ParseStoredJson(r.GetString(i));
            default:
                return r.GetValue(i) is var o && o is string str ? str : DsTypes.ToText(o);
        }
    }

    public string? UserErrorMessage(DbException e) => e switch
    {
        SqliteException { SqliteErrorCode: 19 } s when s.Message.Contains("UNIQUE", StringComparison.Ordinal) => "duplicate key value violates unique constraint",
        SqliteException { SqliteErrorCode: 19 or 20 or 25 } => e.Message,
        _ => null,
    };

    public Task<GuardedQuery> BeginGuardedQueryAsync(DbConnection c, int timeoutMs, CancellationToken timeout, CancellationToken ct)
    {
        // the connection is read-only (OpenAsync(readOnly: true)); the statement is interrupted when the time is up
        var handle = ((SqliteConnection)c).Handle;
        return Task.FromResult(new GuardedQuery(null, timeout.Register(() => SQLitePCL.raw.sqlite3_interrupt(handle))));
    }

    public DataStoreValidationException? QueryError(DbException e) => e switch
    {
        SqliteException { SqliteErrorCode: 9 } => new DataStoreValidationException("query", "Query took too long"),
        SqliteException s => new DataStoreValidationException("query", s.Message),
        _ => null,
    };

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
