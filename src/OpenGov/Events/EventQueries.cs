using Microsoft.EntityFrameworkCore;
using OpenGov.Storage;

namespace OpenGov.Events;

/// <summary>Reads events and their questions for pages and the API (no writes, no authorisation).</summary>
public sealed class EventQueries(OpenGovDb db)
{
    public Task<Event?> FindBySlugAsync(string slug, CancellationToken ct = default) =>
        db.Set<Event>().FirstOrDefaultAsync(e => e.Slug == slug, ct);

    public Task<Event?> FindByCodeAsync(string code, CancellationToken ct = default)
    {
        var normalized = (code ?? "").Trim().ToLowerInvariant();
        return db.Set<Event>().FirstOrDefaultAsync(e => e.QuestionCode == normalized, ct);
    }

    public Task<Event?> FindBySecretAsync(string secret, CancellationToken ct = default) =>
        db.Set<Event>().FirstOrDefaultAsync(e => e.PresenterSecret == secret, ct);

    public async Task<Event> RequireBySlugAsync(string slug, CancellationToken ct = default) =>
        await FindBySlugAsync(slug, ct) ?? throw EventException.NotFound();

    public async Task<Event> RequireByCodeAsync(string code, CancellationToken ct = default) =>
        await FindByCodeAsync(code, ct) ?? throw EventException.NotFound();

    public Task<Event?> LoadWithProgrammeAsync(string slug, CancellationToken ct = default) =>
        db.Set<Event>().AsNoTracking().Include(e => e.Programme.OrderBy(p => p.Order)).ThenInclude(p => p.Speakers.OrderBy(s => s.Order))
            .AsSplitQuery().FirstOrDefaultAsync(e => e.Slug == slug, ct);

    public Task<List<Event>> ListAsync(CancellationToken ct = default) =>
        db.Set<Event>().AsNoTracking().OrderByDescending(e => e.StartsAt).ToListAsync(ct);

    /// <summary>Approved questions: pinned first, then by votes or by time.</summary>
    public async Task<List<QuestionView>> PublicQuestionsAsync(Event ev, string sort = "votes", CancellationToken ct = default)
    {
        var list = await db.Set<Question>().AsNoTracking().Where(q => q.EventId == ev.Id && q.State == QuestionStates.Approved).ToListAsync(ct);
        return Sort(list, sort).Select(q => QuestionView.Of(q, ev.HighlightedQuestionId, false)).ToList();
    }

    /// <summary>All questions for the moderator console (merged ones left out).</summary>
    public async Task<List<QuestionView>> ModeratorQuestionsAsync(Event ev, string sort = "votes", CancellationToken ct = default)
    {
        var list = await db.Set<Question>().AsNoTracking().Where(q => q.EventId == ev.Id && q.State != QuestionStates.Merged).ToListAsync(ct);
        return Sort(list, sort).Select(q => QuestionView.Of(q, ev.HighlightedQuestionId, true)).ToList();
    }

    private static IEnumerable<Question> Sort(IEnumerable<Question> list, string sort) => sort == "time"
        ? list.OrderByDescending(q => q.Pinned).ThenByDescending(q => q.Created).ThenByDescending(q => q.Id)
        : list.OrderByDescending(q => q.Pinned).ThenByDescending(q => q.Votes).ThenBy(q => q.Created).ThenBy(q => q.Id);

    /// <summary>The questions a participant posted in the event (any state).</summary>
    public async Task<HashSet<long>> OwnQuestionIdsAsync(Event ev, string participantId, CancellationToken ct = default) =>
        [.. await db.Set<Question>().AsNoTracking().Where(q => q.EventId == ev.Id && q.ParticipantId == participantId).Select(q => q.Id).ToListAsync(ct)];

    public async Task<HashSet<long>> VotedQuestionIdsAsync(Event ev, string participantId, CancellationToken ct = default) =>
        [.. await db.Set<QuestionVote>().AsNoTracking().Where(v => v.EventId == ev.Id && v.ParticipantId == participantId).Select(v => v.QuestionId).ToListAsync(ct)];
}
