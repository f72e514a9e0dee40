using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using OpenGov.Accounts;
using OpenGov.Ckan;
using OpenGov.Hosting;
using OpenGov.Storage;

namespace OpenGov.Catalog.Editing.Pages;

/// <summary>/dataset/{id}/resource/new: a file upload or a link (the same ResourceEditor as resource_create).</summary>
[Authorize]
[RequestFormLimits(MultipartBodyLengthLimit = long.MaxValue)]
public sealed class ResourceNewModel(ResourceEditor editor, CatalogReader reader, CurrentUser user, IOptions<OpenGovOptions> options) : PageModel
{
    private static readonly IReadOnlyDictionary<string, string> FieldIds = new Dictionary<string, string>
    {
        ["upload"] = "field-upload",
        ["url"] = "field-url",
        ["name"] = "field-rname",
        ["description"] = "field-description",
        ["format"] = "field-format",
    };

    [BindProperty(SupportsGet = true, Name = "id")]
    public string RouteId { get; set; } = "";

    [BindProperty]
    public IFormFile? Upload { get; set; }

    [BindProperty]
    public string? LinkUrl { get; set; }

    [BindProperty]
    public string? ResourceName { get; set; }

    [BindProperty]
    public string? Description { get; set; }

    [BindProperty]
    public string? Format { get; set; }

    public PackageDict? Dataset { get; private set; }

    public FormErrors Errors { get; } = new();

    public long MaxUploadBytes => options.Value.MaxUploadBytes;

    private async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        var d = await reader.LoadAsync(RouteId, ct);
        if (d is null || d.State == RecordState.Deleted)
        {
            return NotFound();
        }

        if (!await user.CanEditDatasetsAsync(d.OwnerOrgId, ct) || d.HarvestSourceId is not null)
        {
            return StatusCode(StatusCodes.Status403Forbidden); // a harvested dataset changes only at its source
        }

        Dataset = await reader.ShowPackageAsync(d.Id, ct);
        return null;
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ?? Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } stop)
        {
            return stop;
        }

        var file = Upload is { Length: > 0 } ? Upload : null;
        if (file is null && string.IsNullOrWhiteSpace(LinkUrl))
        {
            Errors.Add("upload", "field-upload", EditingText.Localize("Upload a file or give a URL"));
            return Invalid();
        }

        var data = new JsonObject
        {
            ["package_id"] = Dataset!.Id,
            ["url"] = file is null ? LinkUrl?.Trim() ?? "" : "",
            ["name"] = ResourceName ?? "",
            ["description"] = Description ?? "",
            ["format"] = Format ?? "",
        };
        try
        {
            await editor.CreateAsync(data, file, ct);
        }
        catch (CkanException e) when (e.Status is 409 or 404)
        {
            Errors.AddFrom(e, FieldIds, "field-upload");
            return Invalid();
        }
        catch (StorageFullException)
        {
            Errors.Add("upload", "field-upload", EditingText.Localize(StorageFullException.MessageEnglish));
            Response.StatusCode = StatusCodes.Status507InsufficientStorage;
            return Page();
        }

        var target = $"/dataset/{Dataset.Name}";
        if (Request.Headers["X-Requested-With"] == "XMLHttpRequest")
        {
            return new JsonResult(new { redirect = target });
        }

        return Redirect(target);
    }

    private PageResult Invalid()
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
