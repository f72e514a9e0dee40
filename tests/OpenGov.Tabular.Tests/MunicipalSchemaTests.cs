using System.Text;

namespace OpenGov.Tabular.Tests;

/// <summary>The 自治体標準オープンデータセット schemas: recognition, lat/long checks, real headers.</summary>
public class MunicipalSchemaTests
{
    public static TheoryData<string> MunicipalNames() => [.. StandardSchemas.MunicipalNames];

    [Fact]
    public void Every_named_standard_dataset_has_a_schema()
    {
        string[] titles = ["公共施設一覧", "指定緊急避難場所一覧", "AED設置箇所一覧", "介護サービス事業所一覧", "医療機関一覧", "文化財一覧", "観光施設一覧", "イベント一覧",
            "公衆無線LANアクセスポイント一覧", "公衆トイレ一覧", "消防水利施設一覧", "子育て施設一覧", "オープンデータ一覧", "地域・年齢別人口", "人口（町丁目別）"];
        var have = StandardSchemas.MunicipalNames.Select(n => StandardSchemas.Get(n).Title).ToList();
        Assert.All(titles, t => Assert.Contains(t, have));
        Assert.Contains("patients", StandardSchemas.Names);
    }

    [Theory]
    [MemberData(nameof(MunicipalNames))]
    public void Each_schema_round_trips_through_its_frictionless_json_and_cites_its_source(string name)
    {
        var schema = StandardSchemas.Get(name);
        var parsed = TableSchema.Parse(schema.Json);
        Assert.Equal(schema.Fields.Select(f => (f.Name, f.Type, f.Required, f.Geo)), parsed.Fields.Select(f => (f.Name, f.Type, f.Required, f.Geo)));
        Assert.Contains("デジタル庁", schema.Source, StringComparison.Ordinal);
        Assert.Equal(name, StandardSchemas.GuessFromHeader(schema.Fields.Select(f => f.Name).ToList()));
        Assert.Equal(name, StandardSchemas.GuessFromFileName($"131016_{schema.FileNames[0]}.csv"));
    }

    [Theory]
    [InlineData("131001_public_facility.csv", "public_facility")]
    [InlineData("462209_fire_hydrant.csv", "fire_hydrant")]
    [InlineData("131016_chiyoda_aed.csv", "aed")]
    [InlineData("【千代田区】公共施設一覧.xlsx", "public_facility")]
    [InlineData("130001_tokyo_covid19_patients.csv", "patients")]
    [InlineData("budget.csv", null)]
    // 高松市's own names (takamatsu-city/opendata, in the corpus): folder name as stem, after the city
    [InlineData("takamatsu_0074_garbage_separation_list.xlsx", "waste_sorting")]
    [InlineData("takamatsu_public_wireless_lan.xlsx", "public_wireless_lan")]
    [InlineData("takamatsu_0099_open_data_list.xlsx", "opendata_list")]
    [InlineData("takamatsu_evacuation_space.xlsx", "evacuation_space")]
    // 焼津市 (yaizu-city/opendata, in the corpus)
    [InlineData("222127_public_toilet.csv", "public_toilet")]
    [InlineData("222127_preschool.csv", "childcare_facility")]
    public void Standard_is_recognised_from_the_file_name(string file, string? expected) =>
        Assert.Equal(expected, StandardSchemas.GuessFromFileName(file));

    private const string FireHydrants = "全国地方公共団体コード,ID,地方公共団体名,種別,所在地_全国地方公共団体コード,町字ID,所在地_連結表記,所在地_都道府県,所在地_市区町村,所在地_町字,所在地_番地以下,建物名等(方書),緯度,経度,口径,備考\r\n"
        + "462209,,鹿児島県南さつま市,消火栓,,,,鹿児島県,南さつま市,本町中央,,,31.420235,130.320918,150,加世田中央分団\r\n"
        + "462209,,鹿児島県南さつま市,防火水槽,,,鹿児島県南さつま市加世田川畑1-1,鹿児島県,南さつま市,加世田川畑,1-1,,31.419433,130.322463,,\r\n";

    [Fact]
    public void A_public_toilet_list_with_the_official_columns_conforms_without_warnings()
    {
        // the 39 columns of データ項目定義書A 「13.公衆トイレ一覧」, as 焼津市 publishes them
        const string Csv = "全国地方公共団体コード,ID,地方公共団体名,名称,名称_カナ,名称_英語,所在地_全国地方公共団体コード,町字ID,所在地_連結表記,所在地_都道府県,所在地_市区町村,所在地_町字,所在地_番地以下,建物名等(方書),設置位置,緯度,経度,高度の種別,高度の値,"
            + "男性トイレ総数,男性トイレ数（小便器）,男性トイレ数（和式）,男性トイレ数（洋式）,女性トイレ総数,女性トイレ数（和式）,女性トイレ数（洋式）,男女共用トイレ総数,男女共用トイレ数（和式）,男女共用トイレ数（洋式）,"
            + "バリアフリートイレ数,車椅子使用者用トイレ有無,乳幼児用設備設置トイレ有無,オストメイト設置トイレ有無,利用開始時間,利用終了時間,利用可能時間特記事項,画像,画像_ライセンス,備考\r\n"
            + "222127,1,静岡県焼津市,ふるさとの川瀬戸川便益施設,フルサトノカワセトガワベンエキシセツ,,222127,,静岡県焼津市駅北5丁目2-11,静岡県,焼津市,駅北5丁目,2-11,,施設内,34.8760119,138.3207625,,,3,2,0,1,2,0,2,0,0,0,0,有,無,無,09:00,17:00,,,,\r\n";
        using var t = TableReader.Open(TestData.Bytes(Csv, Encoding.UTF8));
        Assert.Equal("public_toilet", StandardSchemas.GuessFromHeader(t.Columns));
        var report = SchemaValidator.Validate(StandardSchemas.Get("public_toilet"), t);
        Assert.Empty(report.Problems);
    }

