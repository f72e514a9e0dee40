using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace OpenGov.Council.Contests.Pages;

/// <summary>/council/contests/{slug}/results: awards, the ranking by weighted score (once judging closes), the audience vote.</summary>
public sealed class ResultsModel(ContestQueries queries, IStringLocalizer<CouncilText> text) : ContestsPageModel(text)
{
    public ContestQueries.Results Results { get; private set; } = null!;

    public ContestViews.ResultsView View { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        var c = await queries.FindAsync(slug, ct);
        if (c is null)
        {
            return NotFound();
        }

        Results = await queries.ResultsAsync(c, ct);
        View = ContestViews.Results(Results);
        return Page();
    }
}
