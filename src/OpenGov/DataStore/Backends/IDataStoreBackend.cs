using System.Data.Common;

namespace OpenGov.DataStore;

/// <summary>
/// What differs between the engines that hold DataStore tables (as CKAN's ckanext/datastore/backend/): connections,
/// column types, locking, index builds, the bulk load and the SQL dialect of searches. Everything else
/// (<see cref="DataStoreStorage"/>, the actions, the load pipeline) is written once against this interface.
/// Calls are per operation or per batch, never per value of a bulk load; <see cref="ReadValue"/> is per value read
/// back, beside the reader's own virtual calls.
/// </summary>
public interface IDataStoreBackend : IAsyncDisposable
{
    /// <summary>"sqlite" or "postgresql".</summary>
    string Name { get; }

    /// <summary>The file of a SQLite DataStore (null on PostgreSQL).</summary>
    string? SqlitePath { get; }

    /// <summary>The qualified, quoted name of a table.</summary>
    string Table(string name);

    Task<DbConnection> OpenAsync(bool readOnly, CancellationToken ct);

    /// <summary>Prepares the store once per process (schema, journal mode), before the metadata table is created.</summary>
    Task InitializeAsync(DbConnection c, CancellationToken ct);

    // ---- DDL ----

    /// <summary>The column type of a DataStore type.</summary>
    string ColumnType(string dsType);

    /// <summary>The definition of the "_id" column of a new table (generation <paramref name="gen"/> names its sequence).</summary>
    string IdColumnSql(string gen);

    /// <summary>The statement adding the primary key on "_id" after a load (null when the column definition holds it).</summary>
    string? IdKeySql(string table, string gen);

    // ---- transactions ----

    /// <summary>
    /// Locks the table against other writers (and against a reload's swap) inside <paramref name="tx"/>. Returns
    /// true when it took a lock, so that the metadata must be read again under it.
    /// </summary>
    Task<bool> LockForWriteAsync(DbConnection c, DbTransaction tx, string resourceId, CancellationToken ct);

    /// <summary>
    /// Begins a transaction that sees the fields and the rows of one load (a concurrent swap is seen entirely or not
    /// at all); null when the table does not exist.
    /// </summary>
    Task<DbTransaction?> BeginConsistentReadAsync(DbConnection c, string resourceId, CancellationToken ct);

    // ---- indexes built on demand ----

    /// <summary>Builds an index on a live table without stopping readers or writers where the engine can.</summary>
    Task CreateIndexOnlineAsync(DbConnection c, string name, string table, string columns, CancellationToken ct);

    /// <summary>Cleans up after a failed online build (an invalid index left behind).</summary>
    Task DropFailedIndexAsync(DbConnection c, string name, CancellationToken ct);

    /// <summary>Waits for a reload that is rewriting the table's metadata row (inside <paramref name="tx"/>).</summary>
    Task LockMetadataAsync(DbConnection c, DbTransaction tx, string metaTable, string resourceId, CancellationToken ct);

    /// <summary>SQL counting the indexes named @p1 on the table @p0.</summary>
    string IndexExistsSql { get; }

    // ---- bulk load ----

    /// <summary>
    /// Creates the staging table on <paramref name="c"/> (already cleared of an old one) and answers the engine's bulk
    /// load into it. The connection belongs to the load from here on.
    /// </summary>
    Task<BulkLoad> BeginLoadAsync(DataStoreStorage storage, DbConnection c, BulkLoad.Target target, CancellationToken ct);

    // ---- search dialect ----

    /// <summary>A column's value as text (JSON filters, text queries on one field).</summary>
    string AsText(string quotedColumn);

    /// <summary>The text searched by q: every column's text, lower-cased.</summary>
    string FullTextDocument(IEnumerable<string> quotedColumns);

    /// <summary>True when <paramref name="text"/> contains <paramref name="param"/> (substring, works for unspaced Japanese).</summary>
    string Contains(string text, string param);

    /// <summary>The LIMIT clause meaning "all rows" (needed before an OFFSET by some engines), or null.</summary>
    string? NoLimitClause { get; }

    /// <summary>Reads a stored value as long, double/decimal, bool, string (dates and times as ISO text) or JsonNode.</summary>
    object? ReadValue(DbDataReader r, int i, string type);

    // ---- errors and guarded queries ----

    /// <summary>The message of a database error the caller caused (constraint, bad value), or null for other errors.</summary>
    string? UserErrorMessage(DbException e);

    /// <summary>
    /// Makes <paramref name="c"/> ready for one read-only statement of datastore_search_sql that stops after
    /// <paramref name="timeoutMs"/> (or when <paramref name="timeout"/> fires); dispose the answer afterwards.
    /// </summary>
    Task<GuardedQuery> BeginGuardedQueryAsync(DbConnection c, int timeoutMs, CancellationToken timeout, CancellationToken ct);

    /// <summary>The validation error for a failed datastore_search_sql statement, or null when it is not the caller's.</summary>
    DataStoreValidationException? QueryError(DbException e);
}

/// <summary>The transaction (if any) and the timeout hook of one datastore_search_sql statement.</summary>
public sealed class GuardedQuery(DbTransaction? tx, CancellationTokenRegistration interrupt) : IAsyncDisposable
{
    public DbTransaction? Transaction => tx;

    public async ValueTask DisposeAsync()
    {
        await interrupt.DisposeAsync();
        if (tx is not null)
        {
            await tx.DisposeAsync();
        }
    }
}
