namespace OpenGov.Dashboards;

/// <summary>
/// A status table's latest day as categories (<see cref="ComputationKind.LatestColumns"/>): Tokyo's 検査陽性者の状況,
/// published as one row per day with a column per category (130001_tokyo_covid19_details_testing_positive_cases.csv:
/// 日付, 陽性者数（累計）, 入院中, 軽症・中等症, 重症, 宿泊療養, 自宅療養, 調整中, 死亡, 退院).
/// </summary>
public static class StatusColumns
{
    /// <summary>Every column the computation reads: the total (if any), the listed columns, then their parts.</summary>
    public static IReadOnlyList<string> Read(ComputationDefinition c)
    {
        var all = new List<string>();
        void Add(string? col)
        {
            if (!string.IsNullOrWhiteSpace(col) && !all.Contains(col, StringComparer.Ordinal))
            {
                all.Add(col);
            }
        }
        Add(c.ValueColumn);
        foreach (var col in c.Columns ?? [])
        {
            Add(col);
            foreach (var part in c.Parts?.GetValueOrDefault(col) ?? [])
            {
                Add(part);
            }
        }
        return all;
    }

    /// <summary>The query that reads one column per day.</summary>
    public static ObservationQuery Query(ComputationDefinition c, string column) => new(c.DateColumn, null, column);

    /// <summary>
    /// The latest day on which every column read has a value, and each column's value that day. Rows of the first
    /// column are counted in <paramref name="issues"/> (the others repeat the same rows); blank cells of every column are.
    /// </summary>
    public static CardResult Latest(string resource, ComputationDefinition c, IObservationSource source, AggregateIssues issues, DateBounds? bounds)
    {
        var columns = Read(c).ToList();
        var perColumn = new List<Dictionary<DateOnly, double>>(columns.Count);
        for (var i = 0; i < columns.Count; i++)
        {
            var own = i == 0 ? issues : new AggregateIssues();
            perColumn.Add(DailyAggregator.Totals(source.Read(resource, Query(c, columns[i]), own), own, bounds));
            if (i > 0)
            {
                issues.BlankValues += own.BlankValues;
                issues.UnparsableValues += own.UnparsableValues;
            }
        }
        var days = perColumn.Count == 0 ? [] : perColumn.Skip(1).Aggregate((IEnumerable<DateOnly>)perColumn[0].Keys, (d, next) => d.Where(next.ContainsKey)).ToList();
        if (days.Count == 0)
        {
            return new CardResult { Issues = issues };
        }
        var day = days.Max();
        double Value(string col) => perColumn[columns.IndexOf(col)][day];
        var categories = (c.Columns ?? []).Select(col => new CategoryCount(col, Value(col), IsStandard: true)
        {
            Parts = (c.Parts?.GetValueOrDefault(col) ?? []).Select(p => new CategoryCount(p, Value(p), IsStandard: true)).ToList(),
        }).ToList();
        var total = string.IsNullOrWhiteSpace(c.ValueColumn) ? null : new CategoryCount(c.ValueColumn, Value(c.ValueColumn), IsStandard: true);
        return new CardResult { Categories = categories, Total = total, AsOf = day, Issues = issues };
    }
}
