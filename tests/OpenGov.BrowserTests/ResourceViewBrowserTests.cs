using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using OpenGov.ResourceViews;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.BrowserTests;

/// <summary>
/// Issue 14 point 3, "see the data": on a table's resource page an editor adds a chart of the columns they pick (the
/// form works without JavaScript), and every reader sees it as SVG with its table alternative, beside the map that a
/// table with 緯度/経度 gets; readable on a 390-px phone and axe-clean, in Japanese and in English.
/// axe runs only in pages with script (its injection never completes in a page without; that hung this test): the
/// form is checked again in a context with script and the editor's cookies. The map's tiles (国土地理院) are answered
/// in the test with a blank image: it needs no internet.
/// </summary>
public class ResourceViewBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static readonly AxeRunOptions Wcag21AA = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    };

    // an AED list in the standard's columns: four with children's pads (有), two without (無)
    private static readonly byte[] AedCsv = Encoding.UTF8.GetBytes(string.Join("\r\n",
        "全国地方公共団体コード,ID,地方公共団体名,名称,所在地_連結表記,緯度,経度,小児対応設備の有無",
        "372013,372013-001,香川県高松市,高松市役所,香川県高松市番町一丁目8番15号,34.3401,134.0434,有",
        "372013,372013-002,香川県高松市,高松シンボルタワー,香川県高松市サンポート2番1号,34.3508,134.0466,有",
        "372013,372013-003,香川県高松市,栗林公園 東門,香川県高松市栗林町一丁目20番16号,34.3296,134.0441,無",
        "372013,372013-004,香川県高松市,屋島山上交流拠点施設,香川県高松市屋島東町1784番地1,34.3551,134.1010,有",
        "372013,372013-005,香川県高松市,香西コミュニティセンター,香川県高松市香西本町1番地1,34.3166,134.0220,無",
        "372013,372013-006,香川県高松市,国分寺総合センター,香川県高松市国分寺町新居1298番地,34.2995,134.0103,有",
        ""));

    [Theory(Timeout = 300_000)]
    [InlineData(true, "ja")]
    [InlineData(false, "en")]
    public async Task An_editor_charts_a_column_without_script_and_readers_see_the_chart_the_map_and_their_tables(bool phone, string lang)
    {
        await using var app = await TestApp.StartAsync(Db.Sqlite, kestrel: true);
        var (orgId, datasetId) = await app.DatasetAsync(name: "aed-views");
        var rid = await app.UploadAsync(datasetId, "372013_aed.csv", AedCsv);
        Assert.Equal("complete", (await app.LoadAndWaitAsync(rid))["status"]!.GetValue<string>());
        using (var api = new HttpClient { BaseAddress = app.BaseAddress })
        {
            api.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", app.AdminToken);
            var org = await api.OkAsync("organization_show", new { id = orgId });
            await app.CreateUserAsync("hanako", org["name"]!.GetValue<string>(), "editor", password: "secret-pw");
        }
        var resourcePage = $"/dataset/aed-views/resource/{rid}";

        // the editor, on a page without script: log in, open 「グラフを追加」 from the resource page, pick the column
        await using var editing = await browser.NewContextAsync(app.BaseAddress, phone: phone, javaScript: false);
        await NoTilesAsync(editing);
        var editor = await editing.NewPageAsync();
        await editor.GotoAsync("/user/login");
        await editor.GetByLabel("ユーザー名またはメールアドレス").FillAsync("hanako");
        await editor.GetByLabel("パスワード").FillAsync("secret-pw");
        await editor.GetByLabel("パスワード").PressAsync("Enter");
        await editor.WaitForURLAsync(url => !url.Contains("/user/login", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        if (lang == "en")
        {
            await editor.GotoAsync("/lang/en?returnUrl=" + Uri.EscapeDataString(resourcePage));
        }
        await editor.GotoAsync(resourcePage);
        await editor.Locator($"a[href$='/resource/{rid}/view/new']").ClickAsync();
        await editor.Locator("#field-title").FillAsync(lang == "en" ? "Pads for children" : "小児用パッドの有無");
        await editor.Locator($"#field-chart-type-{ChartConfig.CountPerCategory}").CheckAsync();
        await editor.Locator("#field-category").SelectOptionAsync("小児対応設備の有無");
        var formUrl = editor.Url;
        await Screenshot(editor, "resource-view-chart-form", phone, lang);
        await editor.Locator("form.editing-form button[type=submit]").ClickAsync();
        await editor.WaitForURLAsync(url => !url.Contains("/view/new", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        Assert.Contains($"/resource/{rid}", editor.Url, StringComparison.Ordinal);
        await Assertions.Expect(editor.Locator($"section.resource-view[data-view-type='{ResourceViewTypes.Chart}'] svg[role='img']")).ToHaveCountAsync(1);

        // the same form, with script, for axe (the editor's cookies carried over)
        List<string> form;
        await using (var checking = await browser.NewContextAsync(app.BaseAddress, phone: phone))
        {
            await checking.AddCookiesAsync((await editing.CookiesAsync()).Select(c => new Cookie
            {
                Name = c.Name,
                Value = c.Value,
                Domain = c.Domain,
                Path = c.Path,
                Expires = c.Expires,
                HttpOnly = c.HttpOnly,
                Secure = c.Secure,
                SameSite = c.SameSite,
            }));
            var page = await checking.NewPageAsync();
            await page.GotoAsync(formUrl);
            await Assertions.Expect(page.Locator("#field-title")).ToBeVisibleAsync();
            Assert.Equal(lang, await page.Locator("html").GetAttributeAsync("lang"));
            form = await CheckAsync(page, "chart form");
        }

        // a reader (script on), in the same language: the chart as an SVG image, its numbers as a table, and the map
        await using var reading = await browser.NewContextAsync(app.BaseAddress, phone: phone, locale: lang == "en" ? "en-US" : "ja-JP");
        await NoTilesAsync(reading);
        var reader = await reading.NewPageAsync();
        if (lang == "en")
        {
            await reader.GotoAsync("/lang/en?returnUrl=%2F");
        }
        var response = await reader.GotoAsync(resourcePage);
        Assert.True(response?.Ok, $"{resourcePage} answered {response?.Status}");
        var chart = reader.Locator($"section.resource-view[data-view-type='{ResourceViewTypes.Chart}']");
        await Assertions.Expect(chart.Locator("h3")).ToHaveTextAsync(lang == "en" ? "Pads for children" : "小児用パッドの有無");
        await Assertions.Expect(chart.Locator("svg[role='img']")).ToBeVisibleAsync();
        await chart.Locator("details.og-card-table summary").ClickAsync();
        var table = chart.Locator("details.og-card-table table");
        await Assertions.Expect(table).ToBeVisibleAsync();
        await Assertions.Expect(table.Locator("tr", new() { HasText = "有" })).ToContainTextAsync("4");
        await Assertions.Expect(table.Locator("tr", new() { HasText = "無" })).ToContainTextAsync("2");
        var map = reader.Locator($"section.resource-view[data-view-type='{ResourceViewTypes.Map}']");
        await Assertions.Expect(map.Locator("svg.og-map-svg circle")).ToHaveCountAsync(6);
        await Assertions.Expect(map.Locator("svg.og-map-svg")).ToHaveAttributeAsync("aria-label", lang == "en" ? "Map (6 points)" : "地図（6 地点）");

        // the map's table alternative: every point by name with its place
        await map.Locator("details.og-map-table summary").ClickAsync();
        var places = map.Locator("details.og-map-table table");
        await Assertions.Expect(places).ToBeVisibleAsync();
        await Assertions.Expect(places.Locator("tbody tr")).ToHaveCountAsync(6);
        await Assertions.Expect(places.GetByRole(AriaRole.Rowheader, new() { Name = "高松シンボルタワー" })).ToBeVisibleAsync();
        await Assertions.Expect(places.Locator("tbody tr", new() { HasText = "高松シンボルタワー" })).ToContainTextAsync("34.3508");
        Assert.Equal(lang, await reader.Locator("html").GetAttributeAsync("lang"));
        if (phone)
        {
            Assert.False(await reader.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1"), "the resource page scrolls sideways on a phone");
        }
        await Screenshot(reader, "resource-view-chart-map", phone, lang);
        var problems = form.Concat(await CheckAsync(reader, resourcePage)).ToList();

        // the dataset page names the table's standard as a translated badge linking to its definition
        await reader.GotoAsync("/dataset/aed-views");
        var badge = reader.Locator("a.badge-standard").First;
        await Assertions.Expect(badge).ToContainTextAsync(lang == "en" ? "Standard: AED locations" : "標準: AED設置箇所一覧");
        await Assertions.Expect(badge).ToHaveAttributeAsync("href", "/standard/aed");
        problems.AddRange(await CheckAsync(reader, "/dataset/aed-views"));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>The map tiles are 国土地理院's, on the internet: answered here with nothing, so the test never waits on the network.</summary>
    private static Task NoTilesAsync(IBrowserContext context) =>
        context.RouteAsync("https://cyberjapandata.gsi.go.jp/**", route => route.FulfillAsync(new() { ContentType = "image/png", BodyBytes = BlankTile }));

    // a 1×1 light grey PNG: the screenshots show an empty map ground instead of broken-image icons
    private static readonly byte[] BlankTile = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGN48e4zAAWLAsq71V3KAAAAAElFTkSuQmCC");

    private static async Task Screenshot(IPage page, string name, bool phone, string lang)
    {
        if (Environment.GetEnvironmentVariable("OPENGOV_SCREENSHOTS") is { Length: > 0 } dir)
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(dir, $"{name}-{(phone ? "phone" : "desktop")}-{lang}.png"), FullPage = true });
        }
    }

    private static async Task<List<string>> CheckAsync(IPage page, string what)
    {
        // in a page without script axe never answers: fail after a while instead of hanging
        var result = await page.RunAxe(Wcag21AA).WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Contains(result.Passes, r => r.Id == "html-has-lang");
        return [.. result.Violations.Select(v => $"{what}: {v.Id} ({v.Impact}) {v.Help}: " + string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html)))];
    }
}
