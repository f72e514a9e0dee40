using System.Text.Json.Nodes;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Catalog;

/// <summary>license_list carries CKAN's default licence register beside the Japanese licences, in CKAN's shape.</summary>
public class LicenseListTests
{
    private static readonly string[] CkanDefaults =
        ["notspecified", "odc-pddl", "odc-odbl", "odc-by", "cc-zero", "cc-by", "cc-by-sa", "gfdl", "other-open", "other-pd", "other-at", "uk-ogl", "cc-nc", "other-nc", "other-closed"];

    [Theory, Databases]
    public async Task License_list_has_ckans_default_ids_titles_urls_and_fields_beside_the_japanese_ones(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var list = (await app.Anonymous().OkAsync("license_list")).AsArray().Select(l => l!.AsObject()).ToList();
        var ids = list.Select(l => l["id"]!.GetValue<string>()).ToList();
        Assert.All(CkanDefaults, id => Assert.Contains(id, ids));
        Assert.Contains("pdl-1.0", ids);
        Assert.Contains("cc-by-4.0", ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());

        string[] keys = ["domain_content", "domain_data", "domain_software", "family", "id", "is_generic", "is_okd_compliant", "is_osi_compliant", "maintainer", "od_conformance", "osd_conformance", "status", "title", "url"];
        Assert.All(list, l => Assert.Equal(keys, l.Select(p => p.Key).Order(StringComparer.Ordinal)));

        var ccBy = list.Single(l => l["id"]!.GetValue<string>() == "cc-by");
        Assert.Equal("Creative Commons Attribution", ccBy["title"]!.GetValue<string>());
        Assert.Equal("http://www.opendefinition.org/licenses/cc-by", ccBy["url"]!.GetValue<string>());
        Assert.Equal("approved", ccBy["od_conformance"]!.GetValue<string>());
        Assert.Equal("not reviewed", ccBy["osd_conformance"]!.GetValue<string>());
        Assert.True(ccBy["is_okd_compliant"]!.GetValue<bool>());
        Assert.Equal("active", ccBy["status"]!.GetValue<string>());

        var closed = list.Single(l => l["id"]!.GetValue<string>() == "other-closed");
        Assert.Equal("Other (Not Open)", closed["title"]!.GetValue<string>());
        Assert.True(closed["is_generic"]!.GetValue<bool>());
        Assert.False(closed["is_okd_compliant"]!.GetValue<bool>());
        Assert.Equal("UK Open Government Licence (OGL)", list.Single(l => l["id"]!.GetValue<string>() == "uk-ogl")["title"]!.GetValue<string>());
    }

    [Theory, Databases]
    public async Task Datasets_with_ckan_licence_ids_get_their_title_url_and_isopen(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("city");
        var admin = app.Admin();
        foreach (var (id, title, url, open) in new[]
        {
            ("odc-odbl", "Open Data Commons Open Database License (ODbL)", "http://www.opendefinition.org/licenses/odc-odbl", true),
            ("cc-nc", "Creative Commons Non-Commercial (Any)", "http://creativecommons.org/licenses/by-nc/2.0/", false),
            ("other-pd", "Other (Public Domain)", "", true),
        })
        {
            var data = CatalogFixtures.Dataset("ds-" + id, "city");
            data["license_id"] = id;
            await admin.OkAsync("package_create", data);
            var shown = await app.Anonymous().OkAsync("package_show", new { id = "ds-" + id });
            Assert.Equal(title, shown["license_title"]!.GetValue<string>());
            Assert.Equal(url, shown["license_url"]?.GetValue<string>() ?? "");
            Assert.Equal(open, shown["isopen"]!.GetValue<bool>());
        }
    }
}
