using System.Xml.Linq;

namespace OpenGov.Dashboards.Tests;

/// <summary>
/// Tokyo's status table (one row per day, a column per category): the 入院患者数・重症患者数 series and the
/// 検査陽性者の状況 box from its latest complete day. The fixture is 2020-08-06's positive_status.json (入院中, 重症 per
/// day) with that day's main_summary breakdown on its last row (Fixtures/README.md).
/// </summary>
public class StatusColumnsTests
{
    private const string File = "130001_tokyo_covid19_details_testing_positive_cases.csv";

    private static readonly Lazy<RowTable> Status = new(() => RowTable.Read(Tokyo.Fixture(File)));

    private static RowTableSource Source(RowTable t) => new(new Dictionary<string, RowTable> { ["s"] = t });

    private static CardDefinition Card(ComputationDefinition c, ChartKind chart = ChartKind.Box) =>
        new() { Id = "status", Title = new("検査陽性者の状況"), Source = "s", Computation = c, Chart = chart };

    private static ComputationDefinition TokyoBox => TokyoColumns.StatusBox(Status.Value.Columns.ToHashSet(StringComparer.Ordinal))!;

    [Fact]
    public void The_box_of_Tokyos_status_file_equals_that_days_main_summary()
    {
        var r = CardComputer.Compute(Card(TokyoBox), Source(Status.Value));

        Assert.Null(r.MissingColumn);
        Assert.Equal(new DateOnly(2020, 8, 6), r.AsOf);
        Assert.Equal(("陽性者数（累計）", 14645.0), (r.Total!.Label, r.Total.Value));
        Assert.Equal([("入院中", 1476.0), ("宿泊療養", 408), ("自宅療養", 492), ("調整中", 929), ("死亡", 333), ("退院", 11007)],
            r.Categories.Select(c => (c.Label, c.Value)));
        Assert.Equal(r.Total.Value, r.Categories.Sum(c => c.Value));
        Assert.Equal([("軽症・中等症", 1455.0), ("重症", 21)], r.Categories[0].Parts.Select(c => (c.Label, c.Value)));
        Assert.Empty(r.Categories[1].Parts);
        // the real data.json of the same day says the same
        var real = Tokyo.Expected["main_summary"]!["children"]![0]!["children"]!.AsArray().ToDictionary(n => n!["attr"]!.GetValue<string>(), n => n!["value"]!.GetValue<double>());
        Assert.Equal(real["入院中"], r.Categories[0].Value);
        Assert.Equal(real["調査中"], r.Categories[3].Value);
        Assert.Equal(real["退院"], r.Categories[5].Value);
    }

    [Fact]
    public void Hospitalized_and_severe_per_day_come_from_their_columns()
    {
        var hospitalized = CardComputer.Compute(Card(new() { Kind = ComputationKind.SumPerDay, DateColumn = "日付", ValueColumn = "入院中" }, ChartKind.Line), Source(Status.Value));
        var severe = CardComputer.Compute(Card(new() { Kind = ComputationKind.SumPerDay, DateColumn = "日付", ValueColumn = "重症" }, ChartKind.Line), Source(Status.Value));

        Assert.Equal(161, hospitalized.Series[0].Points.Count);
        Assert.Equal(new DailyPoint(new(2020, 2, 28), 21), hospitalized.Series[0].Points[0]);
        Assert.Equal(new LatestValue(new(2020, 8, 6), 1476, 1), hospitalized.Latest);
        Assert.Equal(new LatestValue(new(2020, 8, 6), 21, 0), severe.Latest);
    }

    [Fact]
    public void The_box_takes_the_latest_day_on_which_every_column_has_a_value_and_counts_blanks()
    {
        string[] cols = ["日付", "入院中", "退院"];
        var t = new RowTable(cols, [["2020-04-01", "10", "2"], ["2020-04-02", "12", "3"], ["2020-04-03", "13", ""], ["2020-04-04", "-", "5"]]);
        var c = new ComputationDefinition { Kind = ComputationKind.LatestColumns, DateColumn = "日付", Columns = ["入院中", "退院"] };

        var r = CardComputer.Compute(Card(c), Source(t));

        Assert.Equal(new DateOnly(2020, 4, 2), r.AsOf);
        Assert.Equal([12.0, 3], r.Categories.Select(x => x.Value));
        Assert.Null(r.Total);
        Assert.Equal(2, r.Issues.BlankValues);
        Assert.Equal(3, r.Issues.Rows); // the first column's rows with a value, as for a sum per day
    }

    [Fact]
    public void A_status_table_without_a_complete_day_is_empty_and_a_missing_column_is_named()
    {
        string[] cols = ["日付", "入院中", "退院"];
        var t = new RowTable(cols, [["2020-04-01", "10", ""], ["2020-04-02", "", "3"]]);

        var empty = CardComputer.Compute(Card(new() { Kind = ComputationKind.LatestColumns, DateColumn = "日付", Columns = ["入院中", "退院"] }), Source(t));
        var missing = CardComputer.Compute(Card(new() { Kind = ComputationKind.LatestColumns, DateColumn = "日付", Columns = ["入院中", "死亡"] }), Source(t));

        Assert.True(empty.IsEmpty);
        Assert.Equal("死亡", missing.MissingColumn);
    }

    [Fact]
    public void Tokyos_box_is_offered_only_when_the_table_has_every_category()
    {
        Assert.Null(TokyoColumns.StatusBox(new HashSet<string> { "日付", "入院中", "重症" }));
        var noTotal = TokyoColumns.StatusBox(new HashSet<string> { "日付", "入院中", "宿泊療養", "自宅療養", "調整中", "死亡", "退院" })!;
        Assert.Null(noTotal.ValueColumn);
        Assert.Null(noTotal.Parts);
        Assert.Equal("陽性者数（累計）", TokyoBox.ValueColumn);
        Assert.Equal(["軽症・中等症", "重症"], TokyoBox.Parts!["入院中"]);
    }

