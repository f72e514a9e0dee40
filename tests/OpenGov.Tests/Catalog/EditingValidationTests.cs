using System.Text.Json.Nodes;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Catalog;

/// <summary>Bad input to the write actions: CKAN's 409 with field messages, and never a half-written dataset.</summary>
public class EditingValidationTests
{
    private static string Message(JsonObject body, string field) => body["error"]![field]![0]!.GetValue<string>();

    [Theory, Databases]
    public async Task Bad_names_get_ckans_messages(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("chiba");
        var cases = new Dictionary<string, string>
        {
            ["Upper-Case"] = "Must be purely lowercase alphanumeric (ascii) characters and these symbols: -_",
            ["日本語"] = "Must be purely lowercase alphanumeric (ascii) characters and these symbols: -_",
            ["with space"] = "Must be purely lowercase alphanumeric (ascii) characters and these symbols: -_",
            ["a"] = "Must be at least 2 characters long",
            [new string('a', 101)] = "Name must be a maximum of 100 characters long",
            ["new"] = "That name cannot be used",
        };
        foreach (var (name, message) in cases)
        {
            var (status, body) = await app.Admin().ActionAsync("package_create", CatalogFixtures.Dataset(name, "chiba"));
            Assert.Equal(409, status);
            Assert.Equal("Validation Error", body["error"]!["__type"]!.GetValue<string>());
            Assert.Equal(message, Message(body, "name"));
        }

        var (missing, missingBody) = await app.Admin().ActionAsync("package_create", new { title = "名前なし", owner_org = "chiba" });
        Assert.Equal(409, missing);
        Assert.Equal("Missing value", Message(missingBody, "name"));
        await app.Admin().OkAsync("package_create", CatalogFixtures.Dataset(new string('a', 100), "chiba"));
        await app.Admin().OkAsync("package_create", CatalogFixtures.Dataset("ok_name-2", "chiba"));
    }

    [Theory, Databases]
    public async Task Clashing_name_is_refused_but_a_deleted_datasets_name_can_be_reused(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("chiba");
        var first = await app.Admin().OkAsync("package_create", CatalogFixtures.Dataset("population", "chiba"));
        var (status, body) = await app.Admin().ActionAsync("package_create", CatalogFixtures.Dataset("population", "chiba"));
        Assert.Equal(409, status);
        Assert.Equal("That URL is already in use.", Message(body, "name"));

        await app.Admin().OkAsync("package_create", CatalogFixtures.Dataset("other", "chiba"));
        var (renamed, renamedBody) = await app.Admin().ActionAsync("package_patch", new { id = "other", name = "population" });
        Assert.Equal(409, renamed);
        Assert.Equal("That URL is already in use.", Message(renamedBody, "name"));

        await app.Admin().OkAsync("package_delete", new { id = "population" });
        var second = await app.Admin().OkAsync("package_create", CatalogFixtures.Dataset("population", "chiba"));
        Assert.NotEqual(first["id"]!.GetValue<string>(), second["id"]!.GetValue<string>());
        var old = await app.Admin().OkAsync("package_show", new { id = first["id"]!.GetValue<string>() });
        Assert.Equal("deleted", old["state"]!.GetValue<string>());
    }

    [Theory, Databases]
    public async Task Simultaneous_creates_of_one_name_give_one_dataset_and_clean_409s(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("chiba");
        var calls = Enumerable.Range(0, 8).Select(async i =>
        {
            var data = CatalogFixtures.Dataset("race", "chiba");
            data["tags"] = new JsonArray(new JsonObject { ["name"] = "同時" }, new JsonObject { ["name"] = "tag" + i });
            return await app.Admin().ActionAsync("package_create", data);
        });
        var results = await Task.WhenAll(calls);
        Assert.Equal(1, results.Count(r => r.Status == 200));
        Assert.All(results.Where(r => r.Status != 200), r =>
        {
            Assert.Equal(409, r.Status);
            Assert.Equal("Validation Error", r.Body["error"]!["__type"]!.GetValue<string>());
        });
        Assert.Equal(["race"], (await app.Admin().OkAsync("package_list", new { })).AsArray().Select(n => n!.GetValue<string>()));
    }

    [Theory, Databases]
    public async Task Organization_is_required_and_must_exist(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("chiba");
        var editor = app.WithToken(await app.CreateUserAsync("e1", "chiba", "editor"));

        var (missing, missingBody) = await editor.ActionAsync("package_create", new { name = "no-org" });
        Assert.Equal(409, missing);
        Assert.Equal("An organization must be provided", Message(missingBody, "owner_org"));

        var (unknown, unknownBody) = await app.Admin().ActionAsync("package_create", new { name = "no-org", owner_org = "atlantis" });
        Assert.Equal(409, unknown);
        Assert.Equal("Organization does not exist", Message(unknownBody, "owner_org"));

        // an editor naming an organization that does not exist is refused as CKAN does (authorisation first)
        var (editorUnknown, _) = await editor.ActionAsync("package_create", new { name = "no-org", owner_org = "atlantis" });
        Assert.Equal(403, editorUnknown);
        Assert.Equal(404, (await app.Admin().ActionAsync("package_show", new { id = "no-org" })).Status);
    }

