using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OpenGov.Storage;

namespace OpenGov.Catalog;

/// <summary>A publisher: a municipality (with its 全国地方公共団体コード) or a special member.</summary>
public sealed class Organization
{
    public string Id { get; set; } = Guid.NewGuid().ToString();
    public required string Name { get; set; }
    public required string Title { get; set; }
    public string TitleEn { get; set; } = "";
    public string Description { get; set; } = "";
    public string ImageUrl { get; set; } = "";

    /// <summary>6-digit 全国地方公共団体コード with check digit; null for universities and companies.</summary>
    public string? LocalGovCode { get; set; }

    public string State { get; set; } = RecordState.Active;
    public DateTime Created { get; set; } = DateTime.UtcNow;
}

/// <summary>A theme grouping datasets across publishers (防災, 健康・福祉, ...).</summary>
public sealed class Group
{
    public string Id { get; set; } = Guid.NewGuid().ToString();
    public required string Name { get; set; }
    public required string Title { get; set; }
    public string TitleEn { get; set; } = "";
    public string Description { get; set; } = "";
    public string ImageUrl { get; set; } = "";
    public string State { get; set; } = RecordState.Active;
    public DateTime Created { get; set; } = DateTime.UtcNow;
}

/// <summary>A dataset (CKAN "package").</summary>
public sealed class Dataset
{
    public string Id { get; set; } = Guid.NewGuid().ToString();
    public required string Name { get; set; }
    public string Title { get; set; } = "";
    public string Notes { get; set; } = "";
    public string Url { get; set; } = "";
    public string Version { get; set; } = "";
    public string Author { get; set; } = "";
    public string AuthorEmail { get; set; } = "";
    public string Maintainer { get; set; } = "";
    public string MaintainerEmail { get; set; } = "";
    public string LicenseId { get; set; } = "";
    public required string OwnerOrgId { get; set; }
    public bool Private { get; set; }

    /// <summary>active, draft or deleted.</summary>
    public string State { get; set; } = RecordState.Active;

    public string Type { get; set; } = "dataset";
    public string? CreatorUserId { get; set; }

    /// <summary>
    /// The harvest source this dataset was copied from (Harvest room); null for datasets published here. A harvested
    /// dataset is read-only locally: only its harvest jobs change it (<see cref="PackageAuth"/>).
    /// </summary>
    public string? HarvestSourceId { get; set; }
    public DateTime MetadataCreated { get; set; } = DateTime.UtcNow;
    public DateTime MetadataModified { get; set; } = DateTime.UtcNow;

    public List<Resource> Resources { get; set; } = [];
    public List<DatasetTag> Tags { get; set; } = [];
    public List<DatasetGroup> Groups { get; set; } = [];
    public List<DatasetExtra> Extras { get; set; } = [];
}

/// <summary>A file or link of a dataset.</summary>
public sealed class Resource
{
    public string Id { get; set; } = Guid.NewGuid().ToString();
    public required string DatasetId { get; set; }
    public string Url { get; set; } = "";

    /// <summary>"upload" when the file is stored here, "" for a link.</summary>
    public string UrlType { get; set; } = "";

    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    public string Format { get; set; } = "";
    public string Mimetype { get; set; } = "";
    public long? Size { get; set; }

    /// <summary>sha256:HEX of an uploaded file.</summary>
    public string Hash { get; set; } = "";

    public int Position { get; set; }
    public string State { get; set; } = RecordState.Active;
    public DateTime Created { get; set; } = DateTime.UtcNow;
    public DateTime? LastModified { get; set; }
    public DateTime MetadataModified { get; set; } = DateTime.UtcNow;

    /// <summary>Other keys a client sent, kept as a JSON object.</summary>
    public string ExtrasJson { get; set; } = "{}";

    /// <summary>Path of the stored file, relative to the uploads directory; never shown.</summary>
    public string? StoragePath { get; set; }
}

public sealed class Tag
{
    public string Id { get; set; } = Guid.NewGuid().ToString();
    public required string Name { get; set; }
}

public sealed class DatasetTag
{
    public required string DatasetId { get; set; }
    public required string TagId { get; set; }
    public Tag? Tag { get; set; }
}

public sealed class DatasetGroup
{
    public required string DatasetId { get; set; }
    public required string GroupId { get; set; }
    public Group? Group { get; set; }
}

