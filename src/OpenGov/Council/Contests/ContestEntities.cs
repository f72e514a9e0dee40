using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OpenGov.Council.Contests;

/// <summary>Kinds of contests the council runs.</summary>
public static class ContestKinds
{
    /// <summary>アイデアコンテスト.</summary>
    public const string Idea = "idea";

    /// <summary>アプリケーションコンテスト.</summary>
    public const string App = "app";

    /// <summary>RESAS活用提案.</summary>
    public const string Resas = "resas";

    /// <summary>シビックパワーバトル.</summary>
    public const string CivicPowerBattle = "civic_power_battle";

    public static readonly string[] All = [Idea, App, Resas, CivicPowerBattle];

    public static bool IsValid(string? k) => k is Idea or App or Resas or CivicPowerBattle;

    /// <summary>The Japanese name (the key of the English text).</summary>
    public static string Label(string kind) => kind switch
    {
        Idea => "アイデアコンテスト",
        App => "アプリケーションコンテスト",
        Resas => "RESAS活用提案",
        _ => "シビックパワーバトル",
    };
}

/// <summary>States of an entry: the entrant's draft, submitted, then screened by the secretariat.</summary>
public static class EntryStates
{
    public const string Draft = "draft";
    public const string Submitted = "submitted";
    public const string Accepted = "accepted";
    public const string Rejected = "rejected";

    public static string Label(string state) => state switch
    {
        Draft => "下書き",
        Submitted => "提出済み",
        Accepted => "受理",
        _ => "不受理",
    };
}

/// <summary>A contest: its call (dates, rules, categories), its rubric, the ceremony event and the audience vote.</summary>
public sealed class Contest
{
    public string Id { get; set; } = Guid.NewGuid().ToString("N");

    /// <summary>The contest's address: /council/contests/{slug}.</summary>
    public required string Slug { get; set; }

    public string Kind { get; set; } = ContestKinds.Idea;
    public required string Title { get; set; }
    public string TitleEn { get; set; } = "";

    /// <summary>応募要項 in Markdown.</summary>
    public string Rules { get; set; } = "";
    public string RulesEn { get; set; } = "";

    /// <summary>応募資格 in Markdown.</summary>
    public string Eligibility { get; set; } = "";
    public string EligibilityEn { get; set; } = "";

    /// <summary>賞 (prizes) in Markdown.</summary>
    public string Prizes { get; set; } = "";
    public string PrizesEn { get; set; } = "";

    /// <summary>
    /// The secretariat publishes the results: then anyone may download the files of awarded entries (otherwise only
    /// their team, their judges and the secretariat).
    /// </summary>
    public bool PublishResults { get; set; }

    /// <summary>
    /// The call is public. A contest saved unpublished is the secretariat's draft: nobody else sees it (its pages and the
    /// API answer 404, it is not listed) and nobody can enter it. Contests made through the API are published unless
    /// they say otherwise; the call form starts a new contest as a draft.
    /// </summary>
    public bool Published { get; set; } = true;

    /// <summary>部門: one a line.</summary>
    public string Categories { get; set; } = "";

    /// <summary>Entries accepted from (UTC).</summary>
    public DateTime OpensAt { get; set; }

    /// <summary>Entries accepted and edited until (UTC, exclusive).</summary>
    public DateTime Deadline { get; set; }

    /// <summary>Judges score until (UTC, exclusive); then scores and the ranking are shown.</summary>
    public DateTime JudgingClosesAt { get; set; }

    /// <summary>The award ceremony: an event of the events feature.</summary>
    public string? CeremonyEventId { get; set; }

    /// <summary>The audience vote: a single-choice poll of the ceremony event, one option per accepted entry.</summary>
    public long? AudiencePollId { get; set; }

    public DateTime Created { get; set; } = DateTime.UtcNow;
    public DateTime Modified { get; set; } = DateTime.UtcNow;

    public List<ContestCriterion> Criteria { get; set; } = [];

    public IReadOnlyList<string> CategoryList => Categories.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public bool IsOpenAt(DateTime now) => OpensAt <= now && now < Deadline;

    public bool IsJudgingAt(DateTime now) => Deadline <= now && now < JudgingClosesAt;

