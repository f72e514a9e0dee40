using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OpenGov.Accounts;
using OpenGov.Catalog;

namespace OpenGov.Showcases;

/// <summary>
/// An app, site or report built on the catalog's data (ckanext-showcase's package of type "showcase"). Kept in its
/// own table, not as a catalog dataset (docs/rooms/showcases.md says why).
/// </summary>
public sealed class Showcase
{
    public string Id { get; set; } = Guid.NewGuid().ToString();
    public required string Name { get; set; }
    public string Title { get; set; } = "";
    public string Notes { get; set; } = "";

    /// <summary>The app or report itself.</summary>
    public string Url { get; set; } = "";
    public string ImageUrl { get; set; } = "";
    public string Author { get; set; } = "";
    public string AuthorEmail { get; set; } = "";

    /// <summary>Tags, one per line (a showcase has few; they are shown, not searched by facet).</summary>
    public string Tags { get; set; } = "";
    public string? CreatorUserId { get; set; }
    public DateTime MetadataCreated { get; set; } = DateTime.UtcNow;
    public DateTime MetadataModified { get; set; } = DateTime.UtcNow;
}

/// <summary>A dataset used by a showcase (ckanext-showcase's showcase_package_association).</summary>
public sealed class ShowcaseDataset
{
    public required string ShowcaseId { get; set; }
    public required string DatasetId { get; set; }
    public DateTime Created { get; set; } = DateTime.UtcNow;
}

/// <summary>A user who may create and edit showcases without being a sysadmin (ckanext-showcase's showcase_admin).</summary>
public sealed class ShowcaseAdmin
{
    public required string UserId { get; set; }
    public DateTime Created { get; set; } = DateTime.UtcNow;
}

internal sealed class ShowcaseConfiguration : IEntityTypeConfiguration<Showcase>
{
    public void Configure(EntityTypeBuilder<Showcase> b)
    {
        b.ToTable("showcases");
        b.HasKey(x => x.Id);
        b.HasIndex(x => x.Name).IsUnique();
        b.Property(x => x.Name).HasMaxLength(100);
        b.HasIndex(x => x.MetadataModified);
    }
}

internal sealed class ShowcaseDatasetConfiguration : IEntityTypeConfiguration<ShowcaseDataset>
{
    public void Configure(EntityTypeBuilder<ShowcaseDataset> b)
    {
        b.ToTable("showcase_datasets");
        b.HasKey(x => new { x.ShowcaseId, x.DatasetId });
        b.HasIndex(x => x.DatasetId);
        b.HasOne<Showcase>().WithMany().HasForeignKey(x => x.ShowcaseId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Dataset>().WithMany().HasForeignKey(x => x.DatasetId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ShowcaseAdminConfiguration : IEntityTypeConfiguration<ShowcaseAdmin>
{
    public void Configure(EntityTypeBuilder<ShowcaseAdmin> b)
    {
        b.ToTable("showcase_admins");
        b.HasKey(x => x.UserId);
        b.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
