using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenGov.Ckan;

namespace OpenGov.Harvest.Pages;

/// <summary>
/// /harvest/{name}: one source, its jobs (newest first) with their counts, reasons and object errors, and for
/// sysadmins and the council secretariat a button that runs it now (harvest_job_create).
/// </summary>
public sealed class SourceModel(HarvestSources sources) : PageModel
{
    public HarvestSourceDict Source { get; private set; } = null!;

    public List<HarvestJobDict> Jobs { get; } = [];

    public bool CanManage { get; private set; }

    public bool CanReadJobs { get; private set; }

    /// <summary>Why the run was refused (already running, inactive), in the user's language.</summary>
    public string? RunError { get; private set; }

    [BindProperty]
    public bool Full { get; set; }

    public async Task<IActionResult> OnGetAsync(string name, CancellationToken ct) =>
        await LoadAsync(name, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostRunAsync(string name, CancellationToken ct)
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
            await sources.CreateJobAsync(name, Full, ct);
            return Redirect("/harvest/" + Uri.EscapeDataString(name));
        }
        catch (CkanException e) when (e.Status == 404)
        {
            return NotFound();
        }
        catch (CkanException e) when (e.Status == 409)
        {
            RunError = HarvestText.Localize(e.Fields?.Values.SelectMany(m => m).FirstOrDefault() ?? e.Message);
            Response.StatusCode = 409;
            return await LoadAsync(name, ct) ? Page() : NotFound();
        }
    }

    private async Task<bool> LoadAsync(string name, CancellationToken ct)
    {
        if (await sources.FindAsync(name, ct) is not { } source)
        {
            return false;
        }

        Source = await sources.ToDictAsync(source, ct);
        CanManage = await sources.Auth.CanManageAsync(ct);
        CanReadJobs = await sources.Auth.CanReadJobsAsync(source, ct);
        if (CanReadJobs)
        {
            foreach (var j in await sources.JobsAsync(source.Id, null, 20, ct))
            {
                Jobs.Add(await sources.JobDictAsync(j, ct));
            }
        }

        return true;
    }
}
