using System.Text;

namespace OpenGov.Tabular.Tests;

/// <summary>Real-file layouts: several sheets, title and group rows, metadata rows, placeholders, Excel serials and times.</summary>
public class LayoutTests
{
    private static object?[][] PatientRows(int n)
    {
        var rows = new List<object?[]> { new object?[] { "No", "公表_年月日", "患者_年代", "患者_性別" } };
        for (var i = 1; i <= n; i++)
        {
            rows.Add([i, $"2020-08-{(i % 28) + 1:00}", "20代", i % 2 == 0 ? "男性" : "女性"]);
        }
        return [.. rows];
    }

    private static MemoryStream Workbook() => new XlsxBuilder()
        .Sheet("集計", [["行ラベル", "個数 / No"], ["20代", 40], ["総計", 40]])
        .Sheet("説明", [["このファイルについて"], ["陽性患者の一覧です"]])
        .Sheet("陽性患者一覧", PatientRows(40))
        .Sheet("入力例", PatientRows(2))
        .Build();

    [Fact]
    public void A_workbook_is_read_from_the_sheet_holding_the_table_and_every_sheet_is_described()
    {
        using var r = TableReader.Open(Workbook());
        Assert.Equal("陽性患者一覧", r.SheetName);
        Assert.Equal(2, r.SheetIndex);
        Assert.Equal([SheetKind.Pivot, SheetKind.Cover, SheetKind.Data, SheetKind.Example], r.Sheets.Select(s => s.Kind));
        Assert.Equal(41, r.Sheets[2].RowCount);
        Assert.Equal(4, r.Sheets[2].ColumnCount);
        Assert.Equal(40 * 4, r.Sheets[2].Score);
        Assert.Contains("「陽性患者一覧」（41行×4列、データ表）を読み込みました", r.SheetChoiceJa);
        Assert.Contains("「集計」（3行×2列、ピボット・集計表）", r.SheetChoiceJa);
        Assert.Contains("'入力例' (3 rows × 4 columns, example)", r.SheetChoiceEn);
        Assert.Equal("sheet", r.Notes[0].Code);
        Assert.Equal(40, TestData.ReadAll(r).Count);
    }

    [Theory]
    [InlineData("入力例", null, "入力例")]
    [InlineData("1", null, "集計")]
    [InlineData(null, 3, "入力例")]
    public void An_explicit_sheet_choice_by_name_number_or_index_wins(string? name, int? index, string expected)
    {
        using var r = TableReader.Open(Workbook(), new TableReadOptions { SheetName = name, SheetIndex = index });
        Assert.Equal(expected, r.SheetName);
        Assert.StartsWith("4シートのうち、指定された", r.SheetChoiceJa);
    }

    [Fact]
    public void A_missing_sheet_names_the_sheets_that_exist()
    {
        var ex = Assert.Throws<TableReadException>(() => TableReader.Open(Workbook(), new TableReadOptions { SheetName = "9" }));
        Assert.Equal("sheet-not-found", ex.Code);
        Assert.Contains("「陽性患者一覧」", ex.MessageJa);
    }

    [Fact]
    public void A_hidden_data_sheet_is_not_chosen_over_a_visible_one()
    {
        var xlsx = new XlsxBuilder().Sheet("作業用", PatientRows(50), hidden: true).Sheet("公開", PatientRows(5)).Build();
        using var r = TableReader.Open(xlsx);
        Assert.Equal("公開", r.SheetName);
        Assert.True(r.Sheets[0].Hidden);
    }

    [Fact]
    public void A_title_row_a_merged_group_row_and_a_units_row_give_a_combined_header_and_numeric_columns()
    {
        var xlsx = new XlsxBuilder().Sheet("Sheet1",
        [
            [null, "2020-08-19 時点"],
            [],
            [null, "No", "属性", null, "症状", null, "備考"],
            [null, null, "年代", "性別", "発熱", "人数"],
            [null, null, null, null, null, "（人）"],
            [null, 1, "20代", "男性", "有", 3, null],
            [null, 2, "30代", "女性", "無", 5, "再陽性"],
        ], ["B3:B4", "C3:D3", "E3:F3", "G3:G4"]).Build();
        using var r = TableReader.Open(xlsx);
        Assert.Equal(["No", "属性_年代", "属性_性別", "症状_発熱", "症状_人数", "備考"], r.Columns);
        Assert.Equal(3, r.HeaderRowIndex);
        Assert.Equal(2, r.HeaderRowCount);
        Assert.Equal(1, r.LeadingColumnsDropped);
        Assert.Equal(["2020-08-19 時点"], r.TitleRows);
        var rows = TestData.ReadAll(r);
        Assert.Equal(2, rows.Count);
        Assert.Equal(7, r.CurrentRowNumber); // the last data row is row 7 of the sheet
        Assert.Contains(r.SkippedRows, s => s.Kind == "note" && s.Row == 5);
        var types = TypeInference.Infer(r.Columns, rows);
        Assert.Equal(ColumnType.Integer, types[4].Type);
        Assert.Contains(r.Notes, n => n.Code == "two-row-header" && n.MessageJa.Contains("3行目と4行目", StringComparison.Ordinal));
    }

