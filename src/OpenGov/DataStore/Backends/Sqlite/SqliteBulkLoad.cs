using System.Globalization;
using Microsoft.Data.Sqlite;

namespace OpenGov.DataStore;

/// <summary>SQLite bulk load through the native API (prepared statement, bind, step, reset): no ADO.NET overhead per row.</summary>
internal sealed class SqliteBulkLoad : BulkLoad
{
    private const int BatchRows = 100_000;
    private readonly SQLitePCL.sqlite3 _db;
    private readonly SQLitePCL.sqlite3_stmt _stmt;
    private readonly int[] _kinds;
    private byte[] _buf = new byte[64 * 1024];
    private bool _inTx;
    private int _inBatch;

    public SqliteBulkLoad(DataStoreStorage storage, SqliteConnection c, Target target)
        : base(storage, c, target)
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
        var fields = target.Fields;
        var sql = $"INSERT INTO {storage.Table(target.Staging)} (\"_id\", {string.Join(", ", fields.Select(f => DsTypes.Quote(f.Id)))}) VALUES ({string.Join(", ", Enumerable.Range(1, fields.Count + 1).Select(i => "?" + i.ToString(CultureInfo.InvariantCulture)))})";
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

    protected override async Task BuildIndexesAsync(IReadOnlyList<IReadOnlyList<string>> indexes, Action<string, string>? log, CancellationToken ct)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // the sorter of CREATE INDEX buffers up to cache_size per thread (main + 2 workers): 3 x 8 MB keeps the
        // peak memory of a big load bounded (the sort spills to temporary files beyond it)
        await DataStoreStorage.ExecAsync(Connection, null, "PRAGMA cache_size=-8192", ct);
        await using (var itx = await Connection.BeginTransactionAsync(ct))
        {
            await Storage.CreateIndexesAsync(Connection, itx, Staging, Gen, [], indexes, addIdKey: false, ct);
            await itx.CommitAsync(ct);
        }

        log?.Invoke(FormattableString.Invariant($"indexes built in {clock.Elapsed.TotalSeconds:F2} s"),
            FormattableString.Invariant($"索引を {clock.Elapsed.TotalSeconds:F2} 秒で作成しました"));
    }

    // planner statistics from a sample (fast on big tables); sqlite_stat1 rows are by table name
    protected override Task AfterSwapAsync(CancellationToken ct) =>
        DataStoreStorage.ExecAsync(Connection, null, $"PRAGMA analysis_limit=1000; ANALYZE {Storage.Table(ResourceId)}", ct);

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

