using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.ResourceViews;

/// <summary>
/// A publisher uploads a 自治体標準 AED list with 緯度/経度: the load makes a map view (recline_map_view) beside the
/// table view, the resource page draws it without script over 地理院タイル with named markers, the rows left out and a
/// table alternative, and the dataset page shows the standard's badges instead of the raw extra.
/// </summary>
public partial class MapViewTests
{
    // 高松市's AED list in the standard's columns (a subset, as published lists often are): five drawn, one without a
    // position, one with latitude and longitude swapped
    private static readonly byte[] AedCsv = Encoding.UTF8.GetBytes(string.Join("\r\n",
        "全国地方公共団体コード,ID,地方公共団体名,名称,名称_カナ,所在地_連結表記,緯度,経度,設置位置,電話番号,利用可能曜日,開始時間,終了時間,小児対応設備の有無,備考",
        "372013,372013-001,香川県高松市,高松市役所,タカマツシヤクショ,香川県高松市番町一丁目8番15号,34.3401,134.0434,1階 正面玄関ホール,087-839-2011,月火水木金,08:30,17:15,有,",
        "372013,372013-002,香川県高松市,サンポート高松 高松シンボルタワー,サンポートタカマツ タカマツシンボルタワー,香川県高松市サンポート2番1号,34.3508,134.0466,タワー棟1階 防災センター,087-822-1707,月火水木金土日,09:00,22:00,有,",
        "372013,372013-003,香川県高松市,栗林公園 東門,リツリンコウエン ヒガシモン,香川県高松市栗林町一丁目20番16号,34.3296,134.0441,東門 管理事務所,087-833-7411,月火水木金土日,07:00,17:00,無,",
        "372013,372013-004,香川県高松市,屋島山上交流拠点施設,ヤシマサンジョウコウリュウキョテンシセツ,香川県高松市屋島東町1784番地1,34.3551,134.1010,1階 受付,087-813-0066,火水木金土日,09:00,17:00,有,月曜休館",
        "372013,372013-005,香川県高松市,高松市香西コミュニティセンター,タカマツシコウザイコミュニティセンター,香川県高松市香西本町1番地1,34.3166,134.0220,1階 事務室前,087-881-4100,月火水木金土,09:00,21:00,無,",
        "372013,372013-006,香川県高松市,塩江温泉観光案内所,シオノエオンセンカンコウアンナイジョ,香川県高松市塩江町安原上東,,,入口,087-893-0000,月火水木金土日,09:00,17:00,無,位置は調査中",
        "372013,372013-007,香川県高松市,国分寺総合センター,コクブンジソウゴウセンター,香川県高松市国分寺町新居1298番地,134.0103,34.2995,1階 ロビー,087-874-1211,月火水木金,08:30,17:15,有,",
        ""));

