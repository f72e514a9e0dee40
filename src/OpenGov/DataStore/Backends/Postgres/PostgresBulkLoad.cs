using System.Data.Common;
using System.Globalization;
using Npgsql;

namespace OpenGov.DataStore;

/// <summary>PostgreSQL bulk load: binary COPY ... FREEZE, rows encoded by <see cref="PgCopyEncoder"/> into a raw COPY stream.</summary>
internal sealed class PostgresBulkLoad : BulkLoad
{
    private NpgsqlRawCopyStream? _copy;
    private PgCopyEncoder? _encoder;
    private NpgsqlTransaction? _tx;

    public PostgresBulkLoad(DataStoreStorage storage, NpgsqlConnection c, NpgsqlTransaction tx, Target target)
        : base(storage, c, target)
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

    protected override async Task BuildIndexesAsync(IReadOnlyList<IReadOnlyList<string>> indexes, Action<string, string>? log, CancellationToken ct)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // _id values are 1..Rows (no scan needed); sorts of the index builds in memory
        await DataStoreStorage.ExecAsync(Connection, null, $"SELECT setval('datastore.\"s_{Gen}\"', {Math.Max(1, Rows).ToString(CultureInfo.InvariantCulture)})", ct);
        await DataStoreStorage.ExecAsync(Connection, null, "SET maintenance_work_mem = '256MB'", ct);
        await Storage.CreateIndexesAsync(Connection, null, Staging, Gen, [], indexes, addIdKey: true, ct);
        await DataStoreStorage.ExecAsync(Connection, null, "RESET maintenance_work_mem", ct);
        var indexed = clock.Elapsed.TotalSeconds;
        clock.Restart();
        await DataStoreStorage.ExecAsync(Connection, null, $"ANALYZE {Storage.Table(Staging)}", ct);
        log?.Invoke(FormattableString.Invariant($"indexes built in {indexed:F2} s, statistics in {clock.Elapsed.TotalSeconds:F2} s"),
            FormattableString.Invariant($"索引を {indexed:F2} 秒、統計情報を {clock.Elapsed.TotalSeconds:F2} 秒で作成しました"));
    }

    // a long reader (a big dump) holds ACCESS SHARE; waiting for it in the lock queue would stall every new reader
    // behind us, so wait briefly and retry instead. An index built on demand (CONCURRENTLY) waits for this
    // transaction while holding its lock: the deadlock that PostgreSQL breaks by cancelling one of the two is
    // retried the same way.
    protected override Task BeforeSwapAsync(DbTransaction tx, CancellationToken ct) =>
        DataStoreStorage.ExecAsync(Connection, tx, "SET LOCAL lock_timeout = '2s'", ct);

    protected override bool IsRetryableSwapFailure(Exception e) =>
        e is PostgresException { SqlState: PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.DeadlockDetected };

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
