using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using OpenGov.Hosting;
using OpenGov.Notifications;
using OpenGov.Storage;

namespace OpenGov.DataStore;

/// <summary>
/// The DataStore's tables, whatever the engine (<see cref="IDataStoreBackend"/>): a table per resource, named by the
/// resource id, with "_id" and typed columns; its fields are recorded in the metadata table "_og_tables"
/// (<see cref="DataStoreMetadata"/>), changed in the same transaction as the table itself. Every change of a table
/// is announced on <see cref="IChangeNotifications"/> after it commits.
/// </summary>
public sealed class DataStoreStorage : IAsyncDisposable
{
    public const string MetaTable = "_og_tables";

    private readonly IChangeNotifications? _notifications;
    private int _initialized;
    private readonly SemaphoreSlim _initLock = new(1, 1);

    public DataStoreStorage(IDataStoreBackend backend, IChangeNotifications? notifications = null)
    {
        Backend = backend;
        _notifications = notifications;
        Indexes = new DataStoreIndexes(this);
    }

    /// <summary>A storage on the engine of the platform's database, announcing nothing (bench/datastore.sh).</summary>
    public DataStoreStorage(StorageInfo storage, OpenGovOptions options)
        : this(DataStoreBackends.Create(storage, options))
    {
    }

    public IDataStoreBackend Backend { get; }

    /// <summary>Indexes of the tables (after loads, on demand).</summary>
    public DataStoreIndexes Indexes { get; }

    public string? SqlitePath => Backend.SqlitePath;

    /// <summary>The qualified, quoted name of a resource's table.</summary>
    public string Table(string name) => Backend.Table(name);

    public string Meta => Table(MetaTable);

    /// <summary>Announces a committed change of a table (on this node and, with Redis, on the others).</summary>
    internal Task TablesChangedAsync(string resourceId, DataStoreChangeKind kind, CancellationToken ct) =>
        _notifications?.PublishAsync(new DataStoreTableChanged(resourceId, kind), ct) ?? Task.CompletedTask;