    [Fact]
    public void A_header_cell_merged_over_two_columns_names_both_and_spaced_labels_are_closed_up()
    {
        // 神戸市 こうべ・だれでもトイレ (corpus kobe_UDseibisisetu.xlsx): a legend row, then 「施　設　名」 merged over the
        // mark column and the name column
        var xlsx = new XlsxBuilder().Sheet("Sheet1",
        [
            [],
            [null, null, "◎大型多目的シートを設置 ○ベビーシートを設置"],
            [null, "番号", "施　設　名", null, "所　　在　　地", "緯度", "経度"],
            [null, 1, "◎", "三宮バスターミナル", "中央区", 34.694403, 135.196029],
            [null, 2, "○", "さんちか", "中央区三宮町1-10-1", 34.693265, 135.193879],
        ], ["C2:G2", "C3:D3"]).Build();
        using var r = TableReader.Open(xlsx);
        Assert.Equal(["番号", "施設名", "施設名_2", "所在地", "緯度", "経度"], r.Columns);
        Assert.Equal(2, r.HeaderRowIndex);
        Assert.Equal(2, TestData.ReadAll(r).Count);
    }

    [Fact]
    public void A_csv_group_row_spreads_over_the_empty_cells_to_its_right()
    {
        var csv = "陽性患者一覧,,,,\r\nNo,属性,,症状,\r\n,年代,性別,発熱,咳\r\n1,20代,男性,有,無\r\n2,30代,女性,無,有\r\n";
        using var r = TableReader.Open(TestData.Bytes(csv, Encoding.UTF8));
        Assert.Equal(["No", "属性_年代", "属性_性別", "症状_発熱", "症状_咳"], r.Columns);
        Assert.Equal(2, TestData.ReadAll(r).Count);
    }

    [Fact]
    public void A_group_label_repeated_in_every_column_it_covers_is_combined_with_the_row_below()
    {
        // 高松市 Well-Being survey export: blank column A, the group written out per column, question row below, scores.
        var csv = ",,属性,属性,満足度,満足度\r\n,回答者ID,性別,年代,現在、あなたはどの程度幸せですか。,5年後はどうですか。\r\n,10001,1,3,6,5\r\n,10002,2,4,7,7\r\n";
        using var r = TableReader.Open(TestData.Bytes(csv, Encoding.UTF8));
        Assert.Equal(["回答者ID", "属性_性別", "属性_年代", "満足度_現在、あなたはどの程度幸せですか。", "満足度_5年後はどうですか。"], r.Columns);
        Assert.Equal(2, r.HeaderRowCount);
        Assert.Equal(2, TestData.ReadAll(r).Count);
    }

    [Fact]
    public void A_plain_header_over_text_rows_is_not_combined()
    {
        var csv = "名称,住所,種別\r\n市役所,本町1,庁舎\r\n図書館,,文化施設\r\n";
        using var r = TableReader.Open(TestData.Bytes(csv, Encoding.UTF8));
        Assert.Equal(["名称", "住所", "種別"], r.Columns);
        Assert.Equal(1, r.HeaderRowCount);
        Assert.Equal(2, TestData.ReadAll(r).Count);
    }

