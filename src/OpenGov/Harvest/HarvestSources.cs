using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using OpenGov.Catalog;
using OpenGov.Catalog.Editing;
using OpenGov.Ckan;
using OpenGov.Storage;

namespace OpenGov.Harvest;

/// <summary>A harvest source as harvest_source_show answers it (ckanext-harvest's source dict: a package of type "harvest").</summary>
public sealed record HarvestSourceDict(
    string Id, string Name, string Title, string Type, string Url, string SourceType, string Frequency, string Config,
    string OwnerOrg, string OrganizationName, string OrganizationTitle, string Notes, bool Active, string State,
    DateTime Created, DateTime MetadataModified, DateTime? NextRun, HarvestSourceStatus Status);

/// <summary>The source's "status" block: its jobs and datasets.</summary>
public sealed record HarvestSourceStatus(int JobCount, int TotalDatasets, HarvestJobDict? LastJob);

/// <summary>A job as harvest_job_show answers it: counts under "stats" as ckanext-harvest's, and the errors.</summary>
public sealed record HarvestJobDict(
    string Id, string SourceId, string Status, bool Full, DateTime Created, DateTime? GatherStarted, DateTime? GatherFinished,
    DateTime? Finished, Dictionary<string, int> Stats, List<HarvestGatherError> GatherErrors, List<HarvestObjectError>? ObjectErrors)
{
    public static HarvestJobDict From(HarvestJob j, List<HarvestObjectError>? objectErrors) => new(
        j.Id, j.SourceId, j.Status, j.Full, j.Created, j.GatherStarted, j.GatherFinished, j.Finished,
        new Dictionary<string, int> { ["added"] = j.Added, ["updated"] = j.Updated, ["not modified"] = j.NotModified, ["errored"] = j.Errored, ["deleted"] = j.Deleted },
        j.Error is null ? [] : [new HarvestGatherError(j.Error, j.ErrorJa ?? j.Error)],
        objectErrors);
}

public sealed record HarvestGatherError(string Message, string MessageJa);

public sealed record HarvestObjectError(
    [property: JsonPropertyName("harvest_object_id")] string HarvestObjectId, string Guid, string Name, string Message);

/// <summary>
/// harvest_source_create/update/delete and the reads behind harvest_source_show/list and harvest_job_*, for the
/// API and the pages alike. Writes check <see cref="HarvestAuth"/>; errors are CKAN's (409 with the field).
/// </summary>
public sealed class HarvestSources(OpenGovDb db, HarvestAuth auth, PackageEditor editor, HarvestSignal signal)
{
    public HarvestAuth Auth => auth;

    public Task<HarvestSource?> FindAsync(string idOrName, CancellationToken ct) =>
        db.Set<HarvestSource>().AsNoTracking().FirstOrDefaultAsync(s => (s.Id == idOrName || s.Name == idOrName) && s.State == RecordState.Active, ct);

    public async Task<HarvestSource> RequireAsync(string idOrName, CancellationToken ct) =>
        await FindAsync(idOrName.Trim(), ct) ?? throw CkanException.NotFound("Harvest source not found");

    public Task<List<HarvestSource>> ListAsync(string? organization, CancellationToken ct)
    {
        var q = db.Set<HarvestSource>().AsNoTracking().Where(s => s.State == RecordState.Active);
        if (!string.IsNullOrWhiteSpace(organization))
        {
            var org = organization.Trim();
            q = q.Where(s => s.OrganizationId == org || db.Organizations.Any(o => o.Id == s.OrganizationId && o.Name == org));
        }

        return q.OrderBy(s => s.Title).ThenBy(s => s.Name).ToListAsync(ct);
    }

    public static Task<bool> HasUnfinishedJobAsync(OpenGovDb db, string sourceId, CancellationToken ct) =>
        db.Set<HarvestJob>().AnyAsync(j => j.SourceId == sourceId && (j.Status == HarvestJobStatus.New || j.Status == HarvestJobStatus.Running), ct);

    /// <summary>harvest_source_create.</summary>
    public async Task<HarvestSource> CreateAsync(JsonObject data, CancellationToken ct)
    {
        await auth.RequireManageAsync("create harvest sources", ct);
        var source = new HarvestSource { Name = "", Url = "", OrganizationId = "", CreatorUserId = auth.User.Id };
        await ApplyAsync(data, source, isNew: true, ct);
        source.NextRunAt = source.Frequency == HarvestFrequency.Manual ? null : DateTime.UtcNow;
        db.Add(source);
        await SaveAsync(ct);
        if (source.NextRunAt is not null)
        {
            signal.Wake();
        }

        return source;
    }

