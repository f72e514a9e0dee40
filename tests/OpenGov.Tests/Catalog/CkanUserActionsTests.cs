using System.Text.Json.Nodes;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Catalog;

/// <summary>user_create, user_list, user_autocomplete, user_update/patch/delete, api_token_list/revoke as CKAN answers them.</summary>
public class CkanUserActionsTests
{
    [Theory, Databases]
    public async Task User_create_is_for_sysadmins_and_checks_ckans_schema(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var admin = app.Admin();
        var someone = app.WithToken(await app.CreateUserAsync("someone", email: "someone@example.jp"));

        var (forbidden, denied) = await someone.ActionAsync("user_create", new { name = "hanako", email = "hanako@example.jp", password = "long-enough" });
        Assert.Equal(403, forbidden);
        Assert.Equal("Access denied: User someone not authorized to create users via the API", denied["error"]!["message"]!.GetValue<string>());

        var (invalid, errors) = await admin.ActionAsync("user_create", new { name = "Hanako!", email = "not-an-address", password = "short" });
        Assert.Equal(409, invalid);
        Assert.Equal("Validation Error", errors["error"]!["__type"]!.GetValue<string>());
        Assert.Equal("Must be purely lowercase alphanumeric (ascii) characters and these symbols: -_", errors["error"]!["name"]![0]!.GetValue<string>());
        Assert.Equal("Email not-an-address is not a valid format", errors["error"]!["email"]![0]!.GetValue<string>());
        Assert.Equal("Your password must be 8 characters or longer", errors["error"]!["password"]![0]!.GetValue<string>());

        var (taken, takenErrors) = await admin.ActionAsync("user_create", new { name = "someone", email = "SOMEONE@example.jp" });
        Assert.Equal(409, taken);
        Assert.Equal("That login name is not available.", takenErrors["error"]!["name"]![0]!.GetValue<string>());
        Assert.Equal("The email address 'SOMEONE@example.jp' belongs to a registered user.", takenErrors["error"]!["email"]![0]!.GetValue<string>());
        Assert.Equal("Missing value", takenErrors["error"]!["password"]![0]!.GetValue<string>());

        var created = await admin.OkAsync("user_create", new { name = "hanako", email = "hanako@example.jp", password = "long-enough", fullname = "山田花子", with_apitoken = true });
        Assert.Equal("hanako", created["name"]!.GetValue<string>());
        Assert.Equal("hanako@example.jp", created["email"]!.GetValue<string>());
        Assert.False(created["sysadmin"]!.GetValue<bool>());
        Assert.Null(created["password"]);
        var hanako = app.WithToken(created["token"]!.GetValue<string>());
        Assert.Equal("hanako@example.jp", (await hanako.OkAsync("user_show", new { id = "hanako" }))["email"]!.GetValue<string>());

        await app.Anonymous().LoginAsync("hanako", "long-enough"); // the password works on the login page
    }

