using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.ExceptionServices;

namespace OpenGov.DataStore;

/// <summary>
/// One load into a staging table, then an atomic swap. Rows are handed over in batches to a writer thread, so that
/// reading and normalising (the caller's thread) and inserting or COPYing run on two cores. The engines supply the
/// row writer (<see cref="AddCore"/>, the one per-row call), the index build and the details of the swap.
/// </summary>
public abstract class BulkLoad(DataStoreStorage storage, DbConnection connection, BulkLoad.Target target) : IAsyncDisposable
{
    /// <summary>What a load writes: the live table's resource id, its staging table and generation, the fields in order.</summary>
    /// <param name="Convert">Turns a row of cells (and its row number) into values in field order; runs on the writer thread.</param>
    public sealed record Target(string ResourceId, string Staging, string Gen, IReadOnlyList<DsField> Fields, Func<string[], long, object?[]> Convert);

    private const int BatchSize = 512;
    private readonly BlockingCollection<(string[] Cells, long Row)[]> _queue = new(boundedCapacity: 8);
    private readonly CancellationTokenSource _stop = new();
    private (string[] Cells, long Row)[] _batch = new (string[], long)[BatchSize];
    private int _n;
    private Task? _writer;
    private Exception? _error;
    private bool _swapped;
    private bool _drained;

    protected DataStoreStorage Storage => storage;

    protected DbConnection Connection => connection;

    protected string ResourceId => target.ResourceId;

    protected string Staging => target.Staging;

    protected string Gen => target.Gen;

    protected IReadOnlyList<DsField> Fields => target.Fields;

    /// <summary>Rows written so far (by the writer thread).</summary>
    public long Rows { get; protected set; }

    /// <summary>Adds one row of cells; the target's Convert turns it into values on the writer thread.</summary>
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
            ExceptionDispatchInfo.Capture(_error).Throw();
        }
    }

    private void Write()
    {
        var convert = target.Convert;
        try
        {
            foreach (var batch in _queue.GetConsumingEnumerable(_stop.Token))
            {
                foreach (var (cells, row) in batch)
                {
                    AddCore(convert(cells, row));
                }
            }
        }
        catch (Exception e)
        {
            _error = e;
            _queue.CompleteAdding();
        }
    }

    /// <summary>Stores one row of values (field order) in the staging table; runs on the writer thread.</summary>
    protected abstract void AddCore(object?[] row);

    /// <summary>Ends the engine's bulk write once every row was added (commit, end of COPY).</summary>
    protected abstract Task FlushAsync(CancellationToken ct);

    /// <summary>Builds the indexes of the staging table (and its statistics where the engine wants them before the swap).</summary>
    protected abstract Task BuildIndexesAsync(IReadOnlyList<IReadOnlyList<string>> indexes, Action<string, string>? log, CancellationToken ct);

    /// <summary>Prepares the swap's transaction (lock waits).</summary>
    protected virtual Task BeforeSwapAsync(DbTransaction tx, CancellationToken ct) => Task.CompletedTask;

    /// <summary>True for a swap failure worth retrying after a pause (a lock wait that timed out, a deadlock).</summary>
    protected virtual bool IsRetryableSwapFailure(Exception e) => false;

    /// <summary>Work after the swap committed (planner statistics on the live table).</summary>
    protected virtual Task AfterSwapAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>Releases the engine's resources; the staging table is dropped afterwards unless swapped in.</summary>
    protected abstract ValueTask DisposeCoreAsync();

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
            ExceptionDispatchInfo.Capture(_error).Throw();
        }

        await FlushAsync(ct);
    }

    /// <summary>Builds the indexes, then replaces the live table and its metadata in one transaction.</summary>
    public async Task CompleteAsync(IReadOnlyList<IReadOnlyList<string>> indexes, CancellationToken ct, Action? rowsStored = null, Action<string, string>? log = null)
    {
        await DrainAsync(ct);
        rowsStored?.Invoke();
        await BuildIndexesAsync(indexes, log, ct);
        var resourceId = target.ResourceId;
        for (var attempt = 1; ; attempt++)
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            try
            {
                await BeforeSwapAsync(tx, ct);
                await DataStoreStorage.ExecAsync(connection, tx, $"DROP TABLE IF EXISTS {storage.Table(resourceId)}", ct);
                await DataStoreStorage.ExecAsync(connection, tx, $"ALTER TABLE {storage.Table(Staging)} RENAME TO {DsTypes.Quote(resourceId)}", ct);
                await storage.WriteMetaAsync(connection, tx, new DsTable(resourceId, Fields, [], [.. indexes.Select(DataStoreIndexes.Key)]), ct);
                await tx.CommitAsync(ct);
                break;
            }
            catch (Exception e) when (attempt < 30 && IsRetryableSwapFailure(e))
            {
                await tx.RollbackAsync(ct);
                await Task.Delay(1000, ct);
            }
        }

        _swapped = true;
        await storage.TablesChangedAsync(resourceId, DataStoreChangeKind.Loaded, ct);
        await AfterSwapAsync(ct);
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
                await DataStoreStorage.ExecAsync(connection, null, $"DROP TABLE IF EXISTS {storage.Table(Staging)}", CancellationToken.None);
            }
            catch (DbException)
            {
            }
        }

        await connection.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
