namespace OpenGov.Dashboards.Tests;

public class ComputationTests
{
    private static RowTableSource Source(string[] columns, params string[][] rows) =>
        new(new Dictionary<string, RowTable> { ["t"] = new(columns, rows) });

    private static CardDefinition Card(ComputationDefinition c, ChartKind chart = ChartKind.Bar) =>
        new() { Id = "c", Title = new("カード"), Source = "t", Computation = c, Chart = chart };

    private static readonly string[] Cols = ["日付", "件数", "年代"];

    private static readonly RowTableSource Messy = Source(Cols,
        ["2020-04-01", "3", "20代"],
        ["2020-04-01", "2", "不明"],
        ["2020-04-03", "-", "100歳以上"],
        ["", "5", "-"],
        ["不明", "1", "30代"],
        ["1900-01-01", "1", "30代"],
        ["令和2年4月3日", "４", ""],
        ["2020/4/2", "abc", "20代"]);

    [Fact]
    public void Count_per_day_fills_gaps_and_counts_rows_it_cannot_place()
    {
        var r = CardComputer.Compute(Card(new() { Kind = ComputationKind.CountPerDay, DateColumn = "日付" }), Messy);

        Assert.Equal([2.0, 1, 2], r.Series[0].Points.Select(p => p.Value!.Value));
        Assert.Equal(new DateOnly(2020, 4, 1), r.Series[0].First);
        Assert.Equal(1, r.Issues.BlankDates);
        Assert.Equal(1, r.Issues.UnparsableDates);
        Assert.Equal(1, r.Issues.OutOfRangeDates);
        Assert.Contains("1900-01-01", r.Issues.DateExamples);
    }

    [Fact]
    public void Sum_per_day_leaves_out_blank_and_non_numeric_values_and_counts_them()
    {
        var r = CardComputer.Compute(Card(new() { Kind = ComputationKind.SumPerDay, DateColumn = "日付", ValueColumn = "件数" }), Messy);

        Assert.Equal([5.0, 0, 4], r.Series[0].Points.Select(p => p.Value!.Value));
        Assert.Equal(1, r.Issues.BlankValues);
        Assert.Equal(1, r.Issues.UnparsableValues);
        Assert.Equal(["abc"], r.Issues.ValueExamples);
    }

    [Fact]
    public void Group_by_category_lists_expected_values_in_order_then_non_standard_then_blanks()
    {
        var c = new ComputationDefinition { Kind = ComputationKind.CountByCategory, CategoryColumn = "年代", Categories = ["10代", "20代", "30代"] };
        var r = CardComputer.Compute(Card(c), Messy);

        Assert.Equal(["10代", "20代", "30代", "不明", "100歳以上", DailyAggregator.BlankLabel], r.Categories.Select(x => x.Label));
        Assert.Equal([0.0, 2, 2, 1, 1, 2], r.Categories.Select(x => x.Value));
        Assert.Equal(["不明", "100歳以上"], r.Issues.NonStandardCategories);
        Assert.Equal(2, r.Issues.NonStandardCategoryRows);
        Assert.Equal(2, r.Issues.BlankCategories);
        Assert.False(r.Categories.Single(x => x.Label == "不明").IsStandard);
    }

    [Fact]
    public void Count_per_day_by_category_aligns_every_series_on_the_same_days()
    {
        var c = new ComputationDefinition { Kind = ComputationKind.CountPerDayByCategory, DateColumn = "日付", CategoryColumn = "年代", Categories = ["20代"] };
        var r = CardComputer.Compute(Card(c, ChartKind.StackedBar), Messy);

        Assert.All(r.Series, s => Assert.Equal(3, s.Points.Count));
        Assert.Equal("20代", r.Series[0].Name);
        Assert.Equal([1.0, 1, 0], r.Series[0].Points.Select(p => p.Value!.Value));
    }

    [Fact]
    public void Cumulative_moving_average_and_latest_follow_the_daily_series()
    {
        var s = DailySeries.FromTotals("x", Enumerable.Range(1, 8).ToDictionary(i => new DateOnly(2020, 1, i), i => (double)i));

        Assert.Equal(36, s.Cumulative().Points[^1].Value);
        var avg = s.MovingAverage();
        Assert.Null(avg.Points[5].Value);
        Assert.Equal(4, avg.Points[6].Value);
        Assert.Equal(5, avg.Points[7].Value);
        Assert.Equal(new LatestValue(new DateOnly(2020, 1, 8), 8, 1), s.Latest());
    }

    [Fact]
    public void Ratio_divides_day_by_day_and_leaves_days_with_a_zero_denominator_undefined()
    {
        var source = new RowTableSource(new Dictionary<string, RowTable>
        {
            ["pos"] = new(["d"], [["2020-01-01"], ["2020-01-02"]]),
            ["tests"] = new(["d", "n"], [["2020-01-01", "4"], ["2020-01-02", "0"]]),
        });
        var c = new ComputationDefinition
        {
            Kind = ComputationKind.Ratio,
            Scale = 100,
            Numerator = new() { Kind = ComputationKind.CountPerDay, DateColumn = "d" },
            Denominator = new() { Kind = ComputationKind.SumPerDay, Source = "tests", DateColumn = "d", ValueColumn = "n" },
        };
        var r = CardComputer.Compute(new CardDefinition { Id = "rate", Title = new("陽性率"), Source = "pos", Computation = c, Chart = ChartKind.Line }, source);

        Assert.Equal([25.0, null], r.Series[0].Points.Select(p => p.Value));
    }

    [Fact]
    public void An_empty_table_gives_an_empty_result_not_an_error()
    {
        var r = CardComputer.Compute(Card(new() { Kind = ComputationKind.CountPerDay, DateColumn = "日付", WithMovingAverage = true }), Source(Cols));

        Assert.True(r.IsEmpty);
        Assert.Null(r.Latest);
        Assert.Null(r.MissingColumn);
    }

    [Fact]
    public void A_missing_column_is_named_in_the_result()
    {
        var r = CardComputer.Compute(Card(new() { Kind = ComputationKind.SumPerDay, DateColumn = "日付", ValueColumn = "人数" }), Messy);

        Assert.Equal("人数", r.MissingColumn);
    }

    [Fact]
    public void Tokyo_age_groups_count_the_non_standard_values_of_the_real_file()
    {
        var c = new ComputationDefinition { Kind = ComputationKind.CountByCategory, CategoryColumn = TokyoColumns.Age, Categories = TokyoColumns.AgeGroups };
        var r = CardComputer.Compute(new CardDefinition { Id = "age", Title = new("年代"), Source = Tokyo.Patients, Computation = c }, Tokyo.Source);

        Assert.Equal(14645, r.Categories.Sum(x => x.Value));
        Assert.Equal(["不明", "100歳以上"], r.Issues.NonStandardCategories.Order().ToArray().Reverse());
        Assert.Equal(2, r.Issues.BlankCategories);
    }
}
