using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.BrowserTests;

/// <summary>A phone-width reader goes from a dataset page to a showcase that uses it, and on to the other datasets.</summary>
public class ShowcaseBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static readonly Dictionary<string, string?> Demo = new() { ["OpenGov:Demo"] = "true" };

    private static readonly AxeRunOptions Wcag21AA = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    };

    [Fact]
    public async Task A_phone_reader_goes_from_a_dataset_to_its_showcase_and_back_to_the_data()
    {
        await using var app = await TestApp.StartAsync(Db.Sqlite, Demo, kestrel: true);
        // scripts on: axe runs in the page (with scripts off its injection never completes); the pages use none
        await using var context = await browser.NewContextAsync(app.BaseAddress, phone: true);
        var page = await context.NewPageAsync();
        var problems = new List<string>();

        await page.GotoAsync("/dataset/130001-tokyo-covid19-patients");
        var section = page.GetByRole(AriaRole.Region, new() { Name = "このデータを使った活用事例" });
        await Assertions.Expect(section).ToBeVisibleAsync();
        await section.GetByRole(AriaRole.Link, new() { Name = "東京都 新型コロナウイルス感染症対策サイト" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("東京都 新型コロナウイルス感染症対策サイト");
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = "「東京都 新型コロナウイルス感染症対策サイト」の画面イメージ" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "アプリ・サイトを開く" })).ToHaveAttributeAsync("href", "https://stopcovid19.metro.tokyo.lg.jp/");
        Assert.False(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1"), "the showcase page scrolls sideways at 390 px");
        problems.AddRange((await page.RunAxe(Wcag21AA)).Violations.Select(v => $"showcase: {v.Id} {v.Help}"));
        await page.ScreenshotAsync(new() { Path = Screenshot("showcase-390.png"), FullPage = true });

        var datasets = page.GetByRole(AriaRole.Region, new() { Name = "使ったデータセット" });
        await datasets.GetByRole(AriaRole.Link, new() { Name = "東京都 新型コロナコールセンター相談件数" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/dataset/130001-tokyo-covid19-call-center$"));

        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "活用事例", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("活用事例");
        await page.GetByLabel("活用事例を検索").FillAsync("レポート");
        await page.GetByRole(AriaRole.Button, new() { Name = "検索" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "相談件数から見る感染の波（デモ分析レポート）" })).ToBeVisibleAsync();
        Assert.False(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1"), "the list scrolls sideways at 390 px");
        problems.AddRange((await page.RunAxe(Wcag21AA)).Violations.Select(v => $"list: {v.Id} {v.Help}"));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static string Screenshot(string name)
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name);
    }
}
