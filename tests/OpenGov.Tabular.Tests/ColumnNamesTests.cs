using System.Text;

namespace OpenGov.Tabular.Tests;

/// <summary>Header cells as published (均等割り付け spacing, dash slips in katakana) and how names are compared.</summary>
public class ColumnNamesTests
{
    [Theory]
    [InlineData("施　設　名", "施設名")]
    [InlineData("所　　在　　地", "所在地")]
    [InlineData("校  　　名", "校名")]
    [InlineData("学　　　　級　　　　数", "学級数")]
    [InlineData("（再掲）男女別", "（再掲）男女別")]
    [InlineData(" 名称\n（カナ）", "名称（カナ）")]
    [InlineData("Wi-Fi スポット", "Wi-Fi スポット")]
    [InlineData("第 1 区", "第 1 区")]
    [InlineData("開始 時間 2", "開始時間 2")]
    [InlineData("name", "name")]
    public void Spaces_spreading_a_japanese_label_over_a_wide_cell_are_removed(string cell, string expected) =>
        Assert.Equal(expected, ColumnNames.Tidy(cell));

    [Theory]
    [InlineData("都道府県コ―ド又は市区町村コ―ド", "都道府県コード又は市区町村コード")]
    [InlineData("コ－ド", "コード")]
    [InlineData("ｺｰﾄﾞ", "コード")]
    [InlineData("男性トイレ数（小便器）", "男性トイレ数(小便器)")]
    [InlineData("2020-11", "2020-11")]
    [InlineData("区分-A", "区分-A")]
    public void A_dash_written_after_katakana_compares_as_the_long_vowel_mark(string name, string expected) =>
        Assert.Equal(expected, ColumnNames.Key(name));

    [Fact]
    public void A_code_column_whose_name_has_a_dash_slip_stays_text()
    {
        const string Csv = "都道府県コ―ド又は市区町村コ―ド,名称,収容定員\r\n222127,大富幼稚園,70\r\n222127,さつき幼稚園,70\r\n";
        using var t = TableReader.Open(TestData.Bytes(Csv, Encoding.UTF8));
        var types = TypeInference.InferFromSample(t, null, out _);
        Assert.Equal([ColumnType.Text, ColumnType.Text, ColumnType.Integer], types.Select(x => x.Type));
    }
}
