using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OpenGov.Accounts;
using OpenGov.Catalog.Search;
using OpenGov.Ckan;
using OpenGov.Storage;

namespace OpenGov.Catalog.Editing;

/// <summary>
/// Writes one change of a dataset all-or-nothing, for <see cref="PackageEditor"/> and <see cref="ResourceEditor"/>:
/// one transaction, the search index updated inside it, an activity row with the dataset's snapshot, and stored files
/// of dropped resources removed only once the change is committed. One per request (scoped).
/// </summary>
public sealed class PackageWriter(OpenGovDb db, CurrentUser user, ISearchIndexer indexer, UploadStore uploads, IHttpContextAccessor http, IResourceDataHooks dataHooks)
{
    /// <summary>Resources whose stored files go once the current change is committed.</summary>
    private readonly List<string> _filesToDelete = [];

    /// <summary>Staged files moved into place once the current change is committed.</summary>
    private readonly List<StoredUpload> _staged = [];

    public string SiteUrl => http.HttpContext is { } ctx ? CkanApi.SiteUrl(ctx) : "";

    /// <summary>The whole package, tracked for a change (deleted ones too: package_update may revive a draft).</summary>
    public Task<Dataset?> LoadTrackedAsync(string idOrName, CancellationToken ct) =>
        db.Datasets.WithFullPackage().ByIdOrName(idOrName).FirstOrDefaultAsync(ct);

