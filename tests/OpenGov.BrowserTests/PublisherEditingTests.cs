using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.BrowserTests;

/// <summary>A publisher logs in, creates a dataset (slug suggested) and uploads a file with the progress bar.</summary>
public class PublisherEditingTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Editor_creates_a_dataset_and_uploads_a_file_by_keyboard_and_labels()
    {
        await using var app = await TestApp.StartAsync(Db.Sqlite, kestrel: true);
        using var admin = new HttpClient { BaseAddress = app.BaseAddress };
        admin.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", app.AdminToken);
        await admin.OkAsync("organization_create", new { name = "chiba", title = "千葉市", local_gov_code = "121002" });
        await app.CreateUserAsync("hanako", "chiba", "editor", password: "secret-pw");
        await using var context = await browser.NewContextAsync(app.BaseAddress, phone: true);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/dashboard/datasets");
        Assert.Contains("/user/login", page.Url);
        await page.GetByLabel("ユーザー名またはメールアドレス").FillAsync("hanako");
        await page.GetByLabel("パスワード").FillAsync("wrong");
        await page.GetByRole(AriaRole.Button, new() { Name = "ログイン" }).Last.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("パスワードが正しくありません");

        await page.GetByLabel("パスワード").FillAsync("secret-pw");
        await page.GetByLabel("パスワード").PressAsync("Enter");
        await page.WaitForURLAsync(new Regex("/dashboard/datasets$"), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await page.GetByRole(AriaRole.Link, new() { Name = "データセットを作成" }).ClickAsync();

        // an empty required name: the error summary takes the focus and links to the field
        await page.GetByLabel("タイトル").FillAsync("避難所一覧");
        await page.GetByLabel("URL名").FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "作成", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#error-summary")).ToBeFocusedAsync();
        await Assertions.Expect(page.GetByLabel("URL名")).ToHaveAttributeAsync("aria-invalid", "true");

        // typing a title suggests a name: a Japanese title gives organization + date
        await page.GetByLabel("タイトル").FillAsync("");
        await page.GetByLabel("タイトル").PressSequentiallyAsync("避難所一覧");
        var slug = await page.GetByLabel("URL名").InputValueAsync();
        Assert.Matches("^chiba-[0-9]{8}$", slug);
        await page.GetByLabel("タイトル").FillAsync("Shelters list");
        await page.GetByLabel("タイトル").PressAsync("End");
        await page.GetByLabel("タイトル").PressSequentiallyAsync(" 2020");
        Assert.Equal("shelters-list-2020", await page.GetByLabel("URL名").InputValueAsync());

        await page.GetByLabel("タグ").FillAsync("防災, 避難所");
        // the navigation's commit is enough to go on (the next actions wait for their elements): in CI runs under load
        // the load event, and once even DOMContentLoaded, of this page did not come within 30 s although the page had
        // been answered and shown
        await page.GetByRole(AriaRole.Button, new() { Name = "作成してファイルを追加" }).ClickAsync();
        try
        {
            await page.WaitForURLAsync(new Regex("/dataset/shelters-list-2020/resource/new$"), new() { WaitUntil = WaitUntilState.Commit });
        }
        catch (TimeoutException)
        {
            Assert.Fail(page.Url + "\n" + await page.Locator("main").InnerTextAsync());
        }

        var content = new byte[512 * 1024];
        Array.Fill(content, (byte)'1');
        await page.GetByLabel("ファイル", new() { Exact = true }).SetInputFilesAsync(new FilePayload { Name = "避難所.csv", MimeType = "text/csv", Buffer = content });
        await page.GetByLabel("名前").FillAsync("避難所一覧 CSV");
        var request = await page.RunAndWaitForRequestAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "追加" }).ClickAsync(),
            r => r.Method == "POST");
        Assert.Equal("XMLHttpRequest", request.Headers.GetValueOrDefault("x-requested-with"));
        await Assertions.Expect(page.Locator("progress")).ToBeVisibleAsync();
        await page.WaitForURLAsync(new Regex("/dataset/shelters-list-2020$"), new() { WaitUntil = WaitUntilState.DOMContentLoaded });

        var show = await admin.OkAsync("package_show", new { id = "shelters-list-2020" });
        var resource = show["resources"]![0]!;
        Assert.Equal("避難所一覧 CSV", resource["name"]!.GetValue<string>());
        Assert.Equal(content.Length, resource["size"]!.GetValue<long>());
        Assert.Equal("CSV", resource["format"]!.GetValue<string>());
        Assert.Equal(["避難所", "防災"], show["tags"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()));
    }
}
