namespace OpenGov.Tabular.Tests;

public class SchemaTests
{
    [Fact]
    public void All_five_standards_are_embedded()
    {
        foreach (var name in StandardSchemas.Names)
        {
            var s = StandardSchemas.Get(name);
            Assert.Equal(name, s.Name);
            Assert.Contains(s.Fields, f => f.Name == "全国地方公共団体コード" && f.LocalGovCode && f.Required);
            Assert.Contains("\"fields\"", s.Json, StringComparison.Ordinal);
        }
        var p = StandardSchemas.Get("patients");
        Assert.Equal(15, p.Fields.Count);
        Assert.Contains("90歳以上", p.Fields.Single(f => f.Name == "患者_年代").Enum!);
        Assert.Equal(["1", "0"], p.Fields.Single(f => f.Name == "患者_退院済フラグ").Enum);
    }

    [Theory]
    [InlineData("130001_tokyo_covid19_patients.csv", "patients")]
    [InlineData("/tmp/082201_tsukuba_covid19_test_people.csv", "test_people")]
    [InlineData("121002_chiba_covid19_test_count.xlsx", "test_count")]
    [InlineData("130001_tokyo_covid19_confirm_negative.csv", "confirm_negative")]
    [InlineData("130001_TOKYO_COVID19_CALL_CENTER.CSV", "call_center")]
    [InlineData("130001_tokyo_covid19_combined_telephone_advice_center.csv", null)]
    [InlineData("patients.csv", null)]
    public void Standard_is_guessed_from_file_name(string file, string? expected) =>
        Assert.Equal(expected, StandardSchemas.GuessFromFileName(file));

    [Fact]
    public void Standard_is_guessed_from_header()
    {
        Assert.Equal("call_center", StandardSchemas.GuessFromHeader(["全国地方公共団体コード", "都道府県名", "市区町村名", "受付_年月日", "曜日", "相談件数"]));
        Assert.Equal("test_people", StandardSchemas.GuessFromHeader(["実施_年月日", "全国地方公共団体コード", "都道府県名", "市区町村名", "検査実施_人数", "備考"]));
        Assert.Null(StandardSchemas.GuessFromHeader(["名前", "住所"]));
        using var r = TableReader.Open(TestData.Fixture(TestData.TokyoPatients));
        Assert.Equal("patients", StandardSchemas.GuessFromHeader(r.Columns));
    }

    [Fact]
    public void Tokyo_patients_conform_with_warnings_for_its_real_deviations()
    {
        using var r = TableReader.Open(TestData.Fixture(TestData.TokyoPatients));
        var report = SchemaValidator.Validate(StandardSchemas.Get("patients"), r);
        Assert.True(report.Conforms, string.Join("\n", report.Problems.Where(p => p.Severity == Severity.Error).Take(5)));
        Assert.Equal(14645, report.RowCount);
        Assert.Contains(report.Problems, p => p.Code == "extra-column" && p.Column == "曜日" && p.Severity == Severity.Warning);
        Assert.Contains(report.Problems, p => p.Code == "header-alias" && p.Column == "患者_属性");
        Assert.Contains(report.Problems, p => p.Code == "header-alias" && p.Column == "退院済フラグ");
        Assert.Contains(report.Problems, p => p.Code == "column-order");
        Assert.Contains(report.Problems, p => p.Code == "enum-nonstandard" && p.Value == "100歳以上" && p.Row > 1);
        Assert.Contains(report.Problems, p => p.Code == "enum-nonstandard" && p.Value == "不明");
        Assert.Equal(0, report.ErrorCount);
    }

    [Fact]
    public void Tokyo_call_center_conforms()
    {
        using var r = TableReader.Open(TestData.Fixture(TestData.TokyoCallCenter));
        var report = SchemaValidator.Validate(StandardSchemas.Get("call_center"), r);
        Assert.True(report.Conforms);
        Assert.Equal(190, report.RowCount);
        Assert.Contains(report.Problems, p => p.Code == "missing-column" && p.Column == "備考" && p.Severity == Severity.Warning);
    }

