using System.Text.Json.Nodes;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Showcases;

/// <summary>Who may write showcases (sysadmins and showcase admins), and CKAN's errors for bad input; nothing partial.</summary>
public class ShowcaseAuthAndValidationTests
{
    private static async Task<JsonObject> ErrorAsync(HttpClient client, string action, object data, int status, string type)
    {
        var (actual, body) = await client.ActionAsync(action, data);
        Assert.True(actual == status, $"{action}: expected {status}, got {actual} {body.ToJsonString()}");
        Assert.False(body["success"]!.GetValue<bool>());
        Assert.Equal(type, body["error"]!["__type"]!.GetValue<string>());
        return body["error"]!.AsObject();
    }

    [Theory, Databases]
    public async Task Only_sysadmins_and_showcase_admins_write_and_anyone_reads(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await ShowcaseActionsTests.SeedCatalogAsync(app);
        var editor = app.WithToken(await app.CreateUserAsync("editor", "tokyo", "admin"));
        var anonymous = app.Anonymous();
        await app.Admin().OkAsync("ckanext_showcase_create", new { name = "existing" });

        var anon = await ErrorAsync(anonymous, "ckanext_showcase_create", new { name = "x1" }, 403, "Authorization Error");
        Assert.Equal("Access denied: Action ckanext_showcase_create requires an authenticated user", anon["message"]!.GetValue<string>());
        var denied = await ErrorAsync(editor, "ckanext_showcase_create", new { name = "x1" }, 403, "Authorization Error");
        Assert.Equal("Access denied", denied["message"]!.GetValue<string>()); // an organization admin is not a showcase admin
        await ErrorAsync(editor, "ckanext_showcase_update", new { id = "existing", title = "t" }, 403, "Authorization Error");
        await ErrorAsync(editor, "ckanext_showcase_delete", new { id = "existing" }, 403, "Authorization Error");
        await ErrorAsync(editor, "ckanext_showcase_package_association_create", new { package_id = "patients", showcase_id = "existing" }, 403, "Authorization Error");
        await ErrorAsync(editor, "ckanext_showcase_admin_add", new { username = "editor" }, 403, "Authorization Error");
        await ErrorAsync(editor, "ckanext_showcase_admin_list", new { }, 403, "Authorization Error");
        Assert.Equal("existing", (await anonymous.GetOkAsync("ckanext_showcase_show?id=existing"))["name"]!.GetValue<string>());

        // a sysadmin makes the editor a showcase admin: now they write, but still do not manage the admin list
        var added = await app.Admin().OkAsync("ckanext_showcase_admin_add", new { username = "editor" });
        Assert.NotNull(added["user_id"]);
        var list = (await app.Admin().OkAsync("ckanext_showcase_admin_list", new { })).AsArray();
        Assert.Equal("editor", list.Single()!["name"]!.GetValue<string>());
        await editor.OkAsync("ckanext_showcase_create", new { name = "by-editor" });
        await editor.OkAsync("ckanext_showcase_package_association_create", new { package_id = "patients", showcase_id = "by-editor" });
        await ErrorAsync(editor, "ckanext_showcase_admin_add", new { username = "editor" }, 403, "Authorization Error");
        var again = await ErrorAsync(app.Admin(), "ckanext_showcase_admin_add", new { username = "editor" }, 409, "Validation Error");
        Assert.EndsWith("already exists.", again["message"]!.GetValue<string>());

        await app.Admin().OkAsync("ckanext_showcase_admin_remove", new { username = "editor" });
        await ErrorAsync(editor, "ckanext_showcase_delete", new { id = "by-editor" }, 403, "Authorization Error");
        await ErrorAsync(app.Admin(), "ckanext_showcase_admin_remove", new { username = "editor" }, 404, "Not Found Error");
        await ErrorAsync(app.Admin(), "ckanext_showcase_admin_add", new { username = "nobody" }, 404, "Not Found Error");
        var unknown = await ErrorAsync(app.Admin(), "ckanext_showcase_admin_remove", new { username = "nobody" }, 409, "Validation Error");
        Assert.Equal("Not found: User", unknown["username"]![0]!.GetValue<string>());
    }