    [Theory, Databases]
    public async Task Wrong_types_are_validation_errors_not_500s(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("chiba");
        var cases = new (JsonObject Data, string Field, string Message)[]
        {
            (new JsonObject { ["name"] = "t1", ["owner_org"] = "chiba", ["title"] = new JsonObject { ["a"] = 1 } }, "title", "Must be a string"),
            (new JsonObject { ["name"] = "t2", ["owner_org"] = "chiba", ["private"] = "maybe" }, "private", "Value must be one of: true; false"),
            (new JsonObject { ["name"] = "t3", ["owner_org"] = "chiba", ["tags"] = 5 }, "tags", "Not a list"),
            (new JsonObject { ["name"] = "t4", ["owner_org"] = "chiba", ["extras"] = "x" }, "extras", "Not a list"),
            (new JsonObject { ["name"] = "t5", ["owner_org"] = "chiba", ["resources"] = new JsonObject() }, "resources", "Not a list"),
            (new JsonObject { ["name"] = "t6", ["owner_org"] = "chiba", ["tags"] = new JsonArray(new JsonObject { ["name"] = "x" }) }, "tags", "Tag \"x\" length is less than minimum 2"),
            (new JsonObject { ["name"] = "t7", ["owner_org"] = "chiba", ["tags"] = new JsonArray(new JsonObject { ["name"] = "a/b" }) }, "tags", "Tag \"a/b\" must be alphanumeric characters or symbols: -_."),
            (new JsonObject { ["name"] = "t8", ["owner_org"] = "chiba", ["extras"] = new JsonArray(new JsonObject { ["key"] = "title", ["value"] = "x" }) }, "extras", "There is a schema field with the same name: title"),
            (new JsonObject { ["name"] = "t9", ["owner_org"] = "chiba", ["url"] = "javascript:alert(1)" }, "url", "Please provide a valid URL"),
            (new JsonObject { ["name"] = "t10", ["owner_org"] = "chiba", ["author_email"] = "nope" }, "author_email", "Email nope is not a valid format"),
        };
        foreach (var (data, field, message) in cases)
        {
            var (status, body) = await app.Admin().ActionAsync("package_create", data);
            Assert.True(status == 409, $"{data.ToJsonString()} → {status} {body.ToJsonString()}");
            Assert.Equal(message, Message(body, field));
        }

        var (badLimit, _) = await app.Anonymous().ActionAsync("package_list", new { limit = "many" });
        Assert.Equal(409, badLimit);
        Assert.Empty((await app.Admin().OkAsync("package_list", new { })).AsArray());
    }

    [Theory, Databases]
    public async Task Package_create_with_an_invalid_resource_creates_nothing(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("chiba");
        var data = CatalogFixtures.Dataset("half", "chiba");
        data["tags"] = new JsonArray(new JsonObject { ["name"] = "防災" });
        data["resources"] = new JsonArray(
            new JsonObject { ["url"] = "https://example.jp/ok.csv" },
            new JsonObject { ["url"] = "https://example.jp/bad.csv", ["size"] = "large" });
        var (status, body) = await app.Admin().ActionAsync("package_create", data);
        Assert.Equal(409, status);
        Assert.Equal("size: Invalid integer", Message(body, "resources"));

        Assert.Equal(404, (await app.Admin().ActionAsync("package_show", new { id = "half" })).Status);
        Assert.Empty((await app.Admin().OkAsync("tag_list", new { })).AsArray());
        Assert.Empty((await app.Admin().OkAsync("current_package_list_with_resources", new { })).AsArray());
    }

    [Theory, Databases]
    public async Task Failed_update_leaves_the_dataset_as_it_was(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("chiba");
        var data = CatalogFixtures.Dataset("stable", "chiba");
        data["notes"] = "before";
        data["tags"] = new JsonArray(new JsonObject { ["name"] = "人口" });
        data["resources"] = new JsonArray(new JsonObject { ["url"] = "https://example.jp/a.csv", ["name"] = "A" });
        await app.Admin().OkAsync("package_create", data);

        var bad = CatalogFixtures.Dataset("stable", "chiba");
        bad["notes"] = "after";
        bad["tags"] = new JsonArray(new JsonObject { ["name"] = "新しい" });
        bad["groups"] = new JsonArray(new JsonObject { ["name"] = "no-such-group" });
        var (status, body) = await app.Admin().ActionAsync("package_update", bad);
        Assert.Equal(404, status);
        Assert.Equal("Not found: Group was not found.", body["error"]!["message"]!.GetValue<string>());

        var show = await app.Admin().OkAsync("package_show", new { id = "stable" });
        Assert.Equal("before", show["notes"]!.GetValue<string>());
        Assert.Equal("人口", show["tags"]![0]!["name"]!.GetValue<string>());
        Assert.Single(show["resources"]!.AsArray());
        Assert.Single((await app.Admin().OkAsync("package_activity_list", new { id = "stable" })).AsArray());
    }

