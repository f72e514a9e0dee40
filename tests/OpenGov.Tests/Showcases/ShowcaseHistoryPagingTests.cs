using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Showcases;

/// <summary>
/// A showcase's history is read a page at a time: ckanext_showcase_activity_list takes CKAN's offset and limit
/// (default 31, at most 100, as package_activity_list), the showcase page shows 20 writes with page links.
/// </summary>
public sealed partial class ShowcaseHistoryPagingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>46 writes: the creation, then 45 title changes (題名 1 … 題名 45).</summary>
    private static async Task<HttpClient> SeedHistoryAsync(TestApp app)
    {
        var admin = app.Admin();
        await admin.OkAsync("ckanext_showcase_create", new JsonObject { ["name"] = "paged", ["title"] = "題名 0" });
        for (var i = 1; i <= 45; i++)
        {
            await admin.OkAsync("ckanext_showcase_patch", new JsonObject { ["id"] = "paged", ["title"] = $"題名 {i}" });
        }

        return admin;
    }

    private static List<long> Ids(JsonNode list) => [.. list.AsArray().Select(a => a!["id"]!.GetValue<long>())];

    [Theory, Databases]
    public async Task The_activity_list_pages_with_offset_and_limit_as_CKAN_does(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var admin = await SeedHistoryAsync(app);

        // the whole history, newest first, at the cap of 100
        var all = await admin.GetOkAsync("ckanext_showcase_activity_list?id=paged&limit=1000");
        Assert.Equal(46, all.AsArray().Count);
        Assert.Equal("new showcase", all[45]!["activity_type"]!.GetValue<string>());
        Assert.Contains("タイトル：「題名 44」→「題名 45」", all[0]!["details"]!.AsArray().Select(d => d!.GetValue<string>()));

        // CKAN's default limit is 31
        var first = await admin.GetOkAsync("ckanext_showcase_activity_list?id=paged");
        Assert.Equal(Ids(all).Take(31), Ids(first));

        // pages of 20 (GET and POST) put back together are the whole history, without gaps or repeats
        var pages = new List<long>();
        pages.AddRange(Ids(await admin.GetOkAsync("ckanext_showcase_activity_list?id=paged&offset=0&limit=20")));
        pages.AddRange(Ids(await admin.OkAsync("ckanext_showcase_activity_list", new { id = "paged", offset = 20, limit = 20 })));
        var last = await admin.GetOkAsync("ckanext_showcase_activity_list?id=paged&offset=40&limit=20");
        Assert.Equal(6, last.AsArray().Count);
        Assert.Equal("new showcase", last[5]!["activity_type"]!.GetValue<string>());
        pages.AddRange(Ids(last));
        Assert.Equal(Ids(all), pages);

        // past the end and limit 0: empty lists, as CKAN
        Assert.Empty((await admin.GetOkAsync("ckanext_showcase_activity_list?id=paged&offset=46")).AsArray());
        Assert.Empty((await admin.GetOkAsync("ckanext_showcase_activity_list?id=paged&limit=0")).AsArray());

        // bad numbers: CKAN's validation errors, in its envelope
        var (negative, why) = await admin.ActionAsync("ckanext_showcase_activity_list?id=paged&offset=-1");
        Assert.Equal(409, negative);
        Assert.False(why["success"]!.GetValue<bool>());
        Assert.Equal("Validation Error", why["error"]!["__type"]!.GetValue<string>());
        Assert.Equal("Must be a natural number", why["error"]!["offset"]![0]!.GetValue<string>());
        var (word, whyWord) = await admin.ActionAsync("ckanext_showcase_activity_list?id=paged&limit=many");
        Assert.Equal(409, word);
        Assert.Equal("Invalid integer", whyWord["error"]!["limit"]![0]!.GetValue<string>());

        // paging does not open the history to others
        Assert.Equal(403, (await app.Anonymous().ActionAsync("ckanext_showcase_activity_list?id=paged&offset=0&limit=5")).Status);
    }

    [Theory, Databases]
    public async Task The_showcase_page_shows_its_history_twenty_at_a_time_with_page_links(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var admin = await SeedHistoryAsync(app);

        var one = History(await admin.GetStringAsync("/showcase/paged", Ct));
        Assert.Equal(20, Items(one));
        Assert.Contains("「題名 44」→「題名 45」", one);
        Assert.Contains("aria-label=\"変更履歴のページ送り\"", one);
        Assert.Contains("href=\"/showcase/paged?page=2#history\" rel=\"next\"", one);
        Assert.DoesNotContain("rel=\"prev\"", one);
        Assert.Contains("<span aria-current=\"page\">1</span>", one);
        Assert.Contains("href=\"/showcase/paged?page=3#history\"", one);
        Assert.Contains("offset=0&amp;limit=20", one);

        var two = History(await admin.GetStringAsync("/showcase/paged?page=2", Ct));
        Assert.Equal(20, Items(two));
        Assert.Contains("「題名 24」→「題名 25」", two);
        Assert.DoesNotContain("「題名 44」→「題名 45」", two);
        Assert.Contains("href=\"/showcase/paged?page=1#history\" rel=\"prev\"", two);
        Assert.Contains("href=\"/showcase/paged?page=3#history\" rel=\"next\"", two);
        Assert.Contains("offset=20&amp;limit=20", two);

        var three = History(await admin.GetStringAsync("/showcase/paged?page=3", Ct));
        Assert.Equal(6, Items(three));
        Assert.Contains("活用事例を作成しました", three);
        Assert.DoesNotContain("rel=\"next\"", three);

        // a page past the end shows the last; a page that is not a number, the first
        Assert.Equal(three, History(await admin.GetStringAsync("/showcase/paged?page=99", Ct)));
        Assert.Equal(one, History(await admin.GetStringAsync("/showcase/paged?page=abc", Ct)));

        // in English
        var en = History(await admin.GetStringAsync("/showcase/paged?page=2&lang=en", Ct));
        Assert.Contains("aria-label=\"History pages\"", en);
        Assert.Contains(">Older changes</a>", en);
        Assert.Contains(">Newer changes</a>", en);

        // readers get neither the history nor its page links
        var anonymous = await app.Anonymous().GetStringAsync("/showcase/paged?page=2", Ct);
        Assert.DoesNotContain("id=\"history\"", anonymous);
        Assert.DoesNotContain("#history", anonymous);

        // a short history has no page links
        await admin.OkAsync("ckanext_showcase_create", new JsonObject { ["name"] = "short", ["title"] = "短い履歴" });
        var shortHistory = History(await admin.GetStringAsync("/showcase/short", Ct));
        Assert.Equal(1, Items(shortHistory));
        Assert.DoesNotContain("class=\"pagination\"", shortHistory);
    }

    /// <summary>The page's 「変更履歴」 section.</summary>
    private static string History(string page)
    {
        var start = page.IndexOf("id=\"history\"", StringComparison.Ordinal);
        Assert.True(start >= 0, "no history section");
        return page[start..page.IndexOf("</section>", start, StringComparison.Ordinal)];
    }

    private static int Items(string history) => TimeElement().Count(history);

    [GeneratedRegex("<time datetime=")]
    private static partial Regex TimeElement();
}
