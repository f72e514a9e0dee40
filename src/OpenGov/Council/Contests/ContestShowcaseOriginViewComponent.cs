using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using OpenGov.Storage;

namespace OpenGov.Council.Contests;

/// <summary>The contest and awards of the entry a showcase was made from.</summary>
public sealed record ContestShowcaseOrigin(Contest Contest, ContestEntry Entry, List<ContestAward> Awards);

/// <summary>
/// 「コンテストの受賞作」 on a showcase page: the showcases room's page renders <c>&lt;vc:contest-showcase-origin&gt;</c>;
/// the council owns what it shows (as the showcases room owns its panel on the dataset page), so the showcases room
/// does not read council tables. Nothing for a showcase not made from a contest entry.
/// </summary>
public sealed class ContestShowcaseOriginViewComponent(OpenGovDb db) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(string showcaseId)
    {
        var ct = HttpContext.RequestAborted;
        var entry = await db.Set<ContestEntry>().AsNoTracking().FirstOrDefaultAsync(e => e.ShowcaseId == showcaseId, ct);
        if (entry is null)
        {
            return Content("");
        }

        var contest = await db.Set<Contest>().AsNoTracking().FirstAsync(c => c.Id == entry.ContestId, ct);
        var awards = await db.Set<ContestAward>().AsNoTracking().Where(a => a.EntryId == entry.Id).OrderBy(a => a.Order).ToListAsync(ct);
        return View("/Council/Contests/ContestShowcaseOrigin.cshtml", new ContestShowcaseOrigin(contest, entry, awards));
    }
}
