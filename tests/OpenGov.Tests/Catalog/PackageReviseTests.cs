using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Catalog;

/// <summary>package_revise as CKAN documents it: match, filter, update, match__/update__ keys, __extend, include.</summary>
public class PackageReviseTests
{
    private static async Task<JsonNode> SeedAsync(TestApp app)
    {
        await app.CreateOrganizationAsync("city");
        var data = CatalogFixtures.Dataset("air", "city");
        data["notes"] = "old notes";
        data["resources"] = new JsonArray(
            new JsonObject { ["url"] = "https://example.jp/a.csv", ["name"] = "big.csv", ["format"] = "CSV" },
            new JsonObject { ["url"] = "https://example.jp/b.csv", ["name"] = "small.csv", ["format"] = "CSV" });
        return await app.Admin().OkAsync("package_create", data);
    }

    [Theory, Databases]
    public async Task Package_revise_updates_only_when_the_match_holds(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var dataset = await SeedAsync(app);
        var admin = app.Admin();

        var (status, body) = await admin.ActionAsync("package_revise", new
        {
            match = new JsonObject { ["name"] = "air", ["notes"] = "other notes", ["resources"] = new JsonArray(new JsonObject { ["name"] = "wrong.csv" }) },
            update = new JsonObject { ["notes"] = "new notes" },
        });
        Assert.True(status == 409, body.ToJsonString());
        Assert.Equal(["notes", "resources__0__name"], body["error"]!["match"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Equal("old notes", (await admin.OkAsync("package_show", new { id = "air" }))["notes"]!.GetValue<string>());

        var revised = await admin.OkAsync("package_revise", new
        {
            match = new JsonObject { ["id"] = dataset["id"]!.GetValue<string>(), ["notes"] = "old notes" },
            update = new JsonObject { ["notes"] = "new notes", ["resources"] = new JsonArray(new JsonObject { ["description"] = "the big one" }) },
        });
        var package = revised["package"]!;
        Assert.Equal("new notes", package["notes"]!.GetValue<string>());
        Assert.Equal("the big one", package["resources"]![0]!["description"]!.GetValue<string>());
        Assert.Equal("big.csv", package["resources"]![0]!["name"]!.GetValue<string>());
        Assert.Equal(2, package["resources"]!.AsArray().Count);
    }

    [Theory, Databases]
    public async Task Package_revise_takes_flattened_keys_extend_filter_and_include(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var dataset = await SeedAsync(app);
        var admin = app.Admin();
        var secondId = dataset["resources"]![1]!["id"]!.GetValue<string>();

        var revised = await admin.OkAsync("package_revise", new JsonObject
        {
            ["match__name"] = "air",
            ["match__resources__0__name"] = "big.csv",
            ["update__title"] = "大気",
            ["update__resources__" + secondId[..8] + "__description"] = "by id",
            ["update__resources__-1__format"] = "TSV",
            ["update__resources__extend"] = "[{\"name\": \"new.csv\", \"url\": \"https://example.jp/new.csv\"}]",
        });
        var resources = revised["package"]!["resources"]!.AsArray();
        Assert.Equal("大気", revised["package"]!["title"]!.GetValue<string>());
        Assert.Equal(["big.csv", "small.csv", "new.csv"], resources.Select(r => r!["name"]!.GetValue<string>()));
        Assert.Equal("by id", resources[1]!["description"]!.GetValue<string>());
        Assert.Equal("TSV", resources[2]!["format"]!.GetValue<string>()); // -1 is the last after the extension

        // filter removes the second resource; include trims the answer
        var filtered = await admin.OkAsync("package_revise", new JsonObject
        {
            ["match"] = "{\"name\": \"air\"}",
            ["filter"] = new JsonArray("-resources__1"),
            ["include"] = "-package__resources,-package__organization",
        });
        Assert.Null(filtered["package"]!["resources"]);
        Assert.Equal("air", filtered["package"]!["name"]!.GetValue<string>());
        Assert.Equal(["big.csv", "new.csv"], (await admin.OkAsync("package_show", new { id = "air" }))["resources"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()));
    }

    [Theory, Databases]
    public async Task Package_revise_reports_ckans_errors(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await SeedAsync(app);
        var admin = app.Admin();

        var (missing, missingBody) = await admin.ActionAsync("package_revise", new { update = new JsonObject { ["title"] = "x" } });
        Assert.Equal(409, missing);
        Assert.Equal("Missing value", missingBody["error"]!["match__id"]![0]!.GetValue<string>());

        var (notDict, notDictBody) = await admin.ActionAsync("package_revise", new { match = "[1]" });
        Assert.Equal(409, notDict);
        Assert.Equal("Must be a dict", notDictBody["error"]!["match"]![0]!.GetValue<string>());

        var (unmatched, unmatchedBody) = await admin.ActionAsync("package_revise", new JsonObject { ["match__name"] = "air", ["update__resources__7__name"] = "x" });
        Assert.Equal(409, unmatched);
        Assert.Equal("Unmatched key resources__7", unmatchedBody["error"]!["resources__7__name"]![0]!.GetValue<string>());

        var (invalid, invalidBody) = await admin.ActionAsync("package_revise", new JsonObject { ["match__name"] = "air", ["update__name"] = "Not Valid" });
        Assert.Equal(409, invalid);
        Assert.True(invalidBody["error"]!["name"] is not null, invalidBody.ToJsonString());

        Assert.Equal(404, (await admin.ActionAsync("package_revise", new JsonObject { ["match__name"] = "nothing" })).Status);
        var outsider = app.WithToken(await app.CreateUserAsync("outsider"));
        var (forbidden, forbiddenBody) = await outsider.ActionAsync("package_revise", new JsonObject { ["match__name"] = "air", ["update__title"] = "x" });
        Assert.Equal(403, forbidden);
        Assert.Equal("Authorization Error", forbiddenBody["error"]!["__type"]!.GetValue<string>());
    }

    [Theory, Databases]
    public async Task Package_revise_stores_uploaded_files_loads_them_and_keeps_nothing_of_a_refused_change(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var dataset = await SeedAsync(app);
        var admin = app.Admin();
        var firstId = dataset["resources"]![0]!["id"]!.GetValue<string>();
        var secondId = dataset["resources"]![1]!["id"]!.GetValue<string>();
        var first = Encoding.UTF8.GetBytes("地区,人数\n東区,3\n西区,4\n");

        // a file for an existing resource (by index) and one for a resource added in the same call (-1 after extend)
        var (status, body) = await ReviseWithFilesAsync(admin,
            [("match__name", "air"), ("update__resources__extend", "[{\"name\": \"\"}]")],
            [("update__resources__0__upload", "大気.csv", first), ("update__resources__-1__upload", "new.csv", "a,b\n1,2\n"u8.ToArray())]);
        Assert.True(status == 200, body.ToJsonString());
        var resources = body["result"]!["package"]!["resources"]!.AsArray();
        Assert.Equal(3, resources.Count);
        var r0 = resources[0]!;
        Assert.Equal((firstId, "upload", "big.csv", "CSV"), (r0["id"]!.GetValue<string>(), r0["url_type"]!.GetValue<string>(), r0["name"]!.GetValue<string>(), r0["format"]!.GetValue<string>()));
        Assert.EndsWith("/download/" + Uri.EscapeDataString("大気.csv"), r0["url"]!.GetValue<string>());
        Assert.Equal(first.Length, r0["size"]!.GetValue<long>());
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(first)), r0["hash"]!.GetValue<string>());
        var r2 = resources[2]!;
        Assert.Equal(("upload", "new.csv", "CSV"), (r2["url_type"]!.GetValue<string>(), r2["name"]!.GetValue<string>(), r2["format"]!.GetValue<string>()));
        Assert.Equal("", resources[1]!["url_type"]?.GetValue<string>() ?? "");

        // the file is served, and loaded into the DataStore as resource_create's upload is
        Assert.Equal(first, await admin.GetByteArrayAsync(new Uri(r0["url"]!.GetValue<string>()).PathAndQuery, TestContext.Current.CancellationToken));
        Assert.Equal("complete", (await app.WaitForJobAsync(firstId))["status"]!.GetValue<string>());
        Assert.Equal(2, (await admin.OkAsync("datastore_search", new { resource_id = firstId }))["total"]!.GetValue<int>());

        // a replacing file by an id prefix: the old one goes, the table is reloaded
        var second = Encoding.UTF8.GetBytes("地区,人数\n東区,3\n西区,4\n南区,5\n");
        (status, body) = await ReviseWithFilesAsync(admin, [("match__name", "air")], [("update__resources__" + firstId[..6] + "__upload", "大気2.csv", second)]);
        Assert.True(status == 200, body.ToJsonString());
        Assert.Equal(second, await admin.GetByteArrayAsync(new Uri(body["result"]!["package"]!["resources"]![0]!["url"]!.GetValue<string>()).PathAndQuery, TestContext.Current.CancellationToken));
        Assert.Equal("complete", (await app.WaitForJobAsync(firstId))["status"]!.GetValue<string>());
        Assert.Equal(3, (await admin.OkAsync("datastore_search", new { resource_id = firstId }))["total"]!.GetValue<int>());
        var uploads = Path.Combine(app.DataDirectory, "uploads");
        Assert.Equal(["大気2.csv"], Directory.GetFiles(Path.Combine(uploads, firstId)).Select(Path.GetFileName));

        // a refused change (validation, a failed match, or no permission) stores no file and changes nothing
        (status, body) = await ReviseWithFilesAsync(admin, [("match__name", "air"), ("update__name", "Not Valid")], [("update__resources__1__upload", "x.csv", second)]);
        Assert.Equal(409, status);
        (status, _) = await ReviseWithFilesAsync(admin, [("match__name", "air"), ("match__notes", "other")], [("update__resources__1__upload", "x.csv", second)]);
        Assert.Equal(409, status);
        var outsider = app.WithToken(await app.CreateUserAsync("outsider"));
        (status, _) = await ReviseWithFilesAsync(outsider, [("match__name", "air")], [("update__resources__1__upload", "x.csv", second)]);
        Assert.Equal(403, status);
        (status, body) = await ReviseWithFilesAsync(admin, [("match__name", "air")], [("update__resources__9__upload", "x.csv", second)]);
        Assert.Equal(409, status);
        Assert.Equal("Unmatched key resources__9", body["error"]!["resources__9__upload"]![0]!.GetValue<string>());
        Assert.False(Directory.Exists(Path.Combine(uploads, secondId)));
        Assert.Empty(Directory.Exists(Path.Combine(uploads, ".staging")) ? Directory.GetFileSystemEntries(Path.Combine(uploads, ".staging")) : []);
        var shown = await admin.OkAsync("package_show", new { id = "air" });
        Assert.Equal(("air", "https://example.jp/b.csv"), (shown["name"]!.GetValue<string>(), shown["resources"]![1]!["url"]!.GetValue<string>()));
    }

