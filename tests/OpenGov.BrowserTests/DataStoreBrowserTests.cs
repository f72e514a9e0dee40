using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenGov.DataStore;
using OpenGov.Storage;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.BrowserTests;

/// <summary>
/// A publisher's CP932 file with 和暦 dates: the panel's progress bar runs to complete and the preview shows ISO dates.
/// An editor overrides a column's inferred type through the panel's reload form.
/// </summary>
public class DataStoreBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Cp932_upload_progress_reaches_complete_and_preview_shows_iso_dates()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        await using var app = await TestApp.StartAsync(Db.Sqlite, kestrel: true);
        var (_, ds) = await app.DatasetAsync(name: "chiba-test-count");
        var sb = new StringBuilder("千葉市 検査実施件数（速報）\r\n\r\n実施_年月日,全国地方公共団体コード,都道府県名,市区町村名,検査実施_件数,備考\r\n");
        var start = new DateOnly(2019, 5, 1);
        for (var i = 0; i < 150_000; i++)
        {
            var d = start.AddDays(i % 2000);
            var era = d.Year - 2018;
            sb.Append(era == 1 ? "令和元年" : "令和" + era + "年").Append(d.Month).Append('月').Append(d.Day).Append("日,121002,千葉県,千葉市,")
              .Append(i % 3 == 0 ? "１２３" : "45").Append(",\r\n");
        }

        var rid = await app.UploadAsync(ds, "121002_chiba_covid19_test_count.csv", Encoding.GetEncoding(932).GetBytes(sb.ToString()));
        using (var api = new HttpClient { BaseAddress = app.BaseAddress })
        {
            api.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", app.AdminToken);
            await api.OkAsync("datastore_load", new { resource_id = rid });
        }

        await using var context = await browser.NewContextAsync(app.BaseAddress);
        var page = await context.NewPageAsync();
        var response = await page.GotoAsync($"/dataset/chiba-test-count/resource/{rid}/data");
        Assert.True(response?.Ok, $"preview answered {response?.Status}");
        var progress = page.GetByRole(AriaRole.Progressbar, new() { Name = "読み込みの進み具合" });
        await Assertions.Expect(progress).ToBeVisibleAsync();

        // the script refreshes the panel and reloads the page when the job ends
        await Assertions.Expect(page.Locator("[data-ds-panel]")).ToHaveAttributeAsync("data-state", "complete", new() { Timeout = 90_000 });
        await Assertions.Expect(progress).ToHaveAttributeAsync("value", "100");
        await Assertions.Expect(page.Locator("[data-ds-state-text]")).ToHaveTextAsync("完了");
        await Assertions.Expect(page.Locator(".ds-detected")).ToContainTextAsync("shift_jis");

        var table = page.GetByRole(AriaRole.Table).Filter(new() { Has = page.GetByRole(AriaRole.Columnheader, new() { Name = "実施_年月日" }) });
        await Assertions.Expect(table.GetByRole(AriaRole.Cell, new() { Name = "2019-05-01", Exact = true }).First).ToBeVisibleAsync();
        await Assertions.Expect(table).Not.ToContainTextAsync("令和");

        // sort by date descending through the column header link
        await page.GetByRole(AriaRole.Link, new() { Name = "実施_年月日" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "実施_年月日" }).ClickAsync();
        await Assertions.Expect(table.Locator("tbody tr").First.Locator("td").Nth(1)).ToHaveTextAsync("2024-10-20");
    }

    [Fact]
    public async Task Editor_sets_an_inferred_integer_code_column_to_text_in_the_reload_form_and_the_api_returns_strings()
    {
        await using var app = await TestApp.StartAsync(Db.Sqlite, kestrel: true);
        var (orgId, ds) = await app.DatasetAsync(name: "chiba-population");

        // Chiba's 全国地方公共団体コード have no leading zero and the header is not named like a code, so the column is inferred as int
        var csv = "自治体番号,市区町村名,人口\r\n121002,千葉市,975000\r\n122033,市川市,490000\r\n122041,船橋市,640000\r\n";
        var rid = await app.UploadAsync(ds, "chiba_population.csv", new UTF8Encoding(false).GetBytes(csv));
        using var api = new HttpClient { BaseAddress = app.BaseAddress };
        api.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", app.AdminToken);
        var org = await api.OkAsync("organization_show", new { id = orgId });
        await app.CreateUserAsync("hanako", org["name"]!.GetValue<string>(), "editor", password: "secret-pw");
        await api.OkAsync("datastore_load", new { resource_id = rid });

        await using var context = await browser.NewContextAsync(app.BaseAddress);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/user/login");
        await page.GetByLabel("ユーザー名またはメールアドレス").FillAsync("hanako");
        await page.GetByLabel("パスワード").FillAsync("secret-pw");
        await page.GetByLabel("パスワード").PressAsync("Enter");
        await page.WaitForURLAsync(url => !url.Contains("/user/login", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.DOMContentLoaded });

        var preview = $"/dataset/chiba-population/resource/{rid}/data";
        var response = await page.GotoAsync(preview);
        Assert.True(response?.Ok, $"preview answered {response?.Status}");
        var panel = page.Locator("[data-ds-panel]");
        await Assertions.Expect(panel).ToHaveAttributeAsync("data-state", "complete", new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator(".ds-detected")).ToContainTextAsync("自治体番号 (int)");
        var before = await FirstRecordAsync(api, rid);
        Assert.Equal(JsonValueKind.Number, before["自治体番号"]!.GetValueKind());

        await page.GetByText("読み込みの設定を変えて再実行").ClickAsync();
        var type = page.GetByLabel("自治体番号", new() { Exact = true });
        await Assertions.Expect(type).ToHaveValueAsync("auto");
        await type.SelectOptionAsync("text");
        var post = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "再読み込み", Exact = true }).ClickAsync(),
            r => r.Request.Method == "POST" && r.Url.Contains("handler=Load", StringComparison.Ordinal));
        Assert.Equal(302, post.Status);
        await page.WaitForURLAsync(new Regex(Regex.Escape(preview) + "$"), new() { WaitUntil = WaitUntilState.DOMContentLoaded });

        // a new job: the script reloads the page when it ends, and the panel shows the overridden type
        await Assertions.Expect(panel).ToHaveAttributeAsync("data-state", "complete", new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator(".ds-detected")).ToContainTextAsync("自治体番号 (text)", new() { Timeout = 30_000 });
        await page.GetByText("読み込みの設定を変えて再実行").ClickAsync();
        await Assertions.Expect(page.GetByLabel("自治体番号", new() { Exact = true })).ToHaveValueAsync("text");
        var table = page.GetByRole(AriaRole.Table).Filter(new() { Has = page.GetByRole(AriaRole.Columnheader, new() { Name = "自治体番号" }) });
        await Assertions.Expect(table.GetByRole(AriaRole.Cell, new() { Name = "121002", Exact = true })).ToHaveClassAsync("ds-type-text");

        var after = await FirstRecordAsync(api, rid);
        Assert.Equal(JsonValueKind.String, after["自治体番号"]!.GetValueKind());
        Assert.Equal("121002", after["自治体番号"]!.GetValue<string>());
        Assert.Equal(JsonValueKind.Number, after["人口"]!.GetValueKind());
    }

    private static async Task<JsonNode> FirstRecordAsync(HttpClient api, string resourceId)
    {
        var result = await api.OkAsync("datastore_search", new { resource_id = resourceId, filters = new Dictionary<string, string> { ["市区町村名"] = "千葉市" } });
        return result["records"]![0]!;
    }

    [Theory(Timeout = 300_000)]
    [InlineData(true, "ja")]
    [InlineData(false, "en")]
    public async Task A_running_load_sits_at_the_top_of_the_resource_page_with_its_percentage_and_open_log_and_no_internal_names(bool phone, string lang)
    {
        // no background loading: the running job below stays as written (half its bytes read)
        var quiet = new Dictionary<string, string?> { ["OpenGov:DataStore:PollSeconds"] = "0", ["OpenGov:DataStore:RunJobs"] = "false" };
        await using var app = await TestApp.StartAsync(Db.Sqlite, quiet, kestrel: true);
        var (_, ds) = await app.DatasetAsync(name: "load-top");
        var rid = await app.UploadAsync(ds, "a.csv", Encoding.UTF8.GetBytes("x,y\n1,a\n"));
        string jobId;
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
            var job = new DataStoreJob
            {
                ResourceId = rid,
                State = JobState.Running,
                ClaimedBy = "node-secret-7",
                Started = DateTime.UtcNow,
                Heartbeat = DateTime.UtcNow,
                Attempts = 1,
                RowsRead = 1234,
                BytesRead = 50,
                TotalBytes = 100,
                LogJson = """[{"t":"2026-12-06T00:00:00.000Z","level":"info","message":"started","message_ja":"読み込みを開始しました","node":"node-secret-7"}]""",
            };
            db.Add(job);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            jobId = job.Id;
        }

        var english = lang == "en";
        await using var context = await browser.NewContextAsync(app.BaseAddress, phone: phone, locale: english ? "en-US" : "ja-JP");
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/dataset/load-top/resource/{rid}" + (english ? "?lang=en" : ""));
        var panel = page.Locator("[data-ds-panel]");
        await Assertions.Expect(panel.GetByRole(AriaRole.Progressbar, new() { Name = english ? "Load progress" : "読み込みの進み具合" })).ToHaveAttributeAsync("value", "50");
        await Assertions.Expect(panel.Locator("[data-ds-percent]")).ToHaveTextAsync("50%");
        await Assertions.Expect(panel.Locator("details.ds-log")).ToHaveJSPropertyAsync("open", true);
        await Assertions.Expect(panel.Locator("details.ds-log")).ToContainTextAsync(english ? "started" : "読み込みを開始しました");

        // at the top: its start is on the first screen, above the preview
        var top = (await panel.BoundingBoxAsync())!.Y;
        Assert.True(top < page.ViewportSize!.Height, $"the running load starts at {top} px, below the first screen");
        var html = await page.ContentAsync();
        Assert.DoesNotContain("node-secret-7", html);
        Assert.DoesNotContain(jobId, html);
        if (phone)
        {
            Assert.False(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1"), "the resource page scrolls sideways on a phone");
        }

        var axe = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }).WaitAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
        Assert.True(axe.Violations.Length == 0, string.Join(" | ", axe.Violations.Select(v => v.Id + ": " + string.Join(", ", v.Nodes.Take(2).Select(n => n.Html)))));
        if (Environment.GetEnvironmentVariable("OPENGOV_SCREENSHOTS") is { Length: > 0 } dir)
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(dir, $"resource-load-running-{(phone ? "phone" : "desktop")}-{lang}.png") });
        }
    }
}
