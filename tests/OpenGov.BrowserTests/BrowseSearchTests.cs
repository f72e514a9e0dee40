using Microsoft.Playwright;
using OpenGov.Tests.Infrastructure;
using static OpenGov.Tests.Infrastructure.SearchSeed;

namespace OpenGov.BrowserTests;

/// <summary>Searching and filtering datasets on a phone, without relying on JavaScript.</summary>
public class BrowseSearchTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_phone_user_searches_a_japanese_word_filters_by_format_and_removes_the_filter()
    {
        await using var app = await TestApp.StartAsync(Db.Sqlite, kestrel: true);
        var chiba = await app.OrganizationAsync("chiba", "千葉市", "121002");
        var tsukuba = await app.OrganizationAsync("tsukuba", "つくば市", "082201");
        await app.DatasetAsync(chiba, "age-population", "年齢別人口統計", resources: [new Res("a.csv", "CSV")]);
        await app.DatasetAsync(tsukuba, "population-forecast", "将来人口推計", resources: [new Res("b.xlsx", "XLSX")]);
        await app.DatasetAsync(chiba, "shelters", "避難所一覧", resources: [new Res("c.csv", "CSV")]);

        await using var context = await browser.NewContextAsync(app.BaseAddress, phone: true);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByLabel("データセットを検索").FillAsync("人口");
        await page.GetByRole(AriaRole.Button, new() { Name = "検索" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("2 件のデータセットが見つかりました");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "年齢別人口統計" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "避難所一覧" })).ToHaveCountAsync(0);

        // on a phone the facets open from the filter button above the results (details/summary, no script needed)
        await Assertions.Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "絞り込み" })).ToHaveCountAsync(0);
        var filter = page.Locator("summary", new() { HasText = "絞り込む" });
        Assert.True(await filter.EvaluateAsync<bool>("s => s.getBoundingClientRect().top < document.querySelector('.dataset-list').getBoundingClientRect().top"));
        await filter.ClickAsync();
        await page.GetByRole(AriaRole.Navigation, new() { Name = "絞り込み" }).GetByRole(AriaRole.Link, new() { Name = "XLSX (1)" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("1 件のデータセットが見つかりました");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "将来人口推計" })).ToBeVisibleAsync();

        await Assertions.Expect(page.Locator("summary", new() { HasText = "絞り込む (1)" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "絞り込みを解除: 形式 XLSX" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("2 件のデータセットが見つかりました");

        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.False(overflow, "the search page scrolls sideways on a phone");

        await page.GetByRole(AriaRole.Link, new() { Name = "年齢別人口統計" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("年齢別人口統計");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "DCAT (Turtle)" })).ToBeVisibleAsync();
    }

    [Fact(Timeout = 300_000)]
    public async Task On_a_desktop_without_script_the_facets_are_an_open_side_column_and_filter_the_results()
    {
        await using var app = await TestApp.StartAsync(Db.Sqlite, kestrel: true);
        var chiba = await app.OrganizationAsync("chiba", "千葉市", "121002");
        await app.DatasetAsync(chiba, "age-population", "年齢別人口統計", resources: [new Res("a.csv", "CSV")]);
        await app.DatasetAsync(chiba, "population-forecast", "将来人口推計", resources: [new Res("b.xlsx", "XLSX")]);

        await using var context = await browser.NewContextAsync(app.BaseAddress, javaScript: false);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/dataset?q=" + Uri.EscapeDataString("人口"));
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("2 件のデータセットが見つかりました");

        // one facet list: shown beside the results without a click, its filter button hidden
        Assert.Equal(1, await page.Locator("nav.facets").CountAsync());
        var facets = page.GetByRole(AriaRole.Navigation, new() { Name = "絞り込み" });
        await Assertions.Expect(facets).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("summary", new() { HasText = "絞り込む" })).ToBeHiddenAsync();
        var facetsLeft = (await facets.BoundingBoxAsync())!.X;
        var resultsRight = (await page.Locator(".dataset-list").BoundingBoxAsync()) is { } r ? r.X + r.Width : 0;
        Assert.True(facetsLeft > resultsRight, $"the facets (left {facetsLeft}) are not right of the results (right {resultsRight})");

        await facets.GetByRole(AriaRole.Link, new() { Name = "XLSX (1)" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("1 件のデータセットが見つかりました");
        await Assertions.Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "絞り込み" }).Locator("a.active")).ToContainTextAsync("XLSX");
    }
}
