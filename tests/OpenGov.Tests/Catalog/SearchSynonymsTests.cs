using System.Net;
using OpenGov.Tests.Infrastructure;
using static OpenGov.Tests.Infrastructure.SearchSeed;

namespace OpenGov.Tests.Catalog;

/// <summary>
/// The synonym list (issue 14, point 5): 陽性者/陽性患者/感染者 from the start, applied to package_search and the search
/// page, edited on /search/synonyms by sysadmins and the council secretariat only.
/// </summary>
public class SearchSynonymsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task SeedAsync(TestApp app)
    {
        var org = await app.OrganizationAsync("tokyo", "東京都");
        await app.DatasetAsync(org, "patients", "新型コロナウイルス感染症陽性患者属性", resources: [new Res("p.csv", "CSV")]);
        await app.DatasetAsync(org, "infected", "感染者数の推移", resources: [new Res("i.csv", "CSV")]);
        await app.DatasetAsync(org, "shelters", "避難所一覧", resources: [new Res("s.csv", "CSV")]);
    }

    [Theory, Databases]
    public async Task The_seeded_group_finds_every_variant_through_package_search_and_the_search_page(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await SeedAsync(app);
        var c = app.Anonymous();
        foreach (var word in new[] { "陽性者", "陽性患者", "感染者" })
        {
            var names = (await c.SearchAsync(("q", word))).Names();
            Assert.Equal(["infected", "patients"], [.. names.Order(StringComparer.Ordinal)]);
        }

        // a field-restricted word keeps its field; other words still narrow the result
        Assert.Equal(["patients"], (await c.SearchAsync(("q", "陽性者 属性"))).Names());
        Assert.Equal(["infected"], (await c.SearchAsync(("q", "title:感染者 推移"))).Names());

        var page = await c.GetStringAsync("/dataset?q=" + Uri.EscapeDataString("陽性者"), Ct);
        Assert.Contains("2 件のデータセットが見つかりました", page);
    }

    [Theory, Databases]
    public async Task Only_sysadmins_and_the_secretariat_edit_the_list_and_search_follows_the_saved_list(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await SeedAsync(app);
        Assert.Equal(HttpStatusCode.Redirect, (await app.Anonymous().GetAsync("/search/synonyms", Ct)).StatusCode);
        await app.CreateUserAsync("hanako", "tokyo", "admin", password: "pass-hanako");
        var orgAdmin = app.Anonymous();
        await orgAdmin.LoginAsync("hanako", "pass-hanako");
        Assert.Equal(HttpStatusCode.Forbidden, (await orgAdmin.GetAsync("/search/synonyms", Ct)).StatusCode);

        await app.CreateUserAsync("jimu", password: "pass-jimu");
        Assert.Equal(204, (await app.Admin().PostJsonAsync("/api/council/secretariat", new { user = "jimu" })).Status);
        var secretary = app.Anonymous();
        await secretary.LoginAsync("jimu", "pass-jimu");
        var form = await secretary.GetStringAsync("/search/synonyms", Ct);
        Assert.Contains("陽性者, 陽性患者, 感染者", form);

        // a refused post: the line number and the reason, in the reader's language; nothing saved
        var bad = await PostAsync(secretary, "/search/synonyms", form, "陽性者、陽性患者、感染者\n避難所");
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Contains("2 行目: 同じ意味の言葉を 2 つ以上", bad.Html);
        var badEn = await PostAsync(secretary, "/search/synonyms?lang=en", form, "避難所");
        Assert.Contains("Line 1: write two or more words that mean the same", badEn.Html);
        Assert.Equal(["shelters"], (await app.Anonymous().SearchAsync(("q", "避難所"))).Names());
        Assert.Empty((await app.Anonymous().SearchAsync(("q", "避難場所"))).Names());

        var saved = await PostAsync(secretary, "/search/synonyms", form, "避難所、避難場所\r\n陽性者, 陽性患者");
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        Assert.Equal(["shelters"], (await app.Anonymous().SearchAsync(("q", "避難場所"))).Names());
        Assert.Equal(["patients"], (await app.Anonymous().SearchAsync(("q", "陽性者"))).Names()); // 感染者 left the group
        Assert.Contains("避難所, 避難場所", await secretary.GetStringAsync("/search/synonyms", Ct));

        // an organization's admin cannot post either (refused by the page or by the antiforgery check); nothing changes
        var refused = await PostAsync(orgAdmin, "/search/synonyms", form, "避難所, 公園");
        Assert.True(refused.Status is HttpStatusCode.Forbidden or HttpStatusCode.BadRequest, refused.Status.ToString());
        Assert.Empty((await app.Anonymous().SearchAsync(("q", "公園"))).Names());
    }

    private static async Task<(HttpStatusCode Status, string Html)> PostAsync(HttpClient client, string path, string formPage, string text)
    {
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Text"] = text,
            ["__RequestVerificationToken"] = CatalogFixtures.AntiforgeryToken(formPage),
        });
        using var response = await client.PostAsync(path, content, Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }
}