    [Fact]
    public void The_recommended_dataset_column_names_of_2019_are_taken_as_the_current_ones_with_a_warning()
    {
        // 推奨データセット names still published (焼津市 AED設置箇所一覧): the code, NO, 住所 and 方書 columns
        const string Csv = "都道府県コード又は市区町村コード,NO,都道府県名,市区町村名,名称,名称_カナ,住所,方書,緯度,経度,設置位置\r\n"
            + "222127,0000000001,静岡県,焼津市,市役所本館,シヤクショホンカン,静岡県焼津市本町2-16-32,,34.866918,138.323171,２階正面入口\r\n";
        using var t = TableReader.Open(TestData.Bytes(Csv, Encoding.UTF8));
        var report = SchemaValidator.Validate(StandardSchemas.Get("aed"), t);
        Assert.True(report.Conforms, string.Join("\n", report.Problems.Select(p => p.MessageEn)));
        var aliases = report.Problems.Where(p => p.Code == "header-alias").Select(p => p.MessageJa).ToList();
        Assert.Contains("列「都道府県コード又は市区町村コード」を標準の「全国地方公共団体コード」として扱います", aliases);
        Assert.Contains("列「NO」を標準の「ID」として扱います", aliases);
        Assert.Contains("列「住所」を標準の「所在地_連結表記」として扱います", aliases);
    }

    [Fact]
    public void A_medical_institution_list_in_the_published_hokkaido_layout_is_recognised_and_its_hours_and_beds_typed()
    {
        // header and first row of 北海道's 医療機関一覧 (推奨データセット layout with the prefecture's own extra columns),
        // as quoted in a public scraper's test data
        const string Csv = "都道府県コード又は市区町村コード,No,都道府県名,振興局,市町村,名称,名称_カナ,医療機関の種類,郵便番号,所在地,方書,緯度,経度,電話番号,内線番号,FAX番号,法人番号,開設者氏名,管理者氏名,指定年月日,登録理由,指定期間開始,医療機関コード,"
            + "診療曜日,診療開始時間,診療終了時間,診療日時特記事項,時間外における対応,診療科目,病床数,療養病床,特定機能,現存・休止,URL,備考,緯度経度出典,データ作成日\r\n"
            + "010006,287,北海道,上川総合振興局,旭川市,市立旭川病院,,病院,070-0029,旭川市金星町１丁目１番６５号,,43.778144,142.365952,0166-24-3181,,,,旭川市,石井　良直,昭32. 7. 1,新規,平29. 7. 1,2910997,"
            + ",,,,,内;外;耳い;産婦;小;皮;眼,481,,,現存,,,地理院地図,2022-11-23\r\n";
        using var t = TableReader.Open(TestData.Bytes(Csv, Encoding.UTF8));
        Assert.Equal("medical_institution", StandardSchemas.GuessFromHeader(t.Columns));
        var report = SchemaValidator.Validate(StandardSchemas.Get("medical_institution"), t);
        Assert.True(report.Conforms, string.Join("\n", report.Problems.Select(p => p.MessageEn)));
        Assert.DoesNotContain(report.Problems, p => p.Code == "missing-column" && p.Column is "病床数" or "診療曜日" or "診療開始時間" or "時間外における対応");
    }

    [Fact]
    public void A_published_fire_hydrant_list_conforms()
    {
        using var t = TableReader.Open(TestData.Bytes(FireHydrants, Encoding.UTF8));
        Assert.Equal("fire_hydrant", StandardSchemas.GuessFromHeader(t.Columns));
        var report = SchemaValidator.Validate(StandardSchemas.Get("fire_hydrant"), t);
        Assert.True(report.Conforms, string.Join("\n", report.Problems.Select(p => p.MessageEn)));
    }

    [Fact]
    public void Coordinates_outside_japan_or_swapped_are_errors_on_the_publishers_row()
    {
        var csv = "2023-04-01 時点,,,,\r\n全国地方公共団体コード,ID,種別,緯度,経度\r\n462209,1,消火栓,130.320918,31.420235\r\n462209,2,消火栓,31.42,130.32\r\n";
        using var t = TableReader.Open(TestData.Bytes(csv, Encoding.UTF8));
        var report = SchemaValidator.Validate(StandardSchemas.Get("fire_hydrant"), t);
        var geo = report.Problems.Where(p => p.Code == "out-of-japan").ToList();
        Assert.Equal(2, geo.Count);
        Assert.All(geo, p => Assert.Equal(3L, p.Row));
        Assert.Contains("日本の範囲", geo[0].MessageJa, StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_row_numbers_follow_the_file_after_inference_replays_the_sample()
    {
        var csv = "表題\r\n\r\n全国地方公共団体コード,ID,種別,緯度\r\n462209,1,消火栓,31.4\r\n462209,2,消火栓,99\r\n1\r\n";
        using var t = TableReader.Open(TestData.Bytes(csv + "462209,3,消火栓,31.5\r\n", Encoding.UTF8));
        TypeInference.InferFromSample(t, null, out var rows);
        var report = SchemaValidator.Validate(StandardSchemas.Get("fire_hydrant"), t.Columns, rows, new ValidationOptions { RowNumber = () => rows.CurrentRowNumber });
        Assert.Equal(5L, report.Problems.Single(p => p.Code == "out-of-japan").Row);
        Assert.Equal(3, report.RowCount);
    }
}
