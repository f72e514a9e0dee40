using OpenGov.Tabular;

namespace OpenGov.Dashboards;

/// <summary>A category value and how many rows (or how much) it holds.</summary>
/// <param name="IsStandard">False for values outside the expected list (e.g. 不明, 100歳以上) and for blanks.</param>
public sealed record CategoryCount(string Label, double Value, bool IsStandard, bool IsBlank = false)
{
    /// <summary>What this category is made of (the box diagram's 入院中: 軽症・中等症, 重症); empty for most.</summary>
    public IReadOnlyList<CategoryCount> Parts { get; init; } = [];

    /// <summary>The categories and their parts in reading order, a part labelled after its whole (「入院中 › 重症」): the rows of the table and the CSV.</summary>
    public static IEnumerable<(string Label, double Value)> Rows(IEnumerable<CategoryCount> categories)
    {
        foreach (var c in categories)
        {
            yield return (c.Label, c.Value);
            foreach (var p in c.Parts)
            {
                yield return ($"{c.Label} › {p.Label}", p.Value);
            }
        }
    }
}

/// <summary>Turns observations into daily series and category counts, counting what it cannot place.</summary>
public static class DailyAggregator
{
    /// <summary>Label of the bucket for blank and 「-」 category values.</summary>
    public const string BlankLabel = "（空欄）";

    /// <summary>Total weight per day, every day from the first to the last filled in.</summary>
    public static DailySeries PerDay(string name, IEnumerable<Observation> observations, AggregateIssues issues, DateBounds? bounds = null) =>
        DailySeries.FromTotals(name, Totals(observations, issues, bounds));

    /// <summary>Total weight per day, only the days that have observations (no gaps filled).</summary>
    public static Dictionary<DateOnly, double> Totals(IEnumerable<Observation> observations, AggregateIssues issues, DateBounds? bounds = null)
    {
        var totals = new Dictionary<DateOnly, double>();
        foreach (var o in observations)
        {
            issues.Rows += o.Rows;
            if (TryDate(o, issues, bounds ?? DateBounds.Default, out var date))
            {
                totals[date] = totals.GetValueOrDefault(date) + o.Weight;
            }
        }
        return totals;
    }

    /// <summary>
    /// One daily series per category, all on the same days (stacked bars). Expected categories come first in their
    /// order, then non-standard ones in order of appearance, then blanks.
    /// </summary>
    public static IReadOnlyList<DailySeries> PerDayByCategory(IEnumerable<Observation> observations, IReadOnlyList<string>? expected,
        AggregateIssues issues, DateBounds? bounds = null)
    {
        var perCategory = new Dictionary<string, Dictionary<DateOnly, double>>(StringComparer.Ordinal);
        var counter = new CategoryCounter(expected, issues);
        DateOnly? first = null, last = null;
        foreach (var o in observations)
        {
            issues.Rows += o.Rows;
            if (!TryDate(o, issues, bounds ?? DateBounds.Default, out var date))
            {
                continue;
            }
            var label = counter.Classify(o.Category, o.Rows);
            var totals = perCategory.TryGetValue(label, out var t) ? t : perCategory[label] = [];
            totals[date] = totals.GetValueOrDefault(date) + o.Weight;
            first = first is null || date < first ? date : first;
            last = last is null || date > last ? date : last;
        }
        if (first is null)
        {
            return [];
        }
        return counter.Ordered(perCategory.Keys)
            .Select(label => DailySeries.FromTotals(label, perCategory[label], first.Value, last!.Value))
            .ToList();
    }

    /// <summary>Total weight per category value, in the order of <see cref="PerDayByCategory"/>; expected values with no rows are listed with 0.</summary>
    public static IReadOnlyList<CategoryCount> ByCategory(IEnumerable<Observation> observations, IReadOnlyList<string>? expected, AggregateIssues issues)
    {
        var totals = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var e in expected ?? [])
        {
            totals[e] = 0;
        }
        var counter = new CategoryCounter(expected, issues);
        foreach (var o in observations)
        {
            issues.Rows += o.Rows;
            var label = counter.Classify(o.Category, o.Rows);
            totals[label] = totals.GetValueOrDefault(label) + o.Weight;
        }
        return counter.Ordered(totals.Keys)
            .Select(l => new CategoryCount(l, totals[l], counter.IsStandard(l), l == BlankLabel))
            .ToList();
    }

    private static bool TryDate(Observation o, AggregateIssues issues, DateBounds bounds, out DateOnly date)
    {
        date = default;
        if (TextNormalizer.IsEmpty(o.Date))
        {
            issues.BlankDates += o.Rows;
            return false;
        }
        var text = o.Date!;
        if (!JapaneseDate.TryParseDate(text, out date))
        {
            if (JapaneseDate.TryParseTimestamp(text, out var ts))
            {
                date = DateOnly.FromDateTime(ts);
            }
            else
            {
                issues.UnparsableDates += o.Rows;
                AggregateIssues.AddExample(issues.DateExamples, text);
                return false;
            }
        }
        if (!bounds.Contains(date))
        {
            issues.OutOfRangeDates += o.Rows;
            AggregateIssues.AddExample(issues.DateExamples, text);
            return false;
        }
        return true;
    }

    /// <summary>Sorts category values into expected, non-standard and blank, counting the last two.</summary>
    private sealed class CategoryCounter(IReadOnlyList<string>? expected, AggregateIssues issues)
    {
        private readonly Dictionary<string, int> _expected = (expected ?? [])
            .Select((e, i) => (e, i)).ToDictionary(x => x.e, x => x.i, StringComparer.Ordinal);

        private readonly List<string> _seen = [];

        public bool IsStandard(string label) => label != BlankLabel && (_expected.Count == 0 || _expected.ContainsKey(label));

        public string Classify(string? raw, long rows)
        {
            var label = TextNormalizer.Normalize(raw);
            if (label is null)
            {
                issues.BlankCategories += rows;
                return BlankLabel;
            }
            if (_expected.Count > 0 && !_expected.ContainsKey(label))
            {
                issues.NonStandardCategoryRows += rows;
                if (!issues.NonStandardCategories.Contains(label))
                {
                    issues.NonStandardCategories.Add(label);
                }
            }
            if (!_seen.Contains(label))
            {
                _seen.Add(label);
            }
            return label;
        }

        public IEnumerable<string> Ordered(IEnumerable<string> labels)
        {
            var set = labels.ToHashSet(StringComparer.Ordinal);
            var expectedFirst = _expected.OrderBy(e => e.Value).Select(e => e.Key).Where(set.Contains);
            var others = _seen.Where(s => !_expected.ContainsKey(s) && set.Contains(s));
            var blank = set.Contains(BlankLabel) ? [BlankLabel] : Array.Empty<string>();
            return expectedFirst.Concat(others).Concat(blank);
        }
    }
}
