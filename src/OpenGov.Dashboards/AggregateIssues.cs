namespace OpenGov.Dashboards;

/// <summary>
/// What a computation left out or counted apart, so a page can say so: rows without a date, dates that do not
/// parse or fall outside <see cref="DateBounds"/>, values that are not numbers, and category values outside the
/// expected list (counted under their own name) or blank/「-」 (counted under <see cref="DailyAggregator.BlankLabel"/>).
/// </summary>
public sealed class AggregateIssues
{
    /// <summary>How many examples of each problem are kept.</summary>
    public const int MaxExamples = 5;

    public long Rows { get; set; }

    public long BlankDates { get; set; }

    public long UnparsableDates { get; set; }

    public long OutOfRangeDates { get; set; }

    public long BlankValues { get; set; }

    public long UnparsableValues { get; set; }

    public long BlankCategories { get; set; }

    public long NonStandardCategoryRows { get; set; }

    public List<string> DateExamples { get; } = [];

    public List<string> ValueExamples { get; } = [];

    /// <summary>Non-standard category values found (e.g. 不明, 100歳以上), in order of appearance.</summary>
    public List<string> NonStandardCategories { get; } = [];

    /// <summary>Rows left out of a daily series (no usable date).</summary>
    public long RowsWithoutDate => BlankDates + UnparsableDates + OutOfRangeDates;

    public bool Any => RowsWithoutDate + BlankValues + UnparsableValues + BlankCategories + NonStandardCategoryRows > 0;

    internal static void AddExample(List<string> list, string value)
    {
        if (list.Count < MaxExamples && !list.Contains(value))
        {
            list.Add(value);
        }
    }

    /// <summary>Adds another computation's counts (the two sides of a ratio).</summary>
    public void Add(AggregateIssues other)
    {
        Rows += other.Rows;
        BlankDates += other.BlankDates;
        UnparsableDates += other.UnparsableDates;
        OutOfRangeDates += other.OutOfRangeDates;
        BlankValues += other.BlankValues;
        UnparsableValues += other.UnparsableValues;
        BlankCategories += other.BlankCategories;
        NonStandardCategoryRows += other.NonStandardCategoryRows;
        other.DateExamples.ForEach(e => AddExample(DateExamples, e));
        other.ValueExamples.ForEach(e => AddExample(ValueExamples, e));
        other.NonStandardCategories.ForEach(e => { if (!NonStandardCategories.Contains(e)) { NonStandardCategories.Add(e); } });
    }
}

/// <summary>Dates a daily series accepts; others are counted in <see cref="AggregateIssues.OutOfRangeDates"/>.</summary>
public sealed record DateBounds(DateOnly Min, DateOnly Max)
{
    /// <summary>2000-01-01 to 2099-12-31.</summary>
    public static DateBounds Default { get; } = new(new DateOnly(2000, 1, 1), new DateOnly(2099, 12, 31));

    public bool Contains(DateOnly d) => d >= Min && d <= Max;
}
