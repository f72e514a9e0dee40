using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.BrowserTests;

/// <summary>The dashboards index and the members-compared page with the demo (Tokyo and Fukuoka City), at phone width.</summary>
public class DashboardBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static readonly Dictionary<string, string?> Demo = new() { ["OpenGov:Demo"] = "true" };

    /// <summary>The demo app with Tokyo's and Fukuoka City's patients tables loaded.</summary>
    private static async Task<TestApp> DemoAsync()
    {
        var app = await TestApp.StartAsync(Db.Sqlite, Demo, kestrel: true);
        string[] names = ["130001-tokyo-covid19-patients", "401307-fukuoka-covid19-patients-demo"];
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            using var scope = app.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<OpenGov.Storage.OpenGovDb>();
            var resources = await db.Resources.Join(db.Datasets.Where(d => names.Contains(d.Name)), r => r.DatasetId, d => d.Id, (r, _) => r.Id).ToListAsync();
            var done = await db.Set<OpenGov.DataStore.DataStoreJob>()
                .Where(j => resources.Contains(j.ResourceId) && j.State == OpenGov.DataStore.JobState.Complete).Select(j => j.ResourceId).Distinct().CountAsync();
            if (resources.Count == 2 && done == 2)
            {
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, $"the demo's patients tables did not load ({done} of {resources.Count})");
            await Task.Delay(500);
        }
        return app;
    }

    private static string Screenshot(string name)
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name);
    }

    [Fact]
    public async Task A_phone_reader_without_javascript_finds_the_dashboards_and_compares_two_members_per_100000_residents()
    {
        await using var app = await DemoAsync();
        await using var context = await browser.NewContextAsync(app.BaseAddress, phone: true, javaScript: false);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "データダッシュボード" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("ダッシュボード一覧");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "東京都 新型コロナウイルス感染症 ダッシュボード" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "福岡市 新型コロナウイルス感染症 ダッシュボード" })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Screenshot("dashboards-index-390.png"), FullPage = true });

        await page.GetByRole(AriaRole.Link, new() { Name = "会員を比べる（人口10万人あたり）" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("会員の比較");
        await Assertions.Expect(page.GetByRole(AriaRole.Radio, new() { Name = "人口10万人あたり" })).ToBeCheckedAsync();
        await page.GetByLabel("表示期間").SelectOptionAsync(new SelectOptionValue { Label = "全期間" });
        await page.GetByRole(AriaRole.Button, new() { Name = "表示", Exact = true }).ClickAsync();

        await Assertions.Expect(page.Locator("svg[role=img]")).ToHaveCountAsync(3); // overlaid, 福岡市, 東京都
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "重ねて表示 — 報告日別による陽性者数の推移（人口10万人あたり）" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("14,047,594 人")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("1,612,392 人")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "【デモ用の架空データ】福岡市 新型コロナウイルス感染症 陽性患者属性" })).ToBeVisibleAsync();
        await page.GetByText("表で見る").ClickAsync();
        var table = page.GetByRole(AriaRole.Table);
        await Assertions.Expect(table.GetByRole(AriaRole.Columnheader, new() { Name = "東京都" })).ToBeVisibleAsync();
        await Assertions.Expect(table.GetByRole(AriaRole.Columnheader, new() { Name = "福岡市" })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Screenshot("dashboards-compare-390.png"), FullPage = true });

        await page.GetByRole(AriaRole.Radio, new() { Name = "件数（公表値）" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "表示", Exact = true }).ClickAsync();
        Assert.Contains("scale=raw", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "重ねて表示 — 報告日別による陽性者数の推移" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_index_and_the_comparison_meet_wcag_2_1_aa_and_fit_a_390_px_phone_in_both_languages()
    {
        await using var app = await DemoAsync();
        await using var context = await browser.NewContextAsync(app.BaseAddress, phone: true);
        var page = await context.NewPageAsync();
        var options = new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } };
        var problems = new List<string>();
        string[] paths = ["/dashboards", "/dashboards/compare", "/dashboards/compare?card=patients-total&scale=raw&days=0"];
        foreach (var lang in new[] { "ja", "en" })
        {
            await page.GotoAsync($"/lang/{lang}?returnUrl=%2F");
            foreach (var path in paths)
            {
                var response = await page.GotoAsync(path);
                Assert.True(response?.Ok, $"GET {path} answered {response?.Status}");
                var result = await page.RunAxe(options);
                problems.AddRange(result.Violations.Select(v => $"{lang} {path}: {v.Id} ({v.Impact}) {v.Help}: " + string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))));
                if (await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1"))
                {
                    problems.Add($"{lang} {path}: scrolls sideways at 390 px");
                }
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}

/// <summary>An open dashboard page learns of new rows in its source table without the reader reloading it.</summary>
public class DashboardLiveBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task An_open_dashboard_shows_the_new_figure_after_its_table_changes_without_a_manual_refresh()
    {
        await using var app = await TestApp.StartAsync(Db.Sqlite, new Dictionary<string, string?> { ["OpenGov:DashboardPollSeconds"] = "1" }, kestrel: true);
        var (orgId, ds) = await app.DatasetAsync();
        string org;
        using (var scope = app.Services.CreateScope())
        {
            org = await scope.ServiceProvider.GetRequiredService<OpenGov.Storage.OpenGovDb>().Organizations.Where(o => o.Id == orgId).Select(o => o.Name).SingleAsync(TestContext.Current.CancellationToken);
        }
        using var admin = new HttpClient { BaseAddress = app.BaseAddress };
        admin.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", app.AdminToken);
        // a table made through the API (an upload would queue a load that could replace it while the test runs)
        var created = await admin.OkAsync("datastore_create", new
        {
            resource = new { package_id = ds, name = "相談件数" },
            force = true,
            fields = new[] { new { id = "受付_年月日", type = "text" }, new { id = "相談件数", type = "int" } },
            records = new[] { new Dictionary<string, object?> { ["受付_年月日"] = "2020-04-01", ["相談件数"] = 5 } },
        });
        var rid = created["resource_id"]!.GetValue<string>();
        var definition = $$"""
            {"slug":"live","title":{"ja":"相談件数"},"organization":"{{org}}","cards":[{"id":"calls","title":{"ja":"相談件数（最新）"},"source":"{{rid}}",
             "computation":{"kind":"sumPerDay","dateColumn":"受付_年月日","valueColumn":"相談件数"},"chart":"number"}]}
            """;
        using (var saved = await admin.PutAsync($"/api/dashboards/{org}/live", new StringContent(definition, System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken))
        {
            Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        await using var context = await browser.NewContextAsync(app.BaseAddress);
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/dashboards/{org}/live");
        await Assertions.Expect(page.Locator(".og-number-value")).ToHaveTextAsync("5");
        await page.EvaluateAsync("() => { window.notReloaded = true; }");

        await admin.OkAsync("datastore_upsert", new
        {
            resource_id = rid,
            force = true,
            method = "insert",
            records = new[] { new Dictionary<string, object?> { ["受付_年月日"] = "2020-04-01", ["相談件数"] = 4 } },
        });

        await Assertions.Expect(page.Locator(".og-number-value")).ToHaveTextAsync("9");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("データが更新されたので表示を新しくしました。");
        Assert.True(await page.EvaluateAsync<bool>("() => window.notReloaded === true"), "the page was reloaded instead of updated in place");
    }
}
