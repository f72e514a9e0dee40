using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using OpenGov.Catalog;

namespace OpenGov.Showcases.Pages;

/// <summary>/showcase/edit/{name}: change a showcase and the datasets it uses, or delete it.</summary>
public sealed class EditModel(ShowcaseAuth auth, ShowcaseEditor editor, ShowcaseQueries queries, CatalogReader catalog, IStringLocalizer<ShowcasesText> text)
    : ShowcaseFormPage(auth, text)
{
    public override bool IsNew => false;

    /// <summary>The name the showcase has now (the form may rename it).</summary>
    public string CurrentName { get; private set; } = "";

    [BindProperty]
    public bool ConfirmDelete { get; set; }

    public bool DeleteRefused { get; private set; }

    public async Task<IActionResult> OnGetAsync([FromRoute] string name, CancellationToken ct)
    {
        if (await DenyAsync(ct) is { } denied)
        {
            return denied;
        }

        if (await LoadAsync(name, ct) is not { } s)
        {
            return NotFound();
        }

        Fill(s);
        Keep = [.. Linked.Select(d => d.Name)];
        return Page();
    }

    public async Task<IActionResult> OnPostAsync([FromRoute] string name, CancellationToken ct)
    {
        if (await DenyAsync(ct) is { } denied)
        {
            return denied;
        }

        if (await LoadAsync(name, ct) is not { } s)
        {
            return NotFound();
        }

        return await TryWriteAsync(async () =>
        {
            var data = ToDict();
            data["id"] = s.Id;
            var saved = await editor.UpdateAsync(data, patch: false, ct, DatasetRefs());
            return Redirect("/showcase/" + Uri.EscapeDataString(saved.Name));
        });
    }

    public async Task<IActionResult> OnPostDeleteAsync([FromRoute] string name, CancellationToken ct)
    {
        if (await DenyAsync(ct) is { } denied)
        {
            return denied;
        }

        if (await LoadAsync(name, ct) is not { } s)
        {
            return NotFound();
        }

        if (!ConfirmDelete)
        {
            Fill(s);
            Keep = [.. Linked.Select(d => d.Name)];
            DeleteRefused = true;
            Response.StatusCode = 422;
            return Page();
        }

        return await TryWriteAsync(async () =>
        {
            await editor.DeleteAsync(new JsonObject { ["id"] = s.Id }, ct);
            return Redirect("/showcase");
        });
    }

    private async Task<Showcase?> LoadAsync(string name, CancellationToken ct)
    {
        var s = await queries.FindAsync(name, ct);
        if (s is not null)
        {
            CurrentName = s.Name;
            Linked = await catalog.ToDictsAsync(await queries.DatasetsOfAsync(s.Id, ct), ct);
        }

        return s;
    }
}