    public async Task<DbConnection> OpenAsync(CancellationToken ct, bool readOnly = false)
    {
        await EnsureInitializedAsync(ct);
        return await Backend.OpenAsync(readOnly, ct);
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

            await using var c = await Backend.OpenAsync(readOnly: false, ct);
            await Backend.InitializeAsync(c, ct);
            await ExecAsync(c, null, DataStoreMetadata.CreateSql(Meta), ct);
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

    public Task<DsTable?> GetTableAsync(DbConnection c, DbTransaction? tx, string resourceId, CancellationToken ct) =>
        DataStoreMetadata.GetAsync(c, tx, Meta, resourceId, ct);

    public async Task<DsTable?> GetTableAsync(string resourceId, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        return await GetTableAsync(c, null, resourceId, ct);
    }

    /// <summary>The ids among <paramref name="resourceIds"/> that have a table (one query per 500 ids).</summary>
    public async Task<HashSet<string>> ExistingTablesAsync(IReadOnlyCollection<string> resourceIds, CancellationToken ct)
    {
        if (resourceIds.Count == 0)
        {
            return new HashSet<string>(StringComparer.Ordinal);
        }

        await using var c = await OpenAsync(ct);
        return await DataStoreMetadata.ExistingAsync(c, Meta, resourceIds, ct);
    }

    public async Task<List<DsTable>> ListTablesAsync(CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        return await DataStoreMetadata.ListAsync(c, Meta, ct);
    }

    internal Task WriteMetaAsync(DbConnection c, DbTransaction tx, DsTable t, CancellationToken ct) => DataStoreMetadata.WriteAsync(c, tx, Meta, t, ct);

    // ---- DDL ----

    /// <summary>A fresh suffix for the names of a table version's sequence and indexes.</summary>
    internal static string NewGeneration() => Guid.NewGuid().ToString("N")[..12];

    internal string CreateTableSql(string physical, IReadOnlyList<DsField> fields, string gen)
    {
        var sb = new StringBuilder("CREATE TABLE ").Append(Table(physical)).Append(" (").Append(Backend.IdColumnSql(gen));
        foreach (var f in fields)
        {
            sb.Append(", ").Append(DsTypes.Quote(f.Id)).Append(' ').Append(Backend.ColumnType(f.Type));
        }

        return sb.Append(')').ToString();
    }

    internal async Task CreateIndexesAsync(DbConnection c, DbTransaction? tx, string physical, string gen, IReadOnlyList<string> pk, IEnumerable<IReadOnlyList<string>> indexes, bool addIdKey, CancellationToken ct)
    {
        var n = 0;
        if (addIdKey && Backend.IdKeySql(Table(physical), gen) is { } idKey)
        {
            await ExecAsync(c, tx, idKey, ct);
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
            table = new DsTable(resourceId, fields, primaryKey ?? [], [.. indexes.Select(DataStoreIndexes.Key)]);
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
                    await ExecAsync(c, tx, $"ALTER TABLE {Table(resourceId)} ADD COLUMN {DsTypes.Quote(f.Id)} {Backend.ColumnType(f.Type)}", ct);
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
            indexes = [.. indexes.Where(i => !existing.IndexedColumns.Contains(DataStoreIndexes.Key(i)))];
            table = new DsTable(resourceId, all, pk, [.. existing.IndexedColumns.Concat(indexes.Select(DataStoreIndexes.Key))]);
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
        await TablesChangedAsync(resourceId, existing is null ? DataStoreChangeKind.Created : DataStoreChangeKind.Records, ct);
        return table;
    }

    /// <summary>
    /// Runs <paramref name="body"/> in a write transaction on the table (null when there is no such table); the
    /// table's "updated" stamp moves in the same transaction and the change is announced after the commit.
    /// </summary>
    public async Task<T?> WriteAsync<T>(string resourceId, Func<DbConnection, DbTransaction, DsTable, Task<T>> body, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var table = await GetTableAsync(c, tx, resourceId, ct);
        if (table is null)
        {
            return default;
        }

        if (await Backend.LockForWriteAsync(c, tx, resourceId, ct))
        {
            // the table may have been replaced or dropped while we waited for the lock
            table = await GetTableAsync(c, tx, resourceId, ct);
            if (table is null)
            {
                return default;
            }
        }

        var result = await body(c, tx, table);
        await DataStoreMetadata.TouchAsync(c, tx, Meta, resourceId, ct);
        await tx.CommitAsync(ct);
        await TablesChangedAsync(resourceId, DataStoreChangeKind.Records, ct);
        return result;
    }

    /// <summary>
    /// Runs <paramref name="body"/> on a consistent view of the table: the fields and the rows are those of one load
    /// (a reload that completes meanwhile is seen entirely or not at all). Returns default when the table does not exist.
    /// </summary>
    public async Task<T?> ReadAsync<T>(string resourceId, Func<DbConnection, DbTransaction, DsTable, Task<T>> body, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var tx = await Backend.BeginConsistentReadAsync(c, resourceId, ct);
        if (tx is null)
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

    public async Task<bool> DropAsync(string resourceId, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        // the table first, then its row in the meta table: the order a load's swap takes them in (BulkLoad), so that
        // a drop and a load or a reader of both never wait on each other in a cycle (PostgreSQL: "deadlock detected")
        await ExecAsync(c, tx, $"DROP TABLE IF EXISTS {Table(resourceId)}", ct);
        var n = await ExecAsync(c, tx, $"DELETE FROM {Meta} WHERE resource_id = @p0", ct, resourceId);
        await tx.CommitAsync(ct);
        if (n > 0)
        {
            await TablesChangedAsync(resourceId, DataStoreChangeKind.Dropped, ct);
        }

        return n > 0;
    }

    /// <summary>Starts loading a new version of the table (readers keep the current one until <see cref="BulkLoad.CompleteAsync"/>).</summary>
    /// <param name="convert">Turns a row of cells (and its row number) into values in field order; runs on the writer thread.</param>
    public async Task<BulkLoad> BeginLoadAsync(string resourceId, IReadOnlyList<DsField> fields, Func<string[], long, object?[]> convert, CancellationToken ct)
    {
        var c = await OpenAsync(ct);
        var target = new BulkLoad.Target(resourceId, resourceId + "__new", NewGeneration(), fields, convert);
        try
        {
            await ExecAsync(c, null, $"DROP TABLE IF EXISTS {Table(target.Staging)}", ct);
            return await Backend.BeginLoadAsync(this, c, target, ct);
        }
        catch
        {
            await c.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Backend.DisposeAsync();
        _initLock.Dispose();
    }
}

/// <summary>A DataStore validation problem, turned into CKAN's Validation Error (409) by the actions.</summary>
public sealed class DataStoreValidationException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
