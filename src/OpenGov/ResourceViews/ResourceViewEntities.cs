using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OpenGov.Catalog;

namespace OpenGov.ResourceViews;

/// <summary>
/// A view of a resource (CKAN's resource_view): a table, an image, a web page or a chart shown on the resource page,
/// in <see cref="Order"/>. The view type's own settings (CKAN keeps them as extra keys of the dict) are JSON in
/// <see cref="ConfigJson"/>.
/// </summary>
public sealed class ResourceView
{
    public string Id { get; set; } = Guid.NewGuid().ToString();
    public required string ResourceId { get; set; }
    public string Title { get; set; } = "";
    public string Description { get; set; } = "";
    public required string ViewType { get; set; }
    public int Order { get; set; }

    /// <summary>The view type's keys as a JSON object ("{}" when none).</summary>
    public string ConfigJson { get; set; } = "{}";
}

internal sealed class ResourceViewConfiguration : IEntityTypeConfiguration<ResourceView>
{
    public void Configure(EntityTypeBuilder<ResourceView> b)
    {
        b.ToTable("resource_views");
        b.HasKey(x => x.Id);
        b.HasIndex(x => new { x.ResourceId, x.Order });
        b.Property(x => x.ViewType).HasMaxLength(100);
        b.HasOne<Resource>().WithMany().HasForeignKey(x => x.ResourceId).OnDelete(DeleteBehavior.Cascade);
    }
}