    /// <summary>A multipart package_revise call, as CKAN's clients send files (ckanapi's KEY@FILE).</summary>
    private static async Task<(int Status, JsonObject Body)> ReviseWithFilesAsync(HttpClient client, (string Key, string Value)[] fields, (string Field, string Name, byte[] Content)[] files)
    {
        using var form = new MultipartFormDataContent();
        foreach (var (k, v) in fields)
        {
            form.Add(new StringContent(v), k);
        }

        foreach (var (field, name, content) in files)
        {
            var file = new ByteArrayContent(content);
            file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            form.Add(file, field, name);
        }

        using var response = await client.PostAsync("/api/3/action/package_revise", form, TestContext.Current.CancellationToken);
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!.AsObject());
    }

    [Theory, Databases]
    public async Task Ckanapi_action_package_revise_changes_a_dataset(Db db)
    {
        var ckanapi = CkanapiRoundTripTests.RequireCkanapi();
        await using var app = await TestApp.StartAsync(db, kestrel: true);
        using var admin = CkanapiRoundTripTests.Client(app, app.AdminToken);
        await admin.OkAsync("organization_create", new { name = "city", title = "市" });
        await admin.OkAsync("package_create", CatalogFixtures.Dataset("air", "city"));
        var dir = Directory.CreateTempSubdirectory("ckanapi-");
        try
        {
            // a new resource and its file in one call (KEY@FILE sends multipart, as CKAN documents for package_revise)
            var csv = Path.Combine(dir.FullName, "counts.csv");
            await File.WriteAllTextAsync(csv, "地区,人数\n東区,3\n", TestContext.Current.CancellationToken);
            var output = await CkanapiRoundTripTests.RunAsync(ckanapi, dir.FullName, "action", "package_revise", "match__name=air", "update__notes=revised by ckanapi",
                "update__resources__extend=[{\"name\": \"人数\"}]", "update__resources__-1__upload@" + csv,
                "-r", app.BaseAddress.ToString().TrimEnd('/'), "-a", app.AdminToken);
            Assert.Equal("revised by ckanapi", JsonNode.Parse(output)!["package"]!["notes"]!.GetValue<string>());
            var shown = await admin.OkAsync("package_show", new { id = "air" });
            Assert.Equal("revised by ckanapi", shown["notes"]!.GetValue<string>());
            var resource = Assert.Single(shown["resources"]!.AsArray())!;
            Assert.Equal(("人数", "upload", "counts.csv"), (resource["name"]!.GetValue<string>(), resource["url_type"]!.GetValue<string>(), Path.GetFileName(new Uri(resource["url"]!.GetValue<string>()).AbsolutePath)));
            Assert.Equal("地区,人数\n東区,3\n", await admin.GetStringAsync(new Uri(resource["url"]!.GetValue<string>()).PathAndQuery, TestContext.Current.CancellationToken));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
