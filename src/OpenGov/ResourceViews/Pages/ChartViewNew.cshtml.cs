using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using OpenGov.Accounts;
using OpenGov.Catalog;
using OpenGov.Catalog.Editing.Pages;
using OpenGov.Ckan;
using OpenGov.DataStore;
using OpenGov.DataStore.Api;

namespace OpenGov.ResourceViews;

/// <summary>
/// /dataset/{name}/resource/{id}/view/new: an editor adds a chart view, picking its kind and the columns among the
/// table's fields (a plain form, no script); saved by the same <see cref="ResourceViewEditor"/> as resource_view_create.
/// </summary>
[Authorize]
public sealed class ChartViewNewModel(ResourceViewEditor editor, DataStoreAccess access, DataStoreAggregates aggregates, CurrentUser user, IStringLocalizer<ResourceViewsText> text) : PageModel
{
    private static readonly IReadOnlyDictionary<string, string> FieldIds = new Dictionary<string, string>
    {
        ["title"] = "field-title",
        [ChartConfig.TypeKey] = "field-chart-type-" + ChartConfig.CountPerDay,
        [ChartConfig.DateKey] = "field-date",
        [ChartConfig.ValueKey] = "field-value",
        [ChartConfig.CategoryKey] = "field-category",
    };

    [BindProperty(SupportsGet = true, Name = "name")]
    public string DatasetRoute { get; set; } = "";

    [BindProperty(SupportsGet = true, Name = "id")]
    public string ResourceId { get; set; } = "";

    [BindProperty]
    public string? Title { get; set; }

    [BindProperty]
    public string ChartType { get; set; } = ChartConfig.CountPerDay;

    [BindProperty]
    public string? DateColumn { get; set; }

    [BindProperty]
    public string? ValueColumn { get; set; }

    [BindProperty]
    public string? CategoryColumn { get; set; }

    public Resource Resource { get; private set; } = null!;

    public Dataset Dataset { get; private set; } = null!;

    /// <summary>The table's columns (without the internal _id).</summary>
    public IReadOnlyList<DsField> Fields { get; private set; } = [];

    public FormErrors Errors { get; } = new();

    public string ResourceUrl => $"/dataset/{Uri.EscapeDataString(Dataset.Name)}/resource/{Resource.Id}";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ?? Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } stop)
        {
            return stop;
        }

        var columns = new Dictionary<string, string?>
        {
            [ChartConfig.DateKey] = DateColumn,
            [ChartConfig.ValueKey] = ValueColumn,
            [ChartConfig.CategoryKey] = CategoryColumn,
        };
        var data = new JsonObject
        {
            ["resource_id"] = Resource.Id,
            ["view_type"] = ResourceViewTypes.Chart,
            ["title"] = Title ?? "",
            [ChartConfig.TypeKey] = ChartType,
        };
        foreach (var key in ChartConfig.Needs(ChartType))
        {
            data[key] = columns[key] ?? "";
        }

        try
        {
            var view = await editor.CreateAsync(data, ct);
            return Redirect(ResourceUrl + "#view-" + view["id"]);
        }
        catch (CkanException e) when (e.Status is 409 or 404)
        {
            if (e.Fields is not null)
            {
                foreach (var (field, messages) in e.Fields)
                {
                    var id = FieldIds.GetValueOrDefault(field, "field-title");
                    foreach (var m in messages)
                    {
                        Errors.Add(field, id, m == "Missing value" ? text[field == "title" ? "タイトルを入力してください。" : "列を選んでください。"] : m);
                    }
                }
            }
            else
            {
                Errors.Add("", "field-title", e.Message);
            }

            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
    }

    private async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        if (await access.FindAsync(ResourceId, ct) is not { } f || f.Dataset.Name != DatasetRoute && f.Dataset.Id != DatasetRoute || !await access.CanReadAsync(f.Dataset, ct))
        {
            return NotFound();
        }

        if (!await user.CanEditDatasetsAsync(f.Dataset.OwnerOrgId, ct) || f.Dataset.HarvestSourceId is not null)
        {
            return StatusCode(StatusCodes.Status403Forbidden); // a harvested dataset changes only at its source
        }

        Resource = f.Resource;
        Dataset = f.Dataset;
        var fields = await aggregates.FieldsAsync(ResourceId, ct);
        if (fields is null)
        {
            return NotFound();
        }

        Fields = fields.Where(x => x.Id != "_id").ToList();
        return null;
    }
}
