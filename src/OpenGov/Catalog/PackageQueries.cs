using Microsoft.EntityFrameworkCore;
using OpenGov.Storage;

namespace OpenGov.Catalog;

/// <summary>The dataset queries every catalog reader shares: the whole package, and the public subset.</summary>
public static class PackageQueries
{
    /// <summary>
    /// The whole package as package_show shows it: resources, tags, groups and extras (the organization is read
    /// apart, once per page of datasets). Split so that a dataset with many resources and tags stays one row each.
    /// </summary>
    public static IQueryable<Dataset> WithFullPackage(this IQueryable<Dataset> datasets) =>
        datasets.AsSplitQuery()
            .Include(d => d.Resources)
            .Include(d => d.Tags).ThenInclude(t => t.Tag)
            .Include(d => d.Groups).ThenInclude(g => g.Group)
            .Include(d => d.Extras);

    /// <summary>A dataset by its id or its name (CKAN's id parameter takes either).</summary>
    public static IQueryable<Dataset> ByIdOrName(this IQueryable<Dataset> datasets, string idOrName) =>
        datasets.Where(d => d.Id == idOrName || d.Name == idOrName);

    /// <summary>Active datasets: neither draft nor deleted.</summary>
    public static IQueryable<Dataset> Active(this IQueryable<Dataset> datasets) =>
        datasets.Where(d => d.State == RecordState.Active);

    /// <summary>What anyone may see: active and public (<see cref="DatasetVisibility"/> is the rule for one dataset).</summary>
    public static IQueryable<Dataset> Public(this IQueryable<Dataset> datasets) =>
        datasets.Where(d => d.State == RecordState.Active && !d.Private);
}
