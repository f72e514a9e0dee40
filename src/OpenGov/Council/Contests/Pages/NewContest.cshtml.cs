using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace OpenGov.Council.Contests.Pages;

/// <summary>/council/contests/new: the secretariat opens a contest (its call and rubric).</summary>
public sealed class NewContestModel(ContestEditor editor, CouncilAccess access, IStringLocalizer<CouncilText> text) : ContestFormPage(access, text)
{
    public IActionResult OnGet()
    {
        var today = ContestText.ToJst(DateTime.UtcNow).Date;
        Input = new ContestForm
        {
            Kind = ContestKinds.Idea,
            Opens = today.ToString("yyyy-MM-dd'T'00:00", System.Globalization.CultureInfo.InvariantCulture),
        };
        return Page();
    }

    public Task<IActionResult> OnPostAsync(CancellationToken ct) => TryWriteAsync(
        async () =>
        {
            var c = await editor.CreateAsync(Input.ToInput(), ct);
            return Redirect($"/council/contests/{c.Slug}?saved=1");
        },
        () => Task.CompletedTask);
}