    [Theory, Databases]
    public async Task Oversized_upload_is_refused_and_nothing_is_stored(Db db)
    {
        await using var app = await TestApp.StartAsync(db, new Dictionary<string, string?> { ["OpenGov:MaxUploadBytes"] = "1024" });
        await app.CreateOrganizationAsync("chiba");
        await app.Admin().OkAsync("package_create", CatalogFixtures.Dataset("big", "chiba"));
        var (status, body) = await app.Admin().UploadAsync("big", "big.csv", new byte[4096]);
        Assert.Equal(409, status);
        Assert.Equal("File upload too large", Message(body, "upload"));

        var show = await app.Admin().OkAsync("package_show", new { id = "big" });
        Assert.Empty(show["resources"]!.AsArray());
        var uploads = Path.Combine(app.DataDirectory, "uploads");
        Assert.Empty(Directory.Exists(uploads) ? Directory.EnumerateFiles(uploads, "*", SearchOption.AllDirectories) : []);

        // a body beyond the limit and its margin is refused while it is read: 413, same error shape
        var (huge, hugeBody) = await app.Admin().UploadAsync("big", "huge.csv", new byte[(2 * 1024 * 1024) + 10]);
        Assert.Equal(413, huge);
        Assert.Equal("File upload too large", Message(hugeBody, "upload"));
        Assert.Empty((await app.Admin().OkAsync("package_show", new { id = "big" }))["resources"]!.AsArray());
        Assert.Empty(Directory.Exists(uploads) ? Directory.EnumerateFiles(uploads, "*", SearchOption.AllDirectories) : []);

        var (ok, _) = await app.Admin().UploadAsync("big", "small.csv", new byte[1000]);
        Assert.Equal(200, ok);
    }

    [Theory, Databases]
    public async Task Path_tricks_in_file_names_stay_inside_the_resource_folder(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("chiba");
        await app.Admin().OkAsync("package_create", CatalogFixtures.Dataset("tricks", "chiba"));
        var uploads = Path.Combine(app.DataDirectory, "uploads");
        var names = new Dictionary<string, string>
        {
            ["../../evil.csv"] = "evil.csv",
            ["..\\..\\windows.csv"] = "windows.csv",
            ["/etc/passwd"] = "passwd",
            [".."] = "file",
            [".htaccess"] = "htaccess",
            ["a<b>:c?.csv"] = "a_b__c_.csv",
            ["人口 統計.csv"] = "人口_統計.csv",
        };
        foreach (var (raw, safe) in names)
        {
            var (status, body) = await app.Admin().UploadAsync("tricks", raw, "x,y\n1,2\n"u8.ToArray());
            Assert.True(status == 200, $"{raw}: {status} {body.ToJsonString()}");
            var result = body["result"]!;
            var id = result["id"]!.GetValue<string>();
            Assert.True(File.Exists(Path.Combine(uploads, id, safe)), $"{raw} should be stored as {id}/{safe}");
            Assert.EndsWith("/download/" + Uri.EscapeDataString(safe), result["url"]!.GetValue<string>());
        }

        Assert.All(Directory.EnumerateFiles(app.DataDirectory, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".db", StringComparison.Ordinal) && !f.Contains(".db-", StringComparison.Ordinal)),
            f => Assert.StartsWith(uploads + Path.DirectorySeparatorChar, f));
    }

    [Theory, Databases]
    public async Task Local_government_code_must_carry_a_valid_check_digit(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        foreach (var code in new[] { "130001", "121002", "082201", "270008" })
        {
            var org = await app.CreateOrganizationAsync("org-" + code, "自治体", code);
            Assert.Equal(code, org["local_gov_code"]!.GetValue<string>());
        }

        foreach (var code in new[] { "121003", "12100", "1210022", "abcdef" })
        {
            var (status, body) = await app.Admin().ActionAsync("organization_create", new { name = "bad-" + code.ToLowerInvariant(), local_gov_code = code });
            Assert.Equal(409, status);
            Assert.Contains("全国地方公共団体コード", Message(body, "local_gov_code"));
        }

        await app.Admin().OkAsync("organization_create", new { name = "univ", title = "大学" });
        var shown = await app.Anonymous().OkAsync("organization_show", new { id = "org-121002" });
        Assert.Equal("121002", shown["local_gov_code"]!.GetValue<string>());
        Assert.Null((await app.Anonymous().OkAsync("organization_show", new { id = "univ" }))["local_gov_code"]);
    }
}
