using Microsoft.AspNetCore.Mvc;

namespace OpenGov.DataStore;

/// <summary>What the download links of one DataStore table show.</summary>
public sealed record DataStoreDownloadsModel(string ResourceId, string? Label, bool Compact)
{
    /// <summary>A dump link without the internal _id column (the dump API keeps CKAN's default and includes it).</summary>
    public string Url(string query) => $"/datastore/dump/{Uri.EscapeDataString(ResourceId)}?{query}&include_id=false";
}

/// <summary>
/// The downloads of a resource's DataStore table (Excel first: XLSX, then CSV with BOM for Excel, then the other
/// formats), on the resource page above the preview and on the dataset page under each resource. Renders nothing when
/// the resource has no table. The label (the resource name) goes into each link's accessible name.
/// </summary>
public sealed class DataStoreDownloadsViewComponent(DataStoreStorage storage) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(string resourceId, string? label = null, bool compact = false)
    {
        if (await storage.GetTableAsync(resourceId, HttpContext.RequestAborted) is null)
        {
            return Content("");
        }

        return View("/DataStore/DataStoreDownloads.cshtml", new DataStoreDownloadsModel(resourceId, label, compact));
    }
}