public sealed class DatasetExtra
{
    public required string DatasetId { get; set; }
    public required string Key { get; set; }
    public string Value { get; set; } = "";
}

/// <summary>One entry of a dataset's history (CKAN activity stream).</summary>
public sealed class Activity
{
    public string Id { get; set; } = Guid.NewGuid().ToString();
    public DateTime Timestamp { get; set; } = DateTime.UtcNow;
    public string? UserId { get; set; }
    public required string ObjectId { get; set; }

    /// <summary>"new package", "changed package", "deleted package", "new organization", ...</summary>
    public required string ActivityType { get; set; }

    /// <summary>JSON snapshot of the object after the change.</summary>
    public string Data { get; set; } = "{}";
}

internal sealed class OrganizationConfiguration : IEntityTypeConfiguration<Organization>
{
    public void Configure(EntityTypeBuilder<Organization> b)
    {
        b.HasKey(x => x.Id);
        b.HasIndex(x => x.Name).IsUnique();
        b.HasIndex(x => x.LocalGovCode);
        b.Property(x => x.Name).HasMaxLength(100);
    }
}

internal sealed class GroupConfiguration : IEntityTypeConfiguration<Group>
{
    public void Configure(EntityTypeBuilder<Group> b)
    {
        b.ToTable("theme_group");
        b.HasKey(x => x.Id);
        b.HasIndex(x => x.Name).IsUnique();
        b.Property(x => x.Name).HasMaxLength(100);
    }
}

internal sealed class DatasetConfiguration : IEntityTypeConfiguration<Dataset>
{
    public void Configure(EntityTypeBuilder<Dataset> b)
    {
        b.HasKey(x => x.Id);
        b.HasIndex(x => x.Name).IsUnique();
        b.HasIndex(x => new { x.OwnerOrgId, x.State });
        b.HasIndex(x => x.MetadataModified);
        b.HasIndex(x => x.HarvestSourceId);
        b.Property(x => x.HarvestSourceId).HasMaxLength(64);
        b.Property(x => x.Name).HasMaxLength(100);
        b.HasOne<Organization>().WithMany().HasForeignKey(x => x.OwnerOrgId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(x => x.Resources).WithOne().HasForeignKey(x => x.DatasetId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(x => x.Tags).WithOne().HasForeignKey(x => x.DatasetId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(x => x.Groups).WithOne().HasForeignKey(x => x.DatasetId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(x => x.Extras).WithOne().HasForeignKey(x => x.DatasetId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ResourceConfiguration : IEntityTypeConfiguration<Resource>
{
    public void Configure(EntityTypeBuilder<Resource> b)
    {
        b.HasKey(x => x.Id);
        b.HasIndex(x => new { x.DatasetId, x.Position });
    }
}

internal sealed class TagConfiguration : IEntityTypeConfiguration<Tag>
{
    public void Configure(EntityTypeBuilder<Tag> b)
    {
        b.HasKey(x => x.Id);
        b.HasIndex(x => x.Name).IsUnique();
        b.Property(x => x.Name).HasMaxLength(100);
    }
}

internal sealed class DatasetTagConfiguration : IEntityTypeConfiguration<DatasetTag>
{
    public void Configure(EntityTypeBuilder<DatasetTag> b)
    {
        b.HasKey(x => new { x.DatasetId, x.TagId });
        b.HasIndex(x => x.TagId);
        b.HasOne(x => x.Tag).WithMany().HasForeignKey(x => x.TagId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DatasetGroupConfiguration : IEntityTypeConfiguration<DatasetGroup>
{
    public void Configure(EntityTypeBuilder<DatasetGroup> b)
    {
        b.HasKey(x => new { x.DatasetId, x.GroupId });
        b.HasIndex(x => x.GroupId);
        b.HasOne(x => x.Group).WithMany().HasForeignKey(x => x.GroupId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DatasetExtraConfiguration : IEntityTypeConfiguration<DatasetExtra>
{
    public void Configure(EntityTypeBuilder<DatasetExtra> b) => b.HasKey(x => new { x.DatasetId, x.Key });
}

internal sealed class ActivityConfiguration : IEntityTypeConfiguration<Activity>
{
    public void Configure(EntityTypeBuilder<Activity> b)
    {
        b.HasKey(x => x.Id);
        b.HasIndex(x => new { x.ObjectId, x.Timestamp });
    }
}
