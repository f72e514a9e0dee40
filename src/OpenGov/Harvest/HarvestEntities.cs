using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OpenGov.Catalog;
using OpenGov.Storage;

namespace OpenGov.Harvest;

/// <summary>
/// A catalog whose datasets are copied here (ckanext-harvest's harvest source, a package of type "harvest" there; a
/// table of its own here): "ckan" (a CKAN site's Action API), "dcat_rdf" (a DCAT catalog in Turtle, RDF/XML or
/// JSON-LD) or "dcat_json" (a DCAT JSON document), ckanext-harvest's and ckanext-dcat's harvester names.
/// </summary>
public sealed class HarvestSource
{
    public string Id { get; set; } = System.Guid.NewGuid().ToString();
    public required string Name { get; set; }
    public string Title { get; set; } = "";

    /// <summary>The site or its Action API base (…/api/3/action), or the DCAT catalog's URL; http or https.</summary>
    public required string Url { get; set; }

    public string SourceType { get; set; } = HarvestFrequency.CkanType;

    /// <summary>MANUAL, DAILY or WEEKLY (<see cref="HarvestFrequency"/>).</summary>
    public string Frequency { get; set; } = HarvestFrequency.Manual;

    /// <summary>ckanext-harvest's config: a JSON object as text ("" for none).</summary>
    public string Config { get; set; } = "";

    /// <summary>The organization the harvested datasets belong to here.</summary>
    public required string OrganizationId { get; set; }

    public string Notes { get; set; } = "";
    public bool Active { get; set; } = true;
    public string State { get; set; } = RecordState.Active;
    public string? CreatorUserId { get; set; }
    public DateTime Created { get; set; } = DateTime.UtcNow;
    public DateTime Modified { get; set; } = DateTime.UtcNow;

    /// <summary>When the scheduler next creates a job (null for MANUAL); moved by a conditional update (one node wins).</summary>
    public DateTime? NextRunAt { get; set; }
}

/// <summary>One run of a source: gather (every page read first), then import object by object.</summary>
public sealed class HarvestJob
{
    public string Id { get; set; } = System.Guid.NewGuid().ToString();
    public required string SourceId { get; set; }

    /// <summary>New, Running, Finished or Failed (<see cref="HarvestJobStatus"/>).</summary>
    public string Status { get; set; } = HarvestJobStatus.New;

    /// <summary>A full run reads every dataset of the source and withdraws those it no longer has.</summary>
    public bool Full { get; set; }

    public string? CreatorUserId { get; set; }
    public DateTime Created { get; set; } = DateTime.UtcNow;
    public DateTime? GatherStarted { get; set; }
    public DateTime? GatherFinished { get; set; }
    public DateTime? Finished { get; set; }

    /// <summary>Last sign of life of the node running it; a Running job silent for long is failed by the scheduler.</summary>
    public DateTime? Heartbeat { get; set; }

    public string? Node { get; set; }
    public int Added { get; set; }
    public int Updated { get; set; }
    public int NotModified { get; set; }
    public int Deleted { get; set; }
    public int Errored { get; set; }

    /// <summary>Why the job failed (English, and Japanese); null unless Failed.</summary>
    public string? Error { get; set; }

    public string? ErrorJa { get; set; }
}

/// <summary>One dataset a job added, updated, withdrew or could not import (ckanext-harvest's harvest_object and its errors).</summary>
public sealed class HarvestObject
{
    public string Id { get; set; } = System.Guid.NewGuid().ToString();
    public required string JobId { get; set; }
    public required string SourceId { get; set; }

    /// <summary>The dataset's id on the source (CKAN; the same here), or its URI or dct:identifier (DCAT).</summary>
    public required string Guid { get; set; }

    /// <summary>The dataset's id here (null on objects recorded before DCAT sources: then the guid).</summary>
    public string? PackageId { get; set; }

    /// <summary>The dataset as the source gave it (its CKAN dict, or the dict mapped from DCAT), JSON; null when withdrawn.</summary>
    public string? Content { get; set; }

    public string Name { get; set; } = "";

    /// <summary>The source's metadata_modified when imported (an unchanged dataset is skipped next time).</summary>
    public string RemoteModified { get; set; } = "";

    /// <summary>added, updated, deleted or errored.</summary>
    public required string Report { get; set; }

    public string? Error { get; set; }

    /// <summary>The latest imported version of the dataset (false on older ones and on errors).</summary>
    public bool Current { get; set; }

    public DateTime Created { get; set; } = DateTime.UtcNow;
}

public static class HarvestFrequency
{
    public const string CkanType = "ckan";
    public const string DcatRdfType = "dcat_rdf";
    public const string DcatJsonType = "dcat_json";

    public static readonly string[] SourceTypes = [CkanType, DcatRdfType, DcatJsonType];
    public const string Manual = "MANUAL";
    public const string Daily = "DAILY";
    public const string Weekly = "WEEKLY";

    public static readonly string[] All = [Manual, Daily, Weekly];

    /// <summary>The next run after <paramref name="from"/>; null for MANUAL.</summary>
    public static DateTime? Next(string frequency, DateTime from) => frequency switch
    {
        Daily => from.AddDays(1),
        Weekly => from.AddDays(7),
        _ => null,
    };
}

public static class HarvestJobStatus
{
    public const string New = "New";
    public const string Running = "Running";
    public const string Finished = "Finished";
    public const string Failed = "Failed";
}

internal sealed class HarvestSourceConfiguration : IEntityTypeConfiguration<HarvestSource>
{
    public void Configure(EntityTypeBuilder<HarvestSource> b)
    {
        b.ToTable("harvest_sources");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasMaxLength(64);
        b.Property(x => x.Name).HasMaxLength(100);
        b.HasIndex(x => x.Name).IsUnique();
        b.HasIndex(x => x.NextRunAt);
        b.HasOne<Organization>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class HarvestJobConfiguration : IEntityTypeConfiguration<HarvestJob>
{
    public void Configure(EntityTypeBuilder<HarvestJob> b)
    {
        b.ToTable("harvest_jobs");
        b.HasKey(x => x.Id);
        b.HasIndex(x => new { x.SourceId, x.Created });
        b.HasIndex(x => x.Status);
        b.HasOne<HarvestSource>().WithMany().HasForeignKey(x => x.SourceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class HarvestObjectConfiguration : IEntityTypeConfiguration<HarvestObject>
{
    public void Configure(EntityTypeBuilder<HarvestObject> b)
    {
        b.ToTable("harvest_objects");
        b.HasKey(x => x.Id);
        b.HasIndex(x => x.JobId);
        b.HasIndex(x => new { x.SourceId, x.Guid, x.Current });
        b.HasOne<HarvestJob>().WithMany().HasForeignKey(x => x.JobId).OnDelete(DeleteBehavior.Cascade);
    }
}
