using System.Text.Json.Nodes;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Catalog;

/// <summary>
/// The CKAN actions added for migrations and everyday clients: organization_member_create/delete, member_list,
/// tag_show, vocabulary_list, package_autocomplete, format_autocomplete, help_show, and GET /api/3.
/// </summary>
public class CkanLookupAndMemberActionsTests
{
    [Theory, Databases]
    public async Task Organization_members_are_added_listed_and_removed_by_admins_only(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("city");
        var outsider = app.WithToken(await app.CreateUserAsync("outsider"));
        await app.CreateUserAsync("hanako");
        var admin = app.Admin();

        var (forbidden, body) = await outsider.ActionAsync("organization_member_create", new { id = "city", username = "hanako", role = "editor" });
        Assert.True(forbidden == 403, body.ToJsonString());
        Assert.Equal("Authorization Error", body["error"]!["__type"]!.GetValue<string>());

        var member = await admin.OkAsync("organization_member_create", new { id = "city", username = "hanako", role = "editor" });
        Assert.Equal("editor", member["capacity"]!.GetValue<string>());
        var hanakoId = member["table_id"]!.GetValue<string>();
        await admin.OkAsync("package_create", CatalogFixtures.Dataset("budget", "city"));

        var users = (await admin.OkAsync("member_list", new { id = "city", object_type = "user" })).AsArray();
        Assert.Contains(users, m => m![0]!.GetValue<string>() == hanakoId && m[1]!.GetValue<string>() == "user" && m[2]!.GetValue<string>() == "editor");
        var packages = (await app.Anonymous().OkAsync("member_list", new { id = "city", object_type = "package" })).AsArray();
        Assert.Single(packages);
        Assert.Equal("organization", packages[0]![2]!.GetValue<string>());

        var (missing, missingBody) = await admin.ActionAsync("organization_member_create", new { id = "city", username = "hanako" });
        Assert.True(missing == 409, missingBody.ToJsonString());
        Assert.Equal("Missing value", missingBody["error"]!["role"]![0]!.GetValue<string>());
        var (noOrg, _) = await admin.ActionAsync("organization_member_create", new { id = "nowhere", username = "hanako", role = "member" });
        Assert.Equal(404, noOrg);

        await admin.OkAsync("organization_member_delete", new { id = "city", username = "hanako" });
        users = (await admin.OkAsync("member_list", new { id = "city", object_type = "user" })).AsArray();
        Assert.DoesNotContain(users, m => m![0]!.GetValue<string>() == hanakoId);
        Assert.Equal(404, (await admin.ActionAsync("member_list", new { id = "nowhere" })).Status);
    }

    [Theory, Databases]
    public async Task Tag_show_autocompletes_and_vocabulary_list_answer_as_ckan(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("city");
        var admin = app.Admin();
        var data = CatalogFixtures.Dataset("population-2024", "city");
        data["title"] = "人口統計";
        data["tags"] = new JsonArray(new JsonObject { ["name"] = "人口" });
        data["resources"] = new JsonArray(new JsonObject { ["url"] = "https://example.jp/p.csv", ["format"] = "CSV" });
        await admin.OkAsync("package_create", data);
        var hidden = CatalogFixtures.Dataset("population-secret", "city", isPrivate: true);
        hidden["resources"] = new JsonArray(new JsonObject { ["url"] = "https://example.jp/p.geojson", ["format"] = "GeoJSON" });
        await admin.OkAsync("package_create", hidden);
        var anon = app.Anonymous();

        var tag = await anon.OkAsync("tag_show", new { id = "人口", include_datasets = true });
        Assert.Equal("人口", tag["name"]!.GetValue<string>());
        Assert.Null(tag["vocabulary_id"]);
        Assert.Equal("population-2024", tag["packages"]![0]!["name"]!.GetValue<string>());
        var (status, body) = await anon.ActionAsync("tag_show", new { id = "無い" });
        Assert.Equal(404, status);
        Assert.Equal("Not Found Error", body["error"]!["__type"]!.GetValue<string>());

        Assert.Empty((await anon.OkAsync("vocabulary_list")).AsArray());

        var byName = (await anon.OkAsync("package_autocomplete", new { q = "popul" })).AsArray();
        var match = Assert.Single(byName); // the private one is not shown
        Assert.Equal("name", match!["match_field"]!.GetValue<string>());
        var byTitle = Assert.Single((await anon.OkAsync("package_autocomplete", new { q = "統計" })).AsArray());
        Assert.Equal("人口統計 (population-2024)", byTitle!["match_displayed"]!.GetValue<string>());

        Assert.Equal(["csv"], (await anon.OkAsync("format_autocomplete", new { q = "cs" })).AsArray().Select(f => f!.GetValue<string>()));
        Assert.Empty((await anon.OkAsync("format_autocomplete", new { q = "geo" })).AsArray());
    }

    [Theory, Databases]
    public async Task Help_show_documents_each_action_and_api_answers_its_version(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var anon = app.Anonymous();
        var (_, show) = await anon.ActionAsync("package_show", new { id = "none" });
        var help = show["help"]!.GetValue<string>();
        Assert.EndsWith("/api/3/action/help_show?name=package_show", help);
        var doc = (await anon.GetOkAsync("help_show?name=package_show")).GetValue<string>();
        Assert.StartsWith("package_show", doc);
        var (status, body) = await anon.ActionAsync("help_show", new { name = "no_such_action" });
        Assert.Equal(404, status);
        Assert.Equal("Not Found Error", body["error"]!["__type"]!.GetValue<string>());

        Assert.Equal(3, JsonNode.Parse(await anon.GetStringAsync("/api/3", TestContext.Current.CancellationToken))!["version"]!.GetValue<int>());
    }

    [Theory, Databases]
    public async Task Package_owner_org_update_moves_a_dataset_for_editors_of_both_organizations(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("city");
        await app.CreateOrganizationAsync("ward");
        var admin = app.Admin();
        var dataset = await admin.OkAsync("package_create", CatalogFixtures.Dataset("parks", "city"));
        var editor = app.WithToken(await app.CreateUserAsync("editor", "city", "editor"));

        var (status, body) = await editor.ActionAsync("package_owner_org_update", new { id = "parks", organization_id = "ward" });
        Assert.True(status == 409, body.ToJsonString());
        Assert.Equal("Validation Error", body["error"]!["__type"]!.GetValue<string>());
        Assert.Equal(409, (await admin.ActionAsync("package_owner_org_update", new { id = "parks" })).Status);

        var (ok, answer) = await admin.ActionAsync("package_owner_org_update", new { id = "parks", organization_id = "ward" });
        Assert.True(ok == 200, answer.ToJsonString());
        Assert.Null(answer["result"]);
        var moved = await admin.OkAsync("package_show", new { id = dataset["id"]!.GetValue<string>() });
        Assert.Equal("ward", moved["organization"]!["name"]!.GetValue<string>());
    }
}