    [Theory, Databases]
    public async Task User_list_and_autocomplete_show_users_that_are_not_deleted(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var admin = app.Admin();
        await admin.OkAsync("user_create", new { name = "taro", email = "taro@example.jp", password = "long-enough", fullname = "Yamada Taro" });
        await admin.OkAsync("user_create", new { name = "jiro", email = "jiro@example.jp", password = "long-enough" });
        await admin.OkAsync("user_create", new { name = "gone", email = "gone@example.jp", password = "long-enough" });
        await admin.OkAsync("user_delete", new { id = "gone" });
        var anon = app.Anonymous();

        var names = (await anon.OkAsync("user_list", new { all_fields = false })).AsArray().Select(n => n!.GetValue<string>()).ToList();
        Assert.Contains("taro", names);
        Assert.DoesNotContain("gone", names);
        var dicts = (await anon.OkAsync("user_list", new { q = "yamada" })).AsArray();
        var taro = Assert.Single(dicts);
        Assert.Equal("Yamada Taro", taro!["display_name"]!.GetValue<string>());
        Assert.Null(taro["email"]);
        Assert.Equal(["jiro", "taro"], (await anon.OkAsync("user_list", new { order_by = "name", all_fields = false, q = "ro" })).AsArray().Select(n => n!.GetValue<string>()));

        var (emailFilter, emailDenied) = await anon.ActionAsync("user_list", new { email = "taro@example.jp" });
        Assert.Equal(403, emailFilter);
        Assert.Equal("Access denied", emailDenied["error"]!["message"]!.GetValue<string>());
        Assert.Equal("taro", (await admin.OkAsync("user_list", new { email = "taro@example.jp" }))[0]!["name"]!.GetValue<string>());
        Assert.Equal(409, (await anon.ActionAsync("user_list", new { order_by = "edits" })).Status);

        var matches = (await anon.OkAsync("user_autocomplete", new { q = "jir" })).AsArray();
        Assert.Equal("jiro", Assert.Single(matches)!["name"]!.GetValue<string>());
        Assert.Equal(["fullname", "id", "name"], matches[0]!.AsObject().Select(p => p.Key).Order());
        Assert.Empty((await anon.OkAsync("user_autocomplete", new { q = "gone" })).AsArray());
        Assert.Equal(409, (await anon.ActionAsync("user_autocomplete", new { })).Status);
    }

    [Theory, Databases]
    public async Task Users_update_themselves_and_sysadmins_update_and_delete_anyone(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("city");
        var admin = app.Admin();
        var taroToken = await app.CreateUserAsync("taro", "city", "editor", email: "taro@example.jp");
        var taro = app.WithToken(taroToken);
        var jiro = app.WithToken(await app.CreateUserAsync("jiro", email: "jiro@example.jp"));

        var (forbidden, denied) = await jiro.ActionAsync("user_update", new { id = "taro", email = "x@example.jp" });
        Assert.Equal(403, forbidden);
        Assert.StartsWith("Access denied: User jiro not authorized to edit user", denied["error"]!["message"]!.GetValue<string>());
        Assert.Equal(404, (await admin.ActionAsync("user_update", new { id = "nobody", email = "x@example.jp" })).Status);

        var (noEmail, noEmailBody) = await taro.ActionAsync("user_update", new { id = "taro", fullname = "太郎" });
        Assert.Equal(409, noEmail);
        Assert.Equal("Missing value", noEmailBody["error"]!["email"]![0]!.GetValue<string>());

        var patched = await taro.OkAsync("user_patch", new { id = "taro", fullname = "山田太郎", sysadmin = true });
        Assert.Equal("山田太郎", patched["fullname"]!.GetValue<string>());
        Assert.False(patched["sysadmin"]!.GetValue<bool>()); // only sysadmins set it
        Assert.Equal("taro@example.jp", patched["email"]!.GetValue<string>());
        var (rename, renameBody) = await taro.ActionAsync("user_patch", new { id = "taro", name = "taro2" });
        Assert.Equal(409, rename);
        Assert.Equal("That login name can not be modified.", renameBody["error"]!["name"]![0]!.GetValue<string>());
        Assert.Equal("taro2", (await admin.OkAsync("user_patch", new { id = "taro", name = "taro2" }))["name"]!.GetValue<string>());

        var (notSysadmin, bare) = await jiro.ActionAsync("user_delete", new { id = "taro2" });
        Assert.Equal(403, notSysadmin);
        Assert.Equal("Access denied", bare["error"]!["message"]!.GetValue<string>());
        Assert.Equal("Not found: User \"nobody\" was not found.", (await admin.ActionAsync("user_delete", new { id = "nobody" })).Body["error"]!["message"]!.GetValue<string>());
        Assert.Null(await admin.OkAsync("user_delete", new { id = "taro2" }));
        Assert.Equal("deleted", (await admin.OkAsync("user_show", new { id = "taro2" }))["state"]!.GetValue<string>());
        Assert.DoesNotContain((await admin.OkAsync("member_list", new { id = "city", object_type = "user" })).AsArray(), m => m![2]!.GetValue<string>() == "editor");
        Assert.Equal(403, (await taro.ActionAsync("package_create", CatalogFixtures.Dataset("after-delete", "city"))).Status); // the token no longer works
    }

