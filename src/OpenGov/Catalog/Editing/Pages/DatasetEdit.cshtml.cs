using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OpenGov.Accounts;
using OpenGov.Ckan;
using OpenGov.Storage;

namespace OpenGov.Catalog.Editing.Pages;

/// <summary>/dataset/edit/{name}: changes the form's fields only (package_patch), keeping resources, groups and extras.</summary>
[Authorize]
public sealed class DatasetEditModel(OpenGovDb db, CurrentUser user, PackageEditor editor, CatalogReader reader) : DatasetFormPage(db, user)
{
    public override bool IsNew => false;

    [BindProperty(SupportsGet = true, Name = "id")]
    public string RouteName { get; set; } = "";

    public PackageDict? Dataset { get; private set; }

    [BindProperty]
    public bool ConfirmDelete { get; set; }

    private async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        var d = await reader.LoadAsync(RouteName, ct);
        if (d is null || d.State == RecordState.Deleted)
        {
            return NotFound();
        }

        if (!await Current.CanEditDatasetsAsync(d.OwnerOrgId, ct))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        Dataset = await reader.ShowPackageAsync(d.Id, ct);
        await LoadOrganizationsAsync(ct);
        if (d.HarvestSourceId is { } source)
        {
            // read-only here: the form shows why (in the user's language) and saves nothing
            Fill(Dataset!);
            Errors.Add("", "field-title", EditingText.Localize(new HarvestedDatasetException(d.Name, source, "edit package " + d.Id).Message));
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }

        return null;
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } stop)
        {
            return stop;
        }

        Fill(Dataset!);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } stop)
        {
            return stop;
        }

        var data = ToDict();
        data["id"] = Dataset!.Id;
        try
        {
            var updated = await editor.UpdateAsync(data, patch: true, ct);
            return Redirect($"/dataset/{updated.Name}");
        }
        catch (CkanException e) when (e.Status is 409 or 404)
        {
            AddErrors(e);
            return Invalid();
        }
    }

    public async Task<IActionResult> OnPostDeleteAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } stop)
        {
            return stop;
        }

        if (!ConfirmDelete)
        {
            Fill(Dataset!);
            Errors.Add("confirm", "field-confirm-delete", EditingText.Localize("Confirm the deletion"));
            return Invalid();
        }

        await editor.DeleteAsync(Dataset!.Id, ct);
        return Redirect("/dashboard/datasets");
    }
}
