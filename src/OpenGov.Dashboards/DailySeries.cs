namespace OpenGov.Dashboards;

/// <summary>One day of a series; <see cref="Value"/> is null where it is undefined (e.g. the first 6 days of a 7-day average).</summary>
public readonly record struct DailyPoint(DateOnly Date, double? Value);

/// <summary>The latest value of a series with its change from the day before.</summary>
public sealed record LatestValue(DateOnly Date, double Value, double? Change);

/// <summary>A series with one point per calendar day, without gaps, oldest first.</summary>
public sealed class DailySeries
{
    public DailySeries(string name, IReadOnlyList<DailyPoint> points)
    {
        Name = name;
        Points = points;
    }

    public string Name { get; }

    public IReadOnlyList<DailyPoint> Points { get; }

    public static DailySeries Empty(string name) => new(name, []);

    /// <summary>Fills every day from the first to the last key with the value found, or 0.</summary>
    public static DailySeries FromTotals(string name, IReadOnlyDictionary<DateOnly, double> totals)
    {
        if (totals.Count == 0)
        {
            return Empty(name);
        }
        var first = totals.Keys.Min();
        var last = totals.Keys.Max();
        return FromTotals(name, totals, first, last);
    }

    /// <summary>Fills every day from <paramref name="first"/> to <paramref name="last"/> with the value found, or 0.</summary>
    public static DailySeries FromTotals(string name, IReadOnlyDictionary<DateOnly, double> totals, DateOnly first, DateOnly last)
    {
        var points = new List<DailyPoint>(Math.Max(0, last.DayNumber - first.DayNumber + 1));
        for (var d = first; d <= last; d = d.AddDays(1))
        {
            points.Add(new DailyPoint(d, totals.GetValueOrDefault(d)));
        }
        return new DailySeries(name, points);
    }

    public DateOnly? First => Points.Count == 0 ? null : Points[0].Date;

    public DateOnly? Last => Points.Count == 0 ? null : Points[^1].Date;

    /// <summary>Sum of the defined values.</summary>
    public double Total => Points.Sum(p => p.Value ?? 0);

    public DailySeries Cumulative()
    {
        double running = 0;
        var points = new List<DailyPoint>(Points.Count);
        foreach (var p in Points)
        {
            running += p.Value ?? 0;
            points.Add(p with { Value = running });
        }
        return new DailySeries(Name, points);
    }

    /// <summary>Mean of the last <paramref name="days"/> days; null until that many days exist (as Tokyo's site does).</summary>
    public DailySeries MovingAverage(int days = 7, string? name = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        var points = new List<DailyPoint>(Points.Count);
        double window = 0;
        for (var i = 0; i < Points.Count; i++)
        {
            window += Points[i].Value ?? 0;
            if (i >= days)
            {
                window -= Points[i - days].Value ?? 0;
            }
            points.Add(new DailyPoint(Points[i].Date, i >= days - 1 ? window / days : null));
        }
        return new DailySeries(name ?? $"{Name}（{days}日間平均）", points);
    }

    public DailySeries Apply(SeriesTransform transform) => transform switch
    {
        SeriesTransform.Cumulative => Cumulative(),
        SeriesTransform.MovingAverage7 => MovingAverage(),
        _ => this,
    };

    /// <summary>The last defined value and its change from the day before (null when there is no previous day).</summary>
    public LatestValue? Latest()
    {
        for (var i = Points.Count - 1; i >= 0; i--)
        {
            if (Points[i].Value is { } v)
            {
                double? change = i > 0 && Points[i - 1].Value is { } prev ? v - prev : null;
                return new LatestValue(Points[i].Date, v, change);
            }
        }
        return null;
    }

    /// <summary>The last <paramref name="days"/> days (all when null or longer than the series).</summary>
    public DailySeries LastDays(int? days) =>
        days is { } n && n < Points.Count ? new DailySeries(Name, Points.Skip(Points.Count - n).ToList()) : this;

    /// <summary>Points between two dates, inclusive.</summary>
    public DailySeries Between(DateOnly? from, DateOnly? to) =>
        new(Name, Points.Where(p => (from is null || p.Date >= from) && (to is null || p.Date <= to)).ToList());

    /// <summary>
    /// This series divided by <paramref name="denominator"/> day by day over the days both cover, times
    /// <paramref name="scale"/>; undefined (null) where the denominator is 0 or missing.
    /// </summary>
    public DailySeries DivideBy(DailySeries denominator, double scale = 1, string? name = null)
    {
        var den = denominator.Points.ToDictionary(p => p.Date, p => p.Value);
        var points = new List<DailyPoint>(Points.Count);
        foreach (var p in Points)
        {
            double? value = p.Value is { } n && den.GetValueOrDefault(p.Date) is { } d && d != 0 ? n / d * scale : null;
            points.Add(new DailyPoint(p.Date, value));
        }
        return new DailySeries(name ?? Name, points);
    }
}
