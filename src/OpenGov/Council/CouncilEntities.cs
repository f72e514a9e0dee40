using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OpenGov.Tabular;

namespace OpenGov.Council;

/// <summary>Kinds of members.</summary>
public static class MemberKinds
{
    /// <summary>地方公共団体（一般会員）: has a 全国地方公共団体コード.</summary>
    public const string LocalGovernment = "local_government";

    /// <summary>大学・民間企業等（特別会員）.</summary>
    public const string Special = "special";

    public static bool IsValid(string? k) => k is LocalGovernment or Special;
}

/// <summary>Roles a member holds over time.</summary>
public static class CouncilRoles
{
    /// <summary>会長市.</summary>
    public const string Chair = "chair";

    public static bool IsValid(string? r) => r is Chair;
}

/// <summary>A member of the council: a local government (一般会員) or a university/company (特別会員).</summary>
public sealed class CouncilMember
{
    public string Id { get; set; } = Guid.NewGuid().ToString("N");
    public string Kind { get; set; } = MemberKinds.LocalGovernment;
    public required string Name { get; set; }
    public string NameEn { get; set; } = "";

    /// <summary>6-digit 全国地方公共団体コード with its check digit (local governments only).</summary>
    public string? LocalGovCode { get; set; }

    public string Prefecture { get; set; } = "";
    public int? Population { get; set; }

    /// <summary>The member's organization in the catalog (its datasets, events, entries).</summary>
    public string? OrganizationId { get; set; }

    /// <summary>Order among special members (local governments are listed by code).</summary>
    public int DisplayOrder { get; set; }

    public string Notes { get; set; } = "";
    public DateTime Created { get; set; } = DateTime.UtcNow;
    public DateTime Modified { get; set; } = DateTime.UtcNow;

    public List<MembershipPeriod> Periods { get; set; } = [];
    public List<MemberRole> Roles { get; set; } = [];
}

/// <summary>One stretch of membership: from <see cref="JoinedOn"/> until the day before <see cref="LeftOn"/>.</summary>
public sealed class MembershipPeriod
{
    public long Id { get; set; }
    public string MemberId { get; set; } = "";

    /// <summary>First day of membership (the fiscal year's April 1 when only the year is known).</summary>
    public DateOnly JoinedOn { get; set; }
    public string JoinedPrecision { get; set; } = DatePrecision.Day;

    /// <summary>First day no longer a member (the fiscal year's April 1 when only the year of leaving is known); null while a member.</summary>
    public DateOnly? LeftOn { get; set; }
    public string LeftPrecision { get; set; } = DatePrecision.Day;

    public CouncilDate Joined => new(JoinedOn, JoinedPrecision);

    public CouncilDate? Left => LeftOn is { } d ? new CouncilDate(d, LeftPrecision) : null;

    public bool Covers(DateOnly day) => JoinedOn <= day && (LeftOn is null || day < LeftOn);

    /// <summary>A member at some time in the fiscal year.</summary>
    public bool Overlaps(FiscalYear fy) => JoinedOn <= fy.End && (LeftOn is null || LeftOn > fy.Start);
}

/// <summary>A role (会長市) held from <see cref="StartsOn"/> until the day before <see cref="EndsOn"/>.</summary>
public sealed class MemberRole
{
    public long Id { get; set; }
    public string MemberId { get; set; } = "";
    public string Role { get; set; } = CouncilRoles.Chair;
    public DateOnly StartsOn { get; set; }
    public string StartPrecision { get; set; } = DatePrecision.Day;
    public DateOnly? EndsOn { get; set; }

    public bool Covers(DateOnly day) => StartsOn <= day && (EndsOn is null || day < EndsOn);
}

/// <summary>The council's name and charter (目的, 事業内容) in force from <see cref="ValidFrom"/>; the first is the founding.</summary>
public sealed class CouncilCharter
{
    public long Id { get; set; }
    public DateOnly ValidFrom { get; set; }
    public required string Name { get; set; }
    public string NameEn { get; set; } = "";

    /// <summary>目的: a lead paragraph, then one item a line.</summary>
    public string Purpose { get; set; } = "";

    /// <summary>事業内容: one item a line.</summary>
    public string Business { get; set; } = "";
}

/// <summary>Kinds of activity records.</summary>
public static class ActivityKinds
{
    public const string Symposium = "symposium";
    public const string Event = "event";
    public const string Contest = "contest";
    public const string Document = "document";
    public const string Other = "other";

    public static bool IsValid(string? k) => k is Symposium or Event or Contest or Document or Other;
}

