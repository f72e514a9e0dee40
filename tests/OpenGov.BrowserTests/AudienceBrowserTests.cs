using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.BrowserTests;

/// <summary>The audience view /q/{code} on a 390-px phone, in Japanese and English: the event's own page, a poll arriving live, taking a vote back, axe clean.</summary>
public class AudienceBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static readonly AxeRunOptions Wcag21AA = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        // experimental in axe, so not run by the tags alone: the vote buttons' names must include their visible text
        Rules = new Dictionary<string, RuleOptions> { ["label-content-name-mismatch"] = new() { Enabled = true } },
    };

    private static async Task AxeCleanAsync(IPage page, string what)
    {
        var result = await page.RunAxe(Wcag21AA);
        Assert.Contains(result.Passes, r => r.Id == "html-has-lang");
        var problems = result.Violations.Select(v => $"{what}: {v.Id} ({v.Impact}) {v.Help}: " + string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [InlineData("ja")]
    [InlineData("en")]
    public async Task Audience_view_on_a_phone_is_the_events_own_page_shows_a_new_poll_live_takes_a_vote_back_and_is_axe_clean(string lang)
    {
        await using var app = await TestApp.StartAsync(Db.Sqlite, kestrel: true);
        await app.CreateEventAsync("sym", new { questionCode = "q1", titleEn = "" });
        await app.Anonymous().AskAsync("q1", "オープンデータの活用事例を教えてください");
        await app.CreatePollAsync(new { kind = "single", questionJa = "参加は何回目？", options = new[] { "初めて", "2回目以上" } });
        var english = lang == "en";

        await using var context = await browser.NewContextAsync(app.BaseAddress, phone: true, locale: english ? "en-US" : "ja-JP");
        var page = await context.NewPageAsync();
        var response = await page.GotoAsync("/q/q1" + (english ? "?lang=en" : ""));
        Assert.True(response?.Ok, $"/q/q1 answered {response?.Status}");
        Assert.Equal(lang, await page.Locator("html").GetAttributeAsync("lang"));

        // the event's own page: its title and the language switch, no catalog menu
        await Assertions.Expect(page.Locator("header.ev-audience-header")).ToContainTextAsync("テストシンポジウム");
        await Assertions.Expect(page.Locator("header a[hreflang]")).ToHaveTextAsync(english ? "日本語" : "English");
        Assert.Equal(0, await page.Locator("a[href='/dataset']").CountAsync());
        if (english)
        {
            Assert.Equal("ja", await page.Locator("#ev-questions .ev-q-text").First.GetAttributeAsync("lang"));
            Assert.Equal("ja", await page.Locator("h1 [lang]").First.GetAttributeAsync("lang"));
        }

        await AxeCleanAsync(page, "/q/q1 " + lang);

        // a new poll appears without a reload
        await page.EvaluateAsync("() => { window.__sameDocument = true; }");
        var poll = await app.CreatePollAsync(new { kind = "single", questionJa = "満足しましたか？", options = new[] { "はい", "いいえ" } });
        await Assertions.Expect(page.Locator($"[data-poll='{poll}'] form")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync(english ? "A new poll has started." : "新しい投票が始まりました。");
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the page was reloaded");

        // a vote, then taken back
        var button = page.Locator("#ev-questions li").First.GetByRole(AriaRole.Button);
        await button.ClickAsync();
        await Assertions.Expect(page.Locator("#ev-questions .ev-votes").First).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("#ev-questions li").First.GetByRole(AriaRole.Button)).ToContainTextAsync(english ? "Take back my vote" : "投票を取り消す");
        await AxeCleanAsync(page, "/q/q1 " + lang + " after a vote and a new poll");
        await page.Locator("#ev-questions li").First.GetByRole(AriaRole.Button).ClickAsync();
        await Assertions.Expect(page.Locator("#ev-questions .ev-votes").First).ToHaveTextAsync("0");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync(english ? "Your vote was taken back." : "投票を取り消しました。");
        Assert.Equal(0, (await app.PublicQuestionsAsync("q1"))[0]!["votes"]!.GetValue<int>());
    }

    [Theory]
    [InlineData(true, "ja")]
    [InlineData(false, "en")]
    public async Task Where_the_event_forbids_it_the_poster_gets_no_vote_button_on_their_own_new_question(bool phone, string lang)
    {
        await using var app = await TestApp.StartAsync(Db.Sqlite, kestrel: true);
        await app.CreateEventAsync("sym", new { questionCode = "q1" });
        using (var put = await app.AdminClient().SendAsync(new HttpRequestMessage(HttpMethod.Put, "/api/events/sym/settings") { Content = System.Net.Http.Json.JsonContent.Create(new { voteOwnQuestion = false }) }, TestContext.Current.CancellationToken))
        {
            Assert.True(put.IsSuccessStatusCode, $"settings: {(int)put.StatusCode}");
        }

        await app.Anonymous().AskAsync("q1", "ほかの参加者の質問です");
        var english = lang == "en";
        await using var context = await browser.NewContextAsync(app.BaseAddress, phone: phone, locale: english ? "en-US" : "ja-JP");
        var page = await context.NewPageAsync();
        await page.GotoAsync("/q/q1" + (english ? "?lang=en" : ""));

        // the question arrives through the script (no reload); its poster sees a label, not a button
        await page.Locator("#ev-text").FillAsync("自分で投稿した質問です");
        await page.Locator("#ev-ask-form button[type=submit]").ClickAsync();
        var mine = page.Locator("#ev-questions li", new() { HasText = "自分で投稿した質問です" });
        await Assertions.Expect(mine.Locator(".ev-own-label")).ToHaveTextAsync(english ? "Your question" : "あなたの質問");
        await Assertions.Expect(mine.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        var theirs = page.Locator("#ev-questions li", new() { HasText = "ほかの参加者の質問です" });
        await Assertions.Expect(theirs.GetByRole(AriaRole.Button)).ToHaveCountAsync(1);
        await AxeCleanAsync(page, "/q/q1 own question " + lang);
        var name = "audience-own-question-" + (phone ? "phone-" : "desktop-") + lang;
        if (Environment.GetEnvironmentVariable("OPENGOV_SCREENSHOTS") is { Length: > 0 } dir)
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(dir, name + ".png"), FullPage = true });
        }

        // after a reload the server leaves the button out too
        await page.ReloadAsync();
        await Assertions.Expect(mine.Locator(".ev-own-label")).ToBeVisibleAsync();
        await Assertions.Expect(mine.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        await Assertions.Expect(theirs.GetByRole(AriaRole.Button)).ToHaveCountAsync(1);
    }

    [Theory(Timeout = 300_000)]
    [InlineData(true, "ja")]
    [InlineData(false, "en")]
    public async Task A_moderators_change_of_the_own_question_setting_reaches_an_open_audience_page_without_a_reload(bool phone, string lang)
    {
        await using var app = await TestApp.StartAsync(Db.Sqlite, kestrel: true);
        await app.CreateEventAsync("sym", new { questionCode = "q1" });
        await app.Anonymous().AskAsync("q1", "ほかの参加者の質問です");
        var english = lang == "en";
        await using var context = await browser.NewContextAsync(app.BaseAddress, phone: phone, locale: english ? "en-US" : "ja-JP");
        var page = await context.NewPageAsync();
        await page.GotoAsync("/q/q1" + (english ? "?lang=en" : ""));
        await page.Locator("#ev-text").FillAsync("自分で投稿した質問です");
        await page.Locator("#ev-ask-form button[type=submit]").ClickAsync();
        var mine = page.Locator("#ev-questions li", new() { HasText = "自分で投稿した質問です" });
        var theirs = page.Locator("#ev-questions li", new() { HasText = "ほかの参加者の質問です" });
        await Assertions.Expect(mine.GetByRole(AriaRole.Button)).ToHaveCountAsync(1); // allowed by default
        await page.EvaluateAsync("() => { window.__sameDocument = true; }");

        // the moderators forbid it: the poster's button goes, without a reload; others keep theirs
        await PutOwnVotesAsync(app, false);
        await Assertions.Expect(mine.Locator(".ev-own-label")).ToHaveTextAsync(english ? "Your question" : "あなたの質問");
        await Assertions.Expect(mine.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        await Assertions.Expect(theirs.GetByRole(AriaRole.Button)).ToHaveCountAsync(1);
        await AxeCleanAsync(page, "/q/q1 setting changed live " + lang);
        if (Environment.GetEnvironmentVariable("OPENGOV_SCREENSHOTS") is { Length: > 0 } dir)
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(dir, "audience-own-setting-live-" + (phone ? "phone-" : "desktop-") + lang + ".png"), FullPage = true });
        }

        // and allow it again: the button is back
        await PutOwnVotesAsync(app, true);
        await Assertions.Expect(mine.GetByRole(AriaRole.Button)).ToHaveCountAsync(1);
        await Assertions.Expect(mine.Locator(".ev-own-label")).ToHaveCountAsync(0);
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the page was reloaded");
    }

    private static async Task PutOwnVotesAsync(TestApp app, bool allowed)
    {
        using var put = await app.AdminClient().SendAsync(new HttpRequestMessage(HttpMethod.Put, "/api/events/sym/settings") { Content = System.Net.Http.Json.JsonContent.Create(new { voteOwnQuestion = allowed }) }, TestContext.Current.CancellationToken);
        Assert.True(put.IsSuccessStatusCode, $"settings: {(int)put.StatusCode}");
    }

    [Theory(Timeout = 300_000)]
    [InlineData("ja")]
    [InlineData("en")]
    public async Task The_presenter_screen_shows_a_large_join_code_the_question_pages_qr_code_and_goes_full_screen(string lang)
    {
        await using var app = await TestApp.StartAsync(Db.Sqlite, kestrel: true);
        var ev = await app.CreateEventAsync("sym", new { questionCode = "q1" });
        var presenterPath = new Uri(ev["presenterUrl"]!.GetValue<string>()).AbsolutePath;
        var english = lang == "en";
        await using var context = await browser.NewContextAsync(app.BaseAddress, locale: english ? "en-US" : "ja-JP");
        var page = await context.NewPageAsync();
        var response = await page.GotoAsync(presenterPath + (english ? "?lang=en" : ""));
        Assert.True(response?.Ok, $"the presenter screen answered {response?.Status}");
        Assert.Equal(lang, await page.Locator("html").GetAttributeAsync("lang"));

        // the join code, large enough to read from the back of the hall, and the question page's URL as a QR code
        var code = page.Locator(".ev-p-join .ev-p-code");
        await Assertions.Expect(code).ToHaveTextAsync("q1");
        var size = await code.EvaluateAsync<double>("e => parseFloat(getComputedStyle(e).fontSize)");
        Assert.True(size >= 48, $"the join code is {size} px high");
        var qr = page.GetByRole(AriaRole.Img, new() { Name = english ? "QR code of the question page" : "質問ページのQRコード" });
        await Assertions.Expect(qr).ToHaveAttributeAsync("src", "/q/q1/qr.svg");
        Assert.True(await qr.EvaluateAsync<bool>("i => i.complete && i.naturalWidth > 0"), "the QR code did not load");
        await Assertions.Expect(page.Locator(".ev-p-url")).ToContainTextAsync("/q/q1");
        await AxeCleanAsync(page, "presenter " + lang);
        if (Environment.GetEnvironmentVariable("OPENGOV_SCREENSHOTS") is { Length: > 0 } dir)
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(dir, "presenter-desktop-" + lang + ".png") });
        }

        // full screen from its button, where the browser allows it (the button stays hidden where it does not)
        var button = page.GetByRole(AriaRole.Button, new() { Name = english ? "Full screen" : "全画面表示" });
        if (await page.EvaluateAsync<bool>("() => document.fullscreenEnabled"))
        {
            await button.ClickAsync();
            await page.WaitForFunctionAsync("() => document.fullscreenElement !== null");
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = english ? "Exit full screen" : "全画面表示を終了" })).ToBeVisibleAsync();
        }
        else
        {
            await Assertions.Expect(button).ToBeHiddenAsync();
        }
    }
}
