using System.Text.Json.Nodes;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Catalog;

/// <summary>
/// package_create, organization_create, group_create and resource_create keep an id the caller supplies when it is
/// free, as CKAN does (datasets, organizations and groups for sysadmins only); a taken id is CKAN's validation error.
/// </summary>
public class SuppliedIdTests
{
    private const string OrgId = "5a1c0e2e-0d7b-4c55-9d3e-1b2c3d4e5f60";
    private const string GroupId = "6b2d1f3f-1e8c-4d66-8e4f-2c3d4e5f6071";
    private const string PackageId = "7c3e2a4a-2f9d-4e77-9f5a-3d4e5f607182";
    private const string ResourceId = "8d4f3b5b-3a0e-4f88-8a6b-4e5f60718293";

    [Theory, Databases]
    public async Task Sysadmin_supplied_ids_are_kept_and_a_taken_id_is_a_validation_error(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var admin = app.Admin();
        Assert.Equal(OrgId, (await admin.OkAsync("organization_create", new { id = OrgId, name = "city" }))["id"]!.GetValue<string>());
        Assert.Equal(GroupId, (await admin.OkAsync("group_create", new { id = GroupId, name = "health" }))["id"]!.GetValue<string>());
        var package = await admin.OkAsync("package_create", new JsonObject
        {
            ["id"] = PackageId,
            ["name"] = "clinics",
            ["owner_org"] = "city",
            ["resources"] = new JsonArray(new JsonObject { ["id"] = ResourceId, ["url"] = "https://example.jp/clinics.csv" }),
        });
        Assert.Equal(PackageId, package["id"]!.GetValue<string>());
        Assert.Equal(ResourceId, package["resources"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(OrgId, (await admin.OkAsync("package_show", new { id = PackageId }))["owner_org"]!.GetValue<string>());

        var extra = await admin.OkAsync("resource_create", new { package_id = "clinics", id = "res-2024", url = "https://example.jp/2024.csv" });
        Assert.Equal("res-2024", extra["id"]!.GetValue<string>());

        foreach (var (action, data, message) in new (string, object, string)[]
        {
            ("organization_create", new { id = OrgId, name = "other-city" }, "Id already exists"),
            ("group_create", new { id = GroupId, name = "other-group" }, "Id already exists"),
            ("package_create", new { id = PackageId, name = "other-dataset", owner_org = "city" }, "Dataset id already exists"),
            ("resource_create", new { package_id = "clinics", id = ResourceId, url = "https://example.jp/x.csv" }, "Resource id already exists."),
            ("package_create", new { id = "../../etc", name = "bad-id", owner_org = "city" }, "Invalid id: letters, digits, '-' and '_' only, at most 63 characters"),
        })
        {
            var (status, body) = await admin.ActionAsync(action, data);
            Assert.True(status == 409, $"{action}: {status} {body.ToJsonString()}");
            Assert.Equal("Validation Error", body["error"]!["__type"]!.GetValue<string>());
            Assert.Equal(message, body["error"]!["id"]![0]!.GetValue<string>());
        }
    }

    [Theory, Databases]
    public async Task An_editor_supplying_a_dataset_id_gets_a_new_one_as_in_ckan(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("city");
        var editor = app.WithToken(await app.CreateUserAsync("editor", "city", "editor"));
        var package = await editor.OkAsync("package_create", new { id = PackageId, name = "clinics", owner_org = "city" });
        Assert.NotEqual(PackageId, package["id"]!.GetValue<string>());
    }
}