    /// <summary>harvest_source_update: the keys given change, the others stay (as ckanext-harvest's harvest_source_patch).</summary>
    public async Task<HarvestSource> UpdateAsync(JsonObject data, CancellationToken ct)
    {
        await auth.RequireManageAsync("update harvest sources", ct);
        var key = DictReader.Str(data, "id", new ValidationErrors()) ?? throw CkanException.Missing("id");
        var found = await RequireAsync(key, ct);
        var source = await db.Set<HarvestSource>().FirstAsync(s => s.Id == found.Id, ct);
        var frequency = source.Frequency;
        await ApplyAsync(data, source, isNew: false, ct);
        if (source.Frequency != frequency || (source.Active && source.NextRunAt is null))
        {
            source.NextRunAt = source.Frequency == HarvestFrequency.Manual ? null : DateTime.UtcNow;
        }

        source.Modified = DateTime.UtcNow;
        await SaveAsync(ct);
        return source;
    }

    /// <summary>
    /// harvest_source_delete: the source is marked deleted and stops running; with <c>clear_source</c> its datasets
    /// are withdrawn too (otherwise they stay, harvested and read-only, until a sysadmin purges them).
    /// </summary>
    public async Task DeleteAsync(JsonObject data, CancellationToken ct)
    {
        await auth.RequireManageAsync("delete harvest sources", ct);
        var errors = new ValidationErrors();
        var key = DictReader.Str(data, "id", errors) ?? throw CkanException.Missing("id");
        var found = await RequireAsync(key, ct);
        var source = await db.Set<HarvestSource>().FirstAsync(s => s.Id == found.Id, ct);
        source.State = RecordState.Deleted;
        source.Active = false;
        source.NextRunAt = null;
        source.Name = source.Id; // the name is free again
        source.Modified = DateTime.UtcNow;
        await db.SaveChangesAsync(ct);
        if (DictReader.Bool(data, "clear_source", errors) == true)
        {
            var ids = await db.Datasets.AsNoTracking().Where(d => d.HarvestSourceId == source.Id && d.State != RecordState.Deleted).Select(d => d.Id).ToListAsync(ct);
            foreach (var id in ids)
            {
                await editor.WithdrawHarvestedAsync(id, source.Id, ct);
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>harvest_job_create: a New job the next scheduler round (woken now on this node) claims and runs.</summary>
    public async Task<HarvestJob> CreateJobAsync(string sourceIdOrName, bool full, CancellationToken ct)
    {
        await auth.RequireManageAsync("create harvest jobs", ct);
        var source = await RequireAsync(sourceIdOrName, ct);
        if (!source.Active)
        {
            throw CkanException.Validation("source_id", "Can not create jobs on inactive sources");
        }

        if (await HasUnfinishedJobAsync(db, source.Id, ct))
        {
            throw CkanException.Validation("source_id", "There already is an unrun job for this source");
        }

        var job = new HarvestJob { SourceId = source.Id, Full = full, CreatorUserId = auth.User.Id };
        db.Add(job);
        await db.SaveChangesAsync(ct);
        signal.Wake();
        return job;
    }

    public async Task<List<HarvestJob>> JobsAsync(string sourceId, string? status, int limit, CancellationToken ct)
    {
        var q = db.Set<HarvestJob>().AsNoTracking().Where(j => j.SourceId == sourceId);
        if (!string.IsNullOrWhiteSpace(status))
        {
            q = q.Where(j => j.Status == status);
        }

        return await q.OrderByDescending(j => j.Created).Take(limit).ToListAsync(ct);
    }

    public Task<HarvestJob?> FindJobAsync(string id, CancellationToken ct) =>
        db.Set<HarvestJob>().AsNoTracking().FirstOrDefaultAsync(j => j.Id == id, ct);

    /// <summary>The objects a job could not import, in order.</summary>
    public Task<List<HarvestObjectError>> ObjectErrorsAsync(string jobId, CancellationToken ct) =>
        db.Set<HarvestObject>().AsNoTracking().Where(o => o.JobId == jobId && o.Report == "errored").OrderBy(o => o.Created)
            .Select(o => new HarvestObjectError(o.Id, o.Guid, o.Name, o.Error ?? "")).ToListAsync(ct);

    public async Task<HarvestJobDict> JobDictAsync(HarvestJob job, CancellationToken ct) =>
        HarvestJobDict.From(job, await ObjectErrorsAsync(job.Id, ct));

    public async Task<HarvestSourceDict> ToDictAsync(HarvestSource s, CancellationToken ct)
    {
        var org = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == s.OrganizationId, ct);
        var jobs = await db.Set<HarvestJob>().CountAsync(j => j.SourceId == s.Id, ct);
        var last = await db.Set<HarvestJob>().AsNoTracking().Where(j => j.SourceId == s.Id).OrderByDescending(j => j.Created).FirstOrDefaultAsync(ct);
        var datasets = await db.Datasets.CountAsync(d => d.HarvestSourceId == s.Id && d.State == RecordState.Active, ct);
        return new HarvestSourceDict(
            s.Id, s.Name, s.Title, "harvest", s.Url, s.SourceType, s.Frequency, s.Config, s.OrganizationId, org?.Name ?? "", org?.Title ?? "",
            s.Notes, s.Active, s.State, s.Created, s.Modified, s.NextRunAt,
            new HarvestSourceStatus(jobs, datasets, last is null ? null : HarvestJobDict.From(last, null)));
    }

    /// <summary>Reads the source's keys (all required ones when new; those given otherwise) with CKAN's messages.</summary>
    private async Task ApplyAsync(JsonObject data, HarvestSource s, bool isNew, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (Given("url", isNew) is { } url)
        {
            url = url.Trim();
            if (url.Length == 0)
            {
                errors.Report("url", "Missing value");
            }
            else if (!HarvestClient.IsAcceptableUrl(url))
            {
                errors.Report("url", "Please provide a valid URL");
            }
            else if (await db.Set<HarvestSource>().AnyAsync(x => x.Url == url && x.Id != s.Id && x.State == RecordState.Active, ct))
            {
                errors.Report("url", "There already is a Harvest Source for this URL (& config): " + url);
            }
            else
            {
                s.Url = url;
            }
        }

        if (Given("name", isNew) is { } name)
        {
            name = name.Trim();
            if (name.Length == 0)
            {
                errors.Report("name", "Missing value");
            }
            else if (DictReader.NameError(name) is { } nameError)
            {
                errors.Report("name", nameError);
            }
            else if (await db.Set<HarvestSource>().AnyAsync(x => x.Name == name && x.Id != s.Id, ct))
            {
                errors.Report("name", "That URL is already in use.");
            }
            else
            {
                s.Name = name;
            }
        }

        if (Given("title", false) is { } title)
        {
            s.Title = title.Trim();
        }

        if (Given("notes", false) is { } notes)
        {
            s.Notes = notes;
        }

        if (Given("source_type", isNew) is { } type)
        {
            if (!HarvestFrequency.SourceTypes.Contains(type.Trim()))
            {
                errors.Report("source_type", "Unknown harvester type: " + type + " (ckan, dcat_rdf, dcat_json)");
            }
            else
            {
                s.SourceType = type.Trim();
            }
        }

        if (Given("frequency", false) is { } frequency)
        {
            var f = frequency.Trim().ToUpperInvariant();
            if (f.Length == 0)
            {
                f = HarvestFrequency.Manual;
            }

            if (HarvestFrequency.All.Contains(f))
            {
                s.Frequency = f;
            }
            else
            {
                errors.Report("frequency", $"Frequency {frequency} not recognised (MANUAL, DAILY, WEEKLY)");
            }
        }

        if (data["config"] is { } config)
        {
            var text = config is JsonObject o ? o.ToJsonString() : config is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>().Trim() : null;
            if (text is null || (text.Length > 0 && !IsJsonObject(text)))
            {
                errors.Report("config", "Error parsing the configuration options: a JSON object is expected");
            }
            else
            {
                s.Config = text;
            }
        }

        if (Given("owner_org", isNew) is { } owner)
        {
            var org = owner.Trim();
            var found = org.Length == 0 ? null : await db.Organizations.AsNoTracking()
                .FirstOrDefaultAsync(o => (o.Id == org || o.Name == org) && o.State == RecordState.Active, ct);
            if (org.Length == 0)
            {
                errors.Report("owner_org", "An organization must be provided");
            }
            else if (found is null)
            {
                errors.Report("owner_org", "Organization does not exist");
            }
            else
            {
                s.OrganizationId = found.Id;
            }
        }

        if (DictReader.Present(data, "active") && DictReader.Bool(data, "active", errors) is { } active)
        {
            s.Active = active;
        }

        if (s.SourceType == HarvestFrequency.DcatRdfType && s.Config.Length > 0 && JsonNode.Parse(s.Config) is JsonObject c
            && c["rdf_format"] is { } rdfFormat && Dcat.DcatClient.Normalize(rdfFormat is JsonValue rv && rv.GetValueKind() == JsonValueKind.String ? rv.GetValue<string>() : null) is null)
        {
            // ckanext-dcat's validate_config
            errors.Report("config", "Error parsing the configuration options: rdf_format should be one of: turtle, xml, json-ld (or their media types)");
        }

        errors.ThrowIfAny();

        string? Given(string key, bool required)
        {
            if (!DictReader.Present(data, key))
            {
                if (required)
                {
                    errors.Report(key, "Missing value");
                }

                return null;
            }

            return DictReader.Str(data, key, errors);
        }
    }

    private static bool IsJsonObject(string text)
    {
        try
        {
            return JsonNode.Parse(text) is JsonObject;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private async Task SaveAsync(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            db.ChangeTracker.Clear();
            throw CkanException.Validation("name", "That URL is already in use.");
        }
    }
}
