using OpenGov.DataStore;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Catalog;

/// <summary>
/// Bounds on a package write (OpenGov:PackageLimits) and on datastore_search's filter values: beyond them the API
/// answers CKAN's 409 "Validation Error" naming the field, at once and before anything is written (never a 500 after
/// tens of seconds).
/// </summary>
public sealed class PackageLimitTests
{
    private static readonly Dictionary<string, string?> SmallLimits = new()
    {
        ["OpenGov:PackageLimits:MaxResources"] = "3",
        ["OpenGov:PackageLimits:MaxTags"] = "3",
        ["OpenGov:PackageLimits:MaxExtras"] = "3",
        ["OpenGov:PackageLimits:MaxNotesLength"] = "100",
    };

    [Theory, Databases]
    public async Task Packages_beyond_the_limits_and_searches_with_too_many_filter_values_answer_ckans_409(Db db)
    {
        await using var app = await TestApp.StartAsync(db, SmallLimits);
        await app.CreateOrganizationAsync("chiba");
        var admin = app.Admin();

        static object[] Resources(int n) => [.. Enumerable.Range(1, n).Select(i => new { url = $"https://example.jp/{i}.csv", name = $"r{i}" })];
        static object[] Tags(int n) => [.. Enumerable.Range(1, n).Select(i => new { name = $"tag{i}" })];
        static object[] Extras(int n) => [.. Enumerable.Range(1, n).Select(i => new { key = $"k{i}", value = "v" })];

        // each bound on its own, and all at once: 409 naming every field, nothing written
        foreach (var (field, package) in new (string, object)[]
        {
            ("resources", new { name = "too-many", owner_org = "chiba", resources = Resources(4) }),
            ("tags", new { name = "too-many", owner_org = "chiba", tags = Tags(4) }),
            ("extras", new { name = "too-many", owner_org = "chiba", extras = Extras(4) }),
            ("notes", new { name = "too-many", owner_org = "chiba", notes = new string('あ', 101) }),
        })
        {
            var (status, body) = await admin.ActionAsync("package_create", package);
            Assert.Equal(409, status);
            Assert.Equal("Validation Error", body["error"]!["__type"]!.GetValue<string>());
            Assert.Contains(field == "notes" ? "100" : "3", body["error"]![field]![0]!.GetValue<string>(), StringComparison.Ordinal);
        }

        var (allStatus, all) = await admin.ActionAsync("package_create", new { name = "too-many", owner_org = "chiba", resources = Resources(4), tags = Tags(4), extras = Extras(4), notes = new string('x', 101) });
        Assert.Equal(409, allStatus);
        Assert.All(new[] { "resources", "tags", "extras", "notes" }, f => Assert.NotNull(all["error"]![f]));
        Assert.Equal(404, (await admin.ActionAsync("package_show", new { id = "too-many" })).Status);

        // at the limits the package is written; one more resource, by update, patch or resource_create, is refused
        var created = await admin.OkAsync("package_create", new { name = "full", owner_org = "chiba", resources = Resources(3), tags = Tags(3), extras = Extras(3), notes = new string('x', 100) });
        Assert.Equal(3, created["resources"]!.AsArray().Count);
        Assert.Equal(409, (await admin.ActionAsync("package_patch", new { id = "full", resources = Resources(4) })).Status);
        var (oneMore, oneMoreBody) = await admin.ActionAsync("resource_create", new { package_id = "full", url = "https://example.jp/4.csv" });
        Assert.Equal(409, oneMore);
        Assert.NotNull(oneMoreBody["error"]!["package_id"]);
        Assert.Equal(409, (await admin.ActionAsync("resource_patch", new { id = created["resources"]![0]!["id"]!.GetValue<string>(), description = new string('x', 101) })).Status);
        var unchanged = await admin.OkAsync("package_show", new { id = "full" });
        Assert.Equal(3, unchanged["resources"]!.AsArray().Count);
        await admin.OkAsync("package_patch", new { id = "full", title = "満杯" }); // a package at its limits can still change

        // datastore_search: up to MaxFilterValues values over all fields; beyond, and at 50,000, 409 in CKAN's shape
        await app.CreateOrganizationAsync("ds-org");
        var ds = await admin.OkAsync("package_create", new { name = "ds", owner_org = "ds-org" });
        var rid = (await admin.OkAsync("datastore_create", new
        {
            resource = new { package_id = ds["id"]!.GetValue<string>(), name = "表" },
            fields = new[] { new { id = "code", type = "int" }, new { id = "name", type = "text" } },
            records = new[] { new { code = 1, name = "千葉市" }, new { code = 2, name = "市川市" } },
        }))["resource_id"]!.GetValue<string>();
        var allowed = await app.Anonymous().OkAsync("datastore_search", new
        {
            resource_id = rid,
            filters = new Dictionary<string, object> { ["code"] = Enumerable.Range(1, DataStoreQuery.MaxFilterValues - 1).ToArray(), ["name"] = "千葉市" },
        });
        Assert.Equal(1, allowed["total"]!.GetValue<long>());
        foreach (var n in new[] { DataStoreQuery.MaxFilterValues + 1, 50_000 })
        {
            var (status, body) = await app.Anonymous().ActionAsync("datastore_search", new { resource_id = rid, filters = new { code = Enumerable.Range(1, n).ToArray() } });
            Assert.Equal(409, status);
            Assert.Equal("Validation Error", body["error"]!["__type"]!.GetValue<string>());
            Assert.NotNull(body["error"]!["filters"]);
        }
    }
}
