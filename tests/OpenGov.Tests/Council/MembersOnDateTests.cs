using System.Text.Json.Nodes;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Council;

/// <summary>The registry with the seed's history: who were the members on a date, the timeline, the fiscal years.</summary>
public sealed class MembersOnDateTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static List<string> Names(JsonNode members, string kind) =>
        [.. members["members"]!.AsArray().Where(m => m!["kind"]!.GetValue<string>() == kind).Select(m => m!["name"]!.GetValue<string>())];

    [Theory, Databases]
    public async Task Members_on_2020_11_06_are_the_seeds_twelve_in_its_order_with_chiba_as_chair(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.SeedCouncilAsync();
        var result = await app.Anonymous().GetJsonAsync("/api/council/members?date=2020-11-06");

        Assert.Equal("オープンガバメント推進協議会", result["councilName"]!.GetValue<string>());
        Assert.Equal(CouncilTestKit.Twelve, Names(result, "local_government"));
        Assert.Equal(6, Names(result, "special").Count);
        Assert.Equal("東京大学大学院 情報学環 須藤修研究室", Names(result, "special")[0]);
        var chairs = result["members"]!.AsArray().Where(m => m!["isChair"]!.GetValue<bool>()).Select(m => m!["name"]!.GetValue<string>());
        Assert.Equal(["千葉市"], chairs);
        var chiba = result["members"]!.AsArray().Single(m => m!["name"]!.GetValue<string>() == "千葉市")!;
        Assert.Equal("121002", chiba["localGovCode"]!.GetValue<string>());
        Assert.Equal("chiba", chiba["organization"]!.GetValue<string>());
    }

    [Theory, Databases]
    public async Task History_founders_leaves_and_former_name_follow_the_seed(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.SeedCouncilAsync();
        var client = app.Anonymous();

        var founding = await client.GetJsonAsync("/api/council/members?date=2013-04-01");
        Assert.Equal(["千葉市", "奈良市", "福岡市", "武雄市"], Names(founding, "local_government"));
        Assert.Equal("ビッグデータ・オープンデータ活用推進協議会", founding["councilName"]!.GetValue<string>());
        Assert.Equal("ビッグデータ・オープンデータ活用推進協議会", (await client.GetJsonAsync("/api/council/members?date=2015-03-31"))["councilName"]!.GetValue<string>());
        Assert.Equal("オープンガバメント推進協議会", (await client.GetJsonAsync("/api/council/members?date=2015-04-01"))["councilName"]!.GetValue<string>());

        var fy2013 = await client.GetJsonAsync("/api/council/years/平成25年度");
        Assert.True(fy2013["founding"]!.GetValue<bool>());
        Assert.Equal(["武雄市", "千葉市", "奈良市", "福岡市"], fy2013["joins"]!.AsArray().Select(j => j!["name"]!.GetValue<string>()));
        Assert.Equal("協議会設立（武雄市、千葉市、奈良市、福岡市）", fy2013["lines"]![0]!.GetValue<string>());

        var fy2016 = await client.GetJsonAsync("/api/council/members?date=2016-12-01");
        Assert.Contains("横須賀市", Names(fy2016, "local_government"));
        var fy2017 = await client.GetJsonAsync("/api/council/members?date=2017-04-01");
        Assert.DoesNotContain("横須賀市", Names(fy2017, "local_government"));
        var year2017 = await client.GetJsonAsync("/api/council/years/2017");
        Assert.Equal("平成29年度 (2017年度)", year2017["label"]!.GetValue<string>());
        Assert.Equal(["横須賀市"], year2017["leaves"]!.AsArray().Select(j => j!["name"]!.GetValue<string>()));
        Assert.DoesNotContain("横須賀市", year2017["membersAtEnd"]!.AsArray().Select(n => n!.GetValue<string>()));

        var timeline = await client.GetJsonAsync("/api/council/timeline");
        var yokosuka = timeline["members"]!.AsArray().Single(m => m!["name"]!.GetValue<string>() == "横須賀市")!;
        Assert.Equal([2015, 2016], yokosuka["years"]!.AsArray().Select(y => y!.GetValue<int>()));
    }

    [Theory, Databases]
    public async Task Activity_lines_are_built_from_the_records_as_of_a_date(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.SeedCouncilAsync();
        var years = (await app.Anonymous().GetJsonAsync("/api/council/activities?date=2020-11-06")).AsArray();

        var byYear = years.ToDictionary(y => y!["label"]!.GetValue<string>(), y => y!["lines"]!.AsArray().Select(l => l!.GetValue<string>()).ToList());
        Assert.Equal(["協議会設立（武雄市、千葉市、奈良市、福岡市）", "公開シンポジウム（アイデアコンテスト表彰式）"], byYear["平成25年度"]);
        Assert.Equal(["大津市、弘前市、横須賀市加入", "オープンガバメント推進協議会に名称変更", "公開シンポジウム、マイナンバー普及啓発イベント"], byYear["平成27年度"]);
        Assert.Equal("桑名市加入、大津市脱退", byYear["平成31年度"][0]);
        Assert.Equal(["つくば市、熊本市加入"], byYear["令和2年度"]); // the symposium of 2020-11-19 is after the date
        Assert.Equal(8, years.Count);
    }

    [Theory, Databases]
    public async Task A_date_that_is_not_one_gets_a_clear_error_in_the_users_language(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        using var ja = await app.Anonymous().GetAsync("/api/council/members?date=yesterday", Ct);
        Assert.Equal(400, (int)ja.StatusCode);
        Assert.Contains("日付として読めません", await ja.Content.ReadAsStringAsync(Ct));
        using var en = await app.Anonymous().GetAsync("/api/council/members?date=yesterday&lang=en", Ct);
        Assert.Contains("is not a date", await en.Content.ReadAsStringAsync(Ct));
    }
}
