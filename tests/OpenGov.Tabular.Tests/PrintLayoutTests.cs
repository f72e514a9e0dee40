using System.Text;

namespace OpenGov.Tabular.Tests;

/// <summary>Layouts of tables made for print: section rows across a wide table, and empty separator columns between blocks.</summary>
public class PrintLayoutTests
{
    private static TableReadResult Csv(string csv) => TableReader.Open(TestData.Bytes(csv, Encoding.UTF8));

    // as 神戸市's だれでもトイレ list: a section title alone in a row (first or second cell) above each section's rows
    private const string Sections =
        "番号,施設名,所在地,緯度,経度\r\n" +
        ",都心地域,,,\r\n" +
        "1,三宮バスターミナル,中央区,34.69,135.19\r\n" +
        "2,さんちか,中央区三宮町,34.69,135.19\r\n" +
        "都心地域外,,,,\r\n" +
        "3,須磨海浜公園,須磨区,34.64,135.11\r\n";

    [Fact]
    public void Section_rows_across_a_wide_table_become_a_column_and_are_not_stored_as_data()
    {
        using var r = Csv(Sections);
        var types = TypeInference.InferFromSample(r, null, out var rows);
        var data = rows.ToList();
        Assert.Equal(["番号", "施設名", "所在地", "緯度", "経度", "区分"], r.Columns);
        Assert.Equal(3, data.Count);
        Assert.Equal(["都心地域", "都心地域", "都心地域外"], data.Select(d => d[5]));
        Assert.Equal(ColumnType.Integer, types[0].Type);
        Assert.Equal([(2L, "都心地域"), (5L, "都心地域外")], r.SkippedRows.Where(s => s.Kind == "section").Select(s => (s.Row, s.Text)));
        Assert.Equal("区分", r.SectionColumn);
        Assert.Contains(r.Notes, n => n.Code == "section-rows" && n.MessageJa.Contains("列「区分」", StringComparison.Ordinal));
    }

    [Fact]
    public void The_section_column_takes_another_name_when_the_table_already_has_a_kubun_column()
    {
        using var r = Csv(Sections.Replace("番号,施設名", "区分,施設名", StringComparison.Ordinal));
        Assert.Equal("区分_2", r.Columns[^1]);
    }

    [Fact]
    public void A_table_whose_first_row_is_data_keeps_a_later_row_holding_only_a_name()
    {
        var csv = "番号,施設名,所在地,緯度,経度\r\n1,市役所,本町,34.6,135.1\r\n,図書館分室,,,\r\n2,公民館,本町,34.6,135.1\r\n";
        using var r = Csv(csv);
        var rows = TestData.ReadAll(r);
        Assert.Equal(3, rows.Count);
        Assert.Null(r.SectionColumn);
        Assert.Equal(5, r.Columns.Count);
    }

    [Fact]
    public void A_narrow_table_has_no_section_rows()
    {
        var csv = "施設名,所在地,備考\r\n本庁舎,,\r\n市役所,本町,\r\n";
        using var r = Csv(csv);
        Assert.Equal(2, TestData.ReadAll(r).Count);
        Assert.Null(r.SectionColumn);
    }

    private static string Blocks(int rows, string laterValue = "")
    {
        var sb = new StringBuilder("学校名,児童数_計,,男女別_男,男女別_女\r\n");
        for (var i = 1; i <= rows; i++)
        {
            sb.Append($"第{i}小学校,{100 + i},,{50 + i},{50}\r\n");
        }
        sb.Append($"第{rows + 1}小学校,{200},{laterValue},{100},{100}\r\n");
        return sb.ToString();
    }

    [Fact]
    public void An_empty_column_without_a_header_between_two_blocks_is_left_out_and_reported()
    {
        using var r = Csv(Blocks(8));
        var rows = TestData.ReadAll(r);
        Assert.Equal(["学校名", "児童数_計", "男女別_男", "男女別_女"], r.Columns);
        Assert.All(rows, row => Assert.Equal(4, row.Length));
        Assert.Equal("51", rows[0][2]);
        Assert.Equal(["C"], r.SeparatorColumnsDropped);
        Assert.Contains(r.Notes, n => n.Code == "separator-columns" && n.MessageJa.Contains("C列", StringComparison.Ordinal));
        Assert.Equal(0, r.DroppedColumnValueCount);
    }

    [Fact]
    public void A_value_found_further_down_in_a_dropped_separator_column_is_counted()
    {
        var csv = Blocks(40, laterValue: "※");
        using var r = Csv(csv);
        Assert.Equal(41, TestData.ReadAll(r).Count);
        Assert.Equal(1, r.DroppedColumnValueCount);
    }

    [Fact]
    public void An_unnamed_empty_column_in_a_table_of_few_rows_is_kept()
    {
        using var r = Csv(Blocks(2));
        Assert.Equal("column_3", r.Columns[2]);
        Assert.Empty(r.SeparatorColumnsDropped);
    }
}