/// <summary>Something the council did (公開シンポジウム, a contest's award ceremony, a report), dated by day or fiscal year.</summary>
public sealed class CouncilActivity
{
    public long Id { get; set; }
    public DateOnly On { get; set; }
    public string Precision { get; set; } = DatePrecision.Day;
    public string Kind { get; set; } = ActivityKinds.Other;
    public required string Title { get; set; }
    public string TitleEn { get; set; } = "";

    /// <summary>The event of the events feature, when the activity is one.</summary>
    public string? EventId { get; set; }

    /// <summary>A document or page about it.</summary>
    public string Url { get; set; } = "";

    public CouncilDate Date => new(On, Precision);
}

/// <summary>A user of the council secretariat (事務局): keeps the registry.</summary>
public sealed class CouncilSecretary
{
    public required string UserId { get; set; }
    public DateTime Created { get; set; } = DateTime.UtcNow;
}

/// <summary>One write to the registry: who, when, what changed (JSON of old and new values).</summary>
public sealed class CouncilAuditEntry
{
    public long Id { get; set; }
    public DateTime At { get; set; } = DateTime.UtcNow;
    public string? UserId { get; set; }
    public string UserName { get; set; } = "";
    public required string EntityType { get; set; }
    public required string EntityId { get; set; }

    /// <summary>The member the change concerns (for its history page), when it concerns one.</summary>
    public string? MemberId { get; set; }

    /// <summary>create | update | delete.</summary>
    public required string Action { get; set; }
    public string Changes { get; set; } = "{}";
}

internal sealed class CouncilMemberConfiguration : IEntityTypeConfiguration<CouncilMember>
{
    public void Configure(EntityTypeBuilder<CouncilMember> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.Kind).HasMaxLength(20);
        b.Property(x => x.LocalGovCode).HasMaxLength(6);
        b.HasIndex(x => x.LocalGovCode).IsUnique();
        b.HasIndex(x => x.OrganizationId);
        b.HasOne<Catalog.Organization>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.SetNull);
        b.HasMany(x => x.Periods).WithOne().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(x => x.Roles).WithOne().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MembershipPeriodConfiguration : IEntityTypeConfiguration<MembershipPeriod>
{
    public void Configure(EntityTypeBuilder<MembershipPeriod> b)
    {
        b.ToTable("CouncilMembershipPeriod");
        b.HasKey(x => x.Id);
        b.HasIndex(x => x.MemberId);
        b.Property(x => x.JoinedPrecision).HasMaxLength(20);
        b.Property(x => x.LeftPrecision).HasMaxLength(20);
        b.Ignore(x => x.Joined);
        b.Ignore(x => x.Left);
    }
}

internal sealed class MemberRoleConfiguration : IEntityTypeConfiguration<MemberRole>
{
    public void Configure(EntityTypeBuilder<MemberRole> b)
    {
        b.ToTable("CouncilMemberRole");
        b.HasKey(x => x.Id);
        b.HasIndex(x => x.MemberId);
        b.Property(x => x.Role).HasMaxLength(20);
        b.Property(x => x.StartPrecision).HasMaxLength(20);
    }
}

internal sealed class CouncilCharterConfiguration : IEntityTypeConfiguration<CouncilCharter>
{
    public void Configure(EntityTypeBuilder<CouncilCharter> b)
    {
        b.HasKey(x => x.Id);
        b.HasIndex(x => x.ValidFrom).IsUnique();
    }
}

internal sealed class CouncilActivityConfiguration : IEntityTypeConfiguration<CouncilActivity>
{
    public void Configure(EntityTypeBuilder<CouncilActivity> b)
    {
        b.HasKey(x => x.Id);
        b.HasIndex(x => x.On);
        b.Property(x => x.Kind).HasMaxLength(20);
        b.Property(x => x.Precision).HasMaxLength(20);
        b.Ignore(x => x.Date);
        b.HasOne<Events.Event>().WithMany().HasForeignKey(x => x.EventId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class CouncilSecretaryConfiguration : IEntityTypeConfiguration<CouncilSecretary>
{
    public void Configure(EntityTypeBuilder<CouncilSecretary> b)
    {
        b.HasKey(x => x.UserId);
        b.HasOne<Accounts.User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CouncilAuditEntryConfiguration : IEntityTypeConfiguration<CouncilAuditEntry>
{
    public void Configure(EntityTypeBuilder<CouncilAuditEntry> b)
    {
        b.HasKey(x => x.Id);
        b.HasIndex(x => new { x.EntityType, x.EntityId });
        b.HasIndex(x => x.MemberId);
        b.HasIndex(x => x.At);
    }
}
