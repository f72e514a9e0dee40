using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using OpenGov.Tests.Infrastructure;
using static OpenGov.Tests.Infrastructure.SearchSeed;

namespace OpenGov.BrowserTests;

/// <summary>
/// A citizen on a phone finds a katakana dataset by typing hiragana, and downloads a DataStore table for Excel from
/// the dataset and resource pages (Excel first, named after the resource), in Japanese and English.
/// </summary>
public class DownloadsAndSearchBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static readonly AxeRunOptions Wcag21AA = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    };

    private static async Task<string> TableAsync(TestApp app)
    {
        await app.DatasetAsync(name: "chiba-counts");
        using var api = new HttpClient { BaseAddress = app.BaseAddress };
        api.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", app.AdminToken);
        var created = await api.OkAsync("datastore_create", new
        {
            resource = new { package_id = "chiba-counts", name = "区別 相談件数.csv" },
            fields = new object[] { new { id = "市区町村名", type = "text" }, new { id = "件数", type = "int" }, new { id = "日付", type = "date" } },
            records = new object[]
            {
                new Dictionary<string, object?> { ["市区町村名"] = "千葉市中央区", ["件数"] = 10, ["日付"] = "2020-11-06" },
                new Dictionary<string, object?> { ["市区町村名"] = "つくば市", ["件数"] = 20, ["日付"] = "2020-11-07" },
            },
        });
        return created["resource_id"]!.GetValue<string>();
    }

    private static async Task AssertNoSidewaysScrollAsync(IPage page) =>
        Assert.False(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1"), "the page scrolls sideways on a phone");

    [Fact]
    public async Task A_phone_user_downloads_a_table_for_excel_from_the_dataset_and_resource_pages()
    {
        await using var app = await TestApp.StartAsync(Db.Sqlite, kestrel: true);
        var rid = await TableAsync(app);
        await using var context = await browser.NewContextAsync(app.BaseAddress, phone: true);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/dataset/chiba-counts");
        var fromDataset = page.GetByRole(AriaRole.Link, new() { Name = "Excel (.xlsx) 区別 相談件数.csv" });
        await Assertions.Expect(fromDataset).ToBeVisibleAsync();
        await AssertNoSidewaysScrollAsync(page);

        await page.GetByRole(AriaRole.Link, new() { Name = "区別 相談件数.csv", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "データのダウンロード" })).ToBeVisibleAsync();
        var excel = page.GetByRole(AriaRole.Link, new() { Name = "Excel (.xlsx) 区別 相談件数.csv" });
        await Assertions.Expect(excel).ToBeVisibleAsync();
        var excelBox = await excel.BoundingBoxAsync();
        var panelBox = await page.Locator("[data-ds-panel]").BoundingBoxAsync();
        Assert.True(excelBox!.Y < panelBox!.Y, "the downloads sit above the DataStore panel");
        await AssertNoSidewaysScrollAsync(page);

        var download = await page.RunAndWaitForDownloadAsync(() => excel.ClickAsync());
        Assert.Equal("区別 相談件数.xlsx", download.SuggestedFilename);
        await using (var stream = await download.CreateReadStreamAsync())
        {
            using var ms = new MemoryStream();
            await stream.CopyToAsync(ms, TestContext.Current.CancellationToken);
            ms.Position = 0;
            var rows = MiniExcelLibs.MiniExcel.Query(ms, useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
            Assert.Equal(["市区町村名", "件数", "日付"], rows[0].Keys);
            Assert.Equal("千葉市中央区", rows[0]["市区町村名"]);
            Assert.Equal(new DateTime(2020, 11, 6), rows[0]["日付"]);
        }

        var axe = await page.RunAxe(Wcag21AA);
        Assert.True(axe.Violations.Length == 0, string.Join(" | ", axe.Violations.Select(v => v.Id + ": " + string.Join(", ", v.Nodes.Take(2).Select(n => n.Html)))));
        Assert.NotEmpty(rid);
    }

    [Fact]
    public async Task An_english_desktop_user_gets_the_csv_for_excel_named_after_the_resource()
    {
        await using var app = await TestApp.StartAsync(Db.Sqlite, kestrel: true);
        var rid = await TableAsync(app);
        await using var context = await browser.NewContextAsync(app.BaseAddress, locale: "en-US");
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/dataset/chiba-counts/resource/{rid}?lang=en");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Download the data" })).ToBeVisibleAsync();
        var csv = page.GetByRole(AriaRole.Link, new() { Name = "CSV (with BOM, for Excel) 区別 相談件数.csv" });
        var download = await page.RunAndWaitForDownloadAsync(() => csv.ClickAsync());
        Assert.Equal("区別 相談件数.csv", download.SuggestedFilename);
        var axe = await page.RunAxe(Wcag21AA);
        Assert.True(axe.Violations.Length == 0, string.Join(" | ", axe.Violations.Select(v => v.Id + ": " + string.Join(", ", v.Nodes.Take(2).Select(n => n.Html)))));
    }

    [Fact]
    public async Task A_phone_user_finds_a_katakana_title_by_typing_hiragana()
    {
        await using var app = await TestApp.StartAsync(Db.Sqlite, kestrel: true);
        var tsukuba = await app.OrganizationAsync("tsukuba", "つくば市", "082201");
        await app.DatasetAsync(tsukuba, "covid-patients", "新型コロナウイルス感染症陽性患者属性", resources: [new Res("a.csv", "CSV")]);
        await app.DatasetAsync(tsukuba, "shelters", "避難所一覧", resources: [new Res("c.csv", "CSV")]);

        await using var context = await browser.NewContextAsync(app.BaseAddress, phone: true);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByLabel("データセットを検索").FillAsync("ころな");
        await page.GetByRole(AriaRole.Button, new() { Name = "検索" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("1 件のデータセットが見つかりました");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "新型コロナウイルス感染症陽性患者属性" })).ToBeVisibleAsync();
        await AssertNoSidewaysScrollAsync(page);

        await page.GetByLabel("データセットを検索").First.FillAsync("ｺﾛﾅ");
        await page.GetByRole(AriaRole.Button, new() { Name = "検索" }).First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("1 件のデータセットが見つかりました");

        // nothing found: the page offers each word alone and the recent datasets
        await page.GetByLabel("データセットを検索").First.FillAsync("ころな ないことば");
        await page.GetByRole(AriaRole.Button, new() { Name = "検索" }).First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("0 件のデータセットが見つかりました");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "見つからないときは" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "避難所一覧" })).ToBeVisibleAsync();
        await AssertNoSidewaysScrollAsync(page);
        var axe = await page.RunAxe(Wcag21AA);
        Assert.True(axe.Violations.Length == 0, string.Join(" | ", axe.Violations.Select(v => v.Id + ": " + string.Join(", ", v.Nodes.Take(2).Select(n => n.Html)))));
        await page.GetByRole(AriaRole.Link, new() { Name = "「ころな」だけで探す（1 件）" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("1 件のデータセットが見つかりました");
    }
}
