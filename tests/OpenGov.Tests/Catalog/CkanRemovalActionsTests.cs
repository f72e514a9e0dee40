using System.Text.Json.Nodes;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Catalog;

/// <summary>
/// dataset_purge, organization_delete/purge, group_delete/purge, group_package_show and member_roles_list, with
/// CKAN's errors: 403 "Access denied" (bare for the sysadmin-only purges), 404 "Not found: ...", 409 with a message.
/// </summary>
public class CkanRemovalActionsTests
{
    [Theory, Databases]
    public async Task Dataset_purge_removes_a_dataset_for_good_and_only_for_sysadmins(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("city");
        var admin = app.Admin();
        var editor = app.WithToken(await app.CreateUserAsync("editor", "city", "editor"));
        var data = CatalogFixtures.Dataset("parks", "city");
        data["resources"] = new JsonArray(new JsonObject { ["url"] = "https://example.jp/parks.csv", ["format"] = "CSV" });
        var dataset = await admin.OkAsync("package_create", data);
        var resourceId = dataset["resources"]![0]!["id"]!.GetValue<string>();

        var (forbidden, denied) = await editor.ActionAsync("dataset_purge", new { id = "parks" });
        Assert.Equal(403, forbidden);
        Assert.Equal("Authorization Error", denied["error"]!["__type"]!.GetValue<string>());
        Assert.Equal("Access denied", denied["error"]!["message"]!.GetValue<string>());

        var (missing, notFound) = await admin.ActionAsync("dataset_purge", new { id = "no-such-dataset" });
        Assert.Equal(404, missing);
        Assert.Equal("Not found: Dataset was not found", notFound["error"]!["message"]!.GetValue<string>());
        Assert.Equal(409, (await admin.ActionAsync("dataset_purge", new { })).Status);

        Assert.Null(await admin.OkAsync("dataset_purge", new { id = "parks" }));
        Assert.Equal(404, (await admin.ActionAsync("package_show", new { id = dataset["id"]!.GetValue<string>() })).Status);
        Assert.Equal(404, (await admin.ActionAsync("resource_show", new { id = resourceId })).Status);
        Assert.Equal(0, (await admin.OkAsync("package_search", new { q = "parks" }))["count"]!.GetValue<int>());
        Assert.Equal(404, (await admin.ActionAsync("package_activity_list", new { id = dataset["id"]!.GetValue<string>() })).Status);

        // the name and the resource id are free again
        data["resources"]![0]!["id"] = resourceId;
        var again = await admin.OkAsync("package_create", data);
        Assert.Equal(resourceId, again["resources"]![0]!["id"]!.GetValue<string>());
    }

    [Theory, Databases]
    public async Task Organization_delete_waits_for_its_datasets_and_purge_is_for_sysadmins(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("city");
        var admin = app.Admin();
        var orgAdmin = app.WithToken(await app.CreateUserAsync("city-admin", "city", "admin"));
        var editor = app.WithToken(await app.CreateUserAsync("editor", "city", "editor"));
        var dataset = await admin.OkAsync("package_create", CatalogFixtures.Dataset("parks", "city"));

        var (forbidden, denied) = await editor.ActionAsync("organization_delete", new { id = "city" });
        Assert.Equal(403, forbidden);
        Assert.StartsWith("Access denied: User editor not authorized to delete organization", denied["error"]!["message"]!.GetValue<string>());

        var (refused, body) = await orgAdmin.ActionAsync("organization_delete", new { id = "city" });
        Assert.True(refused == 409, body.ToJsonString());
        Assert.Equal("Validation Error", body["error"]!["__type"]!.GetValue<string>());
        Assert.Equal("Organization cannot be deleted while it still has datasets", body["error"]!["message"]!.GetValue<string>());
        Assert.Equal(404, (await admin.ActionAsync("organization_delete", new { id = "nowhere" })).Status);

        await orgAdmin.OkAsync("package_delete", new { id = "parks" });
        Assert.Null(await orgAdmin.OkAsync("organization_delete", new { id = "city" }));
        Assert.Equal(404, (await admin.ActionAsync("organization_show", new { id = "city" })).Status);
        Assert.DoesNotContain("city", (await app.Anonymous().OkAsync("organization_list")).AsArray().Select(n => n!.GetValue<string>()));
        Assert.Empty((await orgAdmin.OkAsync("organization_list_for_user", new { permission = "read" })).AsArray());

        var (notSysadmin, bare) = await orgAdmin.ActionAsync("organization_purge", new { id = "city" });
        Assert.Equal(403, notSysadmin);
        Assert.Equal("Access denied", bare["error"]!["message"]!.GetValue<string>());

        // the purge takes the organization's deleted datasets with it; the name is free again
        Assert.Null(await admin.OkAsync("organization_purge", new { id = "city" }));
        Assert.Equal(404, (await admin.ActionAsync("package_show", new { id = dataset["id"]!.GetValue<string>() })).Status);
        var (gone, goneBody) = await admin.ActionAsync("organization_purge", new { id = "city" });
        Assert.Equal(404, gone);
        Assert.Equal("Not found: Organization was not found", goneBody["error"]!["message"]!.GetValue<string>());
        await app.CreateOrganizationAsync("city");
    }

