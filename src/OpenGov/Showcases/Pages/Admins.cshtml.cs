using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace OpenGov.Showcases.Pages;

/// <summary>
/// /showcase/admins: the showcase admins and the history of the list (who added or removed whom, when), for
/// sysadmins, who alone manage the list (ckanext_showcase_admin_add/_remove); others 403, anonymous to the login.
/// </summary>
public sealed class AdminsModel(ShowcaseAdmins admins, ShowcaseHistory history) : PageModel
{
    public List<ShowcaseAdmins.AdminDict> Admins { get; private set; } = [];

    public HistoryView History { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync([FromQuery] int page, CancellationToken ct)
    {
        if (User.Identity?.IsAuthenticated != true)
        {
            return Challenge();
        }

        if (!history.MayReadAdminHistory)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        Admins = await admins.ListAsync(ct);
        var count = await history.CountAdminChangesAsync(ct);
        var pages = Math.Max(1, (count + ShowcaseHistory.PageSize - 1) / ShowcaseHistory.PageSize);
        var shown = Math.Clamp(page, 1, pages);
        History = new HistoryView(await history.AdminChangesAsync((shown - 1) * ShowcaseHistory.PageSize, ShowcaseHistory.PageSize, ct), shown, pages, "/showcase/admins", null);
        return Page();
    }
}
