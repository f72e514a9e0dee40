using Microsoft.EntityFrameworkCore;
using OpenGov.Catalog;
using OpenGov.Storage;

namespace OpenGov.DataStore;

/// <summary>The DataStore's side of <see cref="IResourceDataHooks"/>.</summary>
public sealed class DataStoreResourceHooks(DataStoreStorage storage, IDataStoreLoader loader, OpenGovDb db, ILogger<DataStoreResourceHooks> logger) : IResourceDataHooks
{
    public async Task<IReadOnlySet<string>> DataStoreActiveAsync(IReadOnlyCollection<string> resourceIds, CancellationToken ct) =>
        await storage.ExistingTablesAsync(resourceIds, ct);

    public async Task ResourcesChangedAsync(Dataset dataset, CancellationToken ct)
    {
        var ids = dataset.Resources.Select(r => r.Id).ToList();
        var known = await db.Set<DataStoreResource>().AsNoTracking().Where(s => ids.Contains(s.ResourceId))
            .ToDictionaryAsync(s => s.ResourceId, s => s.LastSourceHash, ct);
        foreach (var r in dataset.Resources)
        {
            try
            {
                if (r.State == "deleted" || dataset.State == "deleted")
                {
                    await storage.DropAsync(r.Id, ct);
                }
                else if (DataStoreLoader.IsTabular(r) && known.GetValueOrDefault(r.Id) != (r.Hash is { Length: > 0 } h ? h : null))
                {
                    await loader.EnqueueAsync(r.Id, ct);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The catalog change is committed; the loader's poll picks the resource up again.
                logger.LogWarning(e, "DataStore follow-up of resource {ResourceId} failed", r.Id);
            }
        }
    }
}
