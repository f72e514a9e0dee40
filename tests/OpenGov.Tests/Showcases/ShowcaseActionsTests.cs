using System.Text.Json.Nodes;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Showcases;

/// <summary>ckanext-showcase's actions, in its shapes: a showcase and the datasets it uses, linked both ways.</summary>
public class ShowcaseActionsTests
{
    /// <summary>An organization with two public datasets and a private one.</summary>
    internal static async Task SeedCatalogAsync(TestApp app)
    {
        await app.CreateOrganizationAsync("tokyo", "東京都", "130001");
        await app.Admin().OkAsync("package_create", CatalogFixtures.Dataset("patients", "tokyo"));
        await app.Admin().OkAsync("package_create", CatalogFixtures.Dataset("call-center", "tokyo"));
        await app.Admin().OkAsync("package_create", CatalogFixtures.Dataset("secret", "tokyo", isPrivate: true));
    }

    [Theory, Databases]
    public async Task Created_showcase_is_shown_in_ckanext_showcase_shape_and_listed(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var admin = app.Admin();
        var created = await admin.OkAsync("ckanext_showcase_create", new JsonObject
        {
            ["name"] = "stopcovid19",
            ["title"] = "東京都 新型コロナウイルス感染症対策サイト",
            ["notes"] = "**東京都**のサイト",
            ["url"] = "https://stopcovid19.metro.tokyo.lg.jp/",
            ["image_url"] = "https://example.jp/shot.png",
            ["tag_string"] = "新型コロナウイルス, シビックテック",
        });
        Assert.Equal("showcase", created["type"]!.GetValue<string>());
        Assert.Equal("stopcovid19", created["name"]!.GetValue<string>());
        Assert.Equal("https://stopcovid19.metro.tokyo.lg.jp/", created["url"]!.GetValue<string>());
        Assert.Equal("https://example.jp/shot.png", created["image_display_url"]!.GetValue<string>());
        Assert.Equal(0, created["num_datasets"]!.GetValue<int>());
        Assert.Equal(2, created["num_tags"]!.GetValue<int>());
        Assert.Contains("<strong>東京都</strong>", created["showcase_notes_formatted"]!.GetValue<string>());
        Assert.False(created["private"]!.GetValue<bool>());
        Assert.Null(created["owner_org"]);
        Assert.Empty(created["resources"]!.AsArray());

        var shown = await app.Anonymous().GetOkAsync("ckanext_showcase_show?id=stopcovid19");
        Assert.Equal(created["id"]!.GetValue<string>(), shown["id"]!.GetValue<string>());
        Assert.Equal("東京都 新型コロナウイルス感染症対策サイト", shown["title"]!.GetValue<string>());

        var untitled = await admin.OkAsync("ckanext_showcase_create", new { name = "no-title" });
        Assert.Equal("no-title", untitled["title"]!.GetValue<string>()); // if_empty_same_as("name")

        var list = (await app.Anonymous().GetOkAsync("ckanext_showcase_list")).AsArray();
        Assert.Equal(["no-title", "stopcovid19"], list.Select(s => s!["name"]!.GetValue<string>()).Order());
    }

    [Theory, Databases]
    public async Task Datasets_and_showcases_are_linked_both_ways(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await SeedCatalogAsync(app);
        var admin = app.Admin();
        var showcase = await admin.OkAsync("ckanext_showcase_create", new { name = "stopcovid19", title = "対策サイト" });
        await admin.OkAsync("ckanext_showcase_create", new { name = "other", title = "別の事例" });

        var link = await admin.OkAsync("ckanext_showcase_package_association_create", new { package_id = "patients", showcase_id = "stopcovid19" });
        var patients = await app.Anonymous().GetOkAsync("package_show?id=patients");
        Assert.Equal(patients["id"]!.GetValue<string>(), link["package_id"]!.GetValue<string>());
        Assert.Equal(showcase["id"]!.GetValue<string>(), link["showcase_id"]!.GetValue<string>());
        await admin.OkAsync("ckanext_showcase_package_association_create", new { package_id = patients["id"]!.GetValue<string>(), showcase_id = "other" });
        await admin.OkAsync("ckanext_showcase_package_association_create", new { package_id = "call-center", showcase_id = showcase["id"]!.GetValue<string>() });
        await admin.OkAsync("ckanext_showcase_package_association_create", new { package_id = "secret", showcase_id = "stopcovid19" });

        // showcase → datasets: package dicts of the public ones
        var datasets = (await app.Anonymous().GetOkAsync("ckanext_showcase_package_list?showcase_id=stopcovid19")).AsArray();
        Assert.Equal(["call-center", "patients"], datasets.Select(d => d!["name"]!.GetValue<string>()).Order());
        Assert.All(datasets, d => Assert.Equal("dataset", d!["type"]!.GetValue<string>()));
        Assert.Equal("tokyo", datasets[0]!["organization"]!["name"]!.GetValue<string>());
        Assert.Equal(2, (await app.Anonymous().GetOkAsync("ckanext_showcase_show?id=stopcovid19"))["num_datasets"]!.GetValue<int>());

        // dataset → showcases
        var showcases = (await app.Anonymous().GetOkAsync("ckanext_package_showcase_list?package_id=patients")).AsArray();
        Assert.Equal(["other", "stopcovid19"], showcases.Select(s => s!["name"]!.GetValue<string>()).Order());
        Assert.DoesNotContain((await app.Anonymous().GetOkAsync("ckanext_package_showcase_list?package_id=" + patients["name"]!.GetValue<string>())).AsArray(),
            s => s!["type"]!.GetValue<string>() != "showcase");

        // unlinking
        await admin.OkAsync("ckanext_showcase_package_association_delete", new { package_id = "patients", showcase_id = "stopcovid19" });
        Assert.Equal(["other"], (await app.Anonymous().GetOkAsync("ckanext_package_showcase_list?package_id=patients")).AsArray().Select(s => s!["name"]!.GetValue<string>()));
        var (status, body) = await admin.ActionAsync("ckanext_showcase_package_association_delete", new { package_id = "patients", showcase_id = "stopcovid19" });
        Assert.Equal(404, status);
        Assert.Equal("Not Found Error", body["error"]!["__type"]!.GetValue<string>());
        Assert.StartsWith("Not found: ShowcasePackageAssociation with package_id", body["error"]!["message"]!.GetValue<string>());
    }