    [Theory, Databases]
    public async Task A_table_with_latitude_and_longitude_is_mapped_on_its_resource_page_and_its_standard_shown_as_a_badge(Db db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await TestApp.StartAsync(db, kestrel: true);
        await app.CreateOrganizationAsync("takamatsu", "高松市");
        var editor = app.WithToken(await app.CreateUserAsync("editor", "takamatsu", "editor"));
        var anonymous = app.Anonymous();
        var package = CatalogFixtures.Dataset("aed", "takamatsu");
        package["extras"] = new JsonArray(new JsonObject { ["key"] = "standard", ["value"] = "aed" });
        var datasetId = (await editor.OkAsync("package_create", package))["id"]!.GetValue<string>();
        var (status, created) = await editor.UploadAsync(datasetId, "372013_aed.csv", AedCsv);
        Assert.Equal(200, status);
        var rid = created["result"]!["id"]!.GetValue<string>();
        Assert.Equal("complete", (await app.WaitForJobAsync(rid))["status"]!.GetValue<string>());

        // the load made the table view and, for the 緯度/経度 columns, CKAN's map view with its keys
        var views = (await anonymous.GetOkAsync("resource_view_list?id=" + rid)).AsArray();
        Assert.Equal(["datatables_view", "recline_map_view"], views.Select(v => v!["view_type"]!.GetValue<string>()));
        var map = views[1]!;
        Assert.Equal(("地図", "lat_long", "緯度", "経度"), (map["title"]!.GetValue<string>(), map["map_field_type"]!.GetValue<string>(), map["latitude_field"]!.GetValue<string>(), map["longitude_field"]!.GetValue<string>()));

        // the resource page: an SVG of the five points over 地理院タイル, markers named by 名称, the credit, the rows left out
        using var response = await anonymous.GetAsync($"/dataset/aed/resource/{rid}", ct);
        Assert.Contains("img-src 'self' data: https://cyberjapandata.gsi.go.jp;", string.Join(";", response.Headers.GetValues("Content-Security-Policy")));
        var page = await response.Content.ReadAsStringAsync(ct);
        var svg = Regex.Match(page, "<svg class=\"og-map-svg\".*?</svg>", RegexOptions.Singleline).Value;
        Assert.Contains("aria-label=\"地図（5 地点）\"", svg);
        Assert.Contains("data-zoom=\"13\"", svg);
        Assert.Equal(5, Regex.Count(svg, "<circle "));
        Assert.Contains("role=\"img\" aria-label=\"高松市役所\"><title>高松市役所</title></circle>", svg);
        Assert.Matches("<image href=\"https://cyberjapandata.gsi.go.jp/xyz/std/13/7146/3263.png\" x=\"-?[0-9.]+\" y=\"-?[0-9.]+\" width=\"256\" height=\"256\" />", svg);
        Assert.DoesNotContain("国分寺総合センター", svg);
        Assert.Contains("<a href=\"https://maps.gsi.go.jp/development/ichiran.html\" rel=\"noopener\">出典：国土地理院</a>", page);
        Assert.Contains("緯度・経度が空欄の行 1 件は描いていません。", page);
        Assert.Contains("位置が日本の範囲外の行 1 件は描いていません", page);

        // its table alternative: name, address, latitude, longitude, and the way to every row
        Assert.Contains("<th scope=\"col\">名称</th>", page);
        Assert.Contains("<th scope=\"col\">所在地_連結表記</th>", page);
        Assert.Contains("<tr>\n                        <th scope=\"row\">高松市役所</th>", page.Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.Contains("<td>香川県高松市番町一丁目8番15号</td>", page);
        Assert.Contains("<td>34.3401</td>", page);
        Assert.Contains($"<a href=\"/dataset/aed/resource/{rid}/data\">すべての行を表で見る</a>", page);
        var en = await anonymous.GetStringAsync($"/dataset/aed/resource/{rid}?lang=en", ct);
        Assert.Contains("aria-label=\"Map (5 points)\"", en);
        Assert.Contains("1 rows placed outside Japan are not drawn", en);

        // a map view's columns, when given, are the table's
        var (badStatus, bad) = await editor.ActionAsync("resource_view_create", new { resource_id = rid, view_type = "recline_map_view", title = "地図2", latitude_field = "ない列", longitude_field = "経度" });
        Assert.Equal(409, badStatus);
        Assert.Equal("Field \"ない列\" not in the table", bad["error"]!["latitude_field"]![0]!.GetValue<string>());

        // a deleted map view comes back from resource_create_default_resource_views, once
        await editor.OkAsync("resource_view_delete", new { id = map["id"]!.GetValue<string>() });
        var made = (await editor.OkAsync("resource_create_default_resource_views", new { resource = new { id = rid }, create_datastore_views = true })).AsArray();
        Assert.Equal("recline_map_view", Assert.Single(made)!["view_type"]!.GetValue<string>());
        Assert.Empty((await editor.OkAsync("resource_create_default_resource_views", new { resource = new { id = rid }, create_datastore_views = true })).AsArray());

        // the dataset page: the declared standard and the resource's as badges to the definition, not the raw extra
        var dataset = await anonymous.GetStringAsync("/dataset/aed", ct);
        Assert.Equal(2, Regex.Count(dataset, "<a class=\"badge badge-standard[^\"]*\" href=\"/standard/aed\""));
        Assert.Contains("標準: AED設置箇所一覧</a>", dataset);
        Assert.Contains("標準: AED設置箇所一覧（不適合）</a>", dataset); // the swapped row is an out-of-japan error
        Assert.DoesNotContain("<th scope=\"row\">standard</th>", dataset);
        Assert.Contains("Standard: AED locations", await anonymous.GetStringAsync("/dataset/aed?lang=en", ct));
        var definition = await anonymous.GetStringAsync("/standard/aed", ct);
        Assert.Contains("<th scope=\"row\" lang=\"ja\">緯度</th><td>緯度（日本の範囲内）</td>", definition);
        Assert.Equal(404, (int)(await anonymous.GetAsync("/standard/no-such-standard", ct)).StatusCode);
    }
}
