using System.Text.Json.Nodes;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Catalog;

/// <summary>Who may read private datasets, write and delete: anonymous, member, editor, admin, another organization's editor, sysadmin.</summary>
public class EditingAuthorizationTests
{
    private sealed record Actors(TestApp App, Dictionary<string, HttpClient> Clients);

    private static async Task<Actors> SetUpAsync(TestApp app)
    {
        await app.CreateOrganizationAsync("chiba", "千葉市", "121002");
        await app.CreateOrganizationAsync("nara", "奈良市", "292010");
        var clients = new Dictionary<string, HttpClient>
        {
            ["anonymous"] = app.Anonymous(),
            ["member"] = app.WithToken(await app.CreateUserAsync("m1", "chiba", "member")),
            ["editor"] = app.WithToken(await app.CreateUserAsync("e1", "chiba", "editor")),
            ["admin"] = app.WithToken(await app.CreateUserAsync("a1", "chiba", "admin")),
            ["other-org"] = app.WithToken(await app.CreateUserAsync("o1", "nara", "editor")),
            ["sysadmin"] = app.Admin(),
        };
        await app.Admin().OkAsync("package_create", CatalogFixtures.Dataset("public-ds", "chiba"));
        await app.Admin().OkAsync("package_create", CatalogFixtures.Dataset("private-ds", "chiba", isPrivate: true));
        return new Actors(app, clients);
    }

    [Theory, Databases]
    public async Task Private_dataset_is_readable_only_by_its_organization_and_sysadmins(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var a = await SetUpAsync(app);
        var expected = new Dictionary<string, int> { ["anonymous"] = 403, ["member"] = 200, ["editor"] = 200, ["admin"] = 200, ["other-org"] = 403, ["sysadmin"] = 200 };
        foreach (var (who, status) in expected)
        {
            var (actual, body) = await a.Clients[who].ActionAsync("package_show", new { id = "private-ds" });
            Assert.True(status == actual, $"package_show private as {who}: expected {status}, got {actual} {body.ToJsonString()}");
            var (publicStatus, _) = await a.Clients[who].ActionAsync("package_show", new { id = "public-ds" });
            Assert.True(publicStatus == 200, $"package_show public as {who}: {publicStatus}");

            var (resStatus, _) = await a.Clients[who].ActionAsync("package_activity_list", new { id = "private-ds" });
            Assert.True(status == resStatus, $"package_activity_list private as {who}: expected {status}, got {resStatus}");
        }
    }

    [Theory, Databases]
    public async Task Dataset_lists_never_show_private_datasets_to_non_sysadmins(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var a = await SetUpAsync(app);
        foreach (var (who, client) in a.Clients)
        {
            var names = (await client.OkAsync("package_list", new { })).AsArray().Select(n => n!.GetValue<string>()).ToList();
            Assert.True(names.SequenceEqual(["public-ds"]), $"package_list as {who}: {string.Join(",", names)}");

            var current = (await client.OkAsync("current_package_list_with_resources", new { })).AsArray().Select(n => n!["name"]!.GetValue<string>()).ToList();
            var expected = who == "sysadmin" ? new[] { "private-ds", "public-ds" } : ["public-ds"];
            Assert.True(current.Order().SequenceEqual(expected), $"current_package_list_with_resources as {who}: {string.Join(",", current)}");
        }
    }

