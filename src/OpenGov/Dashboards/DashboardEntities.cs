using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OpenGov.Dashboards;

/// <summary>A stored dashboard: the current definition (JSON, see <see cref="DashboardJson"/>) of one organization's dashboard.</summary>
public sealed class Dashboard
{
    public string Id { get; set; } = Guid.NewGuid().ToString();

    public required string OrganizationId { get; set; }

    public required string Slug { get; set; }

    public required string DefinitionJson { get; set; }

    /// <summary>1 for the first save, +1 on each change.</summary>
    public int Version { get; set; } = 1;

    public DateTime Created { get; set; } = DateTime.UtcNow;

    public DateTime Modified { get; set; } = DateTime.UtcNow;
}

/// <summary>One saved version of a dashboard: who changed what, when.</summary>
public sealed class DashboardVersion
{
    public long Id { get; set; }

    public required string DashboardId { get; set; }

    public int Version { get; set; }

    public required string DefinitionJson { get; set; }

    /// <summary>User id of the editor (null for the system, e.g. the demo).</summary>
    public string? ChangedBy { get; set; }

    public DateTime ChangedAt { get; set; } = DateTime.UtcNow;

    /// <summary>What changed, in words (e.g. 「テンプレートから作成」「カード 2 件を変更」).</summary>
    public string Summary { get; set; } = "";
}

internal sealed class DashboardConfiguration : IEntityTypeConfiguration<Dashboard>
{
    public void Configure(EntityTypeBuilder<Dashboard> b)
    {
        b.ToTable("dashboard");
        b.HasKey(x => x.Id);
        b.HasIndex(x => new { x.OrganizationId, x.Slug }).IsUnique();
        b.Property(x => x.Slug).HasMaxLength(100);
        b.Property(x => x.Version).IsConcurrencyToken();
    }
}

internal sealed class DashboardVersionConfiguration : IEntityTypeConfiguration<DashboardVersion>
{
    public void Configure(EntityTypeBuilder<DashboardVersion> b)
    {
        b.ToTable("dashboard_version");
        b.HasKey(x => x.Id);
        b.HasIndex(x => new { x.DashboardId, x.Version }).IsUnique();
    }
}
