using Microsoft.EntityFrameworkCore;
using OpenGov.Catalog;
using OpenGov.DataStore;
using OpenGov.DataStore.Api;
using OpenGov.Storage;

namespace OpenGov.Dashboards.Pages;

/// <summary>A DataStore table the card editor offers: the resource, its dataset, and its columns when read.</summary>
public sealed record SourceTable(string ResourceId, string ResourceName, string DatasetName, string DatasetTitle)
{
    public string Label => string.IsNullOrWhiteSpace(ResourceName) ? DatasetTitle : $"{DatasetTitle} / {ResourceName}";
}

/// <summary>
/// The tables a card of an organization's dashboard may use: resources of the organization's active datasets that have
/// a DataStore table and that the current user may read (public, or private to an organization they belong to).
/// </summary>
public sealed class SourceTables(OpenGovDb db, DashboardStore store, DataStoreAggregates aggregates)
{
    public async Task<IReadOnlyList<SourceTable>> OfAsync(Organization org, CancellationToken ct)
    {
        var rows = await db.Resources.AsNoTracking().Where(r => r.State == "active")
            .Join(db.Datasets.Where(d => d.OwnerOrgId == org.Id && d.State == "active"), r => r.DatasetId, d => d.Id,
                (r, d) => new { r.Id, r.Name, r.Position, Dataset = d.Name, d.Title })
            .ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var tables = await aggregates.LastLoadedAsync(ids, ct);
        var readable = await store.ReadableAsync(ids, ct);
        return rows.Where(r => tables.ContainsKey(r.Id) && readable.Contains(r.Id))
            .OrderBy(r => r.Title, StringComparer.Ordinal).ThenBy(r => r.Position)
            .Select(r => new SourceTable(r.Id, r.Name, r.Dataset, r.Title)).ToList();
    }

    /// <summary>The table's columns (without the DataStore's own _id), or null when it has no table.</summary>
    public async Task<IReadOnlyList<DsField>?> FieldsAsync(string resourceId, CancellationToken ct) =>
        (await aggregates.FieldsAsync(resourceId, ct))?.Where(f => f.Id != "_id").ToList();
}
