using System.Net.Http.Json;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.BrowserTests;

/// <summary>A team enters a contest and a judge scores it, each on a 390 px phone, with forms alone.</summary>
public class ContestBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string Slug = "phone-contest";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static object Contest(string deadline) => new
    {
        slug = Slug,
        kind = "app",
        title = "スマホで応募できるアプリコンテスト",
        rules = "## 応募要項\n- 公開データを1件以上使うこと",
        categories = "くらし\n防災",
        opens = "2020-01-01",
        deadline,
        judgingCloses = "2099-12-31",
        criteria = new object[] { new { name = "独自性", weight = 2, maxScore = 10 }, new { name = "完成度", weight = 1, maxScore = 5 } },
    };

    private static async Task LoginAsync(IPage page, string name)
    {
        await page.GotoAsync("/user/login");
        await page.GetByLabel("ユーザー名またはメールアドレス").FillAsync(name);
        await page.GetByLabel("パスワード").FillAsync("password-" + name);
        await page.GetByLabel("パスワード").PressAsync("Enter");
        await page.WaitForURLAsync(url => !url.Contains("/user/login", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
    }

    private static async Task<List<string>> CheckAsync(IPage page, string what)
    {
        var problems = new List<string>();
        var options = new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } };
        var result = await page.RunAxe(options);
        problems.AddRange(result.Violations.Select(v => $"{what}: {v.Id} ({v.Impact}) {v.Help}: " + string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))));
        if (await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1"))
        {
            problems.Add($"{what}: scrolls sideways at 390 px");
        }

        return problems;
    }

    [Fact]
    public async Task A_team_enters_and_a_judge_scores_on_a_phone()
    {
        await using var app = await TestApp.StartAsync(Db.Sqlite, kestrel: true);
        var (secretaryName, secretaryToken) = await app.CreateEventUserAsync("jimukyoku");
        using var admin = new HttpClient { BaseAddress = app.BaseAddress };
        admin.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", app.AdminToken);
        Assert.Equal(204, (int)(await admin.PostAsJsonAsync("/api/council/secretariat", new { user = secretaryName }, Ct)).StatusCode);
        using var secretary = new HttpClient { BaseAddress = app.BaseAddress };
        secretary.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", secretaryToken);
        Assert.Equal(201, (int)(await secretary.PostAsJsonAsync("/api/council/contests", Contest("2099-01-01"), Ct)).StatusCode);
        await app.CreateEventUserAsync("team");
        await app.CreateEventUserAsync("judge");
        var problems = new List<string>();

        // the team enters on a phone
        await using (var context = await browser.NewContextAsync(app.BaseAddress, phone: true))
        {
            var page = await context.NewPageAsync();
            await LoginAsync(page, "team");
            await page.GotoAsync($"/council/contests/{Slug}");
            problems.AddRange(await CheckAsync(page, "call"));
            await page.GetByRole(AriaRole.Link, new() { Name = "応募する", Exact = true }).ClickAsync();
            await page.GetByLabel("題名（必須）").FillAsync("避難所の空き状況アプリ");
            await page.GetByLabel("チーム名").FillAsync("チーム防災");
            await page.GetByLabel("部門").SelectOptionAsync("防災");
            await page.GetByLabel("概要").FillAsync("避難所の混雑をスマホで見られるようにします。");
            await page.GetByLabel("リンク").FillAsync("ftp://example.jp/app");
            problems.AddRange(await CheckAsync(page, "entry form"));
            await page.GetByRole(AriaRole.Button, new() { Name = "提出する" }).ClickAsync();

            // refused: the form comes back with the message and what was typed
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("http:// か https:// で始まるURLではありません");
            await Assertions.Expect(page.GetByLabel("題名（必須）")).ToHaveValueAsync("避難所の空き状況アプリ");
            await page.GetByLabel("リンク").FillAsync("https://example.jp/app");
            await page.GetByRole(AriaRole.Button, new() { Name = "提出する" }).ClickAsync();
            await page.WaitForURLAsync(url => url.Contains("/council/contests/mine", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
            await Assertions.Expect(page.Locator("#my-entries")).ToContainTextAsync("避難所の空き状況アプリ");
            await Assertions.Expect(page.Locator("#my-entries")).ToContainTextAsync("提出済み");
            problems.AddRange(await CheckAsync(page, "my entries"));
        }

        // the deadline passes; the secretariat accepts the entry and assigns the judge
        Assert.Equal(200, (int)(await secretary.PutAsJsonAsync($"/api/council/contests/{Slug}", Contest("2020-01-02"), Ct)).StatusCode);
        var entries = await secretary.GetFromJsonAsync<List<System.Text.Json.Nodes.JsonObject>>($"/api/council/contests/{Slug}/entries", Ct);
        var id = entries!.Single()["id"]!.GetValue<long>();
        Assert.Equal(200, (int)(await secretary.PostAsJsonAsync($"/api/council/contests/{Slug}/entries/{id}/screening", new { state = "accepted" }, Ct)).StatusCode);
        Assert.Equal(204, (int)(await secretary.PostAsJsonAsync($"/api/council/contests/{Slug}/entries/{id}/judges", new { user = "judge" }, Ct)).StatusCode);

        // the judge scores on a phone
        await using (var context = await browser.NewContextAsync(app.BaseAddress, phone: true))
        {
            var page = await context.NewPageAsync();
            await LoginAsync(page, "judge");
            await page.GotoAsync($"/council/contests/{Slug}");
            await page.GetByRole(AriaRole.Link, new() { Name = "審査（採点）" }).ClickAsync();
            var card = page.Locator($"#entry-{id}");
            await Assertions.Expect(card).ToContainTextAsync("避難所の空き状況アプリ");
            await card.GetByLabel("独自性（0～10、重み 2）").FillAsync("8");
            await card.GetByLabel("完成度（0～5、重み 1）").FillAsync("4");
            await card.GetByLabel("講評").FillAsync("すぐに使える良いアイデアです。");
            problems.AddRange(await CheckAsync(page, "judging"));
            await card.GetByRole(AriaRole.Button, new() { Name = "採点を保存" }).ClickAsync();
            await Assertions.Expect(page.Locator("#saved")).ToContainTextAsync("採点を保存しました");
            await Assertions.Expect(page.Locator($"#entry-{id}")).ToContainTextAsync("80 / 100"); // (2×0.8 + 1×0.8) / 3
            await Assertions.Expect(page.Locator($"#entry-{id}").GetByLabel("独自性（0～10、重み 2）")).ToHaveValueAsync("8");

            // no ranking before judging closes, even for a judge
            await page.GotoAsync($"/council/contests/{Slug}/results");
            await Assertions.Expect(page.Locator("#hidden-scores")).ToBeVisibleAsync();
            problems.AddRange(await CheckAsync(page, "results"));
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
