using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace OpenGov.Council.Contests.Pages;

/// <summary>/council/contests/mine: the user's entries in every contest, with their state.</summary>
public sealed class MineModel(ContestQueries queries, CouncilAccess access, IStringLocalizer<CouncilText> text) : ContestsPageModel(text)
{
    public List<(Contest Contest, ContestEntry Entry)> Entries { get; private set; } = [];

    public long? Saved { get; private set; }

    public async Task<IActionResult> OnGetAsync(long? saved, CancellationToken ct)
    {
        if (!access.User.IsAuthenticated)
        {
            return Challenge();
        }

        Saved = saved;
        Entries = await queries.MineAsync(ct);
        return Page();
    }
}
