using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace OpenGov.Showcases.Pages;

/// <summary>/showcase: every showcase, searchable by text.</summary>
public sealed class IndexModel(ShowcaseQueries queries, ShowcaseAuth auth, ShowcaseHistory history) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    public List<ShowcaseDict> Showcases { get; private set; } = [];

    public bool CanManage { get; private set; }

    /// <summary>A sysadmin: the page links the showcase admins and their history.</summary>
    public bool SeesAdmins => history.MayReadAdminHistory;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Query = Query?.Trim();
        if (Query is { Length: > 200 })
        {
            Query = Query[..200];
        }

        Showcases = await queries.ToDictsAsync(await queries.SearchAsync(Query, ct), ct);
        CanManage = await auth.CanManageAsync(ct);
    }
}
