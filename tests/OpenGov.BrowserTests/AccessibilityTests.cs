using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.BrowserTests;

/// <summary>
/// The public pages, with the demo content, checked by axe-core (Deque's engine, bundled in its NuGet package)
/// against the WCAG 2.0/2.1 A and AA rules, in Japanese and in English, on a phone and on a desktop.
/// axe finds about half of what an audit finds (contrast, names, labels, landmarks, lang, ARIA misuse);
/// keyboard use is covered by the other browser tests.
/// </summary>
public class AccessibilityTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static readonly Dictionary<string, string?> Demo = new() { ["OpenGov:Demo"] = "true" };

    private static readonly AxeRunOptions Wcag21AA = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    };

    private static async Task<List<string>> CheckAsync(IPage page, IEnumerable<string> paths)
    {
        var problems = new List<string>();
        foreach (var path in paths)
        {
            var response = await page.GotoAsync(path);
            Assert.True(response?.Ok, $"GET {path} answered {response?.Status}");
            var result = await page.RunAxe(Wcag21AA);
            Assert.Contains(result.Passes, r => r.Id == "html-has-lang"); // the engine ran on this page
            Assert.Contains(result.Passes.Concat(result.Incomplete), r => r.Id == "color-contrast");
            problems.AddRange(result.Violations.Select(v =>
                $"{path}: {v.Id} ({v.Impact}) {v.Help}: " + string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))));
        }

        return problems;
    }

    [Fact]
    public async Task Catalog_and_event_pages_meet_wcag_2_1_aa_in_japanese_on_a_phone()
    {
        await using var app = await TestApp.StartAsync(Db.Sqlite, Demo, kestrel: true);
        await using var context = await browser.NewContextAsync(app.BaseAddress, phone: true);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/dataset/130001-tokyo-covid19-call-center");
        var resource = await page.Locator("a[href*='/resource/']").First.GetAttributeAsync("href");
        Assert.NotNull(resource);

        var problems = await CheckAsync(page,
        [
            "/", "/dataset", "/dataset?q=" + Uri.EscapeDataString("感染症") + "&tags=COVID-19", "/dataset/130001-tokyo-covid19-call-center",
            resource!, resource + "/data", "/organization", "/organization/tokyo", "/group", "/user/login", "/about",
            "/event", "/event/symposium-2020", "/q/og2020",
        ]);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task Catalog_and_event_pages_meet_wcag_2_1_aa_in_english_on_a_desktop()
    {
        await using var app = await TestApp.StartAsync(Db.Sqlite, Demo, kestrel: true);
        await using var context = await browser.NewContextAsync(app.BaseAddress, locale: "en-US");
        var page = await context.NewPageAsync();
        await page.GotoAsync("/lang/en?returnUrl=%2F");

        var problems = await CheckAsync(page,
        [
            "/", "/dataset?q=" + Uri.EscapeDataString("人口"), "/dataset/130001-tokyo-covid19-patients", "/organization",
            "/event/symposium-2020", "/q/og2020",
        ]);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task Publisher_screens_and_the_presenter_screen_meet_wcag_2_1_aa()
    {
        await using var app = await TestApp.StartAsync(Db.Sqlite, Demo, kestrel: true);
        string secret;
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OpenGov.Storage.OpenGovDb>();
            secret = db.Set<OpenGov.Events.Event>().Single(e => e.QuestionCode == "og2020").PresenterSecret;
        }

        await using var context = await browser.NewContextAsync(app.BaseAddress);
        var page = await context.NewPageAsync();
        var problems = await CheckAsync(page, ["/p/" + secret]);

        await page.GotoAsync("/user/login");
        await page.GetByLabel("ユーザー名またはメールアドレス").FillAsync(OpenGov.Catalog.Editing.DemoEditorSeeder.UserName);
        await page.GetByLabel("パスワード").FillAsync(OpenGov.Catalog.Editing.DemoEditorSeeder.Password);
        await page.GetByLabel("パスワード").PressAsync("Enter");
        await page.WaitForURLAsync(url => !url.Contains("/user/login", StringComparison.Ordinal));
        problems.AddRange(await CheckAsync(page, ["/dashboard/datasets", "/dataset/new"]));

        // the form with its error summary after an invalid submit
        await page.GetByRole(AriaRole.Button, new() { Name = "作成", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#error-summary")).ToBeVisibleAsync();
        var result = await page.RunAxe(Wcag21AA);
        problems.AddRange(result.Violations.Select(v => $"/dataset/new (errors): {v.Id} ({v.Impact}) {v.Help}: " + string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
