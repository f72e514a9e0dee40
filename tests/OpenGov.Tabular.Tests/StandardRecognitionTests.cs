namespace OpenGov.Tabular.Tests;

/// <summary>Recognition of standard datasets from real headers: the 2019 推奨データセット names and LinkData's English property names.</summary>
public class StandardRecognitionTests
{
    [Theory]
    // 高松市 future_population_data/0068.xlsx is a projection by year (将来推計人口), not 地域・年齢別人口
    [InlineData("0068_future_population.xlsx")]
    [InlineData("takamatsu_0068_future_population.xlsx")]
    [InlineData("population.csv")]
    public void A_generic_population_file_name_names_no_standard(string file) =>
        Assert.Null(StandardSchemas.GuessFromFileName(file));

    [Theory]
    [InlineData("141305_care_service.csv", "care_service")]
    [InlineData("131016_population_by_area_age.csv", "population_by_area_age")]
    [InlineData("地域・年齢別人口_202304.csv", "population_by_area_age")]
    public void A_specific_file_name_still_names_its_standard(string file, string expected) =>
        Assert.Equal(expected, StandardSchemas.GuessFromFileName(file));

    [Fact]
    public void A_care_service_list_in_the_2019_layout_is_recognised_and_its_names_are_aliases()
    {
        // the 推奨データセット column names of 介護サービス事業所一覧, as published files are read by their users
        string[] header = ["都道府県コード又は市区町村コード", "NO", "都道府県名", "市区町村名", "介護サービス事業所名称", "介護サービス事業所名称_カナ", "実施サービス",
            "住所", "方書", "緯度", "経度", "電話番号", "内線番号", "FAX番号", "法人番号", "法人の名称", "事業所番号", "利用可能曜日", "利用可能曜日特記事項", "定員", "URL", "備考"];
        Assert.Equal("care_service", StandardSchemas.GuessFromHeader(header));
        var schema = StandardSchemas.Get("care_service");
        Assert.Contains(schema.Fields, f => f.Name == "介護サービス事業所名称" && f.Required);
        Assert.Contains(schema.Fields, f => f.Name == "実施サービス" && f.Aliases.Contains("介護サービスの種類"));
    }

    [Fact]
    public void LinkData_english_property_names_of_an_area_age_population_file_are_recognised()
    {
        // 高松市 population/0066_202304.csv (in the corpus): LinkData's property names, 18 age bands by sex
        List<string> header = ["prefCode", "regionCode", "prefName", "cityName", "surveyDate", "regionName", "totalPopulation", "male", "woman"];
        for (var i = 1; i <= 18; i++)
        {
            header.Add($"man{i}");
            header.Add($"woman{i}");
        }
        header.AddRange(["numberOfHouseholds", "note", "location"]);
        Assert.Equal("population_by_area_age", StandardSchemas.GuessFromHeader(header));
    }

    [Fact]
    public void A_validation_of_linkdata_names_warns_in_japanese_that_each_is_taken_as_the_standard_column()
    {
        const string Csv = "prefCode,surveyDate,regionName,totalPopulation,male,woman\r\n372013,2023-04-01,塩屋町,371,167,204\r\n";
        using var t = TableReader.Open(TestData.Bytes(Csv, System.Text.Encoding.UTF8));
        var report = SchemaValidator.Validate(StandardSchemas.Get("population_by_area_age"), t);
        Assert.Contains(report.Problems, p => p.Code == "header-alias" && p.MessageJa == "列「surveyDate」を標準の「調査年月日」として扱います");
        Assert.DoesNotContain(report.Problems, p => p.Code == "missing-column" && p.Column is "調査年月日" or "地域名" or "総数");
        Assert.True(report.Conforms);
    }

    [Fact]
    public void A_food_business_list_in_the_national_layout_has_no_missing_permit_columns()
    {
        // 山形市's 食品等営業許可・届出一覧 in the national layout (34 columns) names the expiry 許可満了日, with 法人名 and 申請区分
        const string Csv = "全国地方公共団体コード,施設名称,営業の種類,業態,所在地_連結表記,法人名,法人番号,許可番号,許可年月日,許可満了日,申請区分\r\n"
            + "062014,そば処,飲食店営業,,山形県山形市本町1-1,,,R08-1234,2026-04-01,2032-03-31,新規\r\n";
        using var t = TableReader.Open(TestData.Bytes(Csv, System.Text.Encoding.UTF8));
        var report = SchemaValidator.Validate(StandardSchemas.Get("food_business_license"), t);
        Assert.DoesNotContain(report.Problems, p => p.Code == "extra-column");
        Assert.True(report.Conforms);
        Assert.Contains(StandardSchemas.Get("food_business_license").Fields, f => f.Name == "許可満了日" && f.Aliases.Contains("有効期限"));
    }
}
