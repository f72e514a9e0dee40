using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenGov.Storage;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Catalog;

/// <summary>
/// Anonymous GET read actions are answered from the output cache until the catalog changes: every kind of change
/// (API writes, organization and group titles, DataStore tables, writes straight to the database) is seen by the very
/// next request, and requests with a token never share the anonymous answers.
/// </summary>
public class CatalogCacheTests
{
    private static async Task<(JsonNode Result, bool FromCache)> GetAsync(HttpClient client, string actionWithQuery)
    {
        using var response = await client.GetAsync("/api/3/action/" + actionWithQuery, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{actionWithQuery}: {(int)response.StatusCode} {text}");
        return (JsonNode.Parse(text)!["result"]!, response.Headers.Age is not null);
    }

    private static string Q(string s) => Uri.EscapeDataString(s);

    [Theory, Databases]
    public async Task Repeated_anonymous_reads_are_served_from_the_cache_and_a_write_is_seen_at_once(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("chiba", "千葉市", "121002");
        await app.Admin().OkAsync("package_create", CatalogFixtures.Dataset("shelters", "chiba"));
        var anon = app.Anonymous();

        var (first, _) = await GetAsync(anon, "package_show?id=shelters");
        var (second, cached) = await GetAsync(anon, "package_show?id=shelters");
        Assert.True(cached, "the second identical anonymous read should come from the cache");
        Assert.Equal(first.ToJsonString(), second.ToJsonString());
        var (search, _) = await GetAsync(anon, "package_search?q=" + Q("避難所一覧"));
        Assert.Equal(0, search["count"]!.GetValue<int>());
        Assert.True((await GetAsync(anon, "package_search?q=" + Q("避難所一覧"))).FromCache);

        await app.Admin().OkAsync("package_patch", new { id = "shelters", title = "避難所一覧" });
        var (show, showCached) = await GetAsync(anon, "package_show?id=shelters");
        Assert.False(showCached);
        Assert.Equal("避難所一覧", show["title"]!.GetValue<string>());
        (search, _) = await GetAsync(anon, "package_search?q=" + Q("避難所一覧"));
        Assert.Equal(1, search["count"]!.GetValue<int>());

        await app.Admin().OkAsync("package_delete", new { id = "shelters" });
        using var gone = await anon.GetAsync("/api/3/action/package_show?id=shelters", TestContext.Current.CancellationToken);
        Assert.Equal(403, (int)gone.StatusCode); // CKAN: a deleted dataset is not authorised to anonymous readers
        (search, _) = await GetAsync(anon, "package_search?q=" + Q("避難所一覧"));
        Assert.Equal(0, search["count"]!.GetValue<int>());
    }

    [Theory, Databases]
    public async Task Organization_and_group_title_changes_reach_cached_dataset_answers(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("chiba", "千葉市", "121002");
        await app.Admin().OkAsync("group_create", new { name = "bousai", title = "防災" });
        var data = CatalogFixtures.Dataset("shelters", "chiba");
        data["groups"] = new JsonArray(new JsonObject { ["name"] = "bousai" });
        await app.Admin().OkAsync("package_create", data);
        var anon = app.Anonymous();
        await GetAsync(anon, "package_show?id=shelters");
        await GetAsync(anon, "package_search?q=" + Q("千葉"));

        await app.Admin().OkAsync("organization_patch", new { id = "chiba", title = "千葉市役所" });
        await app.Admin().OkAsync("group_patch", new { id = "bousai", title = "防災・安全" });

        var (show, _) = await GetAsync(anon, "package_show?id=shelters");
        Assert.Equal("千葉市役所", show["organization"]!["title"]!.GetValue<string>());
        Assert.Equal("防災・安全", show["groups"]![0]!["title"]!.GetValue<string>());
        var (search, _) = await GetAsync(anon, "package_search?q=" + Q("市役所"));
        Assert.Equal(1, search["count"]!.GetValue<int>());
    }

    [Theory, Databases]
    public async Task A_datastore_table_appearing_turns_datastore_active_on_in_cached_answers(Db db)
    {
        await using var app = await TestApp.StartAsync(db, new Dictionary<string, string?> { ["OpenGov:DataStore:PollSeconds"] = "0" });
        var (_, ds) = await app.DatasetAsync(name: "counts");
        var rid = await app.UploadAsync(ds, "counts.csv", Encoding.UTF8.GetBytes("日付,件数\n2020-11-19,3\n"));
        var anon = app.Anonymous();
        await GetAsync(anon, "resource_show?id=" + rid);
        await GetAsync(anon, "package_show?id=counts");

        Assert.Equal("complete", (await app.LoadAndWaitAsync(rid))["status"]!.GetValue<string>());

        var (resource, _) = await GetAsync(anon, "resource_show?id=" + rid);
        Assert.True(resource["datastore_active"]!.GetValue<bool>());
        var (show, _) = await GetAsync(anon, "package_show?id=counts");
        Assert.True(show["resources"]![0]!["datastore_active"]!.GetValue<bool>());
    }

    [Theory, Databases]
    public async Task A_change_written_straight_to_the_database_is_seen_by_the_next_read(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("chiba", "千葉市", "121002");
        await app.Admin().OkAsync("package_create", CatalogFixtures.Dataset("shelters", "chiba"));
        var anon = app.Anonymous();
        await GetAsync(anon, "package_show?id=shelters");
        await GetAsync(anon, "package_list");

        using (var scope = app.Services.CreateScope())
        {
            var store = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
            await store.Datasets.Where(d => d.Name == "shelters")
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.Notes, "管理画面の外で直した説明"), TestContext.Current.CancellationToken);
        }

        var (show, cached) = await GetAsync(anon, "package_show?id=shelters");
        Assert.False(cached);
        Assert.Equal("管理画面の外で直した説明", show["notes"]!.GetValue<string>());
    }

    [Theory, Databases]
    public async Task Requests_with_a_token_never_share_the_anonymous_answers(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("chiba", "千葉市", "121002");
        await app.Admin().OkAsync("package_create", CatalogFixtures.Dataset("plans", "chiba", isPrivate: true));

        // the sysadmin reads first: a shared cache would hand its answer to everybody
        var (adminShow, _) = await GetAsync(app.Admin(), "package_show?id=plans");
        Assert.True(adminShow["private"]!.GetValue<bool>());
        var (adminSearch, _) = await GetAsync(app.Admin(), "package_search?include_private=true");
        Assert.Equal(1, adminSearch["count"]!.GetValue<int>());

        var anon = app.Anonymous();
        using var hidden = await anon.GetAsync("/api/3/action/package_show?id=plans", TestContext.Current.CancellationToken);
        Assert.Equal(403, (int)hidden.StatusCode);
        var (anonSearch, _) = await GetAsync(anon, "package_search?include_private=true");
        Assert.Equal(0, anonSearch["count"]!.GetValue<int>());
        var (again, cached) = await GetAsync(app.Admin(), "package_search?include_private=true");
        Assert.False(cached);
        Assert.Equal(1, again["count"]!.GetValue<int>());
    }
}
