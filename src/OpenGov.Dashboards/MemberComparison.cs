namespace OpenGov.Dashboards;

/// <summary>A member's resident population and where the figure comes from (e.g. 令和2年国勢調査, 2020).</summary>
public sealed record Population(long Residents, string Source, int? Year);

/// <summary>One member's series of a compared card, with its population when known.</summary>
public sealed record MemberSeries(string Member, string Label, DailySeries Series, Population? Population);

/// <summary>Whether a comparison shows the counts as published or per 100,000 residents.</summary>
public enum ComparisonScale
{
    Raw,
    Per100k,
}

/// <summary>
/// Members' series of the same card put on one date axis: every member gets a point for every day from the earliest
/// first day to the latest last day of any of them; days outside a member's own data are undefined (null), not 0.
/// Per 100,000 residents divides by the member's population (members without one are left out of that view).
/// </summary>
public static class MemberComparison
{
    public const double PerResidents = 100_000;

    /// <summary>The compared series, aligned on dates, scaled, and cut to the last <paramref name="days"/> days (all when null).</summary>
    public static IReadOnlyList<MemberSeries> Align(IReadOnlyList<MemberSeries> members, ComparisonScale scale, int? days = null)
    {
        var withData = members.Where(m => m.Series.Points.Count > 0).ToList();
        if (withData.Count == 0)
        {
            return members.Select(m => m with { Series = DailySeries.Empty(m.Label) }).ToList();
        }
        var first = withData.Min(m => m.Series.First!.Value);
        var last = withData.Max(m => m.Series.Last!.Value);
        if (days is { } n && n > 0 && last.DayNumber - first.DayNumber + 1 > n)
        {
            first = last.AddDays(1 - n);
        }
        var result = new List<MemberSeries>(members.Count);
        foreach (var m in members)
        {
            if (scale == ComparisonScale.Per100k && m.Population is not { Residents: > 0 })
            {
                continue;
            }
            var values = m.Series.Points.ToDictionary(p => p.Date, p => p.Value);
            var points = new List<DailyPoint>(last.DayNumber - first.DayNumber + 1);
            for (var d = first; d <= last; d = d.AddDays(1))
            {
                var v = values.TryGetValue(d, out var x) ? x : null;
                points.Add(new DailyPoint(d, v is { } raw && scale == ComparisonScale.Per100k ? PerCapita(raw, m.Population!.Residents) : v));
            }
            result.Add(m with { Series = new DailySeries(m.Label, points) });
        }
        return result;
    }

    /// <summary>A value per 100,000 residents, rounded to one decimal (the figure shown is the figure plotted).</summary>
    public static double PerCapita(double value, long residents) =>
        Math.Round(value / residents * PerResidents, 1, MidpointRounding.AwayFromZero);

    /// <summary>Whether per-100,000 figures make sense for a computation (counts and sums; not ratios such as 陽性率).</summary>
    public static bool CanScale(ComputationDefinition c) => c.Kind is ComputationKind.CountPerDay or ComputationKind.SumPerDay;

    /// <summary>Whether a card gives one daily series that can be compared across members.</summary>
    public static bool Comparable(CardDefinition card) =>
        card.Computation.Kind is ComputationKind.CountPerDay or ComputationKind.SumPerDay or ComputationKind.Ratio;
}
