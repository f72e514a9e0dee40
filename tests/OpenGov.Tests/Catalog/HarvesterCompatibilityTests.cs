using System.Globalization;
using System.Text.Json.Nodes;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Catalog;

/// <summary>
/// The requests ckanext-harvest's CKANHarvester sends to a remote CKAN (the way national and regional portals
/// collect municipal catalogs), replayed as it builds them: API version 2 action URLs, quote-encoded query strings,
/// <c>rows=100</c>, <c>sort=id asc</c>, paging with <c>start</c> until an empty page, and the fq terms it writes
/// for incremental runs and organization filters.
/// </summary>
public class HarvesterCompatibilityTests
{
    /// <summary>The harvester's _search_for_datasets loop.</summary>
    private static async Task<List<JsonNode>> GatherAsync(HttpClient client, IReadOnlyList<string> fqTerms)
    {
        var query = new Dictionary<string, string> { ["rows"] = "100", ["start"] = "0", ["sort"] = "id asc" };
        if (fqTerms.Count > 0)
        {
            query["fq"] = "(" + string.Join(" OR ", fqTerms) + ")";
        }

        var found = new List<JsonNode>();
        string? previous = null;
        for (var pages = 0; pages < 50; pages++)
        {
            var url = "/api/2/action/package_search?" + string.Join("&", query.Select(kv => kv.Key + "=" + Uri.EscapeDataString(kv.Value)));
            using var response = await client.GetAsync(url, TestContext.Current.CancellationToken);
            var content = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.True(response.IsSuccessStatusCode, url + " → " + content);
            Assert.NotEqual(previous, content); // the harvester's "paging doesn't seem to work" check
            previous = content;
            var page = JsonNode.Parse(content)!["result"]!["results"]!.AsArray();
            if (page.Count == 0)
            {
                return found;
            }

            found.AddRange(page.Select(p => p!));
            query["start"] = (int.Parse(query["start"], CultureInfo.InvariantCulture) + 100).ToString(CultureInfo.InvariantCulture);
        }

        throw new InvalidOperationException("paging never ended");
    }

    [Theory, Databases]
    public async Task Harvester_gathers_every_public_dataset_in_id_order_and_then_only_the_changed_ones(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("chiba", "千葉市", "121002");
        await app.CreateOrganizationAsync("fukuoka", "福岡市", "401307");
        var admin = app.Admin();
        var publicIds = new List<string>();
        for (var i = 0; i < 102; i++)
        {
            var created = await admin.OkAsync("package_create", CatalogFixtures.Dataset($"ds-{i:000}", i % 3 == 0 ? "fukuoka" : "chiba"));
            publicIds.Add(created["id"]!.GetValue<string>());
        }

        await admin.OkAsync("package_create", CatalogFixtures.Dataset("hidden", "chiba", isPrivate: true));

        // First run: everything, paged by 100, in id order, each dataset once, with the full package dict.
        var all = await GatherAsync(app.Anonymous(), []);
        var ids = all.Select(p => p["id"]!.GetValue<string>()).ToList();
        Assert.Equal(publicIds.Order(StringComparer.Ordinal), ids);
        Assert.All(all, p => Assert.NotNull(p["organization"]?["name"]));

        // Organization filters as the harvester writes them.
        var fukuoka = await GatherAsync(app.Anonymous(), ["organization:fukuoka"]);
        Assert.Equal(34, fukuoka.Count);
        var notFukuoka = await GatherAsync(app.Anonymous(), ["-organization:fukuoka"]);
        Assert.Equal(68, notFukuoka.Count);

        // Incremental run: the harvester asks for metadata_modified:[{isoformat()}Z TO *] (microseconds, no zone).
        await Task.Delay(50, TestContext.Current.CancellationToken);
        var since = DateTime.UtcNow;
        await Task.Delay(50, TestContext.Current.CancellationToken);
        await admin.OkAsync("package_patch", new { id = "ds-007", notes = "更新しました" });
        var changed = await GatherAsync(app.Anonymous(), [$"metadata_modified:[{since:yyyy-MM-ddTHH:mm:ss.ffffff}Z TO *]"]);
        Assert.True(changed.Count == 1, $"since {since:O}: " + string.Join(", ", changed.Select(p => p["name"] + " " + p["metadata_modified"])));
        Assert.Equal("ds-007", changed[0]["name"]!.GetValue<string>());
        Assert.Equal("更新しました", changed[0]["notes"]!.GetValue<string>());
    }
}
