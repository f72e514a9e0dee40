using Microsoft.AspNetCore.Mvc;
using OpenGov.Accounts;
using OpenGov.Catalog;
using OpenGov.DataStore;

namespace OpenGov.ResourceViews;

/// <summary>One stored view as the resource page shows it.</summary>
public sealed record ShownView(ResourceView View, System.Text.Json.Nodes.JsonObject Config, RenderedChart? Chart, RenderedMap? Map = null);

/// <summary>What the resource page's views section shows.</summary>
public sealed class ResourceViewsModel
{
    public required string ResourceId { get; init; }
    public required string DatasetName { get; init; }
    public IReadOnlyList<ShownView> Views { get; init; } = [];
    public bool CanAddChart { get; init; }

    public string PreviewUrl => $"/dataset/{Uri.EscapeDataString(DatasetName)}/resource/{ResourceId}/data";

    public string NewChartUrl => $"/dataset/{Uri.EscapeDataString(DatasetName)}/resource/{ResourceId}/view/new";
}

/// <summary>
/// The resource page's views, in their order (<c>&lt;vc:resource-views resource-id="..."&gt;</c>): charts as SVG with
/// a table alternative, maps as SVG over 地理院タイル with a table alternative (<c>_MapView.cshtml</c>), the table view as a link to the preview, images and web pages as links; and, for who may
/// edit the dataset, the way to add a chart when the resource has a DataStore table.
/// </summary>
public sealed class ResourceViewsViewComponent(ResourceViewEditor editor, ResourceViewCharts charts, ResourceViewMaps maps, DataStoreAccess access, CurrentUser user, DataStore.Api.DataStoreAggregates aggregates) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(string resourceId)
    {
        var ct = HttpContext.RequestAborted;
        if (await access.FindAsync(resourceId, ct) is not { } f || !await access.CanReadAsync(f.Dataset, ct))
        {
            return Content("");
        }

        var shown = new List<ShownView>();
        foreach (var v in await editor.ViewsOfAsync(resourceId, ct))
        {
            var config = System.Text.Json.Nodes.JsonNode.Parse(v.ConfigJson) as System.Text.Json.Nodes.JsonObject ?? [];
            shown.Add(new ShownView(v, config,
                v.ViewType == ResourceViewTypes.Chart ? await charts.RenderAsync(v, ct) : null,
                v.ViewType == ResourceViewTypes.Map ? await maps.RenderAsync(v, ct) : null));
        }

        var canAdd = await user.CanEditDatasetsAsync(f.Dataset.OwnerOrgId, ct) && await aggregates.FieldsAsync(resourceId, ct) is not null;
        if (shown.Count == 0 && !canAdd)
        {
            return Content("");
        }

        return View("/ResourceViews/ResourceViews.cshtml", new ResourceViewsModel { ResourceId = resourceId, DatasetName = f.Dataset.Name, Views = shown, CanAddChart = canAdd });
    }
}