    public bool JudgingClosedAt(DateTime now) => JudgingClosesAt <= now;
}

/// <summary>One line of the rubric: its weight and the highest score a judge may give.</summary>
public sealed class ContestCriterion
{
    public long Id { get; set; }
    public string ContestId { get; set; } = "";
    public int Order { get; set; }
    public required string Name { get; set; }
    public string NameEn { get; set; } = "";
    public double Weight { get; set; } = 1;
    public int MaxScore { get; set; } = 10;

    /// <summary>What the judges look at (plain text).</summary>
    public string Description { get; set; } = "";
    public string DescriptionEn { get; set; } = "";
}

/// <summary>A member of the contest's judging panel, named in the call (entries are assigned to judges one by one).</summary>
public sealed class ContestJudge
{
    public string ContestId { get; set; } = "";
    public required string UserId { get; set; }
}

/// <summary>A file a team attached to its entry (PDF, PNG, JPEG or PPTX), stored in the uploads directory.</summary>
public sealed class ContestEntryFile
{
    public long Id { get; set; }
    public long EntryId { get; set; }
    public string ContestId { get; set; } = "";

    /// <summary>The file's name as shown (made safe by the uploads store).</summary>
    public required string FileName { get; set; }

    /// <summary>Under the uploads directory: {guid}/{file name}.</summary>
    public required string StoragePath { get; set; }

    /// <summary>The type read from the file's first bytes (never the one the browser sent).</summary>
    public required string ContentType { get; set; }
    public long Size { get; set; }
    public string Hash { get; set; } = "";
    public string? UploadedByUserId { get; set; }
    public DateTime Created { get; set; } = DateTime.UtcNow;
}

/// <summary>A team's entry; the user who made it (and the secretariat) sees it as a draft, edits it until the deadline.</summary>
public sealed class ContestEntry
{
    public long Id { get; set; }
    public string ContestId { get; set; } = "";
    public required string OwnerUserId { get; set; }
    public required string Title { get; set; }
    public string Summary { get; set; } = "";
    public string Category { get; set; } = "";
    public string TeamName { get; set; } = "";

    /// <summary>Names of the catalog datasets used, one a line.</summary>
    public string Datasets { get; set; } = "";

    /// <summary>URLs, one a line.</summary>
    public string Links { get; set; } = "";

    /// <summary>Team members, one a line.</summary>
    public string Members { get; set; } = "";

    public string State { get; set; } = EntryStates.Draft;

    /// <summary>The entry's option in the audience-vote poll.</summary>
    public long? AudienceOptionId { get; set; }

    /// <summary>The showcase made from the awarded entry (<see cref="ContestShowcases"/>); null when none or deleted.</summary>
    public string? ShowcaseId { get; set; }

    public DateTime Created { get; set; } = DateTime.UtcNow;
    public DateTime Modified { get; set; } = DateTime.UtcNow;