    [Fact]
    public void The_hash_metadata_layout_takes_the_property_row_as_header_uses_the_xsd_hints_and_stores_no_metadata()
    {
        var text = "#LINK\t\t\t\r\n#lang\tja\t\t\r\n#attribution_name\t松本市\t\t\r\n#property\t名称\t定員\t開設日\r\n"
            + "#object_type_xsd\txsd:string\txsd:integer\txsd:date\r\n#property_context\tassertion\tassertion\tassertion\r\n"
            + "\tA保育園\t60\t2001-04-01\r\n\tB保育園\t090\t2010-04-01\r\n";
        using var r = TableReader.Open(TestData.Bytes(text, Encoding.UTF8));
        Assert.Equal(["名称", "定員", "開設日"], r.Columns);
        Assert.Equal(3, r.HeaderRowIndex);
        Assert.Equal(1, r.LeadingColumnsDropped);
        Assert.Equal(ColumnType.Integer, r.TypeHints["定員"]);
        Assert.Equal(6, r.MetadataRows.Count);
        var rows = TestData.ReadAll(r);
        Assert.Equal([["A保育園", "60", "2001-04-01"], ["B保育園", "090", "2010-04-01"]], rows);
        Assert.Contains(r.SkippedRows, s => s.Kind == "metadata" && s.Text == "#property_context");
        var types = TypeInference.Infer(r.Columns, rows, new InferenceOptions { Hints = r.TypeHints });
        Assert.Equal(ColumnType.Text, types[1].Type); // 090 does not fit the integer hint: leading zero kept
        Assert.Equal(ColumnType.Date, types[2].Type);
        Assert.Contains(r.Notes, n => n.Code == "metadata-rows");
    }

    [Fact]
    public void An_xsd_row_saying_string_for_every_column_is_the_template_default_and_the_values_decide()
    {
        // 高松市 住民異動 (LinkData): #object_type_xsd is string over every column of counts.
        var text = "#LINK,,\r\n#lang,ja,\r\n#property,month,転入_男\r\n#object_type_xsd,string,string\r\n"
            + "#property_context,Assertion,Assertion\r\n1,1,114\r\n2,2,116\r\n";
        using var r = TableReader.Open(TestData.Bytes(text, Encoding.UTF8));
        Assert.Equal(ColumnType.Text, r.TypeHints["転入_男"]);
        var types = TypeInference.InferFromSample(r, null, out var rows);
        Assert.Equal(ColumnType.Integer, types.Single(t => t.Name == "転入_男").Type);
        Assert.False(types.Single(t => t.Name == "転入_男").FromHint);
        Assert.Equal(2, rows.Count());
    }

    [Fact]
    public void A_template_instruction_right_of_the_header_over_an_empty_column_is_not_a_column()
    {
        // 高松市 交流センター template: 「←データの項目名を入力」 beside the last column name, nothing below it.
        var csv = "No,名称,緯度,←データの項目名を入力\r\n1,仏生山交流センター,34.27,←2行目以降にデータを入力\r\n2,香川交流センター,34.22,\r\n";
        using var r = TableReader.Open(TestData.Bytes(csv, Encoding.UTF8));
        Assert.Equal(["No", "名称", "緯度"], r.Columns);
        Assert.Equal(2, TestData.ReadAll(r).Count);
        Assert.Single(r.RaggedRows); // the note beside row 2 is reported, not stored as a column
    }

    [Fact]
    public void Rows_holding_only_a_running_number_are_placeholders_and_counted()
    {
        var csv = "No,名称,住所\r\n1,市役所,本町1\r\n2,図書館,本町2\r\n3,,\r\n4,,\r\n5,,\r\n";
        using var r = TableReader.Open(TestData.Bytes(csv, Encoding.UTF8));
        Assert.Equal(2, TestData.ReadAll(r).Count);
        Assert.Equal(3, r.PlaceholderRowCount);
        Assert.Equal([4L, 5L, 6L], r.SkippedRows.Where(s => s.Kind == "placeholder").Select(s => s.Row));
    }

    [Fact]
    public void Excel_time_only_cells_are_times_and_serials_in_a_date_column_are_dates()
    {
        var xlsx = new XlsxBuilder().Sheet("AED",
        [
            ["名称", "公表日", "開始時間", "終了時間", "登録日"],
            ["市役所", 43859, new XlsxBuilder.Time(0.375), new XlsxBuilder.Time(0.75), new XlsxBuilder.Date(43860)],
            ["図書館", 43900, new XlsxBuilder.Time(0.395833333333333), new XlsxBuilder.Time(0.708333333333333), new XlsxBuilder.Date(43861)],
        ]).Build();
        using var r = TableReader.Open(xlsx);
        var rows = TestData.ReadAll(r);
        Assert.Equal(["市役所", "43859", "09:00", "18:00", "2020-01-30"], rows[0]);
        var types = TypeInference.Infer(r.Columns, rows);
        Assert.Equal([ColumnType.Text, ColumnType.Date, ColumnType.Time, ColumnType.Time, ColumnType.Date], types.Select(t => t.Type));
        Assert.True(types[1].DateFromExcelSerial);
        Assert.Contains("43859", types[1].NoteJa, StringComparison.Ordinal);
        var n = new ColumnNormalizer(types);
        var values = n.Normalize(rows[0], 2);
        Assert.Equal(new DateOnly(2020, 1, 29), values[1]);
        Assert.Equal(new TimeOnly(9, 0), values[2]);
        Assert.Equal(0, n.ProblemCount);
    }

