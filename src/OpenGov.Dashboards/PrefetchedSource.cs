namespace OpenGov.Dashboards;

/// <summary>A (resource, query) pair a computation will read.</summary>
public sealed record SourceQuery(string Resource, ObservationQuery Query);

/// <summary>
/// Observations fetched beforehand (e.g. grouped by a database, asynchronously), served to the synchronous
/// computations. A query that was not fetched, or whose column is missing, behaves like the table would.
/// </summary>
public sealed class PrefetchedSource : IObservationSource
{
    private readonly Dictionary<SourceQuery, IReadOnlyList<Observation>> _data = [];
    private readonly Dictionary<SourceQuery, string> _missing = [];
    private readonly Dictionary<SourceQuery, AggregateIssues> _issues = [];

    public void Add(SourceQuery query, IReadOnlyList<Observation> observations, AggregateIssues? issues = null)
    {
        _data[query] = observations;
        if (issues is not null)
        {
            _issues[query] = issues;
        }
    }

    public void AddMissingColumn(SourceQuery query, string column) => _missing[query] = column;

    public IEnumerable<Observation> Read(string resource, ObservationQuery query, AggregateIssues issues)
    {
        var key = new SourceQuery(resource, query);
        if (_missing.TryGetValue(key, out var column))
        {
            throw new MissingColumnException(column);
        }
        if (_issues.TryGetValue(key, out var found))
        {
            issues.BlankValues += found.BlankValues;
            issues.UnparsableValues += found.UnparsableValues;
        }
        return _data.TryGetValue(key, out var list) ? list : [];
    }
}

/// <summary>The queries of cards and of Tokyo's data.json, so they can be fetched before computing.</summary>
public static class SourceQueries
{
    public static IEnumerable<SourceQuery> Of(CardDefinition card) => Of(card.Source, card.Computation);

    private static IEnumerable<SourceQuery> Of(string cardSource, ComputationDefinition c)
    {
        var resource = c.Source ?? cardSource;
        return c.Kind switch
        {
            ComputationKind.Ratio => Of(resource, c.Numerator!).Concat(Of(resource, c.Denominator!)),
            ComputationKind.LatestColumns => StatusColumns.Read(c).Select(col => new SourceQuery(resource, StatusColumns.Query(c, col))).ToList(),
            ComputationKind.CountByCategory => [new(resource, new(null, c.CategoryColumn, c.ValueColumn))],
            ComputationKind.CountPerDayByCategory => [new(resource, new(c.DateColumn, c.CategoryColumn, c.ValueColumn))],
            ComputationKind.SumPerDay => [new(resource, new(c.DateColumn, null, c.ValueColumn))],
            _ => [new(resource, new(c.DateColumn, null, null))],
        };
    }

    public static IEnumerable<SourceQuery> Of(TokyoDataSources s)
    {
        if (s.CallCenter is { } cc)
        {
            yield return new(cc, new(TokyoColumns.CallDate, null, TokyoColumns.CallCount));
        }
        if (s.Querents is { } q)
        {
            yield return new(q, new(TokyoColumns.CallDate, null, TokyoColumns.CallCount));
        }
        if (s.Patients is { } p)
        {
            yield return new(p, new(TokyoColumns.ReleaseDate, null, null));
        }
        if (s.TestCount is { } tc)
        {
            yield return new(tc, new(TokyoColumns.TestDate, null, TokyoColumns.TestCount));
        }
        if (s.TestPeople is { } tp)
        {
            yield return new(tp, new(TokyoColumns.TestDate, null, TokyoColumns.TestPeople));
        }
        if (s.Status is { } st)
        {
            foreach (var col in StatusColumns.Read(TokyoStatusSummary.Computation))
            {
                yield return new(st, StatusColumns.Query(TokyoStatusSummary.Computation, col));
            }
        }
    }
}
