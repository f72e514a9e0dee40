using System.Text;
using Microsoft.Playwright;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.BrowserTests;

/// <summary>A publisher's CP932 file with 和暦 dates: the panel's progress bar runs to complete and the preview shows ISO dates.</summary>
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
}
