namespace OpenGov.Dashboards;

/// <summary>What a card shows: daily series (one, several stacked, or a bar and its average), category counts, the latest value.</summary>
public sealed class CardResult
{
    public IReadOnlyList<DailySeries> Series { get; init; } = [];

    public IReadOnlyList<CategoryCount> Categories { get; init; } = [];

    public LatestValue? Latest { get; init; }

    /// <summary>The whole the categories are parts of, when a column gives it (陽性者数（累計）); else their sum is.</summary>
    public CategoryCount? Total { get; init; }

    /// <summary>The day the categories are taken from (<see cref="ComputationKind.LatestColumns"/>).</summary>
    public DateOnly? AsOf { get; init; }

    public AggregateIssues Issues { get; init; } = new();

    /// <summary>Column the card needs and its source lacks; the card shows an error naming it, other cards render.</summary>
    public string? MissingColumn { get; init; }

    public bool IsEmpty => Series.All(s => s.Points.Count == 0) && Categories.Count == 0;
}

/// <summary>Runs a card's computation against a source of observations.</summary>
public static class CardComputer
{
    public static CardResult Compute(CardDefinition card, IObservationSource source, DateBounds? bounds = null)
    {
        var issues = new AggregateIssues();
        try
        {
            return Compute(card.Source, card.Computation, source, issues, bounds);
        }
        catch (MissingColumnException e)
        {
            return new CardResult { MissingColumn = e.Column, Issues = issues };
        }
    }

    private static CardResult Compute(string cardSource, ComputationDefinition c, IObservationSource source, AggregateIssues issues, DateBounds? bounds)
    {
        var resource = c.Source ?? cardSource;
        switch (c.Kind)
        {
            case ComputationKind.CountByCategory:
                var query = new ObservationQuery(null, c.CategoryColumn, c.ValueColumn);
                return new CardResult
                {
                    Categories = DailyAggregator.ByCategory(source.Read(resource, query, issues), c.Categories, issues),
                    Issues = issues,
                };
            case ComputationKind.CountPerDayByCategory:
                var byDay = DailyAggregator.PerDayByCategory(
                    source.Read(resource, new ObservationQuery(c.DateColumn, c.CategoryColumn, c.ValueColumn), issues), c.Categories, issues, bounds);
                return new CardResult { Series = byDay.Select(s => s.Apply(c.Transform)).ToList(), Issues = issues };
            case ComputationKind.LatestColumns:
                return StatusColumns.Latest(resource, c, source, issues, bounds);
            case ComputationKind.Ratio:
                var num = Daily(resource, c.Numerator!, source, issues, bounds);
                var den = Daily(resource, c.Denominator!, source, issues, bounds);
                return Finish(num.DivideBy(den, c.Scale).Apply(c.Transform), c, issues);
            default:
                return Finish(Daily(resource, c, source, issues, bounds).Apply(c.Transform), c, issues);
        }
    }

    private static DailySeries Daily(string cardSource, ComputationDefinition c, IObservationSource source, AggregateIssues issues, DateBounds? bounds)
    {
        var query = new ObservationQuery(c.DateColumn, null, c.Kind == ComputationKind.SumPerDay ? c.ValueColumn : null);
        var name = c.ValueColumn ?? c.DateColumn ?? "";
        return DailyAggregator.PerDay(name, source.Read(c.Source ?? cardSource, query, issues), issues, bounds);
    }

    private static CardResult Finish(DailySeries series, ComputationDefinition c, AggregateIssues issues)
    {
        IReadOnlyList<DailySeries> all = c.WithMovingAverage ? [series, series.MovingAverage()] : [series];
        return new CardResult { Series = all, Latest = series.Latest(), Issues = issues };
    }
}
