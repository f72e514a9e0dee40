using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using OpenGov.Catalog;

namespace OpenGov.Showcases.Pages;

/// <summary>/showcase/new: a sysadmin or showcase admin adds a showcase (?dataset=NAME starts with that dataset).</summary>
public sealed class NewModel(ShowcaseAuth auth, ShowcaseEditor editor, CatalogReader catalog, IStringLocalizer<ShowcasesText> text) : ShowcaseFormPage(auth, text)
{
    public override bool IsNew => true;

    public async Task<IActionResult> OnGetAsync([FromQuery] string? dataset, CancellationToken ct)
    {
        if (await DenyAsync(ct) is { } denied)
        {
            return denied;
        }

        if (!string.IsNullOrWhiteSpace(dataset) && await catalog.LoadAsync(dataset.Trim(), ct) is { } d && await catalog.CanSeeAsync(d, ct))
        {
            AddDatasets = d.Name;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct) =>
        await DenyAsync(ct) ?? await TryWriteAsync(async () =>
        {
            var s = await editor.CreateAsync(ToDict(), ct, DatasetRefs());
            return Redirect("/showcase/" + Uri.EscapeDataString(s.Name));
        });
}
