using System.Security.Cryptography;
using System.Text.Json.Nodes;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Catalog;

/// <summary>The CKAN write and read actions doing their work.</summary>
public class EditingActionsTests
{
    private static List<string> Names(JsonNode list, string key = "name") => [.. list.AsArray().Select(x => x![key]!.GetValue<string>())];

    [Theory, Databases]
    public async Task Package_create_stores_tags_groups_extras_and_resources(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("chiba", "千葉市", "121002");
        await app.Admin().OkAsync("group_create", new { name = "bousai", title = "防災" });
        var data = CatalogFixtures.Dataset("shelters", "chiba");
        data["notes"] = "**避難所**の一覧";
        data["license_id"] = "cc-by-4.0";
        data["tags"] = new JsonArray(new JsonObject { ["name"] = "防災" }, new JsonObject { ["name"] = "避難所" });
        data["groups"] = new JsonArray(new JsonObject { ["name"] = "bousai" });
        data["extras"] = new JsonArray(new JsonObject { ["key"] = "spatial", ["value"] = "千葉市" });
        data["resources"] = new JsonArray(
            new JsonObject { ["url"] = "https://example.jp/shelters.csv", ["name"] = "一覧" },
            new JsonObject { ["url"] = "https://example.jp/map.geojson", ["name"] = "地図", ["custom"] = "kept" });
        var created = await app.Admin().OkAsync("package_create", data);

        var show = await app.Anonymous().OkAsync("package_show", new { id = "shelters" });
        Assert.Equal(created["id"]!.GetValue<string>(), show["id"]!.GetValue<string>());
        Assert.Equal("テスト shelters", show["title"]!.GetValue<string>());
        Assert.Equal(["避難所", "防災"], Names(show["tags"]!)); // CKAN orders tags by name (code point order)
        Assert.Equal(["bousai"], Names(show["groups"]!));
        Assert.Equal("spatial", show["extras"]![0]!["key"]!.GetValue<string>());
        Assert.Equal(["一覧", "地図"], Names(show["resources"]!));
        Assert.Equal("CSV", show["resources"]![0]!["format"]!.GetValue<string>());
        Assert.Equal("GeoJSON", show["resources"]![1]!["format"]!.GetValue<string>());
        Assert.Equal("kept", show["resources"]![1]!["custom"]!.GetValue<string>());
        Assert.Equal("121002", show["organization"]!["local_gov_code"]!.GetValue<string>());
        Assert.True(show["isopen"]!.GetValue<bool>());
        Assert.Equal(2, show["num_resources"]!.GetValue<int>());
    }

    [Theory, Databases]
    public async Task Update_replaces_and_patch_merges(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("chiba");
        var data = CatalogFixtures.Dataset("budget", "chiba");
        data["notes"] = "予算";
        data["tags"] = new JsonArray(new JsonObject { ["name"] = "財政" });
        data["resources"] = new JsonArray(new JsonObject { ["url"] = "https://example.jp/r1.csv", ["name"] = "R1" });
        var created = await app.Admin().OkAsync("package_create", data);
        var r1 = created["resources"]![0]!["id"]!.GetValue<string>();

        var patched = await app.Admin().OkAsync("package_patch", new { id = "budget", title = "予算書" });
        Assert.Equal("予算書", patched["title"]!.GetValue<string>());
        Assert.Equal("予算", patched["notes"]!.GetValue<string>());
        Assert.Equal(["財政"], Names(patched["tags"]!));
        Assert.Equal(r1, patched["resources"]![0]!["id"]!.GetValue<string>());

        var update = CatalogFixtures.Dataset("budget", "chiba");
        update["resources"] = new JsonArray(
            new JsonObject { ["id"] = r1, ["url"] = "https://example.jp/r1.csv", ["name"] = "R1 renamed" },
            new JsonObject { ["url"] = "https://example.jp/r2.xlsx", ["name"] = "R2" });
        var updated = await app.Admin().OkAsync("package_update", update);
        Assert.Equal("", updated["notes"]!.GetValue<string>());
        Assert.Empty(updated["tags"]!.AsArray());
        Assert.Equal(["R1 renamed", "R2"], Names(updated["resources"]!));
        Assert.Equal(r1, updated["resources"]![0]!["id"]!.GetValue<string>());
        Assert.Equal("XLSX", updated["resources"]![1]!["format"]!.GetValue<string>());

        var types = (await app.Admin().OkAsync("package_activity_list", new { id = "budget" })).AsArray()
            .Select(a => a!["activity_type"]!.GetValue<string>()).ToList();
        Assert.Equal(["changed package", "changed package", "new package"], types);
    }

