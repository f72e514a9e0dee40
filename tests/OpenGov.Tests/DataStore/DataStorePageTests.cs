using System.Net;
using System.Text;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.DataStore;

public class DataStorePageTests
{
    [Theory, Databases]
    public async Task Preview_is_server_rendered_paged_sortable_filterable_with_iso_dates(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var (_, ds) = await app.DatasetAsync(name: "chiba-tests");
        var rid = await app.UploadAsync(ds, "121002_chiba_covid19_test_count.csv", DataStoreLoadTests.Cp932(DataStoreLoadTests.WarekiCsv));
        Assert.Equal("complete", (await app.LoadAndWaitAsync(rid))["status"]!.GetValue<string>());
        var c = app.Anonymous();
        var ct = TestContext.Current.CancellationToken;

        var html = await c.GetStringAsync($"/dataset/chiba-tests/resource/{rid}/data?sort=" + Uri.EscapeDataString("\"実施_年月日\" desc"), ct);
        Assert.True(html.Contains("<table class=\"ds-table\"", StringComparison.Ordinal), html[html.IndexOf("<main", StringComparison.Ordinal)..]);
        Assert.Contains("aria-sort=\"descending\"", html);
        var i2020 = html.IndexOf("2020-11-08", StringComparison.Ordinal);
        var i2019 = html.IndexOf("2019-05-01", StringComparison.Ordinal);
        Assert.True(i2020 > 0 && i2019 > i2020, "sorted by date descending, ISO dates");
        Assert.DoesNotContain("令和", html[html.IndexOf("<table class=\"ds-table\"", StringComparison.Ordinal)..]);
        // the panel: state, detected encoding, downloads, standard validation badge
        Assert.Contains("data-ds-panel", html);
        Assert.Contains("shift_jis", html);
        Assert.Contains("/datastore/dump/" + rid + "?format=xlsx", html);
        Assert.Contains("<progress", html);

        html = await c.GetStringAsync($"/dataset/chiba-tests/resource/{rid}/data?q=" + Uri.EscapeDataString("改元"), ct);
        Assert.Contains("2019-05-01", html);
        Assert.DoesNotContain("2020-11-06", html[html.IndexOf("<tbody>", StringComparison.Ordinal)..]);

        html = await c.GetStringAsync($"/dataset/chiba-tests/resource/{rid}/data?col=" + Uri.EscapeDataString("検査実施_件数") + "&val=abc", ct);
        Assert.Contains("ds-error", html); // a bad filter is explained, not a 500

        html = await c.GetStringAsync($"/dataset/chiba-tests/resource/{rid}/data?lang=en", ct);
        Assert.Contains("Data preview", html);

        using var missing = await c.GetAsync($"/dataset/other/resource/{rid}/data", ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Theory, Databases]
    public async Task Preview_of_a_private_dataset_is_hidden_from_anonymous_users(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var (_, ds) = await app.DatasetAsync(isPrivate: true, name: "secret");
        var rid = await app.UploadAsync(ds, "a.csv", Encoding.UTF8.GetBytes("a\n1\n"));
        Assert.Equal("complete", (await app.LoadAndWaitAsync(rid))["status"]!.GetValue<string>());
        using var r = await app.Anonymous().GetAsync($"/dataset/secret/resource/{rid}/data", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        using var dump = await app.Anonymous().GetAsync($"/datastore/dump/{rid}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, dump.StatusCode);
        using var admin = await app.Admin().GetAsync($"/dataset/secret/resource/{rid}/data", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }

    [Theory, Databases]
    public async Task Resource_page_previews_the_file_until_the_datastore_holds_its_table(Db db)
    {
        // No background poll: the load starts when the test asks for it.
        await using var app = await TestApp.StartAsync(db, new Dictionary<string, string?> { ["OpenGov:DataStore:PollSeconds"] = "0" });
        var (_, ds) = await app.DatasetAsync(name: "chiba-tests");
        var rid = await app.UploadAsync(ds, "121002_chiba_covid19_test_count.csv", DataStoreLoadTests.Cp932(DataStoreLoadTests.WarekiCsv));
        var c = app.Anonymous();
        var ct = TestContext.Current.CancellationToken;

        var html = await c.GetStringAsync($"/dataset/chiba-tests/resource/{rid}", ct);
        Assert.Contains("id=\"preview-h\"", html); // the file as written: Shift_JIS decoded, 和暦 untouched
        Assert.Contains("Shift_JIS (CP932)", html);
        Assert.Contains("令和", html);

        Assert.Equal("complete", (await app.LoadAndWaitAsync(rid))["status"]!.GetValue<string>());
        html = await c.GetStringAsync($"/dataset/chiba-tests/resource/{rid}", ct);
        Assert.DoesNotContain("id=\"preview-h\"", html); // one preview only: the DataStore's, normalised
        Assert.Contains("data-ds-panel", html);
        Assert.Contains($"/dataset/chiba-tests/resource/{rid}/data", html);
    }
}
