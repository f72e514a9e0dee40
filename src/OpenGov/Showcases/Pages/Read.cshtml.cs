using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenGov.Catalog;

namespace OpenGov.Showcases.Pages;

/// <summary>/showcase/{name}: the showcase, a link to the app, the datasets it uses; its history for editors and the secretariat.</summary>
public sealed class ReadModel(ShowcaseQueries queries, ShowcaseAuth auth, ShowcaseHistory history, CatalogReader catalog) : PageModel
{
    public ShowcaseDict Showcase { get; private set; } = null!;

    public List<PackageDict> Datasets { get; private set; } = [];

    public bool CanManage { get; private set; }

    /// <summary>The showcase's history, for its editors and the council secretariat (null for others).</summary>
    public List<ShowcaseHistory.Line>? History { get; private set; }

    /// <summary>The history's page shown (1-based, <see cref="ShowcaseHistory.PageSize"/> entries each) and how many there are.</summary>
    public int HistoryPage { get; private set; } = 1;

    public int HistoryPageCount { get; private set; } = 1;

    public async Task<IActionResult> OnGetAsync(string name, [FromQuery] int page, CancellationToken ct)
    {
        var s = await queries.FindAsync(name, ct);
        if (s is null)
        {
            return NotFound();
        }

        if (s.Name != name)
        {
            return RedirectPermanent("/showcase/" + Uri.EscapeDataString(s.Name));
        }

        Showcase = (await queries.ToDictsAsync([s], ct))[0];
        Datasets = await catalog.ToDictsAsync(await queries.DatasetsOfAsync(s.Id, ct), ct);
        CanManage = await auth.CanManageAsync(ct);
        if (await history.MayReadAsync(ct))
        {
            var count = await history.CountAsync(s, ct);
            HistoryPageCount = Math.Max(1, (count + ShowcaseHistory.PageSize - 1) / ShowcaseHistory.PageSize);
            HistoryPage = Math.Clamp(page, 1, HistoryPageCount);
            History = await history.LinesAsync(s, (HistoryPage - 1) * ShowcaseHistory.PageSize, ShowcaseHistory.PageSize, ct);
        }

        return Page();
    }
}
