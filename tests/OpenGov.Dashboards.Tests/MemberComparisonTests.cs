namespace OpenGov.Dashboards.Tests;

public class MemberComparisonTests
{
    private static DailySeries Series(string name, DateOnly first, params double[] values) =>
        new(name, values.Select((v, i) => new DailyPoint(first.AddDays(i), v)).ToList());

    private static readonly DateOnly April1 = new(2020, 4, 1);

    [Fact]
    public void Members_are_aligned_on_one_date_axis_with_undefined_days_outside_their_own_data()
    {
        var tokyo = new MemberSeries("tokyo", "東京都", Series("x", April1, 10, 20, 30), new Population(14_047_594, "令和2年国勢調査", 2020));
        var fukuoka = new MemberSeries("fukuoka", "福岡市", Series("y", April1.AddDays(2), 1, 2), new Population(1_612_392, "令和2年国勢調査", 2020));

        var aligned = MemberComparison.Align([tokyo, fukuoka], ComparisonScale.Raw);

        Assert.All(aligned, m => Assert.Equal(Enumerable.Range(0, 4).Select(i => April1.AddDays(i)), m.Series.Points.Select(p => p.Date)));
        Assert.Equal([10, 20, 30, null], aligned[0].Series.Points.Select(p => p.Value));
        Assert.Equal([null, null, 1, 2], aligned[1].Series.Points.Select(p => p.Value));
        Assert.Equal("福岡市", aligned[1].Series.Name);
    }

    [Fact]
    public void Per_100000_residents_divides_by_the_population_and_leaves_out_members_without_one()
    {
        var tokyo = new MemberSeries("tokyo", "東京都", Series("x", April1, 14_047_594 / 1000.0), new Population(14_047_594, "令和2年国勢調査", 2020));
        var fukuoka = new MemberSeries("fukuoka", "福岡市", Series("y", April1, 161), new Population(1_612_392, "令和2年国勢調査", 2020));
        var unknown = new MemberSeries("x", "X", Series("z", April1, 5), null);

        var aligned = MemberComparison.Align([tokyo, fukuoka, unknown], ComparisonScale.Per100k);

        Assert.Equal(["tokyo", "fukuoka"], aligned.Select(m => m.Member));
        Assert.Equal(100.0, aligned[0].Series.Points[0].Value);
        Assert.Equal(10.0, aligned[1].Series.Points[0].Value); // 161 / 1,612,392 × 100,000 = 9.985…
    }

    [Fact]
    public void The_range_keeps_the_last_days_of_the_common_axis()
    {
        var a = new MemberSeries("a", "A", Series("a", April1, 1, 2, 3, 4, 5), null);
        var b = new MemberSeries("b", "B", Series("b", April1, 9), null);

        var aligned = MemberComparison.Align([a, b], ComparisonScale.Raw, days: 2);

        Assert.Equal([4, 5], aligned[0].Series.Points.Select(p => p.Value));
        Assert.Equal([null, null], aligned[1].Series.Points.Select(p => p.Value));
    }

    [Fact]
    public void Charts_compared_side_by_side_share_the_y_scale_they_are_given()
    {
        var small = new CardResult { Series = [Series("a", April1, 1, 2)] };
        var html = ChartRenderer.Render(new ChartModel("c", "t", ChartKind.Bar, small, "ja") { YMax = 100 });

        Assert.Contains(">100<", html, StringComparison.Ordinal);
    }
}
