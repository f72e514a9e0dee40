using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenGov.Accounts;
using OpenGov.Catalog;
using OpenGov.Ckan;
using OpenGov.Hosting;
using OpenGov.Storage;

namespace OpenGov.DataStore;

/// <summary>The CKAN DataStore actions about a table and its loads: datastore_info, datastore_load, job and validation reports.</summary>
public static partial class DataStoreActions
{
    /// <summary>
    /// A job's percent: the bytes of the file read so far of its size, 100 only when complete (reading ends before
    /// indexes and the swap, so a running job shows at most 99).
    /// </summary>
    public static int JobPercent(bool complete, long bytesRead, long totalBytes) =>
        complete ? 100 : totalBytes > 0 ? (int)Math.Clamp(bytesRead * 100 / totalBytes, 0, 99) : 0;

    // ---- info ----

    private static async Task<IResult> Info(CkanRequest req, DataStoreAccess access, DataStoreStorage storage, OpenGovDb db, CancellationToken ct)
    {
        var resourceId = ResourceIdParam(req);
        await access.ReadableAsync(resourceId, ct);
        var result = await storage.ReadAsync(resourceId, async (c, tx, t) =>
        {
            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = $"SELECT count(*) FROM {storage.Table(resourceId)}";
            var count = Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
            return new JsonObject
            {
                ["meta"] = new JsonObject { ["id"] = resourceId, ["count"] = count, ["table_type"] = "BASE TABLE", ["aliases"] = new JsonArray(), ["primary_key"] = new JsonArray([.. t.PrimaryKey.Select(k => (JsonNode)k)]) },
                ["fields"] = FieldsJson(t.Fields, withId: false),
            };
        }, ct) ?? throw CkanException.NotFound($"Resource \"{resourceId}\" has no DataStore table");
        var job = await db.Set<DataStoreJob>().AsNoTracking().Where(j => j.ResourceId == resourceId).OrderByDescending(j => j.Created).FirstOrDefaultAsync(ct);
        if (job is not null)
        {
            result["load"] = JobJson(job, withLog: false);
        }

        var state = await db.Set<DataStoreResource>().AsNoTracking().FirstOrDefaultAsync(s => s.ResourceId == resourceId, ct);
        if (state?.ValidationJson is { } v)
        {
            result["validation"] = JsonNode.Parse(v);
        }

        return CkanApi.Ok(req, result);
    }

    internal static JsonObject JobJson(DataStoreJob job, bool withLog)
    {
        var o = new JsonObject
        {
            ["id"] = job.Id,
            ["resource_id"] = job.ResourceId,
            ["status"] = job.State,
            ["created"] = job.Created.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
            ["started"] = job.Started?.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
            ["finished"] = job.Finished?.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
            ["rows_read"] = job.RowsRead,
            ["bytes_read"] = job.BytesRead,
            ["total_bytes"] = job.TotalBytes,
            ["percent"] = JobPercent(job.State == JobState.Complete, job.BytesRead, job.TotalBytes),
            ["detected"] = JsonNode.Parse(job.DetectedJson),
            ["error"] = job.Error,
        };
        if (withLog)
        {
            o["log"] = JsonNode.Parse(job.LogJson);
        }

        return o;
    }

    // ---- load jobs ----

    private static async Task<IResult> Load(CkanRequest req, DataStoreAccess access, IDataStoreLoader loader, OpenGovDb db, StorageSpace space, CancellationToken ct)
    {
        var resourceId = ResourceIdParam(req);
        var (resource, _) = await access.EditableAsync(resourceId, ct);
        space.EnsureRoom(); // after the authorisation: an outsider learns nothing of the disk
        if (!DataStoreLoader.IsTabular(resource))
        {
            throw CkanException.Validation("resource_id", "The resource is not an uploaded CSV, TSV, XLSX or XLS file");
        }

        var overrides = LoadOverrides.FromRequest(req.Data);
        if (overrides is not null)
        {
            await loader.SetOptionsAsync(resourceId, overrides, ct);
        }

        var job = await loader.EnqueueAsync(resourceId, ct);
        return CkanApi.Ok(req, JobJson(job, withLog: false));
    }

    private static async Task<IResult> JobShow(CkanRequest req, DataStoreAccess access, OpenGovDb db, CancellationToken ct)
    {
        var resourceId = ResourceIdParam(req);
        await access.ReadableAsync(resourceId, ct);
        var job = await db.Set<DataStoreJob>().AsNoTracking().Where(j => j.ResourceId == resourceId).OrderByDescending(j => j.Created).FirstOrDefaultAsync(ct)
            ?? throw CkanException.NotFound("No load job for this resource");
        return CkanApi.Ok(req, JobJson(job, withLog: true));
    }

    private static async Task<IResult> ValidationShow(CkanRequest req, DataStoreAccess access, OpenGovDb db, CancellationToken ct)
    {
        var resourceId = ResourceIdParam(req);
        await access.ReadableAsync(resourceId, ct);
        var state = await db.Set<DataStoreResource>().AsNoTracking().FirstOrDefaultAsync(s => s.ResourceId == resourceId, ct);
        if (state?.ValidationJson is not { } v)
        {
            throw CkanException.NotFound("No validation report: the resource declares no standard or was not loaded yet");
        }

        return CkanApi.Ok(req, JsonNode.Parse(v));
    }
}
