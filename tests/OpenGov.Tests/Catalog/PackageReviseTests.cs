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
            var output = await CkanapiRoundTripTests.RunAsync(ckanapi, dir.FullName, "action", "package_revise", "match__name=air", "update__notes=revised by ckanapi",
                "-r", app.BaseAddress.ToString().TrimEnd('/'), "-a", app.AdminToken);
            Assert.Equal("revised by ckanapi", JsonNode.Parse(output)!["package"]!["notes"]!.GetValue<string>());
            Assert.Equal("revised by ckanapi", (await admin.OkAsync("package_show", new { id = "air" }))["notes"]!.GetValue<string>());
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