    [Theory, Databases]
    public async Task A_deleted_user_loses_their_login_session(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var admin = app.Admin();
        await admin.OkAsync("user_create", new { name = "hanako", email = "hanako@example.jp", password = "long-enough" });
        var web = app.Anonymous();
        await web.LoginAsync("hanako", "long-enough");
        using (var before = await web.GetAsync("/dashboard/datasets", TestContext.Current.CancellationToken))
        {
            Assert.Equal(200, (int)before.StatusCode);
        }

        await admin.OkAsync("user_delete", new { id = "hanako" });
        using var after = await web.GetAsync("/dashboard/datasets", TestContext.Current.CancellationToken);
        Assert.Equal(302, (int)after.StatusCode);
        Assert.Contains("/user/login", after.Headers.Location!.ToString());
    }

    [Theory, Databases]
    public async Task Api_tokens_are_listed_and_revoked_by_their_owner(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var admin = app.Admin();
        var taroToken = await app.CreateUserAsync("taro");
        var taro = app.WithToken(taroToken);
        var jiro = app.WithToken(await app.CreateUserAsync("jiro"));
        var second = (await taro.OkAsync("api_token_create", new { user = "taro", name = "script" }))["token"]!.GetValue<string>();

        var tokens = (await taro.OkAsync("api_token_list", new { user_id = "taro" })).AsArray();
        Assert.Equal(["test", "script"], tokens.Select(t => t!["name"]!.GetValue<string>()));
        Assert.Equal(["created_at", "id", "last_access", "name", "user_id"], tokens[0]!.AsObject().Select(p => p.Key).Order());
        Assert.DoesNotContain(taroToken, tokens.ToJsonString());
        Assert.Equal(2, (await admin.OkAsync("api_token_list", new { user = "taro" })).AsArray().Count);
        Assert.Equal(403, (await jiro.ActionAsync("api_token_list", new { user_id = "taro" })).Status);
        Assert.Equal(409, (await taro.ActionAsync("api_token_list", new { })).Status);
        Assert.Equal(404, (await admin.ActionAsync("api_token_list", new { user_id = "nobody" })).Status);

        Assert.Equal(403, (await jiro.ActionAsync("api_token_revoke", new { token = second })).Status);
        Assert.Equal(403, (await jiro.ActionAsync("api_token_revoke", new { jti = tokens[1]!["id"]!.GetValue<string>() })).Status);
        Assert.Null(await taro.OkAsync("api_token_revoke", new { token = second }));
        Assert.Equal(403, (await app.WithToken(second).ActionAsync("api_token_create", new { user = "taro", name = "x" })).Status);
        Assert.Null(await admin.OkAsync("api_token_revoke", new { jti = tokens[0]!["id"]!.GetValue<string>() }));
        Assert.Equal(403, (await taro.ActionAsync("api_token_list", new { user_id = "taro" })).Status);
    }

    [Theory, Databases]
    public async Task Ckanapi_creates_and_lists_users(Db db)
    {
        var ckanapi = CkanapiRoundTripTests.RequireCkanapi();
        await using var app = await TestApp.StartAsync(db, kestrel: true);
        var dir = Directory.CreateTempSubdirectory("ckanapi-");
        try
        {
            var site = app.BaseAddress.ToString().TrimEnd('/');
            var created = await CkanapiRoundTripTests.RunAsync(ckanapi, dir.FullName, "action", "user_create", "name=hanako", "email=hanako@example.jp", "password=long-enough", "-r", site, "-a", app.AdminToken);
            Assert.Equal("hanako", JsonNode.Parse(created)!["name"]!.GetValue<string>());
            var listed = await CkanapiRoundTripTests.RunAsync(ckanapi, dir.FullName, "action", "user_list", "all_fields=false", "-r", site);
            Assert.Contains("hanako", JsonNode.Parse(listed)!.AsArray().Select(n => n!.GetValue<string>()));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