    [Theory, Databases]
    public async Task Only_editors_admins_and_sysadmins_may_create_update_and_add_resources(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var a = await SetUpAsync(app);
        var allowed = new HashSet<string> { "editor", "admin", "sysadmin" };
        foreach (var (who, client) in a.Clients)
        {
            var expected = allowed.Contains(who) ? 200 : 403;
            var slug = "by-" + who;
            var (create, createBody) = await client.ActionAsync("package_create", CatalogFixtures.Dataset(slug, "chiba"));
            Assert.True(expected == create, $"package_create as {who}: {create} {createBody.ToJsonString()}");
            if (expected == 403)
            {
                Assert.Equal("Authorization Error", createBody["error"]!["__type"]!.GetValue<string>());
            }

            var update = CatalogFixtures.Dataset("public-ds", "chiba");
            update["notes"] = "updated by " + who;
            var (upd, updBody) = await client.ActionAsync("package_update", update);
            Assert.True(expected == upd, $"package_update as {who}: {upd} {updBody.ToJsonString()}");

            var (res, resBody) = await client.ActionAsync("resource_create", new { package_id = "public-ds", url = "https://example.jp/" + who + ".csv", name = who });
            Assert.True(expected == res, $"resource_create as {who}: {res} {resBody.ToJsonString()}");

            var (patch, _) = await client.ActionAsync("package_patch", new { id = "private-ds", notes = "patched by " + who });
            Assert.True(expected == patch, $"package_patch as {who}: {patch}");
        }

        // the refused calls changed nothing
        var show = await app.Admin().OkAsync("package_show", new { id = "public-ds" });
        Assert.Equal("updated by sysadmin", show["notes"]!.GetValue<string>());
        // package_update replaces the resource list (CKAN 2.10), so only the sysadmin's resource, added after its update, remains
        Assert.Equal(["sysadmin"], show["resources"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()));
        var names = (await app.Admin().OkAsync("package_list", new { })).AsArray().Select(n => n!.GetValue<string>()).ToList();
        Assert.Equal(["by-admin", "by-editor", "by-sysadmin", "public-ds"], names);
    }

    [Theory, Databases]
    public async Task Editor_of_another_organization_cannot_publish_into_this_one(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var a = await SetUpAsync(app);
        var (status, body) = await a.Clients["other-org"].ActionAsync("package_create", CatalogFixtures.Dataset("intruder", "chiba"));
        Assert.Equal(403, status);
        Assert.Equal("Access denied: User o1 not authorized to add dataset to this organization", body["error"]!["message"]!.GetValue<string>());

        // nor move a dataset of its own organization into it
        await a.Clients["other-org"].OkAsync("package_create", CatalogFixtures.Dataset("nara-ds", "nara"));
        var (moved, movedBody) = await a.Clients["other-org"].ActionAsync("package_patch", new { id = "nara-ds", owner_org = "chiba" });
        Assert.Equal(409, moved);
        Assert.Equal("You cannot add a dataset to this organization", movedBody["error"]!["owner_org"]![0]!.GetValue<string>());
    }

    [Theory, Databases]
    public async Task Only_editors_admins_and_sysadmins_may_delete(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var a = await SetUpAsync(app);
        var allowed = new HashSet<string> { "editor", "admin", "sysadmin" };
        foreach (var (who, client) in a.Clients)
        {
            var slug = "del-" + who;
            var created = await app.Admin().OkAsync("package_create", CatalogFixtures.Dataset(slug, "chiba"));
            var resource = await app.Admin().OkAsync("resource_create", new { package_id = slug, url = "https://example.jp/a.csv" });
            var expected = allowed.Contains(who) ? 200 : 403;

            var (resDel, _) = await client.ActionAsync("resource_delete", new { id = resource["id"]!.GetValue<string>() });
            Assert.True(expected == resDel, $"resource_delete as {who}: {resDel}");
            var (del, body) = await client.ActionAsync("package_delete", new { id = slug });
            Assert.True(expected == del, $"package_delete as {who}: {del} {body.ToJsonString()}");

            var state = (await app.Admin().OkAsync("package_show", new { id = created["id"]!.GetValue<string>() }))["state"]!.GetValue<string>();
            Assert.Equal(expected == 200 ? "deleted" : "active", state);
        }
    }

