using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OpenGov.Catalog.Usage;

/// <summary>
/// How often a dataset or a resource (by its id) was viewed and downloaded. Rows are only ever incremented by the
/// nodes' flushes (<see cref="UsageFlusher"/>), never rewritten, so several nodes add up.
/// </summary>
public sealed class UsageCount
{
    public required string TargetId { get; set; }
    public long Views { get; set; }
    public long Downloads { get; set; }
}

internal sealed class UsageCountConfiguration : IEntityTypeConfiguration<UsageCount>
{
    public void Configure(EntityTypeBuilder<UsageCount> b)
    {
        b.ToTable("usage_counts");
        b.HasKey(x => x.TargetId);
        b.Property(x => x.TargetId).HasMaxLength(100);
    }
}

/// <summary>
/// A target's views and downloads on one Japan-time day, added by the same flushes as <see cref="UsageCount"/>: the
/// recent counts of CKAN's tracking_summary (the last <see cref="UsageDays.Recent"/> days) are summed from these rows.
/// </summary>
public sealed class UsageDay
{
    public required string TargetId { get; set; }
    public DateOnly Day { get; set; }
    public long Views { get; set; }
    public long Downloads { get; set; }
}

internal sealed class UsageDayConfiguration : IEntityTypeConfiguration<UsageDay>
{
    public void Configure(EntityTypeBuilder<UsageDay> b)
    {
        b.ToTable("usage_days");
        b.HasKey(x => new { x.TargetId, x.Day });
        b.Property(x => x.TargetId).HasMaxLength(100);
    }
}

/// <summary>The day a count belongs to, and CKAN's "recent" window.</summary>
public static class UsageDays
{
    /// <summary>CKAN's tracking counts the last 14 days as recent (today and the 13 before it).</summary>
    public const int Recent = 14;

    public static DateOnly Today(TimeProvider time) => DateOnly.FromDateTime(time.GetUtcNow().ToOffset(Shared.JapanTime.Offset).DateTime);

    public static DateOnly RecentSince(TimeProvider time) => Today(time).AddDays(1 - Recent);
}
