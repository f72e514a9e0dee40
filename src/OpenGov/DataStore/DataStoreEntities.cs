using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OpenGov.DataStore;

/// <summary>States of a load job.</summary>
public static class JobState
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Complete = "complete";
    public const string Error = "error";
}

/// <summary>One load of a resource's file into the DataStore (the xloader "task").</summary>
public sealed class DataStoreJob
{
    public string Id { get; set; } = Guid.NewGuid().ToString();
    public required string ResourceId { get; set; }

    /// <summary>pending, running, complete or error.</summary>
    public string State { get; set; } = JobState.Pending;

    public DateTime Created { get; set; } = DateTime.UtcNow;
    public DateTime? Started { get; set; }
    public DateTime? Finished { get; set; }

    /// <summary>Last sign of life of the node running it; a running job with an old heartbeat is taken over.</summary>
    public DateTime? Heartbeat { get; set; }

    /// <summary>Node that claimed the job.</summary>
    public string? ClaimedBy { get; set; }

    public int Attempts { get; set; }
    public long RowsRead { get; set; }
    public long BytesRead { get; set; }
    public long TotalBytes { get; set; }

    /// <summary>Hash of the resource's file when the job was queued (sha256:...).</summary>
    public string SourceHash { get; set; } = "";

    /// <summary>What was detected: JSON {format, encoding, encoding_reason, delimiter, header_row, sheet, columns: [{id, type}]}.</summary>
    public string DetectedJson { get; set; } = "{}";

    /// <summary>Log lines, JSON array of {t, level, message (English), message_ja}.</summary>
    public string LogJson { get; set; } = "[]";

    public string? Error { get; set; }
}

/// <summary>DataStore state of a resource: load options (overrides), last load, validation.</summary>
public sealed class DataStoreResource
{
    public required string ResourceId { get; set; }

    /// <summary>Load overrides, JSON: {encoding, delimiter, header_row, sheet, no_header, types: {column: type}, empty_markers: [..], standard}.</summary>
    public string OptionsJson { get; set; } = "{}";

    /// <summary>Source hash of the last queued load (to detect changed files).</summary>
    public string LastSourceHash { get; set; } = "";

    public DateTime? LastSourceModified { get; set; }

    public string? LastJobId { get; set; }

    /// <summary>Standard the file was validated against (patients, call_center, ...), if any.</summary>
    public string? Standard { get; set; }

    /// <summary>Validation report JSON: {standard, conforms, error_count, warning_count, truncated, problems: [...]}.</summary>
    public string? ValidationJson { get; set; }

    public bool? Conforms { get; set; }
}

internal sealed class DataStoreJobConfiguration : IEntityTypeConfiguration<DataStoreJob>
{
    public void Configure(EntityTypeBuilder<DataStoreJob> b)
    {
        b.ToTable("datastore_job");
        b.HasKey(x => x.Id);
        b.HasIndex(x => new { x.State, x.Created });
        b.HasIndex(x => new { x.ResourceId, x.Created });

        // at most one running job per resource, enforced by the database: two nodes claiming jobs of the same
        // resource at the same moment cannot both win (the loser's claim fails and it moves on)
        b.HasIndex(x => x.ResourceId, "ux_datastore_job_one_running").IsUnique().HasFilter("state = 'running'");
        b.Property(x => x.State).HasMaxLength(16).IsConcurrencyToken(false);
    }
}

internal sealed class DataStoreResourceConfiguration : IEntityTypeConfiguration<DataStoreResource>
{
    public void Configure(EntityTypeBuilder<DataStoreResource> b)
    {
        b.ToTable("datastore_resource");
        b.HasKey(x => x.ResourceId);
    }
}
