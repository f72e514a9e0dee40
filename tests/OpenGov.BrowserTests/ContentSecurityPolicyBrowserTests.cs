using Microsoft.Playwright;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.BrowserTests;

/// <summary>
/// The Content-Security-Policy (docs/security.md) breaks scripts silently when a page needs something it forbids:
/// the console tells. The demo's pages that run scripts are opened, a question is posted through the page's script
/// (a same-origin cookie write through the participants' API), and the console must hold no CSP violation.
/// </summary>
public class ContentSecurityPolicyBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Pages_with_scripts_run_under_the_policy_without_a_violation_in_the_console()
    {
        await using var app = await TestApp.StartAsync(Db.Sqlite, new Dictionary<string, string?> { ["OpenGov:Demo"] = "true" }, kestrel: true);
        await using var context = await browser.NewContextAsync(app.BaseAddress);
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, m) =>
        {
            if (m.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || m.Text.Contains("Refused to", StringComparison.Ordinal))
            {
                problems.Add(page.Url + ": " + m.Text);
            }
        };
        page.PageError += (_, e) => problems.Add(page.Url + ": " + e);

        foreach (var url in new[] { "/", "/dataset", "/dataset/130001-tokyo-covid19-call-center", "/event", "/event/symposium-2020", "/dashboards/tokyo/covid19", "/council" })
        {
            var r = await page.GotoAsync(url);
            Assert.True(r?.Ok, $"{url}: {r?.Status}");
        }

        // the question page's script posts with the participant cookie, as a phone does
        await page.GotoAsync("/q/og2020");
        await page.Locator("#ev-text").FillAsync("CSP の下でも投稿できますか");
        await page.Locator("#ev-ask-form button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#ev-status")).ToContainTextAsync("質問");

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
