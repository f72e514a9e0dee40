using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;

namespace OpenGov.DataStore;

/// <summary>
/// Indexes of DataStore tables. Indexes on demand: a search whose equality filters and sort have no index gets one,
/// on (filtered columns, sort columns), built in the background (that search runs without it). The next searches of
/// the same shape then read the first page in index order and count from the index. Loads keep the indexes of the
/// previous version (docs/decisions/0004). The metadata lists each index as its columns joined by
/// <see cref="ColumnSeparator"/>.
/// </summary>
public sealed class DataStoreIndexes(DataStoreStorage storage)
{
    /// <summary>Separator of the columns of a multi-column index in the metadata's index list.</summary>
    public const char ColumnSeparator = '\u001f';

    /// <summary>Most indexes a table gets on demand.</summary>
    public const int Max = 24;

    private readonly ConcurrentDictionary<string, byte> _building = new();

    public static string Key(IEnumerable<string> columns) => string.Join(ColumnSeparator, columns);

    public static string[] Columns(string key) => key.Split(ColumnSeparator);

    /// <summary>Asks for an index serving a search with these equality filters and this sort (see the class summary).</summary>
    public void Want(DsTable table, IEnumerable<string> filterColumns, IEnumerable<string> sortColumns)
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

        if (cols.Count == 0 || cols.Count > 8 || table.IndexedColumns.Count >= Max
            || cols.Any(c => table.Fields.FirstOrDefault(f => f.Id == c) is not { Type: not DsTypes.Json }))
        {
            return;
        }

        // an existing index whose leading columns are these already serves
        if (table.IndexedColumns.Any(ix => Columns(ix).Take(cols.Count).SequenceEqual(cols)))
        {
            return;
        }

        var key = table.ResourceId + "\0" + Key(cols);
        if (_building.TryAdd(key, 0))
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    await AddAsync(table.ResourceId, cols, CancellationToken.None);
                }
                catch (Exception e) when (e is DbException or ObjectDisposedException or InvalidOperationException or IOException)
                {
                }
                finally
                {
                    _building.TryRemove(key, out _);
                }
            });
        }
    }

    /// <summary>
    /// Adds an index to a live table (PostgreSQL: CONCURRENTLY, readers and writers go on) and records it.
    /// Returns false when the table or a column no longer exists.
    /// </summary>
    public async Task<bool> AddAsync(string resourceId, IReadOnlyList<string> columns, CancellationToken ct)
    {
        var backend = storage.Backend;
        await using var c = await storage.OpenAsync(ct);
        var t = await storage.GetTableAsync(c, null, resourceId, ct);
        var key = Key(columns);
        if (t is null || t.IndexedColumns.Contains(key) || !columns.All(col => t.Fields.Any(f => f.Id == col)))
        {
            return false;
        }

        var name = "ix_" + DataStoreStorage.NewGeneration() + "_d";
        try
        {
            await backend.CreateIndexOnlineAsync(c, name, storage.Table(resourceId), string.Join(", ", columns.Select(DsTypes.Quote)), ct);
        }
        catch (DbException)
        {
            // the table was swapped or dropped meanwhile (or a deadlock with a reload's swap chose this build): the
            // next search asks again
            await backend.DropFailedIndexAsync(c, name, ct);
            return false;
        }

        await using var tx = await c.BeginTransactionAsync(ct);
        await backend.LockMetadataAsync(c, tx, storage.Meta, resourceId, ct);
        var now = await storage.GetTableAsync(c, tx, resourceId, ct);
        if (now is null || !columns.All(col => now.Fields.Any(f => f.Id == col)) || !await ExistsAsync(c, tx, resourceId, name, ct))
        {
            return false; // a reload replaced the table while the index was built (on the old one)
        }

        await storage.WriteMetaAsync(c, tx, now with { Indexed = [.. now.IndexedColumns, key] }, ct);
        await tx.CommitAsync(ct);
        return true;
    }

    private async Task<bool> ExistsAsync(DbConnection c, DbTransaction tx, string resourceId, string index, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = storage.Backend.IndexExistsSql;
        DataStoreStorage.AddParam(cmd, "@p0", resourceId);
        DataStoreStorage.AddParam(cmd, "@p1", index);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture) > 0;
    }
}
