using Microsoft.Playwright;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.BrowserTests;

/// <summary>The symposium flow in Chromium: phone viewers, a moderator, the presenter screen, all live.</summary>
public class EventLiveBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Viewer_question_is_approved_highlighted_shown_on_the_presenter_screen_and_votes_update_live()
    {
        await using var app = await TestApp.StartAsync(Db.Sqlite, kestrel: true);
        var ev = await app.CreateEventAsync("sym", new { questionCode = "q1", preModeration = true });
        var presenterPath = new Uri(ev["presenterUrl"]!.GetValue<string>()).AbsolutePath;

        await using var viewerContext = await browser.NewContextAsync(app.BaseAddress, phone: true);
        await using var secondContext = await browser.NewContextAsync(app.BaseAddress, phone: true);
        await using var moderatorContext = await browser.NewContextAsync(app.BaseAddress);
        await moderatorContext.SetExtraHTTPHeadersAsync(new Dictionary<string, string> { ["Authorization"] = app.AdminToken });
        await using var presenterContext = await browser.NewContextAsync(app.BaseAddress);

        var presenter = await presenterContext.NewPageAsync();
        await presenter.GotoAsync(presenterPath + "?bg=transparent");
        var second = await secondContext.NewPageAsync();
        await second.GotoAsync("/q/q1");
        var viewer = await viewerContext.NewPageAsync();
        await viewer.GotoAsync("/q/q1");

        // A viewer on a phone posts a question (pre-moderation: it waits for the moderator).
        await viewer.GetByLabel("質問（500文字まで）").FillAsync("オープンデータで<script>何が</script>変わりましたか？");
        await viewer.GetByLabel("お名前（任意）").FillAsync("つくば太郎");
        await viewer.GetByRole(AriaRole.Button, new() { Name = "投稿する" }).ClickAsync();
        await Assertions.Expect(viewer.GetByRole(AriaRole.Status)).ToContainTextAsync("モデレータの確認後に表示されます");
        Assert.Equal("", await viewer.GetByLabel("質問（500文字まで）").InputValueAsync());

        // The moderator approves and highlights it.
        var moderator = await moderatorContext.NewPageAsync();
        await moderator.GotoAsync("/event/sym/moderate");
        var item = moderator.Locator("li.ev-q", new() { HasText = "何が" });
        await item.GetByRole(AriaRole.Button, new() { Name = "承認" }).ClickAsync();
        await moderator.Locator("li.ev-q", new() { HasText = "何が" }).GetByRole(AriaRole.Button, new() { Name = "画面に表示", Exact = true }).ClickAsync();
        await Assertions.Expect(moderator.Locator("li.ev-q.is-highlighted")).ToContainTextAsync("何が");

        // The presenter screen and the second viewer update without reloading; the text stays text.
        await Assertions.Expect(presenter.Locator("#ev-highlight .ev-hl-text")).ToHaveTextAsync("オープンデータで<script>何が</script>変わりましたか？");
        await Assertions.Expect(second.Locator("#ev-questions li")).ToHaveCountAsync(1);
        await Assertions.Expect(second.Locator("#ev-highlight")).ToContainTextAsync("つくば太郎");

        // A vote on one phone shows on the other.
        await viewer.Locator("#ev-questions li").First.GetByRole(AriaRole.Button).ClickAsync();
        await Assertions.Expect(second.Locator("#ev-questions .ev-votes").First).ToHaveTextAsync("1");
        await Assertions.Expect(viewer.Locator("#ev-questions li button").First).ToContainTextAsync("投票を取り消す"); // and may take it back
    }
}
