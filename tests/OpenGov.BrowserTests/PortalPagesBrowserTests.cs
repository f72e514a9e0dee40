using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using OpenGov.Tests.Infrastructure;
using static OpenGov.Tests.Infrastructure.SearchSeed;

namespace OpenGov.BrowserTests;

/// <summary>
/// What portals show (issue 14, points 4 and 5) in one walk: the dataset page's licence and format badges, counts
/// and 最終更新 on a phone in Japanese and on a desktop in English, the editor's edit link, the synonym page, a
/// synonym search; axe (WCAG 2.1 AA) on each page, no sideways scroll on the phone. Screenshots go to
/// OPENGOV_SCREENSHOTS when set.
/// </summary>
public class PortalPagesBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static readonly AxeRunOptions Wcag21AA = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    };

    private static async Task CheckAsync(IPage page, string name, List<string> problems)
    {
        var result = await page.RunAxe(Wcag21AA);
        problems.AddRange(result.Violations.Select(v => $"{name}: {v.Id} {v.Help}: " + string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))));
        if (page.ViewportSize?.Width <= 400 && await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1"))
        {
            problems.Add(name + ": scrolls sideways at 390 px");
        }

        if (Environment.GetEnvironmentVariable("OPENGOV_SCREENSHOTS") is { Length: > 0 } dir)
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(dir, name + ".png"), FullPage = true });
        }
    }

    [Fact]
    public async Task Dataset_pages_show_badges_counts_and_dates_and_the_secretariat_edits_synonyms()
    {
        await using var app = await TestApp.StartAsync(Db.Sqlite, kestrel: true);
        var tokyo = await app.OrganizationAsync("tokyo", "東京都", "130001");
        await app.DatasetAsync(tokyo, "patients", "新型コロナウイルス感染症陽性患者属性", notes: "都内の陽性患者の属性です。",
            resources: [new Res("陽性患者属性.csv", "CSV", Size: 2048), new Res("陽性患者属性.xlsx", "XLSX")], modified: new DateTime(2020, 3, 1, 20, 0, 0, DateTimeKind.Utc));
        await app.DatasetAsync(tokyo, "shelters", "避難所一覧", resources: [new Res("s.csv", "CSV")], license: "pdl-1.0");
        await app.CreateUserAsync("jimu", password: "password-jimu");
        Assert.Equal(204, (await app.Admin().PostJsonAsync("/api/council/secretariat", new { user = "jimu" })).Status);
        var problems = new List<string>();

        // a phone, in Japanese: the badges, the counts and the date; the filter button on the search page
        await using (var phone = await browser.NewContextAsync(app.BaseAddress, phone: true))
        {
            var page = await phone.NewPageAsync();
            await page.GotoAsync("/dataset?q=" + Uri.EscapeDataString("感染者"));
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("1 件のデータセットが見つかりました");
            await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "CC BY 4.0" })).ToHaveAttributeAsync("href", "https://creativecommons.org/licenses/by/4.0/");
            await CheckAsync(page, "search-synonym-phone-ja", problems);
            Assert.Equal(1, await page.Locator("nav.facets").CountAsync()); // rendered once, for phones and desktops
            await page.Locator("summary", new() { HasText = "絞り込む" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "絞り込み" })).ToBeVisibleAsync();
            await CheckAsync(page, "search-filters-open-phone-ja", problems);

            await page.GetByRole(AriaRole.Link, new() { Name = "新型コロナウイルス感染症陽性患者属性" }).ClickAsync();
            await Assertions.Expect(page.Locator("#dataset-usage")).ToContainTextAsync("最終更新 2020-03-02");
            await Assertions.Expect(page.Locator("#dataset-usage")).ToContainTextAsync("閲覧 1 回");
            await Assertions.Expect(page.GetByRole(AriaRole.List, new() { Name = "ライセンスと形式" })).ToContainTextAsync("XLSX");
            await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "データセットを編集" })).ToHaveCountAsync(0);
            await CheckAsync(page, "dataset-phone-ja", problems);
        }

        // a desktop, in English: the search page's facets are an open side column (no filter button), then the same page
        await using (var desktop = await browser.NewContextAsync(app.BaseAddress, locale: "en-US"))
        {
            var page = await desktop.NewPageAsync();
            await page.GotoAsync("/dataset?lang=en");
            var facets = page.GetByRole(AriaRole.Navigation, new() { Name = "Filters" });
            await Assertions.Expect(facets).ToBeVisibleAsync();
            await Assertions.Expect(facets.GetByRole(AriaRole.Link, new() { Name = "XLSX (1)" })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("summary", new() { HasText = "Filter" })).ToBeHiddenAsync();
            Assert.True(await facets.EvaluateAsync<bool>("n => n.getBoundingClientRect().left > document.querySelector('.dataset-list').getBoundingClientRect().right"), "the facets are not a column right of the results");
            Assert.Equal(1, await page.Locator("nav.facets").CountAsync());
            await CheckAsync(page, "search-desktop-en", problems);

            // search that forgives, in English: hiragana finds the katakana title; nothing found offers a way on
            await page.GotoAsync("/dataset?lang=en&q=" + Uri.EscapeDataString("ころな"));
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("1 dataset found");
            await page.GotoAsync("/dataset?lang=en&q=" + Uri.EscapeDataString("ころな ないことば"));
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 2, Name = "Nothing found? Try this" })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "避難所一覧" })).ToHaveAttributeAsync("lang", "ja");
            await CheckAsync(page, "search-zero-desktop-en", problems);
            await page.GotoAsync("/dataset/patients?lang=en");
            await Assertions.Expect(page.Locator("#dataset-usage")).ToContainTextAsync("Last updated 2020-03-02");
            await Assertions.Expect(page.Locator("#dataset-usage")).ToContainTextAsync("2 views");
            await CheckAsync(page, "dataset-desktop-en", problems);
        }

        // the secretariat on a phone: the synonym page, a new group, and the search that follows it
        await using (var phone = await browser.NewContextAsync(app.BaseAddress, phone: true))
        {
            var page = await phone.NewPageAsync();
            await page.GotoAsync("/user/login");
            await page.GetByLabel("ユーザー名またはメールアドレス").FillAsync("jimu");
            await page.GetByLabel("パスワード").FillAsync("password-jimu");
            await page.GetByLabel("パスワード").PressAsync("Enter");
            await page.WaitForURLAsync(url => !url.Contains("/user/login", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
            await page.GotoAsync("/search/synonyms");
            var field = page.GetByLabel("同義語（1 行に 1 まとまり）");
            await Assertions.Expect(field).ToHaveValueAsync("陽性者, 陽性患者, 感染者");
            await field.FillAsync("陽性者, 陽性患者, 感染者\n避難所");
            await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("2 行目");
            await CheckAsync(page, "synonyms-error-phone-ja", problems);
            await field.FillAsync("陽性者, 陽性患者, 感染者\n避難所、避難場所");
            await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("保存しました。");
            await CheckAsync(page, "synonyms-saved-phone-ja", problems);
            await page.GotoAsync("/dataset?q=" + Uri.EscapeDataString("避難場所"));
            await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "避難所一覧" })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("a.badge-license[rel=license][href*='digital.go.jp']")).ToHaveCountAsync(1);
        }

        Assert.Empty(problems);
    }
}