    [Theory, Databases]
    public async Task Organization_purge_refuses_while_datasets_remain(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("city");
        var admin = app.Admin();
        await admin.OkAsync("package_create", CatalogFixtures.Dataset("parks", "city", isPrivate: true));

        var (status, body) = await admin.ActionAsync("organization_purge", new { id = "city" });
        Assert.True(status == 409, body.ToJsonString());
        Assert.Equal("Organization cannot be purged while it still has datasets", body["error"]!["message"]!.GetValue<string>());
        Assert.Equal("city", (await admin.OkAsync("organization_show", new { id = "city" }))["name"]!.GetValue<string>());
        Assert.Equal("parks", (await admin.OkAsync("package_show", new { id = "parks" }))["name"]!.GetValue<string>());
    }

    [Theory, Databases]
    public async Task Groups_are_deleted_and_purged_by_sysadmins_and_their_datasets_stay(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("city");
        var admin = app.Admin();
        var editor = app.WithToken(await app.CreateUserAsync("editor", "city", "editor"));
        await admin.OkAsync("group_create", new { name = "environment", title = "環境" });
        await admin.OkAsync("group_create", new { name = "health", title = "健康" });
        foreach (var name in new[] { "air", "water", "noise" })
        {
            var d = CatalogFixtures.Dataset(name, "city");
            d["groups"] = new JsonArray(new JsonObject { ["name"] = "environment" }, new JsonObject { ["name"] = "health" });
            await admin.OkAsync("package_create", d);
        }

        var hidden = CatalogFixtures.Dataset("secret", "city", isPrivate: true);
        hidden["groups"] = new JsonArray(new JsonObject { ["name"] = "environment" });
        await admin.OkAsync("package_create", hidden);

        var anon = app.Anonymous();
        var listed = (await anon.OkAsync("group_package_show", new { id = "environment" })).AsArray();
        Assert.Equal(["noise", "water", "air"], listed.Select(p => p!["name"]!.GetValue<string>())); // newest change first, public only
        Assert.Single((await anon.OkAsync("group_package_show", new { id = "environment", limit = 1 })).AsArray());
        var (badLimit, limitBody) = await anon.ActionAsync("group_package_show", new { id = "environment", limit = -1 });
        Assert.Equal(409, badLimit);
        Assert.Equal("Limit must be a positive integer", limitBody["error"]!["message"]!.GetValue<string>());
        Assert.Equal(404, (await anon.ActionAsync("group_package_show", new { id = "nowhere" })).Status);
        Assert.Empty((await anon.OkAsync("group_package_show", new { id = "city" })).AsArray());

        var (forbidden, denied) = await editor.ActionAsync("group_delete", new { id = "environment" });
        Assert.Equal(403, forbidden);
        Assert.StartsWith("Access denied: User editor not authorized to delete group", denied["error"]!["message"]!.GetValue<string>());

        Assert.Null(await admin.OkAsync("group_delete", new { id = "environment" }));
        Assert.Equal(404, (await anon.ActionAsync("group_show", new { id = "environment" })).Status);
        Assert.Equal(["health"], (await anon.OkAsync("group_list")).AsArray().Select(n => n!.GetValue<string>()));
        var air = await anon.OkAsync("package_show", new { id = "air" });
        Assert.Equal(["health"], air["groups"]!.AsArray().Select(g => g!["name"]!.GetValue<string>()));
        Assert.Equal(0, (await anon.OkAsync("package_search", new { fq = "groups:environment" }))["count"]!.GetValue<int>());

        Assert.Equal("Access denied", (await editor.ActionAsync("group_purge", new { id = "health" })).Body["error"]!["message"]!.GetValue<string>());
        Assert.Null(await admin.OkAsync("group_purge", new { id = "health" }));
        Assert.Empty((await anon.OkAsync("package_show", new { id = "air" }))["groups"]!.AsArray());
        Assert.Equal(3, (await anon.OkAsync("package_search", new { q = "" }))["count"]!.GetValue<int>());
        Assert.Equal("Not found: Group was not found", (await admin.ActionAsync("group_purge", new { id = "health" })).Body["error"]!["message"]!.GetValue<string>());
    }