    [Theory]
    [InlineData("ja", "2020-08-06 時点")]
    [InlineData("en", "As of 2020-08-06")]
    public void The_box_draws_the_total_column_its_parts_and_the_parts_of_a_part_with_the_day(string lang, string asOf)
    {
        var r = CardComputer.Compute(Card(TokyoBox), Source(Status.Value));
        var model = new ChartModel("status", "検査陽性者の状況", ChartKind.Box, r, lang);

        var box = XElement.Parse(ChartRenderer.Render(model), LoadOptions.PreserveWhitespace);

        Assert.Equal(asOf, box.Element("p")!.Value);
        var root = box.Element("ul")!.Element("li")!;
        Assert.Equal("陽性者数（累計） 14,645", root.Element("p")!.Value);
        var parts = root.Element("ul")!.Elements("li").ToList();
        Assert.Equal(6, parts.Count);
        Assert.Equal("入院中 1,476 10.1%", parts[0].Element("p")!.Value);
        Assert.Equal(["軽症・中等症 1,455 9.9%", "重症 21 0.1%"], parts[0].Element("ul")!.Elements("li").Select(li => li.Value));
        Assert.Equal("退院 11,007 75.2%", parts[5].Value);

        var table = ChartRenderer.Table(model);
        Assert.Contains("<th scope=\"row\">陽性者数（累計）</th><td>14,645</td>", table, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">入院中 › 重症</th><td>21</td>", table, StringComparison.Ordinal);
        Assert.Equal(9, XElement.Parse(table).Descendants("tbody").Single().Elements("tr").Count());
    }

    [Fact]
    public void The_validator_wants_columns_known_parts_and_each_column_once()
    {
        DashboardDefinition With(ComputationDefinition c, ChartKind chart = ChartKind.Box) =>
            new() { Slug = "d", Title = new("d"), Organization = "o", Cards = [Card(c, chart)] };

        Assert.Empty(DashboardValidator.Validate(With(TokyoBox)));
        Assert.Empty(DashboardValidator.Validate(With(TokyoBox, ChartKind.Table)));
        Assert.Contains(DashboardValidator.Validate(With(new() { Kind = ComputationKind.LatestColumns, DateColumn = "日付" })), e => e.Contains("columns", StringComparison.Ordinal));
        Assert.Contains(DashboardValidator.Validate(With(new() { Kind = ComputationKind.LatestColumns, Columns = ["入院中"] })), e => e.Contains("dateColumn", StringComparison.Ordinal));
        Assert.Contains(DashboardValidator.Validate(With(TokyoBox with { Parts = new Dictionary<string, IReadOnlyList<string>> { ["療養中"] = ["重症"] } })), e => e.Contains("「療養中」", StringComparison.Ordinal));
        Assert.Contains(DashboardValidator.Validate(With(TokyoBox with { Columns = ["入院中", "退院", "入院中"] })), e => e.Contains("「入院中」が 2 回", StringComparison.Ordinal));
        Assert.Contains(DashboardValidator.Validate(With(new() { Kind = ComputationKind.SumPerDay, DateColumn = "日付", ValueColumn = "入院中" })), e => e.Contains("box", StringComparison.Ordinal));
    }

    [Fact]
    public void A_box_definition_survives_its_JSON_form()
    {
        var d = new DashboardDefinition { Slug = "d", Title = new("d"), Organization = "o", Cards = [Card(TokyoBox)] };

        var json = DashboardJson.Serialize(d);
        var back = DashboardJson.Deserialize(json);

        Assert.Contains("\"kind\": \"latestColumns\"", json, StringComparison.Ordinal);
        Assert.Equal(TokyoBox.Columns, back.Cards[0].Computation.Columns);
        Assert.Equal(["軽症・中等症", "重症"], back.Cards[0].Computation.Parts!["入院中"]);
        Assert.Equal(json, DashboardJson.Serialize(back));
    }

    [Fact]
    public void Data_json_main_summary_takes_its_breakdown_from_the_status_table_as_Tokyos_real_one()
    {
        var tables = new Dictionary<string, RowTable>(Tokyo.Tables) { ["s"] = Status.Value };
        var data = TokyoDataJson.Build(new TokyoDataSources(Tokyo.Patients, Tokyo.CallCenter, Tokyo.Querents, null, null, "s"), new RowTableSource(tables), null, Tokyo.LastUpdate);

        var positive = data["main_summary"]!["children"]![0]!;
        var real = Tokyo.Expected["main_summary"]!["children"]![0]!;
        Assert.Equal(14645, positive["value"]!.GetValue<long>());
        Assert.Equal(real["children"]!.ToJsonString(), positive["children"]!.ToJsonString());
    }

    [Fact]
    public void Data_json_main_summary_keeps_the_patients_breakdown_when_the_status_table_lacks_a_column()
    {
        var partial = new RowTable(["日付", "入院中", "重症"], [["2020-08-06", "1476", "21"]]);
        var tables = new Dictionary<string, RowTable>(Tokyo.Tables) { ["s"] = partial };
        var data = TokyoDataJson.Build(new TokyoDataSources(Tokyo.Patients, null, null, null, null, "s"), new RowTableSource(tables), [new TokyoPatient("2020-08-06", null, null, null, "1", null)], Tokyo.LastUpdate);

        var children = data["main_summary"]!["children"]![0]!["children"]!.AsArray();
        Assert.Equal(["退院", "死亡"], children.Select(c => c!["attr"]!.GetValue<string>()));
        Assert.Equal(1, children[0]!["value"]!.GetValue<long>());
    }
}
