using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Catalog;

public class PagesSmokeTests
{
    [Fact]
    public async Task About_page_renders_in_japanese_by_default_and_in_english_on_request()
    {
        await using var app = await TestApp.StartAsync(Db.Sqlite);
        var client = app.Anonymous();
        var ja = await client.GetStringAsync("/about", TestContext.Current.CancellationToken);
        Assert.Contains("<html lang=\"ja\">", ja);
        Assert.Contains("このサイトについて", ja);
        var en = await client.GetStringAsync("/about?lang=en", TestContext.Current.CancellationToken);
        Assert.Contains("<html lang=\"en\">", en);
        Assert.Contains("About this site", en);
    }
}
