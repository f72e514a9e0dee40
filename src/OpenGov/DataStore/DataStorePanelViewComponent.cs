using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ViewComponents;

namespace OpenGov.DataStore;

/// <summary>
/// The DataStore part of a resource page (load state, progress bar, validation report, paged preview).
/// The resource page renders <c>&lt;vc:data-store-panel resource-id="..."&gt;</c>; the DataStore feature owns what it shows.
/// </summary>
public sealed class DataStorePanelViewComponent : ViewComponent
{
    public IViewComponentResult Invoke(string resourceId) => new HtmlContentViewComponentResult(HtmlString.Empty);
}
