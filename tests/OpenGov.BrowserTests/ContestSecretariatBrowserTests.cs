using System.Net.Http.Json;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.BrowserTests;

/// <summary>
/// The secretariat runs a contest from start to finish on a 390 px phone with the pages' forms alone: creates the
/// contest with its call open, a team enters, the secretariat closes the call, accepts the entry and assigns a judge,
/// the judge scores, the secretariat closes judging, publishes the results and gives the award. axe-core (WCAG 2.1 AA)
/// runs on every page visited, and none may scroll sideways.
/// </summary>
public class ContestSecretariatBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string Slug = "phone-secretariat-contest";
    private const string Title = "スマホで運営するアイデアコンテスト";
    private const string EntryTitle = "通学路の危険箇所マップ";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly AxeRunOptions Wcag21AA = new() { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } };

    private static async Task LoginAsync(IPage page, string name)
    {
        await page.GotoAsync("/user/login");
        await page.GetByLabel("ユーザー名またはメールアドレス").FillAsync(name);
        await page.GetByLabel("パスワード").FillAsync("password-" + name);
        await page.GetByLabel("パスワード").PressAsync("Enter");
        await page.WaitForURLAsync(url => !url.Contains("/user/login", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
    }

    /// <summary>axe's WCAG 2.1 AA violations of the page as it is now, and a sideways scroll at 390 px.</summary>
    private static async Task<List<string>> CheckAsync(IPage page, string what)
    {
        var result = await page.RunAxe(Wcag21AA);
        var problems = result.Violations.Select(v => $"{what} ({new Uri(page.Url).PathAndQuery}): {v.Id} ({v.Impact}) {v.Help}: " + string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))).ToList();
        if (await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1"))
        {
            problems.Add($"{what}: scrolls sideways at 390 px");
        }

        return problems;
    }

    private static Task WaitForPathAsync(IPage page, string path) =>
        page.WaitForURLAsync(url => new Uri(url).AbsolutePath == path, new() { WaitUntil = WaitUntilState.DOMContentLoaded });

    /// <summary>Changes the call's dates (and whether results are published) with the edit form, and saves.</summary>
    private static async Task EditCallAsync(IPage page, List<string> problems, string? deadline = null, string? closes = null, bool? publish = null)
    {
        await page.GotoAsync($"/council/contests/{Slug}");
        await page.Locator("#edit-link").ClickAsync();
        await WaitForPathAsync(page, $"/council/contests/{Slug}/edit");
        problems.AddRange(await CheckAsync(page, "call form (edit)"));
        if (deadline is not null)
        {
            await page.Locator("#c-deadline").FillAsync(deadline);
        }

        if (closes is not null)
        {
            await page.Locator("#c-closes").FillAsync(closes);
        }

        if (publish is { } p)
        {
            await page.Locator("#c-publish").SetCheckedAsync(p);
        }

        await page.Locator("#save-contest").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains($"/council/contests/{Slug}?saved=1", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
    }

    [Fact]
    public async Task The_secretariat_runs_a_contest_from_call_to_published_results_on_a_phone()
    {
        await using var app = await TestApp.StartAsync(Db.Sqlite, kestrel: true);
        var (secretaryName, _) = await app.CreateEventUserAsync("jimukyoku");
        using (var admin = new HttpClient { BaseAddress = app.BaseAddress })
        {
            admin.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", app.AdminToken);
            Assert.Equal(204, (int)(await admin.PostAsJsonAsync("/api/council/secretariat", new { user = secretaryName }, Ct)).StatusCode);
        }

        await app.CreateEventUserAsync("team");
        await app.CreateEventUserAsync("judge");
        var problems = new List<string>();

        await using var secretariatContext = await browser.NewContextAsync(app.BaseAddress, phone: true);
        var secretariat = await secretariatContext.NewPageAsync();
        await LoginAsync(secretariat, "jimukyoku");

        // 1. the secretariat creates the contest with the call form; its call opens at once
        await secretariat.GotoAsync("/council/contests");
        problems.AddRange(await CheckAsync(secretariat, "contest list"));
        await secretariat.GetByRole(AriaRole.Link, new() { Name = "新しいコンテスト" }).ClickAsync();
        await WaitForPathAsync(secretariat, "/council/contests/new");
        problems.AddRange(await CheckAsync(secretariat, "call form (new)"));
        await secretariat.Locator("#c-slug").FillAsync(Slug);
        await secretariat.Locator("#c-title").FillAsync(Title);
        await secretariat.Locator("#c-title-en").FillAsync("Idea contest run from a phone");
        await secretariat.Locator("#c-opens").FillAsync("2020-01-01T00:00");
        await secretariat.Locator("#c-deadline").FillAsync("2099-01-01T00:00");
        await secretariat.Locator("#c-closes").FillAsync("2099-12-31T23:59");
        await secretariat.Locator("#c-rules").FillAsync("## 応募要項\n- 公開データを1件以上使うこと");
        await secretariat.Locator("#c-categories").FillAsync("くらし\n防災");
        await secretariat.Locator("#k-0-name").FillAsync("独自性");
        await secretariat.Locator("#k-0-weight").FillAsync("2");
        await secretariat.Locator("#k-0-max").FillAsync("10");
        await secretariat.Locator("#k-1-name").FillAsync("完成度");
        await secretariat.Locator("#k-1-weight").FillAsync("1");
        await secretariat.Locator("#k-1-max").FillAsync("5");
        await secretariat.Locator("#c-judges").FillAsync("judge");
        // a new call starts as a draft; published here so that the team can enter
        Assert.False(await secretariat.Locator("#c-published").IsCheckedAsync());
        await secretariat.Locator("#c-published").CheckAsync();
        await secretariat.Locator("#save-contest").ClickAsync();
        await secretariat.WaitForURLAsync(url => url.Contains($"/council/contests/{Slug}?saved=1", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await Assertions.Expect(secretariat.Locator("h1")).ToContainTextAsync(Title);
        problems.AddRange(await CheckAsync(secretariat, "call (secretariat)"));

        // 2. a team enters on its phone while the call is open
        long entryId;
        await using (var teamContext = await browser.NewContextAsync(app.BaseAddress, phone: true))
        {
            var team = await teamContext.NewPageAsync();
            await LoginAsync(team, "team");
            await team.GotoAsync($"/council/contests/{Slug}");
            problems.AddRange(await CheckAsync(team, "call (team)"));
            await team.GetByRole(AriaRole.Link, new() { Name = "応募する", Exact = true }).ClickAsync();
            await team.GetByLabel("題名（必須）").FillAsync(EntryTitle);
            await team.GetByLabel("チーム名").FillAsync("チーム安全");
            await team.GetByLabel("部門").SelectOptionAsync("防災");
            await team.GetByLabel("概要").FillAsync("子どもたちの通学路の危険箇所を地図にします。");
            await team.GetByLabel("リンク").FillAsync("https://example.jp/map");
            problems.AddRange(await CheckAsync(team, "entry form"));
            await team.GetByRole(AriaRole.Button, new() { Name = "提出する" }).ClickAsync();
            await WaitForPathAsync(team, "/council/contests/mine");
            await Assertions.Expect(team.Locator("#my-entries")).ToContainTextAsync(EntryTitle);
            await Assertions.Expect(team.Locator("#my-entries")).ToContainTextAsync("提出済み");
            problems.AddRange(await CheckAsync(team, "my entries"));
            entryId = long.Parse(System.Web.HttpUtility.ParseQueryString(new Uri(team.Url).Query)["saved"]!, System.Globalization.CultureInfo.InvariantCulture);
        }

        // 3. the secretariat closes the call, accepts the entry and assigns the judge in the console
        await EditCallAsync(secretariat, problems, deadline: "2020-01-02T00:00");
        await secretariat.Locator("#console-link").ClickAsync();
        await WaitForPathAsync(secretariat, $"/council/contests/{Slug}/console");
        problems.AddRange(await CheckAsync(secretariat, "console"));
        var card = secretariat.Locator($"#entry-{entryId}");
        await Assertions.Expect(card).ToContainTextAsync(EntryTitle);
        await card.GetByRole(AriaRole.Button, new() { Name = "受理する", Exact = true }).ClickAsync();
        await Assertions.Expect(secretariat.Locator($"#entry-{entryId} .ct-state")).ToHaveTextAsync("受理");
        await secretariat.Locator($"#judge-{entryId}").FillAsync("judge");
        await secretariat.Locator($"#entry-{entryId}").GetByRole(AriaRole.Button, new() { Name = "割り当て", Exact = true }).ClickAsync();
        await Assertions.Expect(secretariat.Locator($"#entry-{entryId}")).ToContainTextAsync("judge：未採点");
        problems.AddRange(await CheckAsync(secretariat, "console (entry accepted, judge assigned)"));

        // 4. the judge scores on a phone
        await using (var judgeContext = await browser.NewContextAsync(app.BaseAddress, phone: true))
        {
            var judge = await judgeContext.NewPageAsync();
            await LoginAsync(judge, "judge");
            await judge.GotoAsync($"/council/contests/{Slug}/judge");
            var scoring = judge.Locator($"#entry-{entryId}");
            await Assertions.Expect(scoring).ToContainTextAsync(EntryTitle);
            problems.AddRange(await CheckAsync(judge, "judging"));
            await scoring.GetByLabel("独自性（0～10、重み 2）").FillAsync("9");
            await scoring.GetByLabel("完成度（0～5、重み 1）").FillAsync("2");
            await scoring.GetByLabel("講評").FillAsync("地域ですぐに使えます。");
            await scoring.GetByRole(AriaRole.Button, new() { Name = "採点を保存" }).ClickAsync();
            await Assertions.Expect(judge.Locator("#saved")).ToContainTextAsync("採点を保存しました");
            problems.AddRange(await CheckAsync(judge, "judging (saved)"));
        }

        // before judging closes the public sees no scores
        await using (var publicContext = await browser.NewContextAsync(app.BaseAddress, phone: true))
        {
            var reader = await publicContext.NewPageAsync();
            await reader.GotoAsync($"/council/contests/{Slug}/results");
            await Assertions.Expect(reader.Locator("#hidden-scores")).ToBeVisibleAsync();
            problems.AddRange(await CheckAsync(reader, "results before judging closes"));
        }

        // 5. the secretariat closes judging, publishes the results and gives the award
        await EditCallAsync(secretariat, problems, closes: "2020-01-03T00:00", publish: true);
        await secretariat.GotoAsync($"/council/contests/{Slug}/console");
        await Assertions.Expect(secretariat.Locator($"#entry-{entryId}")).ToContainTextAsync("judge：73.33"); // (2×9/10 + 1×2/5) / 3 × 100
        await secretariat.Locator("#award-entry").SelectOptionAsync(entryId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await secretariat.Locator("#award-name").FillAsync("最優秀賞");
        await secretariat.Locator("#award-name-en").FillAsync("Grand prize");
        await secretariat.GetByRole(AriaRole.Button, new() { Name = "賞を贈る" }).ClickAsync();
        await Assertions.Expect(secretariat.Locator("#awards + ul")).ToContainTextAsync("最優秀賞");
        problems.AddRange(await CheckAsync(secretariat, "console (award given)"));

        // 6. the results, as anyone reads them on a phone: the award, the ranking with its score
        await using (var publicContext = await browser.NewContextAsync(app.BaseAddress, phone: true))
        {
            var reader = await publicContext.NewPageAsync();
            await reader.GotoAsync($"/council/contests/{Slug}");
            await reader.GetByRole(AriaRole.Link, new() { Name = "結果", Exact = true }).ClickAsync();
            await WaitForPathAsync(reader, $"/council/contests/{Slug}/results");
            await Assertions.Expect(reader.Locator("#awards")).ToContainTextAsync("最優秀賞");
            await Assertions.Expect(reader.Locator("#awards")).ToContainTextAsync(EntryTitle);
            await Assertions.Expect(reader.Locator("#hidden-scores")).ToHaveCountAsync(0);
            await Assertions.Expect(reader.Locator("#ranking")).ToContainTextAsync("73.33");
            problems.AddRange(await CheckAsync(reader, "results"));
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
