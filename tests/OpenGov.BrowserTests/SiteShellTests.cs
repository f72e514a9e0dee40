using Microsoft.Playwright;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.BrowserTests;

/// <summary>
/// The example for browser tests: start a TestApp on a real port (kestrel: true), open a context from the fixture,
/// drive the page by roles and labels (as assistive technology does), assert what a person sees.
/// </summary>
public class SiteShellTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Language_switch_turns_the_navigation_into_english_and_back()
    {
        await using var app = await TestApp.StartAsync(Db.Sqlite, kestrel: true);
        await using var context = await browser.NewContextAsync(app.BaseAddress, phone: true);
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync("/about");
        Assert.True(response?.Ok, $"GET {app.BaseAddress}about answered {response?.Status}: {await page.ContentAsync()}");
        Assert.Equal("ja", await page.Locator("html").GetAttributeAsync("lang"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("このサイトについて");

        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("About this site");
        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.EndsWith("/about", page.Url);

        await page.GetByRole(AriaRole.Link, new() { Name = "日本語" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("このサイトについて");
    }
}
