namespace OpenGov.Council.Contests;

/// <summary>
/// The weighted score: a judge's score of an entry is Σ weight × score / max over the criteria, divided by Σ weight,
/// as points out of 100; an entry's score is the mean over the judges who scored it. Entries rank by it (ties share
/// a rank); entries nobody scored come last, unranked.
/// </summary>
public static class ContestRanking
{
    public sealed record JudgeScore(string JudgeUserId, IReadOnlyDictionary<long, int> Scores);

    public sealed record Ranked(long EntryId, int? Rank, double? Score, int Judges);

    /// <summary>A judge's points out of 100, or null unless every criterion is scored.</summary>
    public static double? Points(IReadOnlyList<ContestCriterion> criteria, IReadOnlyDictionary<long, int> scores)
    {
        var weights = criteria.Sum(k => k.Weight);
        if (criteria.Count == 0 || weights <= 0 || criteria.Any(k => !scores.ContainsKey(k.Id)))
        {
            return null;
        }

        return 100 * criteria.Sum(k => k.Weight * scores[k.Id] / k.MaxScore) / weights;
    }

    public static List<Ranked> Rank(IReadOnlyList<ContestCriterion> criteria, IEnumerable<(long EntryId, IReadOnlyList<JudgeScore> Judges)> entries)
    {
        var scored = entries.Select(e =>
        {
            var points = e.Judges.Select(j => Points(criteria, j.Scores)).OfType<double>().ToList();
            return (e.EntryId, Score: points.Count == 0 ? (double?)null : Math.Round(points.Average(), 2), Judges: points.Count);
        }).OrderByDescending(e => e.Score ?? double.MinValue).ThenBy(e => e.EntryId).ToList();
        var result = new List<Ranked>();
        for (var i = 0; i < scored.Count; i++)
        {
            var (id, score, judges) = scored[i];
            int? rank = score is null ? null : i > 0 && scored[i - 1].Score == score ? result[i - 1].Rank : i + 1;
            result.Add(new Ranked(id, rank, score, judges));
        }

        return result;
    }
}