    public static IReadOnlyList<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>A judge assigned to an entry, with the judge's comment once scored.</summary>
public sealed class ContestAssignment
{
    public long EntryId { get; set; }
    public required string JudgeUserId { get; set; }
    public string ContestId { get; set; } = "";
    public string Comment { get; set; } = "";
    public DateTime? ScoredAt { get; set; }
}

/// <summary>A judge's score of an entry on one criterion.</summary>
public sealed class ContestScore
{
    public long EntryId { get; set; }
    public required string JudgeUserId { get; set; }
    public long CriterionId { get; set; }
    public int Score { get; set; }
}

/// <summary>An award (最優秀賞, 優秀賞, ...) given to an entry, announced at the contest's ceremony.</summary>
public sealed class ContestAward
{
    public long Id { get; set; }
    public string ContestId { get; set; } = "";
    public long EntryId { get; set; }
    public required string Name { get; set; }
    public string NameEn { get; set; } = "";
    public int Order { get; set; }
}

internal sealed class ContestConfiguration : IEntityTypeConfiguration<Contest>
{
    public void Configure(EntityTypeBuilder<Contest> b)
    {
        b.HasKey(x => x.Id);
        b.HasIndex(x => x.Slug).IsUnique();
        b.Property(x => x.Slug).HasMaxLength(100);
        b.Property(x => x.Kind).HasMaxLength(30);
        b.Property(x => x.Title).HasMaxLength(200);
        b.Property(x => x.TitleEn).HasMaxLength(200);
        b.Ignore(x => x.CategoryList);
        b.HasOne<Events.Event>().WithMany().HasForeignKey(x => x.CeremonyEventId).OnDelete(DeleteBehavior.SetNull);
        b.HasMany(x => x.Criteria).WithOne().HasForeignKey(x => x.ContestId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ContestCriterionConfiguration : IEntityTypeConfiguration<ContestCriterion>
{
    public void Configure(EntityTypeBuilder<ContestCriterion> b)
    {
        b.HasKey(x => x.Id);
        b.HasIndex(x => x.ContestId);
        b.Property(x => x.Name).HasMaxLength(100);
        b.Property(x => x.NameEn).HasMaxLength(100);
    }
}

internal sealed class ContestJudgeConfiguration : IEntityTypeConfiguration<ContestJudge>
{
    public void Configure(EntityTypeBuilder<ContestJudge> b)
    {
        b.HasKey(x => new { x.ContestId, x.UserId });
        b.HasOne<Contest>().WithMany().HasForeignKey(x => x.ContestId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Accounts.User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ContestEntryFileConfiguration : IEntityTypeConfiguration<ContestEntryFile>
{
    public void Configure(EntityTypeBuilder<ContestEntryFile> b)
    {
        b.HasKey(x => x.Id);
        b.HasIndex(x => x.EntryId);
        b.Property(x => x.FileName).HasMaxLength(200);
        b.Property(x => x.StoragePath).HasMaxLength(300);
        b.Property(x => x.ContentType).HasMaxLength(100);
        b.HasOne<ContestEntry>().WithMany().HasForeignKey(x => x.EntryId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ContestEntryConfiguration : IEntityTypeConfiguration<ContestEntry>
{
    public void Configure(EntityTypeBuilder<ContestEntry> b)
    {
        b.HasKey(x => x.Id);
        b.HasIndex(x => x.ContestId);
        b.HasIndex(x => x.OwnerUserId);
        b.Property(x => x.Title).HasMaxLength(200);
        b.Property(x => x.State).HasMaxLength(20);
        b.HasOne<Contest>().WithMany().HasForeignKey(x => x.ContestId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Accounts.User>().WithMany().HasForeignKey(x => x.OwnerUserId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Showcases.Showcase>().WithMany().HasForeignKey(x => x.ShowcaseId).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(x => x.ShowcaseId).IsUnique();
    }
}

internal sealed class ContestAssignmentConfiguration : IEntityTypeConfiguration<ContestAssignment>
{
    public void Configure(EntityTypeBuilder<ContestAssignment> b)
    {
        b.HasKey(x => new { x.EntryId, x.JudgeUserId });
        b.HasIndex(x => new { x.ContestId, x.JudgeUserId });
        b.HasOne<ContestEntry>().WithMany().HasForeignKey(x => x.EntryId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Accounts.User>().WithMany().HasForeignKey(x => x.JudgeUserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ContestScoreConfiguration : IEntityTypeConfiguration<ContestScore>
{
    public void Configure(EntityTypeBuilder<ContestScore> b)
    {
        b.HasKey(x => new { x.EntryId, x.JudgeUserId, x.CriterionId });
        b.HasOne<ContestAssignment>().WithMany().HasForeignKey(x => new { x.EntryId, x.JudgeUserId }).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<ContestCriterion>().WithMany().HasForeignKey(x => x.CriterionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ContestAwardConfiguration : IEntityTypeConfiguration<ContestAward>
{
    public void Configure(EntityTypeBuilder<ContestAward> b)
    {
        b.HasKey(x => x.Id);
        b.HasIndex(x => x.ContestId);
        b.Property(x => x.Name).HasMaxLength(100);
        b.Property(x => x.NameEn).HasMaxLength(100);
        b.HasOne<Contest>().WithMany().HasForeignKey(x => x.ContestId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<ContestEntry>().WithMany().HasForeignKey(x => x.EntryId).OnDelete(DeleteBehavior.Cascade);
    }
}