    [Fact]
    public void Whole_numbers_in_a_column_not_named_like_a_date_stay_integers()
    {
        var types = TypeInference.Infer(["人口", "公表日"], [["43859", "43859"], ["44000", "120"]]);
        Assert.Equal(ColumnType.Integer, types[0].Type);
        Assert.Equal(ColumnType.Integer, types[1].Type); // 120 is no date serial of 1950..2100
    }

    [Theory]
    [InlineData("9：00")]
    [InlineData("09:00")]
    [InlineData("9時")]
    [InlineData("9時30分")]
    [InlineData("23:59:59")]
    public void Times_of_day_are_recognised(string value)
    {
        Assert.True(JapaneseDate.TryParseTime(value, out _));
        Assert.Equal(ColumnType.Time, TypeInference.Infer(["開始時間"], [[value], ["10:00"]])[0].Type);
    }

    [Theory]
    [InlineData("24:00")]
    [InlineData("9:60")]
    [InlineData("2020-01-01")]
    [InlineData("900")]
    public void Non_times_are_rejected(string value) => Assert.False(JapaneseDate.TryParseTime(value, out _));

    [Fact]
    public void A_column_of_fiscal_years_is_a_fiscal_year_column()
    {
        var types = TypeInference.Infer(["年度", "件数"], [["令和6年度", "1"], ["平成28年度", "2"], ["R6年度", "3"], ["2020年度", "4"]]);
        Assert.Equal(ColumnType.FiscalYear, types[0].Type);
        var n = new ColumnNormalizer(types);
        Assert.Equal(new FiscalYear(2016), n.Normalize(["平成28年度", "2"], 3)[0]);
    }
}

public class EndOfDayTests
{
    [Theory]
    [InlineData("2021-08-27T24:00", "2021-08-28T00:00:00")]
    [InlineData("2020/12/31 24:00", "2021-01-01T00:00:00")]
    public void Twenty_four_hundred_is_midnight_of_the_next_day(string value, string expected)
    {
        Assert.True(JapaneseDate.TryParseTimestamp(value, out var ts));
        Assert.Equal(DateTime.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), ts);
    }

    [Theory]
    [InlineData("2021-08-27T24:01")]
    [InlineData("2021-08-27T25:00")]
    public void Other_hours_past_23_are_rejected(string value) => Assert.False(JapaneseDate.TryParseTimestamp(value, out _));

    [Fact]
    public void A_longer_data_row_further_down_is_not_taken_for_a_header()
    {
        var csv = "file,name,means,description,option\r\n" + string.Concat(Enumerable.Range(1, 20).Select(i => $"f{i}.csv,名前{i},本票,説明です{i}\r\n"))
            + "tunnel.csv,トンネル番号,高速票,説明,都道府県コード/路線コード\r\nroad.csv,路線コード,高速票,説明,都道府県コード\r\n";
        using var r = TableReader.Open(TestData.Bytes(csv, System.Text.Encoding.UTF8));
        Assert.Equal(0, r.HeaderRowIndex);
        Assert.Equal(22, TestData.ReadAll(r).Count);
    }
}

public class MorningAfternoonTests
{
    [Theory]
    [InlineData("令和6年1月21日午前6時", "2024-01-21T06:00:00")]
    [InlineData("令和6年1月9日午後6時", "2024-01-09T18:00:00")]
    [InlineData("2024年1月9日 午後6時30分", "2024-01-09T18:30:00")]
    [InlineData("2024年1月9日午前12時", "2024-01-09T00:00:00")]
    [InlineData("2024/1/9 10時", "2024-01-09T10:00:00")]
    public void Timestamps_with_gozen_gogo_and_hour_only_are_read(string value, string expected)
    {
        Assert.True(JapaneseDate.TryParseTimestamp(value, out var ts));
        Assert.Equal(DateTime.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), ts);
    }

    [Fact]
    public void Afternoon_hours_past_twelve_are_rejected() => Assert.False(JapaneseDate.TryParseTimestamp("2024年1月9日午後13時", out _));
}