    [Theory, Databases]
    public async Task Deleting_a_showcase_removes_its_links_and_deleting_a_dataset_hides_it_from_the_showcase(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await SeedCatalogAsync(app);
        var admin = app.Admin();
        await admin.OkAsync("ckanext_showcase_create", new { name = "gone" });
        await admin.OkAsync("ckanext_showcase_create", new { name = "kept" });
        foreach (var s in new[] { "gone", "kept" })
        {
            await admin.OkAsync("ckanext_showcase_package_association_create", new { package_id = "patients", showcase_id = s });
            await admin.OkAsync("ckanext_showcase_package_association_create", new { package_id = "call-center", showcase_id = s });
        }

        var (status, body) = await admin.ActionAsync("ckanext_showcase_delete", new { id = "gone" });
        Assert.Equal(200, status);
        Assert.Null(body["result"]);
        var (showStatus, showBody) = await app.Anonymous().ActionAsync("ckanext_showcase_show", new { id = "gone" });
        Assert.Equal(404, showStatus);
        Assert.Equal("Not found", showBody["error"]!["message"]!.GetValue<string>());
        Assert.Equal(["kept"], (await app.Anonymous().GetOkAsync("ckanext_package_showcase_list?package_id=patients")).AsArray().Select(s => s!["name"]!.GetValue<string>()));

        // a new showcase of the same name starts with no datasets (the links went with the old one)
        await admin.OkAsync("ckanext_showcase_create", new { name = "gone" });
        Assert.Empty((await app.Anonymous().GetOkAsync("ckanext_showcase_package_list?showcase_id=gone")).AsArray());

        await admin.OkAsync("package_delete", new { id = "call-center" });
        Assert.Equal(["patients"], (await app.Anonymous().GetOkAsync("ckanext_showcase_package_list?showcase_id=kept")).AsArray().Select(d => d!["name"]!.GetValue<string>()));
        Assert.Equal(1, (await app.Anonymous().GetOkAsync("ckanext_showcase_show?id=kept"))["num_datasets"]!.GetValue<int>());
    }

    [Theory, Databases]
    public async Task Update_replaces_patch_merges_and_a_rename_keeps_the_links(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await SeedCatalogAsync(app);
        var admin = app.Admin();
        var created = await admin.OkAsync("ckanext_showcase_create", new { name = "app", title = "アプリ", notes = "説明", url = "https://example.jp/app" });
        var id = created["id"]!.GetValue<string>();
        await admin.OkAsync("ckanext_showcase_package_association_create", new { package_id = "patients", showcase_id = "app" });

        var patched = await admin.OkAsync("ckanext_showcase_patch", new { id, title = "新しいアプリ" });
        Assert.Equal("説明", patched["notes"]!.GetValue<string>());
        Assert.Equal("https://example.jp/app", patched["url"]!.GetValue<string>());

        var updated = await admin.OkAsync("ckanext_showcase_update", new { id, name = "renamed-app", notes = "新しい説明" });
        Assert.Equal("renamed-app", updated["name"]!.GetValue<string>());
        Assert.Equal("新しいアプリ", updated["title"]!.GetValue<string>()); // title: ignore_missing on update
        Assert.Equal("", updated["url"]!.GetValue<string>()); // replaced by the dict given
        Assert.Equal(1, updated["num_datasets"]!.GetValue<int>());
        Assert.Equal(["renamed-app"], (await app.Anonymous().GetOkAsync("ckanext_package_showcase_list?package_id=patients")).AsArray().Select(s => s!["name"]!.GetValue<string>()));
    }
}
