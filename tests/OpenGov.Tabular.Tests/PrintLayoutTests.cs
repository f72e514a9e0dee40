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

    // as 神戸市's 制度部門別所得支出勘定: blocks stacked in one sheet, each a numbered section title and the header again;
    // the first block's title is above the header, under the sheet's title and over a units row
    private const string Stacked =
        "制度部門別所得支出勘定,,,\r\n" +
        "（１）非金融法人企業,,,\r\n" +
        "（単位：100万円）,,,\r\n" +
        "項　　目,平成13年度,14年度,15年度\r\n" +
        "１．財産所得,353345,303352,327802\r\n" +
        "　(1)利子,173861,113561,131503\r\n" +
        "（２）金融機関,,,\r\n" +
        ",,,\r\n" +
        "項目,平成13年度,14年度,15年度\r\n" +
        "１．財産所得,517049,451131,430020\r\n" +
        "　(1)利子,383332,325329,304992\r\n";

    [Fact]
    public void Stacked_blocks_with_a_section_title_and_the_header_again_in_the_middle_load_as_one_table_with_a_section_column()
    {
        using var r = Csv(Stacked);
        var types = TypeInference.InferFromSample(r, null, out var rows);
        var data = rows.ToList();
        Assert.Equal(["項目", "平成13年度", "14年度", "15年度", "区分"], r.Columns);
        Assert.Equal(4, data.Count);
        Assert.Equal(["（１）非金融法人企業", "（１）非金融法人企業", "（２）金融機関", "（２）金融機関"], data.Select(d => d[4]));
        Assert.All(types.Take(4).Skip(1), t => Assert.Equal(ColumnType.Integer, t.Type));
        Assert.Equal([(7L, "section"), (9L, "header")], r.SkippedRows.Where(s => s.Kind is "section" or "header").Select(s => (s.Row, s.Kind)));
    }

    [Fact]
    public void Section_rows_that_first_appear_in_the_middle_of_a_dense_table_become_a_column()
    {
        var sb = new StringBuilder("番号,施設名,所在地,電話番号\r\n");
        var n = 0;
        foreach (var area in new[] { "", "北部地区", "南部地区" })
        {
            if (area.Length > 0)
            {
                sb.Append($",{area},,\r\n");
            }
            for (var i = 0; i < 6; i++)
            {
                n++;
                sb.Append($"{n},施設{n},本町{n},078-000-{n:0000}\r\n");
            }
        }
        using var r = Csv(sb.ToString());
        var types = TypeInference.InferFromSample(r, null, out var rows);
        var data = rows.ToList();
        Assert.Equal(18, data.Count);
        Assert.Equal("区分", r.SectionColumn);
        Assert.Equal(["", "北部地区", "南部地区"], data.Select(d => d[4]).Distinct());
        Assert.Equal(ColumnType.Integer, types[0].Type);
    }

    [Fact]
    public void A_repeated_header_row_is_not_stored_as_data()
    {
        using var r = Csv("施設名,所在地,電話番号\r\n市役所,本町,078-1\r\n施設名,所在地,電話番号\r\n図書館,元町,078-2\r\n");
        Assert.Equal(["市役所", "図書館"], TestData.ReadAll(r).Select(d => d[0]));
        Assert.Equal([(3L, "header")], r.SkippedRows.Select(s => (s.Row, s.Kind)));
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
