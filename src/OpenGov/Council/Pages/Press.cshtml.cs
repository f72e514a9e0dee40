using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace OpenGov.Council.Pages;

/// <summary>/council/press/{slug}: the 記者発表資料 of an event, as a page (the .docx is beside it).</summary>
public sealed class PressModel(PressReleaseBuilder builder, IStringLocalizer<CouncilText> text) : CouncilPageModel(text)
{
    public PressRelease Release { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        var r = await builder.BuildAsync(slug, ct);
        if (r is null)
        {
            return NotFound();
        }

        Release = r;
        return Page();
    }
}
