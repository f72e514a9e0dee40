using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using OpenGov.Accounts;
using OpenGov.Storage;

namespace OpenGov.DataStore;

/// <summary>What the DataStore panel shows for one resource.</summary>
public sealed class DataStorePanelModel
{
    public required string ResourceId { get; init; }
    public required string DatasetName { get; init; }
    public bool Tabular { get; init; }
    public bool CanEdit { get; init; }
    public DataStoreJob? Job { get; init; }
    public JsonObject? Detected { get; init; }
    public JsonArray Log { get; init; } = [];
    public JsonObject? Validation { get; init; }
    public LoadOverrides Options { get; init; } = new();
    public bool HasTable { get; init; }
    public long RowCount { get; init; }
    public IReadOnlyList<DsField> Fields { get; init; } = [];

    public int Percent => Job is null ? 0 : DataStoreActions.JobPercent(Job.State == JobState.Complete, Job.BytesRead, Job.TotalBytes);

    public string PreviewUrl => $"/dataset/{Uri.EscapeDataString(DatasetName)}/resource/{ResourceId}/data";
}

/// <summary>
/// The DataStore part of a resource page (load state, progress bar, validation report, preview and downloads).
/// The resource page renders <c>&lt;vc:data-store-panel resource-id="..."&gt;</c>; the DataStore feature owns what it shows.
/// With <c>placement</c> "top" it shows only while a load is pending or running (the page puts it first), with "below"
/// only when no load runs, so that a running load sits at the top of the page and the panel is shown once.
/// </summary>
public sealed class DataStorePanelViewComponent(OpenGovDb db, DataStoreAccess access, DataStoreStorage storage, CurrentUser user) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(string resourceId, string? placement = null)
    {
        var ct = HttpContext.RequestAborted;
        if (placement is "top" or "below")
        {
            var running = await db.Set<DataStoreJob>().AsNoTracking().Where(j => j.ResourceId == resourceId).OrderByDescending(j => j.Created)
                .Select(j => j.State).FirstOrDefaultAsync(ct) is JobState.Pending or JobState.Running;
            if (running != (placement == "top"))
            {
                return Content("");
            }
        }

        var found = await access.FindAsync(resourceId, ct);
        if (found is not { } f || !await access.CanReadAsync(f.Dataset, ct))
        {
            return Content("");
        }

        var job = await db.Set<DataStoreJob>().AsNoTracking().Where(j => j.ResourceId == resourceId).OrderByDescending(j => j.Created).FirstOrDefaultAsync(ct);
        var state = await db.Set<DataStoreResource>().AsNoTracking().FirstOrDefaultAsync(s => s.ResourceId == resourceId, ct);
        var table = await storage.GetTableAsync(resourceId, ct);
        long count = 0;
        if (table is not null)
        {
            count = await storage.ReadAsync(resourceId, async (c, tx, t) =>
            {
                await using var cmd = c.CreateCommand();
                cmd.Transaction = tx;
                cmd.CommandText = $"SELECT count(*) FROM {storage.Table(resourceId)}";
                return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
            }, ct);
        }

        var tabular = DataStoreLoader.IsTabular(f.Resource);
        if (!tabular && table is null)
        {
            return Content("");
        }

        var model = new DataStorePanelModel
        {
            ResourceId = resourceId,
            DatasetName = f.Dataset.Name,
            Tabular = tabular,
            CanEdit = await user.CanEditDatasetsAsync(f.Dataset.OwnerOrgId, ct),
            Job = job,
            Detected = job is null ? null : JsonNode.Parse(job.DetectedJson) as JsonObject,
            Log = job is null ? [] : JsonNode.Parse(job.LogJson) as JsonArray ?? [],
            Validation = state?.ValidationJson is { } v ? JsonNode.Parse(v) as JsonObject : null,
            Options = LoadOverrides.Parse(state?.OptionsJson),
            HasTable = table is not null,
            RowCount = count,
            Fields = table?.Fields ?? [],
        };
        return View("/DataStore/DataStorePanel.cshtml", model);
    }
}
