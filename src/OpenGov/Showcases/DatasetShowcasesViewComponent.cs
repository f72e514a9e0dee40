using Microsoft.AspNetCore.Mvc;

namespace OpenGov.Showcases;

/// <summary>What the dataset page shows of the showcases that use the dataset.</summary>
public sealed record DatasetShowcasesModel(string DatasetName, List<ShowcaseDict> Showcases, bool CanManage);

/// <summary>
/// 「このデータを使った活用事例」 on a dataset page: the catalog's page renders <c>&lt;vc:dataset-showcases&gt;</c>; the
/// showcases room owns what it shows (as the DataStore owns its panel). Nothing when none and the reader cannot add one.
/// </summary>
public sealed class DatasetShowcasesViewComponent(ShowcaseQueries queries, ShowcaseAuth auth) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(string datasetId, string datasetName)
    {
        var ct = HttpContext.RequestAborted;
        var showcases = await queries.ToDictsAsync(await queries.ShowcasesOfAsync(datasetId, ct), ct);
        var canManage = await auth.CanManageAsync(ct);
        if (showcases.Count == 0 && !canManage)
        {
            return Content("");
        }

        return View("/Showcases/DatasetShowcases.cshtml", new DatasetShowcasesModel(datasetName, showcases, canManage));
    }
}
