using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace OpenGov.Council.Contests.Pages;

/// <summary>
/// /council/contests/{slug}/edit: the secretariat changes the call and the rubric. Once a judge has scored, the rubric's
/// lines and max scores are locked (the form says why); weights and descriptions may still change.
/// </summary>
public sealed class EditContestModel(ContestQueries queries, ContestEditor editor, CouncilAccess access, IStringLocalizer<CouncilText> text) : ContestFormPage(access, text)
{
    public Contest Contest { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        if (!await LoadAsync(slug, ct))
        {
            return NotFound();
        }

        var ceremony = await queries.CeremonyAsync(Contest, ct);
        Input = ContestForm.From(Contest, ceremony?.Slug, await queries.JudgeNamesAsync(Contest, ct));
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string slug, CancellationToken ct)
    {
        if (!await LoadAsync(slug, ct))
        {
            return NotFound();
        }

        Input.Slug = slug;
        return await TryWriteAsync(
            async () =>
            {
                await editor.UpdateAsync(slug, Input.ToInput(), ct);
                return Redirect($"/council/contests/{slug}?saved=1");
            },
            () => Task.CompletedTask);
    }

    private async Task<bool> LoadAsync(string slug, CancellationToken ct)
    {
        var c = await queries.FindAsync(slug, ct);
        if (c is null)
        {
            return false;
        }

        Contest = c;
        RubricFixed = await editor.ScoringStartedAsync(c, ct);
        return true;
    }
}