    [Theory, Databases]
    public async Task Delete_hides_the_dataset_and_records_the_activity(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("chiba");
        await app.Admin().OkAsync("package_create", CatalogFixtures.Dataset("gone", "chiba"));
        var (status, body) = await app.Admin().ActionAsync("package_delete", new { id = "gone" });
        Assert.Equal(200, status);
        Assert.Null(body["result"]);
        Assert.Empty((await app.Anonymous().OkAsync("package_list", new { })).AsArray());
        Assert.Equal(403, (await app.Anonymous().ActionAsync("package_show", new { id = "gone" })).Status);
        var activity = (await app.Admin().OkAsync("package_activity_list", new { id = "gone" })).AsArray();
        Assert.Equal("deleted package", activity[0]!["activity_type"]!.GetValue<string>());
        Assert.Equal("deleted", activity[0]!["data"]!["package"]!["state"]!.GetValue<string>());
        Assert.Equal(404, (await app.Admin().ActionAsync("package_delete", new { id = "never" })).Status);
    }

    [Theory, Databases]
    public async Task Uploaded_file_is_hashed_typed_and_served_at_ckans_download_path(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("chiba");
        await app.Admin().OkAsync("package_create", CatalogFixtures.Dataset("files", "chiba"));
        var content = "地区,人口\n中央区,210000\n"u8.ToArray();
        var (status, body) = await app.Admin().UploadAsync("files", "人口.csv", content, fields: new Dictionary<string, string> { ["description"] = "区別人口" });
        Assert.Equal(200, status);
        var r = body["result"]!;
        Assert.Equal("upload", r["url_type"]!.GetValue<string>());
        Assert.Equal(content.Length, r["size"]!.GetValue<long>());
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(content)), r["hash"]!.GetValue<string>());
        Assert.Equal("text/csv", r["mimetype"]!.GetValue<string>());
        Assert.Equal("CSV", r["format"]!.GetValue<string>());
        Assert.Equal("人口.csv", r["name"]!.GetValue<string>());
        Assert.Equal("区別人口", r["description"]!.GetValue<string>());

        var url = new Uri(r["url"]!.GetValue<string>());
        Assert.Matches("^/dataset/[^/]+/resource/[^/]+/download/", url.AbsolutePath);
        using var download = await app.Anonymous().GetAsync(url.PathAndQuery, TestContext.Current.CancellationToken);
        Assert.Equal(200, (int)download.StatusCode);
        Assert.Equal("text/csv", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal(content, await download.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal("人口.csv", download.Content.Headers.ContentDisposition!.FileNameStar);

        var shown = await app.Anonymous().OkAsync("resource_show", new { id = r["id"]!.GetValue<string>() });
        Assert.Equal(r["url"]!.GetValue<string>(), shown["url"]!.GetValue<string>());

        // patching other keys keeps the file; a new link replaces it
        await app.Admin().OkAsync("resource_patch", new { id = r["id"]!.GetValue<string>(), name = "新しい名前" });
        using var again = await app.Anonymous().GetAsync(url.PathAndQuery, TestContext.Current.CancellationToken);
        Assert.Equal(200, (int)again.StatusCode);
        var linked = await app.Admin().OkAsync("resource_patch", new { id = r["id"]!.GetValue<string>(), url = "https://example.jp/elsewhere.csv" });
        Assert.Equal("https://example.jp/elsewhere.csv", linked["url"]!.GetValue<string>());
        Assert.Null(linked["url_type"]);
        using var gone = await app.Anonymous().GetAsync(url.PathAndQuery, TestContext.Current.CancellationToken);
        Assert.Equal(404, (int)gone.StatusCode);
    }

    [Theory, Databases]
    public async Task Resource_update_with_a_new_file_replaces_the_old_one(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("chiba");
        await app.Admin().OkAsync("package_create", CatalogFixtures.Dataset("replace", "chiba"));
        var (_, first) = await app.Admin().UploadAsync("replace", "v1.csv", "a\n1\n"u8.ToArray());
        var id = first["result"]!["id"]!.GetValue<string>();
        var (status, second) = await app.Admin().UploadAsync(id, "v2.json", "[1]"u8.ToArray(), action: "resource_update");
        Assert.Equal(200, status);
        Assert.Equal(id, second["result"]!["id"]!.GetValue<string>());
        Assert.Equal("JSON", second["result"]!["format"]!.GetValue<string>());
        Assert.Equal(3, second["result"]!["size"]!.GetValue<long>());

        var files = Directory.EnumerateFiles(Path.Combine(app.DataDirectory, "uploads"), "*", SearchOption.AllDirectories).ToList();
        Assert.Equal([Path.Combine(app.DataDirectory, "uploads", id, "v2.json")], files);
        using var download = await app.Anonymous().GetAsync(new Uri(second["result"]!["url"]!.GetValue<string>()).PathAndQuery, TestContext.Current.CancellationToken);
        Assert.Equal("[1]", await download.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        await app.Admin().OkAsync("resource_delete", new { id });
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(app.DataDirectory, "uploads"), "*", SearchOption.AllDirectories));
        Assert.Equal(404, (await app.Anonymous().ActionAsync("resource_show", new { id })).Status);
    }

    [Theory, Databases]
    public async Task Private_files_download_only_for_members(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("chiba");
        await app.CreateOrganizationAsync("nara");
        var member = app.WithToken(await app.CreateUserAsync("m1", "chiba", "member"));
        var outsider = app.WithToken(await app.CreateUserAsync("o1", "nara", "editor"));
        await app.Admin().OkAsync("package_create", CatalogFixtures.Dataset("secret", "chiba", isPrivate: true));
        var (_, body) = await app.Admin().UploadAsync("secret", "secret.pdf", "%PDF-1.4"u8.ToArray());
        var path = new Uri(body["result"]!["url"]!.GetValue<string>()).PathAndQuery;
        Assert.Equal("application/pdf", body["result"]!["mimetype"]!.GetValue<string>());

        Assert.Equal(404, (int)(await app.Anonymous().GetAsync(path, TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(404, (int)(await outsider.GetAsync(path, TestContext.Current.CancellationToken)).StatusCode);
        using var ok = await member.GetAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(200, (int)ok.StatusCode);
        Assert.Equal("application/pdf", ok.Content.Headers.ContentType!.MediaType);
        Assert.Equal(403, (await app.Anonymous().ActionAsync("resource_show", new { id = body["result"]!["id"]!.GetValue<string>() })).Status);
    }

    [Theory, Databases]
    public async Task Organization_and_group_lists_follow_ckans_sort_and_limits(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("nara", "C 奈良市");
        await app.CreateOrganizationAsync("chiba", "A 千葉市");
        await app.CreateOrganizationAsync("fukuoka", "B 福岡市");
        await app.Admin().OkAsync("package_create", CatalogFixtures.Dataset("n1", "nara"));
        await app.Admin().OkAsync("package_create", CatalogFixtures.Dataset("n2", "nara"));
        await app.Admin().OkAsync("package_create", CatalogFixtures.Dataset("f1", "fukuoka"));
        await app.Admin().OkAsync("package_create", CatalogFixtures.Dataset("c-private", "chiba", isPrivate: true));

        var byTitle = (await app.Anonymous().OkAsync("organization_list", new { })).AsArray().Select(n => n!.GetValue<string>());
        Assert.Equal(["chiba", "fukuoka", "nara"], byTitle);
        var byName = (await app.Anonymous().OkAsync("organization_list", new { sort = "name desc" })).AsArray().Select(n => n!.GetValue<string>());
        Assert.Equal(["nara", "fukuoka", "chiba"], byName);
        var byCount = (await app.Anonymous().OkAsync("organization_list", new { sort = "package_count" })).AsArray().Select(n => n!.GetValue<string>());
        Assert.Equal(["nara", "fukuoka", "chiba"], byCount);
        var paged = (await app.Anonymous().OkAsync("organization_list", new { limit = 1, offset = 1 })).AsArray().Select(n => n!.GetValue<string>());
        Assert.Equal(["fukuoka"], paged);

        var all = (await app.Anonymous().OkAsync("organization_list", new { all_fields = true })).AsArray();
        Assert.Equal(0, all[0]!["package_count"]!.GetValue<int>());
        Assert.Equal(2, all[2]!["package_count"]!.GetValue<int>());
        Assert.Equal("C 奈良市", all[2]!["title"]!.GetValue<string>());

        var (badSort, badBody) = await app.Anonymous().ActionAsync("organization_list", new { sort = "created" });
        Assert.Equal(409, badSort);
        Assert.Equal("Cannot sort by field `created`", badBody["error"]!["message"]!.GetValue<string>());

        for (var i = 0; i < 30; i++)
        {
            await app.Admin().OkAsync("group_create", new { name = $"g{i:00}", title = $"グループ {i:00}" });
        }

        Assert.Equal(25, (await app.Anonymous().OkAsync("group_list", new { all_fields = true, limit = 100 })).AsArray().Count);
        Assert.Equal(30, (await app.Anonymous().OkAsync("group_list", new { })).AsArray().Count);
        Assert.Equal("g29", (await app.Anonymous().OkAsync("group_list", new { sort = "title desc" }))[0]!.GetValue<string>());
    }

    [Theory, Databases]
    public async Task Organization_show_counts_private_datasets_only_for_members(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("chiba", "千葉市", "121002");
        var member = app.WithToken(await app.CreateUserAsync("m1", "chiba", "member"));
        await app.Admin().OkAsync("package_create", CatalogFixtures.Dataset("open", "chiba"));
        await app.Admin().OkAsync("package_create", CatalogFixtures.Dataset("closed", "chiba", isPrivate: true));

        var anon = await app.Anonymous().OkAsync("organization_show", new { id = "chiba", include_datasets = true });
        Assert.Equal(1, anon["package_count"]!.GetValue<int>());
        Assert.Equal(["open"], Names(anon["packages"]!));
        Assert.Contains("m1", Names(anon["users"]!));
        var mine = await member.OkAsync("organization_show", new { id = "chiba", include_datasets = true });
        Assert.Equal(2, mine["package_count"]!.GetValue<int>());
        Assert.Equal(404, (await app.Anonymous().ActionAsync("organization_show", new { id = "nowhere" })).Status);

        await app.Admin().OkAsync("organization_patch", new { id = "chiba", title = "千葉市役所" });
        Assert.Equal("千葉市役所", (await app.Anonymous().OkAsync("organization_show", new { id = "chiba" }))["title"]!.GetValue<string>());
        Assert.Equal("121002", (await app.Anonymous().OkAsync("organization_show", new { id = "chiba" }))["local_gov_code"]!.GetValue<string>());
    }

    [Theory, Databases]
    public async Task Organization_list_for_user_follows_the_permission(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("chiba", "千葉市");
        await app.CreateOrganizationAsync("nara", "奈良市");
        await app.CreateOrganizationAsync("fukuoka", "福岡市");
        var token = await app.CreateUserAsync("hanako", "chiba", "editor");
        await app.Admin().OkAsync("member_create", new { id = "nara", @object = "hanako", object_type = "user", capacity = "member" });
        var client = app.WithToken(token);

        List<string> Orgs(JsonNode n) => [.. n.AsArray().Select(o => o!["name"]!.GetValue<string>())];
        Assert.Empty(Orgs(await client.OkAsync("organization_list_for_user", new { })));
        Assert.Equal(["chiba"], Orgs(await client.OkAsync("organization_list_for_user", new { permission = "create_dataset" })));
        var read = await client.OkAsync("organization_list_for_user", new { permission = "read" });
        Assert.Equal(["chiba", "nara"], Orgs(read).Order());
        Assert.Equal(3, (await app.Admin().OkAsync("organization_list_for_user", new { })).AsArray().Count);
        Assert.Empty((await app.Anonymous().OkAsync("organization_list_for_user", new { })).AsArray());
    }

    [Theory, Databases]
    public async Task Datasets_join_groups_through_member_create_and_show_in_group_show(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("chiba");
        await app.Admin().OkAsync("group_create", new { name = "bousai", title = "防災", description = "防災関連" });
        await app.Admin().OkAsync("package_create", CatalogFixtures.Dataset("shelters", "chiba"));
        await app.Admin().OkAsync("package_create", CatalogFixtures.Dataset("hidden", "chiba", isPrivate: true));
        await app.Admin().OkAsync("member_create", new { id = "bousai", @object = "shelters", object_type = "package", capacity = "public" });
        await app.Admin().OkAsync("member_create", new { id = "bousai", @object = "hidden", object_type = "package", capacity = "public" });

        var group = await app.Anonymous().OkAsync("group_show", new { id = "bousai", include_datasets = true });
        Assert.Equal(1, group["package_count"]!.GetValue<int>());
        Assert.Equal(["shelters"], Names(group["packages"]!));
        Assert.Equal(["bousai"], Names((await app.Anonymous().OkAsync("package_show", new { id = "shelters" }))["groups"]!));

        await app.Admin().OkAsync("member_delete", new { id = "bousai", @object = "shelters", object_type = "package" });
        Assert.Empty((await app.Anonymous().OkAsync("package_show", new { id = "shelters" }))["groups"]!.AsArray());
        await app.Admin().OkAsync("group_patch", new { id = "bousai", title = "防災・減災" });
        Assert.Equal("防災関連", (await app.Anonymous().OkAsync("group_show", new { id = "bousai" }))["description"]!.GetValue<string>());
    }

    [Theory, Databases]
    public async Task Tag_list_and_package_list_page_and_filter(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("chiba");
        foreach (var (name, tags) in new[] { ("a-ds", new[] { "防災", "地図" }), ("b-ds", ["人口"]), ("c-ds", ["防災訓練"]) })
        {
            var d = CatalogFixtures.Dataset(name, "chiba");
            d["tags"] = new JsonArray([.. tags.Select(t => (JsonNode?)new JsonObject { ["name"] = t })]);
            await app.Admin().OkAsync("package_create", d);
        }

        var secret = CatalogFixtures.Dataset("z-secret", "chiba", isPrivate: true);
        secret["tags"] = new JsonArray(new JsonObject { ["name"] = "秘密" });
        await app.Admin().OkAsync("package_create", secret);

        Assert.Equal(["人口", "地図", "防災", "防災訓練"], (await app.Anonymous().OkAsync("tag_list", new { })).AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(["防災", "防災訓練"], (await app.Anonymous().OkAsync("tag_list", new { query = "防災" })).AsArray().Select(n => n!.GetValue<string>()));
        var full = (await app.Anonymous().OkAsync("tag_list", new { all_fields = true })).AsArray();
        Assert.Equal("人口", full[0]!["name"]!.GetValue<string>());
        Assert.NotNull(full[0]!["id"]);

        Assert.Equal(["b-ds"], (await app.Anonymous().OkAsync("package_list", new { limit = 1, offset = 1 })).AsArray().Select(n => n!.GetValue<string>()));
        var current = await app.Anonymous().OkAsync("current_package_list_with_resources", new { limit = 2, page = 2 });
        Assert.Equal(["a-ds"], Names(current));
        Assert.Equal(3, (await app.Anonymous().OkAsync("current_package_list_with_resources", new { })).AsArray().Count);
    }

    [Theory, Databases]
    public async Task Activity_list_pages_newest_first_with_the_package_snapshot(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("chiba");
        await app.Admin().OkAsync("package_create", CatalogFixtures.Dataset("history", "chiba"));
        for (var i = 1; i <= 34; i++)
        {
            await app.Admin().OkAsync("package_patch", new { id = "history", notes = "v" + i });
        }

        var page = (await app.Anonymous().OkAsync("package_activity_list", new { id = "history" })).AsArray();
        Assert.Equal(31, page.Count);
        Assert.Equal("v34", page[0]!["data"]!["package"]!["notes"]!.GetValue<string>());
        var last = (await app.Anonymous().OkAsync("package_activity_list", new { id = "history", offset = 31, limit = 10 })).AsArray();
        Assert.Equal(4, last.Count);
        Assert.Equal("new package", last[3]!["activity_type"]!.GetValue<string>());
        Assert.Equal(100, (await app.Anonymous().OkAsync("package_activity_list", new { id = "history", limit = 1000 })).AsArray().Count is <= 100 and >= 35 ? 100 : 0);
    }
}
