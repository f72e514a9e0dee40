using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OpenGov.Events;

// Tables, keys and indexes of the event entities (found by OpenGovDb's ApplyConfigurationsFromAssembly).

internal sealed class EventConfiguration : IEntityTypeConfiguration<Event>
{
    public void Configure(EntityTypeBuilder<Event> b)
    {
        b.ToTable("event");
        b.HasKey(x => x.Id);
        b.HasIndex(x => x.Slug).IsUnique();
        b.HasIndex(x => x.QuestionCode).IsUnique();
        b.HasIndex(x => x.PresenterSecret).IsUnique();
        b.Property(x => x.Slug).HasMaxLength(100);
        b.Property(x => x.QuestionCode).HasMaxLength(16);

        // Only the write path's UPDATE ... RETURNING moves the log position; EF never writes it back.
        b.Property(x => x.LastSeq).Metadata.SetAfterSaveBehavior(Microsoft.EntityFrameworkCore.Metadata.PropertySaveBehavior.Ignore);
        b.HasMany(x => x.Programme).WithOne().HasForeignKey(x => x.EventId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ProgrammeItemConfiguration : IEntityTypeConfiguration<ProgrammeItem>
{
    public void Configure(EntityTypeBuilder<ProgrammeItem> b)
    {
        b.ToTable("event_programme_item");
        b.HasKey(x => x.Id);
        b.HasMany(x => x.Speakers).WithOne().HasForeignKey(x => x.ProgrammeItemId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SpeakerConfiguration : IEntityTypeConfiguration<Speaker>
{
    public void Configure(EntityTypeBuilder<Speaker> b)
    {
        b.ToTable("event_speaker");
        b.HasKey(x => x.Id);
    }
}

internal sealed class EventModeratorConfiguration : IEntityTypeConfiguration<EventModerator>
{
    public void Configure(EntityTypeBuilder<EventModerator> b)
    {
        b.ToTable("event_moderator");
        b.HasKey(x => new { x.EventId, x.UserId });
        b.HasIndex(x => x.UserId);
        b.HasOne<Event>().WithMany().HasForeignKey(x => x.EventId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Accounts.User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class QuestionConfiguration : IEntityTypeConfiguration<Question>
{
    public void Configure(EntityTypeBuilder<Question> b)
    {
        b.ToTable("event_question");
        b.HasKey(x => x.Id);
        b.HasIndex(x => new { x.EventId, x.State });
        b.HasIndex(x => new { x.EventId, x.ExternalId }).IsUnique();
        b.Property(x => x.Text).HasMaxLength(2000);
        b.HasOne<Event>().WithMany().HasForeignKey(x => x.EventId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class QuestionVoteConfiguration : IEntityTypeConfiguration<QuestionVote>
{
    public void Configure(EntityTypeBuilder<QuestionVote> b)
    {
        b.ToTable("event_question_vote");
        b.HasKey(x => new { x.QuestionId, x.ParticipantId });
        b.HasIndex(x => x.EventId);
        b.HasOne<Question>().WithMany().HasForeignKey(x => x.QuestionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class EventBanConfiguration : IEntityTypeConfiguration<EventBan>
{
    public void Configure(EntityTypeBuilder<EventBan> b)
    {
        b.ToTable("event_ban");
        b.HasKey(x => new { x.EventId, x.ParticipantId });
        b.HasOne<Event>().WithMany().HasForeignKey(x => x.EventId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class EventLogEntryConfiguration : IEntityTypeConfiguration<EventLogEntry>
{
    public void Configure(EntityTypeBuilder<EventLogEntry> b)
    {
        b.ToTable("event_log");
        b.HasKey(x => x.Id);
        b.HasIndex(x => new { x.EventId, x.Seq }).IsUnique();
        b.HasOne<Event>().WithMany().HasForeignKey(x => x.EventId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> b)
    {
        b.ToTable("event_idempotency");
        b.HasKey(x => new { x.Scope, x.Key });
        b.Property(x => x.Key).HasMaxLength(200);
    }
}

internal sealed class PollConfiguration : IEntityTypeConfiguration<Poll>
{
    public void Configure(EntityTypeBuilder<Poll> b)
    {
        b.ToTable("event_poll");
        b.HasKey(x => x.Id);
        b.HasIndex(x => x.EventId);
        b.HasOne<Event>().WithMany().HasForeignKey(x => x.EventId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(x => x.Options).WithOne().HasForeignKey(x => x.PollId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PollOptionConfiguration : IEntityTypeConfiguration<PollOption>
{
    public void Configure(EntityTypeBuilder<PollOption> b)
    {
        b.ToTable("event_poll_option");
        b.HasKey(x => x.Id);
    }
}

internal sealed class PollResponseConfiguration : IEntityTypeConfiguration<PollResponse>
{
    public void Configure(EntityTypeBuilder<PollResponse> b)
    {
        b.ToTable("event_poll_response");
        b.HasKey(x => x.Id);
        b.HasIndex(x => new { x.PollId, x.Round, x.ParticipantId }).IsUnique();
        b.HasOne<Poll>().WithMany().HasForeignKey(x => x.PollId).OnDelete(DeleteBehavior.Cascade);
    }
}
