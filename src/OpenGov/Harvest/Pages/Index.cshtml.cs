using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OpenGov.Catalog;
using OpenGov.Catalog.Editing.Pages;
using OpenGov.Ckan;
using OpenGov.Storage;

namespace OpenGov.Harvest.Pages;

/// <summary>
/// /harvest: every harvest source with its last job; for sysadmins and the council secretariat, the form that
/// registers a source (harvest_source_create's checks, errors next to the fields).
/// </summary>
public sealed class IndexModel(HarvestSources sources, OpenGovDb db) : PageModel
{
    [BindProperty]
    public string Title { get; set; } = "";

    [BindProperty]
    public string Name { get; set; } = "";

    [BindProperty(Name = "Url")]
    public string SourceUrl { get; set; } = "";

    [BindProperty]
    public string OwnerOrg { get; set; } = "";

    [BindProperty]
    public string Frequency { get; set; } = HarvestFrequency.Manual;

    [BindProperty]
    public string Notes { get; set; } = "";

    [BindProperty]
    public string SourceType { get; set; } = HarvestFrequency.CkanType;

    public List<HarvestSourceDict> Sources { get; } = [];

    public List<Organization> Organizations { get; private set; } = [];

    public bool CanManage { get; private set; }

    public FormErrors Errors { get; } = new();

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!sources.Auth.User.IsAuthenticated)
        {
            return Challenge();
        }

        if (!await sources.Auth.CanManageAsync(ct))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        try
        {
            var s = await sources.CreateAsync(new JsonObject
            {
                ["name"] = Name.Trim(),
                ["title"] = Title.Trim(),
                ["url"] = SourceUrl.Trim(),
                ["source_type"] = SourceType,
                ["frequency"] = Frequency,
                ["owner_org"] = OwnerOrg,
                ["notes"] = Notes,
            }, ct);
            return Redirect("/harvest/" + Uri.EscapeDataString(s.Name));
        }
        catch (CkanException e) when (e.Status == 409)
        {
            foreach (var (field, messages) in e.Fields ?? new Dictionary<string, List<string>> { ["name"] = [e.Message] })
            {
                foreach (var m in messages)
                {
                    Errors.Add(field, "field-" + field.Replace('_', '-'), HarvestText.Localize(m));
                }
            }

            Response.StatusCode = 422;
            await LoadAsync(ct);
            return Page();
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        foreach (var s in await sources.ListAsync(null, ct))
        {
            Sources.Add(await sources.ToDictAsync(s, ct));
        }

        CanManage = await sources.Auth.CanManageAsync(ct);
        if (CanManage)
        {
            Organizations = await db.Organizations.AsNoTracking().Where(o => o.State == RecordState.Active).OrderBy(o => o.Title).ToListAsync(ct);
        }
    }
}
