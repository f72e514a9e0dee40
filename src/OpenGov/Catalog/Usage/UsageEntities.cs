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