    [Theory, Databases]
    public async Task Organization_and_group_administration_is_limited(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var a = await SetUpAsync(app);
        foreach (var who in new[] { "anonymous", "member", "editor", "admin", "other-org" })
        {
            var (org, _) = await a.Clients[who].ActionAsync("organization_create", new { name = "new-" + who });
            Assert.True(org == 403, $"organization_create as {who}: {org}");
            var (grp, _) = await a.Clients[who].ActionAsync("group_create", new { name = "grp-" + who });
            Assert.True(grp == 403, $"group_create as {who}: {grp}");
            var (upd, _) = await a.Clients[who].ActionAsync("organization_patch", new { id = "chiba", description = who });
            Assert.True((who == "admin" ? 200 : 403) == upd, $"organization_patch as {who}: {upd}");
            var (mem, _) = await a.Clients[who].ActionAsync("member_create", new { id = "chiba", @object = "m1", object_type = "user", capacity = "editor" });
            Assert.True((who == "admin" ? 200 : 403) == mem, $"member_create as {who}: {mem}");
        }

        await a.Clients["sysadmin"].OkAsync("group_create", new { name = "bousai", title = "防災" });
    }

    [Theory, Databases]
    public async Task Member_promoted_by_the_organization_admin_can_then_publish(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var a = await SetUpAsync(app);
        var (before, _) = await a.Clients["member"].ActionAsync("package_create", CatalogFixtures.Dataset("by-member", "chiba"));
        Assert.Equal(403, before);
        var member = await a.Clients["admin"].OkAsync("member_create", new { id = "chiba", @object = "m1", object_type = "user", capacity = "editor" });
        Assert.Equal("editor", member["capacity"]!.GetValue<string>());
        await a.Clients["member"].OkAsync("package_create", CatalogFixtures.Dataset("by-member", "chiba"));

        await a.Clients["admin"].OkAsync("member_delete", new { id = "chiba", @object = "m1", object_type = "user" });
        var (after, _) = await a.Clients["member"].ActionAsync("package_patch", new { id = "by-member", notes = "x" });
        Assert.Equal(403, after);
    }

    [Theory, Databases]
    public async Task Api_tokens_are_created_for_oneself_or_by_a_sysadmin(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var a = await SetUpAsync(app);
        var own = await a.Clients["editor"].OkAsync("api_token_create", new { user = "e1", name = "mine" });
        var token = own["token"]!.GetValue<string>();
        var me = await app.WithToken(token).OkAsync("user_show", new { id = "e1" });
        Assert.Equal("e1", me["name"]!.GetValue<string>());

        var (other, _) = await a.Clients["editor"].ActionAsync("api_token_create", new { user = "a1", name = "theirs" });
        Assert.Equal(403, other);
        var (anon, _) = await a.Clients["anonymous"].ActionAsync("api_token_create", new { user = "e1", name = "x" });
        Assert.Equal(403, anon);
        await a.Clients["sysadmin"].OkAsync("api_token_create", new { user = "a1", name = "by-sysadmin" });
    }

    [Theory, Databases]
    public async Task User_show_reveals_email_only_to_the_user_and_sysadmins(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("chiba");
        var token = await app.CreateUserAsync("hanako", "chiba", "editor", email: "hanako@example.jp");
        var other = await app.CreateUserAsync("taro");
        Assert.Null((await app.Anonymous().OkAsync("user_show", new { id = "hanako" }))["email"]);
        Assert.Null((await app.WithToken(other).OkAsync("user_show", new { id = "hanako" }))["email"]);
        Assert.Equal("hanako@example.jp", (await app.WithToken(token).OkAsync("user_show", new { id = "hanako" }))["email"]!.GetValue<string>());
        Assert.Equal("hanako@example.jp", (await app.Admin().OkAsync("user_show", new { id = "hanako" }))["email"]!.GetValue<string>());
        var anon = await app.Anonymous().OkAsync("user_show", new { id = "hanako" });
        Assert.Null(anon["apikey"]);
        Assert.Null(anon["password_hash"]);
    }
}
