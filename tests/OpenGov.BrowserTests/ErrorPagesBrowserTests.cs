using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.BrowserTests;

/// <summary>
/// Error pages (issue 14, point 1) on a 390-px phone and a desktop, in Japanese and English: an unknown URL, a mistyped
/// question code (with a form to type it again), a presenter link that is wrong or no longer valid, and a server error
/// forced in the test host (<see cref="ThrowingPaths"/>). Each is a page of the site: the layout, the page's language,
/// a title, a search box, axe (WCAG 2.1 AA) clean, no sideways scroll on the phone. Screenshots go to
/// OPENGOV_SCREENSHOTS when set.
/// </summary>
public class ErrorPagesBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static readonly AxeRunOptions Wcag21AA = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    };

    public static TheoryData<bool, string> Visitors => new() { { true, "ja" }, { false, "en" }, { true, "en" }, { false, "ja" } };

    [Theory]
    [MemberData(nameof(Visitors))]
    public async Task Unknown_urls_codes_links_and_server_errors_are_pages_of_the_site_with_a_way_on(bool phone, string lang)
    {
        await using var app = await TestApp.StartAsync(Db.Sqlite, kestrel: true, testServices: ThrowingPaths.Add);
        await app.CreateEventAsync("sym", new { questionCode = "og2022" });
        var english = lang == "en";
        var query = english ? "?lang=en" : "";
        var device = (phone ? "phone-" : "desktop-") + lang;
        await using var context = await browser.NewContextAsync(app.BaseAddress, phone: phone, locale: english ? "en-US" : "ja-JP");
        var page = await context.NewPageAsync();
        var problems = new List<string>();

        await VisitAsync(page, "/no/such/page" + query, 404, english ? "Page not found" : "ページが見つかりません", "error-404-" + device, problems);
        await VisitAsync(page, "/p/not-a-presenter-secret" + query, 404, english ? "Page not found" : "ページが見つかりません", "error-link-" + device, problems);
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync(english ? "the link has expired" : "リンクの期限が切れています");
        await VisitAsync(page, ThrowingPaths.Page + query, 500, english ? "A server error occurred" : "サーバーでエラーが発生しました", "error-500-" + device, problems);

        // a mistyped question code: the page offers the code again, and the corrected code leads to the event
        await VisitAsync(page, "/q/og2021" + query, 404, english ? "Page not found" : "ページが見つかりません", "error-question-code-" + device, problems);
        var code = page.GetByLabel(english ? "Participation code" : "参加コード");
        await Assertions.Expect(code).ToHaveValueAsync("og2021");
        // the code form and the search form stand apart (they touched on a phone): at least 16 px between them
        var gap = await page.EvaluateAsync<double>("() => { const f = [...document.querySelectorAll('main form')]; return f[1].getBoundingClientRect().top - f[0].getBoundingClientRect().bottom; }");
        Assert.True(gap >= 16, $"the question code form and the search form are {gap} px apart");
        // the language link returns to the address asked for, not to the error page's own
        var other = page.Locator("header a[hreflang]");
        await Assertions.Expect(other).ToHaveAttributeAsync("href", "/lang/" + (english ? "ja" : "en") + "?returnUrl=" + Uri.EscapeDataString("/q/og2021" + query));
        await code.FillAsync("og2022");
        await code.PressAsync("Enter");
        await page.WaitForURLAsync(url => url.Contains("/q/og2022", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(new System.Text.RegularExpressions.Regex("テストシンポジウム|Test symposium"));

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static async Task VisitAsync(IPage page, string path, int status, string title, string name, List<string> problems)
    {
        var response = await page.GotoAsync(path);
        Assert.Equal(status, response?.Status);
        Assert.Equal("text/html", (await response!.HeaderValueAsync("content-type"))?.Split(';')[0]);
        var lang = path.Contains("lang=en", StringComparison.Ordinal) ? "en" : "ja";
        Assert.Equal(lang, await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal(title + " | OpenGov", await page.TitleAsync());
        await Assertions.Expect(page.Locator("header.site-header nav")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(title);
        var search = page.GetByRole(AriaRole.Search).GetByRole(AriaRole.Searchbox);
        await Assertions.Expect(search).ToBeVisibleAsync();
        Assert.Equal("/dataset", await page.GetByRole(AriaRole.Search).GetAttributeAsync("action"));
        await Assertions.Expect(page.Locator("body")).Not.ToContainTextAsync("Exception");

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
}
