using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using OpenGov.Catalog;
using OpenGov.Catalog.Editing.Pages;
using OpenGov.Ckan;

namespace OpenGov.Showcases.Pages;

/// <summary>
/// What the new and edit forms share: the fields, the datasets used (ticked ones kept, new ones by URL name, one a
/// line), and CKAN's validation errors shown in the user's language next to their fields. Writes go through
/// <see cref="ShowcaseEditor"/>, the same checks as the API.
/// </summary>
public abstract class ShowcaseFormPage(ShowcaseAuth auth, IStringLocalizer<ShowcasesText> text) : PageModel
{
    [BindProperty]
    public string Title { get; set; } = "";

    [BindProperty]
    public string Name { get; set; } = "";

    /// <summary>The app's URL (field "Url"; PageModel.Url is the URL helper).</summary>
    [BindProperty(Name = "Url")]
    public string AppUrl { get; set; } = "";

    [BindProperty]
    public string ImageUrl { get; set; } = "";

    [BindProperty]
    public string Notes { get; set; } = "";

    [BindProperty]
    public string Author { get; set; } = "";

    [BindProperty]
    public string TagString { get; set; } = "";

    /// <summary>Datasets already used that stay ticked (names).</summary>
    [BindProperty]
    public List<string> Keep { get; set; } = [];

    /// <summary>More datasets by URL name or id, one a line.</summary>
    [BindProperty]
    public string AddDatasets { get; set; } = "";

    /// <summary>The datasets offered as ticked boxes (those in use).</summary>
    public List<PackageDict> Linked { get; protected set; } = [];

    public FormErrors Errors { get; } = new();

    public abstract bool IsNew { get; }

    /// <summary>Not logged in: the login page; logged in without the right: 403.</summary>
    protected async Task<IActionResult?> DenyAsync(CancellationToken ct) =>
        !auth.User.IsAuthenticated ? Challenge() : await auth.CanManageAsync(ct) ? null : StatusCode(StatusCodes.Status403Forbidden);

    protected JsonObject ToDict() => new()
    {
        ["name"] = Name.Trim(),
        ["title"] = Title.Trim(),
        ["url"] = AppUrl.Trim(),
        ["image_url"] = ImageUrl.Trim(),
        ["notes"] = Notes,
        ["author"] = Author.Trim(),
        ["tag_string"] = TagString,
    };

    protected List<string> DatasetRefs() =>
        [.. Keep, .. AddDatasets.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    protected void Fill(Showcase s)
    {
        Title = s.Title;
        Name = s.Name;
        AppUrl = s.Url;
        ImageUrl = s.ImageUrl;
        Notes = s.Notes;
        Author = s.Author;
        TagString = string.Join(", ", ShowcaseTags.Split(s.Tags));
    }

    /// <summary>Runs a write; on CKAN's validation errors shows the form again with them (nothing was saved).</summary>
    protected async Task<IActionResult> TryWriteAsync(Func<Task<IActionResult>> write)
    {
        try
        {
            return await write();
        }
        catch (CkanException e) when (e.Status == 409)
        {
            foreach (var (field, messages) in e.Fields ?? new Dictionary<string, List<string>> { ["name"] = [e.Message] })
            {
                foreach (var m in messages)
                {
                    Errors.Add(field, FieldId(field), ShowcasesText.Localize(text, m));
                }
            }

            Response.StatusCode = 422;
            return Page();
        }
        catch (CkanException e) when (e.Status == 404)
        {
            return NotFound();
        }
        catch (CkanException e) when (e.Status == 403)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }
    }

    public static string FieldId(string field) => field switch
    {
        "image_url" => "field-image",
        "tags" => "field-tags",
        "datasets" => "field-add-datasets",
        _ => "field-" + field,
    };
}
