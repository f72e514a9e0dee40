using System.Xml.Linq;

namespace OpenGov.Dashboards.Tests;

public class ChartRendererTests
{
    private static CardResult Daily(params double[] values) => new()
    {
        Series = [DailySeries.FromTotals("陽性者数", values.Select((v, i) => (v, i)).ToDictionary(x => new DateOnly(2020, 4, 1).AddDays(x.i), x => x.v))],
        Latest = new LatestValue(new DateOnly(2020, 4, 1).AddDays(values.Length - 1), values[^1], values.Length > 1 ? values[^1] - values[^2] : null),
    };

    private static XElement Svg(string html)
    {
        var start = html.IndexOf("<svg", StringComparison.Ordinal);
        var end = html.IndexOf("</svg>", StringComparison.Ordinal) + 6;
        return XElement.Parse(html[start..end]);
    }

    [Theory]
    [InlineData(ChartKind.Bar)]
    [InlineData(ChartKind.Line)]
    [InlineData(ChartKind.BarLine)]
    [InlineData(ChartKind.StackedBar)]
    public void Charts_are_well_formed_svg_with_a_title_and_description(ChartKind kind)
    {
        var result = Daily(1, 5, 3, 0, 8, 2, 4, 9);
        if (kind == ChartKind.BarLine)
        {
            result = new CardResult { Series = [result.Series[0], result.Series[0].MovingAverage()] };
        }
        var html = ChartRenderer.Render(new ChartModel("c1", "報告日別<陽性者数>", kind, result, "ja"));
        var svg = Svg(html);
        XNamespace ns = "http://www.w3.org/2000/svg";

        Assert.Equal("img", svg.Attribute("role")!.Value);
        Assert.Equal("c1-title c1-desc", svg.Attribute("aria-labelledby")!.Value);
        Assert.Equal("報告日別<陽性者数>", svg.Element(ns + "title")!.Value);
        Assert.Contains("最大 9（2020-04-08）", svg.Element(ns + "desc")!.Value, StringComparison.Ordinal);
        Assert.Equal("0 0 360 220", svg.Attribute("viewBox")!.Value);
    }

    [Fact]
    public void Bars_are_drawn_one_per_non_zero_day_with_their_value_in_a_tooltip()
    {
        var svg = Svg(ChartRenderer.Render(new ChartModel("c", "t", ChartKind.Bar, Daily(1, 0, 3), "ja")));
        var rects = svg.Descendants().Where(e => e.Name.LocalName == "rect").ToList();

        Assert.Equal(2, rects.Count);
        Assert.Equal("2020-04-03 陽性者数: 3", rects[1].Value);
    }

    [Fact]
    public void The_number_tile_shows_the_latest_value_and_its_change()
    {
        var html = ChartRenderer.Render(new ChartModel("c", "t", ChartKind.Number, Daily(1200, 1234), "ja"));

        Assert.Contains("1,234", html, StringComparison.Ordinal);
        Assert.Contains("前日比 +34", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_table_alternative_has_exactly_the_plotted_numbers_newest_first_in_English()
    {
        var html = ChartRenderer.Table(new ChartModel("c", "Cases", ChartKind.Bar, Daily(1, 2), "en"));
        var table = XElement.Parse(html);

        Assert.Equal("Cases", table.Element("caption")!.Value);
        Assert.Equal(["2020-04-02", "2", "2020-04-01", "1"], table.Descendants("tbody").Elements("tr").Elements().Select(e => e.Value));
    }

    [Fact]
    public void Category_counts_are_drawn_as_labelled_horizontal_bars()
    {
        var result = new CardResult { Categories = [new("20代", 5, true), new("不明", 1, false)] };
        var svg = Svg(ChartRenderer.Render(new ChartModel("c", "年代", ChartKind.Bar, result, "ja")));

        Assert.Contains(svg.Descendants().Where(e => e.Name.LocalName == "text"), t => t.Value == "不明");
    }

    [Fact]
    public void A_card_with_a_missing_column_shows_an_error_naming_it_in_the_readers_language()
    {
        var result = new CardResult { MissingColumn = "相談件数" };

        Assert.Contains("列「相談件数」", ChartRenderer.Render(new ChartModel("c", "t", ChartKind.Bar, result, "ja")), StringComparison.Ordinal);
        Assert.Contains("column \"相談件数\"", System.Net.WebUtility.HtmlDecode(ChartRenderer.Render(new ChartModel("c", "t", ChartKind.Bar, result, "en"))), StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_data_renders_a_message_not_an_exception()
    {
        Assert.Contains("データがありません", ChartRenderer.Render(new ChartModel("c", "t", ChartKind.Line, new CardResult(), "ja")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(7, 10)]
    [InlineData(472, 500)]
    [InlineData(1200, 2000)]
    [InlineData(2400, 2500)]
    public void The_axis_maximum_is_a_round_number_above_the_data(double max, double expected)
    {
        Assert.Equal(expected, ChartRenderer.NiceMax(max));
    }

    [Theory]
    [InlineData("ja", "合計")]
    [InlineData("en", "Total")]
    public void The_box_diagram_shows_the_total_over_each_part_with_its_share(string lang, string total)
    {
        var result = new CardResult
        {
            Categories = [new("入院中", 1200, true), new("宿泊療養", 300, true), new("退院", 10123, true), new(DailyAggregator.BlankLabel, 22, false, true)],
        };
        var html = ChartRenderer.Render(new ChartModel("c", "検査陽性者の状況", ChartKind.Box, result, lang));
        var box = XElement.Parse(html, LoadOptions.PreserveWhitespace);

        var root = box.Element("ul")!.Element("li")!;
        Assert.Equal($"{total} 11,645", root.Element("p")!.Value);
        var parts = root.Element("ul")!.Elements("li").Select(li => li.Value).ToList();
        Assert.Equal(["入院中 1,200 10.3%", "宿泊療養 300 2.6%", "退院 10,123 86.9%", "（空欄） 22 0.2%"], parts);
        Assert.DoesNotContain("<svg", html, StringComparison.Ordinal);
    }
}