    /// <summary>A resource that is not deleted, with its whole package tracked.</summary>
    public async Task<(Dataset Dataset, Resource Resource)> LoadResourceAsync(string id, CancellationToken ct)
    {
        var found = await db.Resources.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id && r.State != RecordState.Deleted, ct)
            ?? throw CkanException.NotFound("Resource was not found.");
        var dataset = await LoadTrackedAsync(found.DatasetId, ct) ?? throw CkanException.NotFound("Resource was not found.");
        return (dataset, dataset.Resources.First(r => r.Id == id));
    }

    /// <summary>Whether a resource (of any dataset, in any state) has this id.</summary>
    public Task<bool> ResourceIdTakenAsync(string id, CancellationToken ct) => db.Resources.AnyAsync(r => r.Id == id, ct);

    /// <summary>The dataset as package_show would show it now (the base a patch is merged onto).</summary>
    public async Task<JsonObject> CurrentDictAsync(Dataset dataset, CancellationToken ct)
    {
        var org = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == dataset.OwnerOrgId, ct);
        return JsonSerializer.SerializeToNode(PackageDict.From(dataset, org, SiteUrl), CkanApi.Json)!.AsObject();
    }

    /// <summary>
    /// Runs a change all-or-nothing: apply, save, reindex, record the activity, commit. The work that needs no write
    /// lock is done before the transaction: the change is applied to the tracked entities (reads only), and the search
    /// document (every resource's description tokenised), the package dict and the activity's JSON are built from them
    /// (every key is made here, not by the database, so they are what the commit stores). The transaction then holds
    /// SQLite's single write lock only to insert the rows and the index entry: a large package no longer stalls the
    /// questions of a live event for the time it takes to tokenise and serialise it (issue 15, bench/write-stall.sh).
    /// The new resources, tags and extras (up to 1,600 rows) are inserted by <see cref="AddedRows"/> with one prepared
    /// statement per table on SQLite, where EF Core would send each as a statement of its own.
    /// </summary>
    public async Task<PackageDict> WriteAsync(Dataset dataset, string activityType, Func<Task> apply, CancellationToken ct)
    {
        Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction? tx = null;
        try
        {
            await apply();
            dataset.MetadataModified = DateTime.UtcNow;
            var org = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == dataset.OwnerOrgId, ct);
            var document = dataset.State == RecordState.Deleted ? null : SearchDocument.From(dataset, org);
            var dict = PackageDict.From(dataset, org, SiteUrl, await dataHooks.DataStoreActiveAsync([dataset], ct));
            db.Activities.Add(new Activity
            {
                UserId = user.Id,
                ObjectId = dataset.Id,
                ActivityType = activityType,
                Data = JsonSerializer.Serialize(new Dictionary<string, object> { ["package"] = dict }, CkanApi.Json),
            });

            // the package's new resources, tags and extras go in with prepared statements after EF Core's save
            var rows = AddedRows.Take(db, typeof(Tag), typeof(DatasetTag), typeof(Resource), typeof(DatasetExtra));
            tx = await db.Database.BeginTransactionAsync(ct);
            await SaveDetectedChangesAsync(ct);
            await rows.InsertAsync(db, ct);
            await indexer.IndexPreparedAsync(dataset.Id, document, ct);
            await tx.CommitAsync(ct);
            await tx.DisposeAsync();
            tx = null;
            PromoteStaged(); // before the DataStore load is queued, so the load reads the new file
            await dataHooks.ResourcesChangedAsync(dataset, ct);
            foreach (var id in _filesToDelete)
            {
                uploads.Delete(id);
            }

            _filesToDelete.Clear();
            return dict;
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            // another request took the same name (or created the same tag) between our check and our insert
            await UndoAsync(tx);
            throw IsDatasetName(e)
                ? CkanException.Validation("name", "That URL is already in use.")
                : new CkanException(409, "Validation Error", "A concurrent change conflicted with this one; please try again");
        }
        catch
        {
            await UndoAsync(tx);
            throw;
        }
    }

    /// <summary>SaveChanges without detecting changes again: <see cref="AddedRows.Take"/> has just done it, before the transaction.</summary>
    private async Task SaveDetectedChangesAsync(CancellationToken ct)
    {
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = true;
        }
    }

    /// <summary>After a failed change: nothing of it stays (transaction rolled back, tracked entities and staged files dropped).</summary>
    private async Task UndoAsync(Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction? tx)
    {
        _filesToDelete.Clear();
        DiscardStaged();
        if (tx is not null)
        {
            await tx.RollbackAsync(CancellationToken.None);
            await tx.DisposeAsync();
        }

        db.ChangeTracker.Clear();
    }

    /// <summary>
    /// dataset_purge and organization_purge, inside the caller's transaction: the datasets (tracked, with their whole
    /// package) go with their resources, tags, groups, extras and history, and leave the search index.
    /// </summary>
    public async Task RemoveDatasetsAsync(IReadOnlyList<Dataset> datasets, CancellationToken ct)
    {
        var ids = datasets.Select(d => d.Id).ToList();
        db.Activities.RemoveRange(await db.Activities.Where(a => ids.Contains(a.ObjectId)).ToListAsync(ct));
        db.Datasets.RemoveRange(datasets);
        await db.SaveChangesAsync(ct);
        foreach (var id in ids)
        {
            await indexer.IndexAsync(id, ct);
        }
    }

    /// <summary>After <see cref="RemoveDatasetsAsync"/> is committed: their stored files and DataStore tables go.</summary>
    public async Task AfterRemovedAsync(IReadOnlyList<Dataset> datasets, CancellationToken ct)
    {
        foreach (var d in datasets)
        {
            d.State = RecordState.Deleted;
            foreach (var r in d.Resources)
            {
                uploads.Delete(r.Id);
            }

            await dataHooks.ResourcesChangedAsync(d, ct);
        }
    }

    /// <summary>Marks a resource deleted; its stored file goes once the change is committed.</summary>
    public void MarkResourceDeleted(Resource r)
    {
        r.State = RecordState.Deleted;
        r.MetadataModified = DateTime.UtcNow;
        if (r.StoragePath is not null)
        {
            DropFile(r);
        }
    }

    /// <summary>Forgets a resource's stored file; the file itself is removed once the change is committed.</summary>
    public void DropFile(Resource r)
    {
        r.StoragePath = null;
        r.Size = null;
        r.Hash = "";
        _filesToDelete.Add(r.Id);
    }

    /// <summary>
    /// A file stored staged (<see cref="UploadStore.SaveAsync"/> with staged) for the next <see cref="WriteAsync"/>:
    /// moved into place once it is committed, before the DataStore hears of the change; dropped when it fails.
    /// </summary>
    public void PromoteOnCommit(StoredUpload stored) => _staged.Add(stored);

    private void PromoteStaged()
    {
        foreach (var s in _staged)
        {
            try
            {
                uploads.Promote(s);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // the change is committed; the file stays staged and the download answers 404 until it is uploaded again
            }
        }

        _staged.Clear();
    }

    private void DiscardStaged()
    {
        foreach (var s in _staged)
        {
            uploads.Discard(s);
        }

        _staged.Clear();
    }

    private static bool IsDatasetName(DbUpdateException e) =>
        e.InnerException?.Message is { } m && (m.Contains("datasets.name", StringComparison.Ordinal) || m.Contains("ix_datasets_name", StringComparison.Ordinal));
}
