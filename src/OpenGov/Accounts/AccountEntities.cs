using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OpenGov.Accounts;

/// <summary>A person or robot account. Sysadmins may do anything; others act through their roles in organizations.</summary>
public sealed class User
{
    public string Id { get; set; } = Guid.NewGuid().ToString();
    public required string Name { get; set; }
    public string FullName { get; set; } = "";
    public string Email { get; set; } = "";
    public string About { get; set; } = "";
    public string? PasswordHash { get; set; }
    public bool Sysadmin { get; set; }
    public string State { get; set; } = Storage.RecordState.Active;
    public DateTime Created { get; set; } = DateTime.UtcNow;

    /// <summary>
    /// Changes whenever the user's sessions must end (logout, password change, disabled by a sysadmin): every login
    /// cookie carries the stamp it was issued with, and one with an older stamp is refused on every node
    /// (<see cref="SecurityStamps"/>).
    /// </summary>
    public string SecurityStamp { get; set; } = Accounts.SecurityStamps.NewStamp();
}

/// <summary>An API token: only its SHA-256 hash is stored; the raw value is shown once on creation.</summary>
public sealed class ApiToken
{
    public string Id { get; set; } = Guid.NewGuid().ToString("N");
    public required string UserId { get; set; }
    public string Name { get; set; } = "";
    public required string TokenHash { get; set; }
    public DateTime Created { get; set; } = DateTime.UtcNow;
    public DateTime? LastAccess { get; set; }
    public DateTime? ExpiresAt { get; set; }
}

/// <summary>
/// The roles a user can hold in an organization, as CKAN names them (its member "capacity"): admins manage the
/// organization and its people, editors publish its datasets, members read its private datasets.
/// </summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Editor = "editor";
    public const string Member = "member";

    public static bool IsValid(string? value) => value is Admin or Editor or Member;
}

/// <summary>A user's role in an organization (CKAN's organization membership; table organization_roles).</summary>
public sealed class OrganizationRole
{
    public required string UserId { get; set; }
    public required string OrganizationId { get; set; }

    /// <summary>One of <see cref="Roles"/>; CKAN's API calls it "capacity".</summary>
    public required string Role { get; set; }

    public DateTime Created { get; set; } = DateTime.UtcNow;
}

/// <summary>
/// A user's role in a group (CKAN's group membership; table group_roles): admins manage the group and its members
/// (group_update, group_member_create), members are listed with it. Datasets join groups apart (dataset_groups).
/// </summary>
public sealed class GroupRole
{
    public required string UserId { get; set; }
    public required string GroupId { get; set; }

    /// <summary>One of <see cref="Roles"/>; CKAN's API calls it "capacity".</summary>
    public required string Role { get; set; }

    public DateTime Created { get; set; } = DateTime.UtcNow;
}

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> b)
    {
        b.HasKey(x => x.Id);
        b.HasIndex(x => x.Name).IsUnique();
        b.Property(x => x.Name).HasMaxLength(100);
        b.Property(x => x.SecurityStamp).HasMaxLength(64).HasDefaultValue("");
    }
}

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> b)
    {
        b.HasKey(x => x.Id);
        b.HasIndex(x => x.TokenHash).IsUnique();
        b.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class OrganizationRoleConfiguration : IEntityTypeConfiguration<OrganizationRole>
{
    public void Configure(EntityTypeBuilder<OrganizationRole> b)
    {
        b.ToTable("organization_roles");
        b.HasKey(x => new { x.UserId, x.OrganizationId });
        b.HasIndex(x => x.OrganizationId);
        b.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Catalog.Organization>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class GroupRoleConfiguration : IEntityTypeConfiguration<GroupRole>
{
    public void Configure(EntityTypeBuilder<GroupRole> b)
    {
        b.ToTable("group_roles");
        b.HasKey(x => new { x.UserId, x.GroupId });
        b.HasIndex(x => x.GroupId);
        b.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Catalog.Group>().WithMany().HasForeignKey(x => x.GroupId).OnDelete(DeleteBehavior.Cascade);
    }
}