    [Theory, Databases]
    public async Task Group_members_are_added_by_the_groups_admins_who_then_edit_it(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var admin = app.Admin();
        await admin.OkAsync("group_create", new { name = "environment", title = "環境" });
        var hanako = app.WithToken(await app.CreateUserAsync("hanako"));
        var taro = app.WithToken(await app.CreateUserAsync("taro"));

        var (forbidden, denied) = await hanako.ActionAsync("group_member_create", new { id = "environment", username = "taro", role = "member" });
        Assert.Equal(403, forbidden);
        Assert.StartsWith("Access denied: User hanako not authorized to edit group", denied["error"]!["message"]!.GetValue<string>());
        Assert.Equal(403, (await hanako.ActionAsync("group_patch", new { id = "environment", title = "x" })).Status);

        var member = await admin.OkAsync("group_member_create", new { id = "environment", username = "hanako", role = "admin" });
        Assert.Equal(("user", "admin"), (member["table_name"]!.GetValue<string>(), member["capacity"]!.GetValue<string>()));
        Assert.Equal("みどり", (await hanako.OkAsync("group_patch", new { id = "environment", title = "みどり" }))["title"]!.GetValue<string>());
        await hanako.OkAsync("group_member_create", new { id = "environment", username = "taro", role = "member" });

        var (unknown, unknownBody) = await hanako.ActionAsync("group_member_create", new { id = "environment", username = "nobody", role = "member" });
        Assert.Equal(409, unknown);
        Assert.Equal("User nobody does not exist.", unknownBody["error"]!["message"]!.GetValue<string>());
        Assert.Equal("Not found: Group not found", (await hanako.ActionAsync("group_member_create", new { id = "nowhere", username = "taro", role = "member" })).Body["error"]!["message"]!.GetValue<string>());
        Assert.Equal("Missing value", (await hanako.ActionAsync("group_member_create", new { id = "environment", username = "taro" })).Body["error"]!["role"]![0]!.GetValue<string>());

        var shown = await app.Anonymous().OkAsync("group_show", new { id = "environment" });
        Assert.Equal([("admin", "admin"), ("hanako", "admin"), ("taro", "member")], shown["users"]!.AsArray().Select(u => (u!["name"]!.GetValue<string>(), u["capacity"]!.GetValue<string>())));
        Assert.Equal(3, (await admin.OkAsync("member_list", new { id = "environment", object_type = "user" })).AsArray().Count);
        Assert.Equal(403, (await taro.ActionAsync("group_member_delete", new { id = "environment", username = "hanako" })).Status);

        await hanako.OkAsync("group_member_delete", new { id = "environment", username = "taro" });
        Assert.DoesNotContain("taro", (await app.Anonymous().OkAsync("group_show", new { id = "environment" }))["users"]!.AsArray().Select(u => u!["name"]!.GetValue<string>()));
        Assert.Null(await hanako.OkAsync("group_delete", new { id = "environment" }));
    }

    [Theory, Databases]
    public async Task Member_roles_list_names_ckans_roles(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var anon = app.Anonymous();
        var roles = (await anon.OkAsync("member_roles_list")).AsArray();
        Assert.Equal(["admin", "editor", "member"], roles.Select(r => r!["value"]!.GetValue<string>()));
        Assert.Equal("Admin", roles[0]!["text"]!.GetValue<string>());
        Assert.Equal(["admin", "member"], (await anon.OkAsync("member_roles_list", new { group_type = "group" })).AsArray().Select(r => r!["value"]!.GetValue<string>()));
    }

    [Theory, Databases]
    public async Task Ckanapi_deletes_organizations_through_organization_delete(Db db)
    {
        var ckanapi = CkanapiRoundTripTests.RequireCkanapi();
        await using var app = await TestApp.StartAsync(db, kestrel: true);
        using var admin = CkanapiRoundTripTests.Client(app, app.AdminToken);
        await admin.OkAsync("organization_create", new { name = "old-city", title = "旧市" });
        await admin.OkAsync("package_create", CatalogFixtures.Dataset("parks", "old-city"));
        var dir = Directory.CreateTempSubdirectory("ckanapi-");
        try
        {
            var site = app.BaseAddress.ToString().TrimEnd('/');
            await CkanapiRoundTripTests.RunAsync(ckanapi, dir.FullName, "delete", "datasets", "parks", "-r", site, "-a", app.AdminToken);
            await CkanapiRoundTripTests.RunAsync(ckanapi, dir.FullName, "delete", "organizations", "old-city", "-r", site, "-a", app.AdminToken);
            Assert.Equal(404, (await admin.ActionAsync("organization_show", new { id = "old-city" })).Status);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
