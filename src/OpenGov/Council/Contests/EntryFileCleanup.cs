using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using OpenGov.Catalog.Editing;
using OpenGov.Storage;

namespace OpenGov.Council.Contests;

/// <summary>
/// Entry files leave the uploads directory with their rows, whatever deletes them: a file removed by its team, an
/// entry, a contest or an entrant's account removed (the database cascades to the files' rows without EF loading
/// them). Before a save, the stored paths of the files those deletions reach are read; once the save is committed
/// (its own transaction, or the caller's when it commits) their folders are deleted; a failed save or a rolled-back
/// transaction deletes nothing. The one place entry files are removed from disk.
/// </summary>
public sealed class EntryFileCleanup(UploadStore store) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    private readonly ConditionalWeakTable<DbContext, List<string>> _pending = [];

    public async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is OpenGovDb db)
        {
            await CollectAsync(db, cancellationToken);
        }

        return result;
    }

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is OpenGovDb db)
        {
            CollectAsync(db, CancellationToken.None).GetAwaiter().GetResult();
        }

        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        SavedChanges(eventData, result);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context is { } ctx && ctx.Database.CurrentTransaction is null)
        {
            Flush(ctx);
        }

        return result;
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => Drop(eventData.Context);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Drop(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Flush(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Flush(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Drop(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Drop(eventData.Context);
        return Task.CompletedTask;
    }

    /// <summary>The stored paths of the entry files the pending deletions reach.</summary>
    private async Task CollectAsync(OpenGovDb db, CancellationToken ct)
    {
        var paths = new List<string>();
        var entries = new List<long>();
        var contests = new List<string>();
        var users = new List<string>();
        var detect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false; // deletions are marked when made; no extra scan of every tracked row
        try
        {
            foreach (var e in db.ChangeTracker.Entries())
            {
                if (e.State != EntityState.Deleted)
                {
                    continue;
                }

                switch (e.Entity)
                {
                    case ContestEntryFile f: paths.Add(f.StoragePath); break;
                    case ContestEntry x: entries.Add(x.Id); break;
                    case Contest c: contests.Add(c.Id); break;
                    case Accounts.User u: users.Add(u.Id); break;
                }
            }
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = detect;
        }

        if (entries.Count + contests.Count + users.Count > 0)
        {
            var owned = db.Set<ContestEntry>().Where(x => users.Contains(x.OwnerUserId)).Select(x => x.Id);
            paths.AddRange(await db.Set<ContestEntryFile>().AsNoTracking()
                .Where(f => entries.Contains(f.EntryId) || contests.Contains(f.ContestId) || owned.Contains(f.EntryId))
                .Select(f => f.StoragePath).ToListAsync(ct));
        }

        if (paths.Count > 0)
        {
            _pending.GetOrCreateValue(db).AddRange(paths);
        }
    }

    private void Flush(DbContext? ctx)
    {
        if (ctx is null || !_pending.TryGetValue(ctx, out var paths))
        {
            return;
        }

        _pending.Remove(ctx);
        foreach (var dir in paths.Select(p => p.Split('/')[0]).Distinct())
        {
            if (Guid.TryParse(dir, out _))
            {
                store.Delete(dir);
            }
        }
    }

    private void Drop(DbContext? ctx)
    {
        if (ctx is not null)
        {
            _pending.Remove(ctx);
        }
    }
}
