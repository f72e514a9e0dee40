namespace OpenGov.Council.Contests;

/// <summary>JSON shapes of the contests API.</summary>
public static class ContestViews
{
    public sealed record CriterionView(long Id, string Name, string NameEn, double Weight, int MaxScore, string Description, string DescriptionEn);

    public sealed record ContestView(
        string Slug, string Kind, string Title, string TitleEn, string Rules, string RulesEn, IReadOnlyList<string> Categories,
        DateTime Opens, DateTime Deadline, DateTime JudgingCloses, string? Ceremony, long? AudiencePoll, IReadOnlyList<CriterionView> Criteria,
        string Eligibility, string EligibilityEn, string Prizes, string PrizesEn, bool PublishResults, IReadOnlyList<string>? Judges, bool Published);

    public sealed record EntryView(
        long Id, string Title, string Summary, string Category, string TeamName, IReadOnlyList<string> Datasets, IReadOnlyList<string> Links,
        IReadOnlyList<string> Members, string State, bool Mine, DateTime Modified);

    /// <summary>An entry's attached file; <c>Url</c> downloads it.</summary>
    public sealed record FileView(long Id, string FileName, string ContentType, long Size, DateTime Created, string Url);

    public static FileView File(Contest c, ContestEntryFile f) =>
        new(f.Id, f.FileName, f.ContentType, f.Size, f.Created, $"/api/council/contests/{c.Slug}/entries/{f.EntryId}/files/{f.Id}");

    public sealed record JudgeScoreView(string Judge, IReadOnlyDictionary<long, int> Scores, string Comment, double? Points);

    public sealed record AssignedView(EntryView Entry, IReadOnlyDictionary<long, int> MyScores, string MyComment, double? MyPoints);

    public sealed record RankView(int? Rank, long Entry, string Title, string TeamName, double? Score, int Judges, int? AudienceVotes, IReadOnlyList<string> Awards);

    /// <summary>An award; <c>Showcase</c> is the name of the showcase made from the entry (/showcase/{name}), when there is one.</summary>
    public sealed record AwardView(long Id, long Entry, string Name, string NameEn, string? Showcase = null);

    public sealed record ResultsView(string Contest, bool ScoresVisible, IReadOnlyList<RankView> Ranking, IReadOnlyList<AwardView> Awards, string? Ceremony, long? AudiencePoll, int AudienceResponses);

    /// <summary>The contest; <paramref name="judges"/> (the panel's user names) when read one at a time, null in lists.</summary>
    public static ContestView Contest(Contest c, string? ceremonySlug, IReadOnlyList<string>? judges = null) => new(
        c.Slug, c.Kind, c.Title, c.TitleEn, c.Rules, c.RulesEn, c.CategoryList, c.OpensAt, c.Deadline, c.JudgingClosesAt, ceremonySlug, c.AudiencePollId,
        [.. c.Criteria.OrderBy(k => k.Order).Select(k => new CriterionView(k.Id, k.Name, k.NameEn, k.Weight, k.MaxScore, k.Description, k.DescriptionEn))],
        c.Eligibility, c.EligibilityEn, c.Prizes, c.PrizesEn, c.PublishResults, judges, c.Published);

    public static EntryView Entry(ContestEntry e, string? me) => new(
        e.Id, e.Title, e.Summary, e.Category, e.TeamName, ContestEntry.Lines(e.Datasets), ContestEntry.Lines(e.Links), ContestEntry.Lines(e.Members), e.State, e.OwnerUserId == me, e.Modified);

    public static ResultsView Results(ContestQueries.Results r)
    {
        var votes = r.AudienceVote?.Counts.ToDictionary(x => x.OptionId, x => x.Total) ?? [];
        var ranking = r.Visible ? r.Ranking.Select(x => (x.Rank, x.EntryId, x.Score, x.Judges)) : r.Entries.Keys.Order().Select(id => ((int?)null, id, (double?)null, 0));
        return new ResultsView(
            r.Contest.Slug, r.Visible,
            [.. ranking.Select(x =>
            {
                var e = r.Entries[x.Item2];
                return new RankView(x.Item1, e.Id, e.Title, e.TeamName, x.Item3, x.Item4,
                    e.AudienceOptionId is { } o ? votes.GetValueOrDefault(o) : null, [.. r.Awards.Where(a => a.EntryId == e.Id).Select(a => a.Name)]);
            })],
            [.. r.Awards.Select(a => new AwardView(a.Id, a.EntryId, a.Name, a.NameEn, r.Showcases.GetValueOrDefault(a.EntryId)))], r.Ceremony?.Slug, r.Contest.AudiencePollId, r.AudienceVote?.Responses ?? 0);
    }
}
