using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OpenGov.Accounts;
using OpenGov.Ckan;
using OpenGov.Storage;

namespace OpenGov.Catalog.Editing.Pages;

/// <summary>The dataset form shared by /dataset/new and /dataset/edit/{name}.</summary>
public abstract class DatasetFormPage(OpenGovDb db, CurrentUser user) : PageModel
{
    public static readonly IReadOnlyDictionary<string, string> FieldIds = new Dictionary<string, string>
    {
        ["title"] = "field-title",
        ["name"] = "field-name",
        ["notes"] = "field-notes",
        ["tags"] = "field-tags",
        ["license_id"] = "field-license",
        ["owner_org"] = "field-org",
        ["private"] = "field-private",
        ["url"] = "field-url",
    };

    [BindProperty]
    public string? Title { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Notes { get; set; }

    [BindProperty]
    public string? TagString { get; set; }

    [BindProperty]
    public string? LicenseId { get; set; } = "cc-by-4.0";

    [BindProperty]
    public string? OwnerOrg { get; set; }

    [BindProperty]
    public string? SourceUrl { get; set; }

    [BindProperty]
    public bool Private { get; set; }

    public FormErrors Errors { get; } = new();

    public IReadOnlyList<Organization> Organizations { get; private set; } = [];

    public abstract bool IsNew { get; }

    protected OpenGovDb Db => db;

    protected CurrentUser Current => user;

    /// <summary>Organizations the user may publish in (CurrentUser.EditableOrganizationIdsAsync), by title.</summary>
    protected async Task LoadOrganizationsAsync(CancellationToken ct)
    {
        var ids = await user.EditableOrganizationIdsAsync(ct);
        var list = await db.Organizations.AsNoTracking().Where(o => ids.Contains(o.Id) && o.State == RecordState.Active).ToListAsync(ct);
        Organizations = [.. list.OrderBy(o => o.Title, StringComparer.Ordinal)];
    }

    /// <summary>The form as a CKAN data dict: exactly what the API would receive.</summary>
    protected JsonObject ToDict() => new()
    {
        ["title"] = Title ?? "",
        ["name"] = (Name ?? "").Trim(),
        ["notes"] = Notes ?? "",
        ["tags"] = new JsonArray([.. (TagString ?? "").Split([',', '、', '，'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Distinct(StringComparer.Ordinal).Select(t => (JsonNode?)new JsonObject { ["name"] = t })]),
        ["license_id"] = LicenseId ?? "",
        ["owner_org"] = OwnerOrg ?? "",
        ["url"] = SourceUrl ?? "",
        ["private"] = Private,
    };

    protected void Fill(PackageDict d)
    {
        Title = d.Title;
        Name = d.Name;
        Notes = d.Notes;
        TagString = string.Join(", ", d.Tags.Select(t => t.Name));
        LicenseId = d.LicenseId;
        OwnerOrg = d.OwnerOrg;
        SourceUrl = d.Url;
        Private = d.Private;
    }

    protected void AddErrors(CkanException e) => Errors.AddFrom(e, FieldIds, "field-title");

    /// <summary>A page result with the 400 status a failed post deserves.</summary>
    protected PageResult Invalid()
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