    [Fact]
    public void Bad_values_are_errors_with_row_column_and_both_languages()
    {
        string[] header = ["受付_年月日", "全国地方公共団体コード", "都道府県名", "市区町村名", "相談件数", "備考", "曜日"];
        string[][] rows =
        [
            ["2020-11-06", "130001", "東京都", "", "10", "", "金"],
            ["令和2年11月7日", "130002", "東京都", "", "-5", "", "Sat"],
            ["", "13000", "", "", "many", "", "日"],
        ];
        var report = SchemaValidator.Validate(StandardSchemas.Get("call_center"), header, rows);
        Assert.False(report.Conforms);
        Assert.Contains(report.Problems, p => p is { Code: "date-format", Row: 3, Severity: Severity.Warning });
        Assert.Contains(report.Problems, p => p is { Code: "local-gov-code", Row: 3, Value: "130002", Severity: Severity.Error });
        Assert.Contains(report.Problems, p => p is { Code: "minimum", Row: 3 });
        Assert.Contains(report.Problems, p => p is { Code: "required", Row: 4, Column: "受付_年月日" });
        Assert.Contains(report.Problems, p => p is { Code: "type", Row: 4, Column: "相談件数", Value: "many" });
        Assert.Contains(report.Problems, p => p.Code == "weekday-mixed-language");
        var code = report.Problems.First(p => p.Code == "local-gov-code");
        Assert.Contains("検査数字", code.MessageJa, StringComparison.Ordinal);
        Assert.Contains("check digit", code.MessageEn, StringComparison.Ordinal);
    }

    // 高松市's LinkData files write the code as 37201, the 5-digit form without its check digit
    [Fact]
    public void A_five_digit_local_gov_code_is_a_warning_per_row_naming_the_six_digit_code_and_a_wrong_check_digit_an_error()
    {
        string[] header = ["受付_年月日", "全国地方公共団体コード", "都道府県名", "市区町村名", "相談件数"];
        string[][] rows = [["2020-11-06", "37201", "香川県", "高松市", "1"], ["2020-11-07", "37201", "香川県", "高松市", "2"]];
        var report = SchemaValidator.Validate(StandardSchemas.Get("call_center"), header, rows);
        Assert.True(report.Conforms);
        var warnings = report.Problems.Where(p => p.Code == "local-gov-code-no-check-digit").ToList();
        Assert.Equal([2L, 3L], warnings.Select(w => w.Row));
        Assert.All(warnings, w => Assert.Equal(Severity.Warning, w.Severity));
        Assert.Equal("全国地方公共団体コード「37201」は検査数字のない5桁です（6桁では「372013」）", warnings[0].MessageJa);

        var wrong = SchemaValidator.Validate(StandardSchemas.Get("call_center"), header, [["2020-11-06", "372011", "香川県", "高松市", "1"], ["2020-11-06", "3720", "香川県", "高松市", "1"]]);
        Assert.False(wrong.Conforms);
        Assert.Equal(["全国地方公共団体コード「372011」の検査数字（6桁目）が正しくありません（正しくは「372013」）", "全国地方公共団体コード「3720」は6桁の数字ではありません"],
            wrong.Problems.Where(p => p.Code == "local-gov-code").Select(p => p.MessageJa));
    }

    [Fact]
    public void Unknown_extra_column_and_missing_required_column_are_errors()
    {
        var report = SchemaValidator.Validate(StandardSchemas.Get("test_count"), ["実施_年月日", "都道府県名", "謎の列"], [["2020-11-06", "東京都", "x"]]);
        Assert.Contains(report.Problems, p => p is { Code: "missing-column", Column: "全国地方公共団体コード", Severity: Severity.Error });
        Assert.Contains(report.Problems, p => p is { Code: "extra-column", Column: "謎の列", Severity: Severity.Error });
    }

    [Fact]
    public void Problem_list_is_capped_but_counts_are_exact()
    {
        var rows = Enumerable.Range(0, 5000).Select(_ => new[] { "x", "1", "", "", "", "" });
        var report = SchemaValidator.Validate(StandardSchemas.Get("call_center"), ["受付_年月日", "全国地方公共団体コード", "都道府県名", "市区町村名", "相談件数", "備考"], rows,
            new ValidationOptions { MaxProblems = 50 });
        Assert.True(report.Truncated);
        Assert.Equal(50, report.Problems.Count);
        Assert.True(report.ErrorCount >= 5000 * 4);
    }
}
