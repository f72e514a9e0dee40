using OpenGov.Storage;

namespace OpenGov.Catalog;

/// <summary>
/// What the catalog tells the DataStore and asks of it, without depending on it: after a dataset's resources change
/// (loads of new or replaced tabular files, removal of deleted resources' tables), and which resources have a
/// DataStore table (CKAN's <c>datastore_active</c>).
/// </summary>
public interface IResourceDataHooks
{
    /// <summary>The ids among <paramref name="resourceIds"/> that have a DataStore table.</summary>
    Task<IReadOnlySet<string>> DataStoreActiveAsync(IReadOnlyCollection<string> resourceIds, CancellationToken ct);

    /// <summary>Called after a committed change of the dataset's resources.</summary>
    Task ResourcesChangedAsync(Dataset dataset, CancellationToken ct);
}

public static class ResourceDataHooksExtensions
{
    /// <summary>The ids of the datasets' active resources that have a DataStore table (for <c>datastore_active</c>).</summary>
    public static Task<IReadOnlySet<string>> DataStoreActiveAsync(this IResourceDataHooks hooks, IEnumerable<Dataset> datasets, CancellationToken ct) =>
        hooks.DataStoreActiveAsync([.. datasets.SelectMany(d => d.Resources).Where(r => r.State == RecordState.Active).Select(r => r.Id)], ct);
}
