using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace OpenGov.Storage;

/// <summary>
/// Many new rows of a few tables inserted quickly on SQLite, where EF Core sends every added row as a statement of its
/// own (its SQLite provider does not batch). <see cref="Take"/>, before the transaction, takes the Added entries of the
/// given types out of EF Core's save (they become Unchanged); <see cref="InsertAsync"/>, inside the transaction and
/// after SaveChanges (so their parents and the rows they replace are written first), inserts them with one prepared
/// statement per table, reused row after row on the context's connection and transaction. The parameters are EF Core's
/// own (each property's type mapping), so the stored values are what SaveChanges would have stored. On PostgreSQL
/// nothing is taken: Npgsql already sends EF Core's inserts in batches.
/// </summary>
public sealed class AddedRows
{
    private static readonly AddedRows None = new([]);
    private readonly List<(IEntityType Type, List<EntityEntry> Entries)> _tables;

    private AddedRows(List<(IEntityType Type, List<EntityEntry> Entries)> tables) => _tables = tables;

    /// <summary>How many rows <see cref="InsertAsync"/> will insert.</summary>
    public int Count => _tables.Sum(t => t.Entries.Count);

    /// <summary>
    /// Takes the Added entries of <paramref name="types"/>, in that order (a table before those that refer to it), out
    /// of the next SaveChanges. Detects changes first. The types' values must all be set by the application (no
    /// database-generated keys). Nothing is taken on PostgreSQL.
    /// </summary>
    public static AddedRows Take(OpenGovDb db, params Type[] types)
    {
        db.ChangeTracker.DetectChanges();
        if (db.IsPostgres)
        {
            return None;
        }

        var added = db.ChangeTracker.Entries().Where(e => e.State == EntityState.Added).ToList();
        var tables = new List<(IEntityType, List<EntityEntry>)>();
        foreach (var type in types)
        {
            var entries = added.Where(e => e.Metadata.ClrType == type).ToList();
            if (entries.Count == 0)
            {
                continue;
            }

            if (entries.Any(e => e.Properties.Any(p => p.IsTemporary)))
            {
                throw new InvalidOperationException($"{type.Name} has database-generated values; AddedRows cannot insert it.");
            }

            tables.Add((entries[0].Metadata, entries));
            foreach (var e in entries)
            {
                e.State = EntityState.Unchanged;
            }
        }

        return new AddedRows(tables);
    }

    /// <summary>
    /// Inserts the rows taken, inside the context's current transaction. A refused row (a unique index) throws
    /// <see cref="DbUpdateException"/> around the provider's error, as SaveChanges would.
    /// </summary>
    public async Task InsertAsync(OpenGovDb db, CancellationToken ct)
    {
        if (_tables.Count == 0)
        {
            return;
        }

        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("AddedRows are inserted inside a transaction.");
        foreach (var (type, entries) in _tables)
        {
            var table = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
            var columns = type.GetProperties().Select(p => (Property: p, Column: p.GetColumnName(table)!, Mapping: p.GetRelationalTypeMapping())).ToList();
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"INSERT INTO \"{table.Name}\" ({string.Join(", ", columns.Select(c => $"\"{c.Column}\""))}) VALUES ({string.Join(", ", columns.Select((_, i) => $"@p{i}"))})";
            try
            {
                foreach (var entry in entries)
                {
                    command.Parameters.Clear();
                    for (var i = 0; i < columns.Count; i++)
                    {
                        var (property, _, mapping) = columns[i];
                        command.Parameters.Add(mapping.CreateParameter(command, $"@p{i}", entry.Property(property.Name).CurrentValue, property.IsNullable));
                    }

                    await command.ExecuteNonQueryAsync(ct);
                }
            }
            catch (DbException e)
            {
                throw new DbUpdateException($"Inserting {type.ClrType.Name} rows failed: {e.Message}", e);
            }
        }
    }
}