    [Theory, Databases]
    public async Task Bad_input_gets_ckan_validation_errors_and_changes_nothing(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await ShowcaseActionsTests.SeedCatalogAsync(app);
        var admin = app.Admin();
        await admin.OkAsync("ckanext_showcase_create", new { name = "existing", title = "元のタイトル" });

        var missing = await ErrorAsync(admin, "ckanext_showcase_create", new { title = "名前なし" }, 409, "Validation Error");
        Assert.Equal("Missing value", missing["name"]![0]!.GetValue<string>());
        var bad = await ErrorAsync(admin, "ckanext_showcase_create", new { name = "Bad Name", url = "javascript:alert(1)", image_url = "data:image/png;base64,AAAA", tag_string = "x" }, 409, "Validation Error");
        Assert.Equal("Must be purely lowercase alphanumeric (ascii) characters and these symbols: -_", bad["name"]![0]!.GetValue<string>());
        Assert.Equal("Please provide a valid URL", bad["url"]![0]!.GetValue<string>());
        Assert.Equal("Please provide a valid URL", bad["image_url"]![0]!.GetValue<string>());
        Assert.Equal("Tag \"x\" length is less than minimum 2", bad["tags"]![0]!.GetValue<string>());
        var taken = await ErrorAsync(admin, "ckanext_showcase_create", new { name = "existing" }, 409, "Validation Error");
        Assert.Equal("That URL is already in use.", taken["name"]![0]!.GetValue<string>());
        var dataset = await ErrorAsync(admin, "ckanext_showcase_create", new { name = "patients" }, 409, "Validation Error"); // one package namespace, as in CKAN
        Assert.Equal("That URL is already in use.", dataset["name"]![0]!.GetValue<string>());
        var withId = await ErrorAsync(admin, "ckanext_showcase_create", new { name = "new-one", id = "abc" }, 409, "Validation Error");
        Assert.Equal("The input field id was not expected.", withId["id"]![0]!.GetValue<string>());
        await ErrorAsync(admin, "ckanext_showcase_create", new { name = new[] { "a" } }, 409, "Validation Error");
        await ErrorAsync(admin, "ckanext_showcase_update", new { id = "existing", title = "変更", url = "not a url" }, 409, "Validation Error");
        var noUpdate = await ErrorAsync(admin, "ckanext_showcase_update", new { id = "nope" }, 404, "Not Found Error");
        Assert.Equal("Not found: Package was not found.", noUpdate["message"]!.GetValue<string>());
        await ErrorAsync(admin, "ckanext_showcase_delete", new { }, 409, "Validation Error");
        await ErrorAsync(admin, "ckanext_showcase_delete", new { id = "patients" }, 404, "Not Found Error"); // a dataset is not a showcase
        await ErrorAsync(admin, "ckanext_showcase_show", new { }, 409, "Validation Error");

        var none = await ErrorAsync(admin, "ckanext_showcase_package_association_create", new { }, 409, "Validation Error");
        Assert.Equal("Missing value", none["package_id"]![0]!.GetValue<string>());
        Assert.Equal("Missing value", none["showcase_id"]![0]!.GetValue<string>());
        var notFound = await ErrorAsync(admin, "ckanext_showcase_package_association_create", new { package_id = "nope", showcase_id = "patients" }, 409, "Validation Error");
        Assert.Equal("Not found: Dataset", notFound["package_id"]![0]!.GetValue<string>());
        Assert.Equal("Not found: Dataset", notFound["showcase_id"]![0]!.GetValue<string>()); // a dataset is not a showcase
        await admin.OkAsync("ckanext_showcase_package_association_create", new { package_id = "patients", showcase_id = "existing" });
        var twice = await ErrorAsync(admin, "ckanext_showcase_package_association_create", new { package_id = "patients", showcase_id = "existing" }, 409, "Validation Error");
        Assert.StartsWith("ShowcasePackageAssociation with package_id", twice["message"]!.GetValue<string>());
        await ErrorAsync(app.Anonymous(), "ckanext_showcase_package_list", new { }, 409, "Validation Error");
        await ErrorAsync(app.Anonymous(), "ckanext_package_showcase_list", new { package_id = "secret" }, 409, "Validation Error"); // not revealed

        var unchanged = await app.Anonymous().GetOkAsync("ckanext_showcase_show?id=existing");
        Assert.Equal("元のタイトル", unchanged["title"]!.GetValue<string>());
        Assert.Equal(1, unchanged["num_datasets"]!.GetValue<int>());
        Assert.Equal(["existing"], (await app.Anonymous().GetOkAsync("ckanext_showcase_list")).AsArray().Select(s => s!["name"]!.GetValue<string>()));
    }
}
