using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OpenGov.Accounts;
using OpenGov.Ckan;
using OpenGov.Storage;

namespace OpenGov.Catalog.Editing.Pages;

/// <summary>/dataset/new: a publisher creates a dataset (the same PackageEditor as package_create).</summary>
[Authorize]
public sealed class DatasetNewModel(OpenGovDb db, CurrentUser user, PackageEditor editor) : DatasetFormPage(db, user)
{
    public override bool IsNew => true;

    /// <summary>"resource" when the publisher wants to add a file next.</summary>
    [BindProperty]
    public string? Next { get; set; }

    public async Task<IActionResult> OnGetAsync(string? organization, CancellationToken ct)
    {
        await LoadOrganizationsAsync(ct);
        if (Organizations.Count == 0)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }

        OwnerOrg = Organizations.FirstOrDefault(o => o.Name == organization || o.Id == organization)?.Id ?? (Organizations.Count == 1 ? Organizations[0].Id : null);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadOrganizationsAsync(ct);
        try
        {
            var created = await editor.CreateAsync(ToDict(), ct);
            return Redirect(Next == "resource" ? $"/dataset/{created.Name}/resource/new" : $"/dataset/{created.Name}");
        }
        catch (CkanException e) when (e.Status == 409 || e.Status == 404)
        {
            AddErrors(e);
            return Invalid();
        }
        catch (CkanException e) when (e.Status == 403)
        {
            Errors.Add("owner_org", "field-org", EditingText.Localize("You cannot add a dataset to this organization"));
            return Invalid();
        }
    }
}
