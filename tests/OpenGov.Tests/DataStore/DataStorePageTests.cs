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
    public async Task Resource_page_previews_the_file_as_written_and_links_to_the_normalised_datastore_preview(Db db)
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
        Assert.Contains("id=\"preview-h\"", html); // still the file as written, whatever the DataStore made of it
        Assert.Contains("data-ds-panel", html);
        Assert.Contains($"/dataset/chiba-tests/resource/{rid}/data", html);
    }

    [Theory, Databases]
    public async Task The_load_log_is_in_japanese_on_japanese_pages_and_in_english_on_english_ones(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var ct = TestContext.Current.CancellationToken;
        var (_, ds) = await app.DatasetAsync(name: "chiba-log");
        var rid = await app.UploadAsync(ds, "ragged.csv", System.Text.Encoding.UTF8.GetBytes("市区町村名,件数\n千葉市,1\n奈良市\n"));
        var job = await app.LoadAndWaitAsync(rid);
        Assert.Equal("complete", job["status"]!.GetValue<string>());
        var ragged = job["log"]!.AsArray().Single(l => l!["level"]!.GetValue<string>() == "warning")!;
        Assert.Contains("different number of cells", ragged["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("セル数が見出しと違います", ragged["message_ja"]!.GetValue<string>(), StringComparison.Ordinal);

        var page = $"/dataset/chiba-log/resource/{rid}/data";
        var ja = await app.Anonymous().GetStringAsync(page, ct);
        Assert.Contains("1 行のセル数が見出しと違います（最初は 3 行目", System.Net.WebUtility.HtmlDecode(ja), StringComparison.Ordinal);
        Assert.DoesNotContain("different number of cells", ja, StringComparison.Ordinal);
        var en = await app.Anonymous().GetStringAsync(page + "?lang=en", ct);
        Assert.Contains("1 rows have a different number of cells than the header (first: row 3", System.Net.WebUtility.HtmlDecode(en), StringComparison.Ordinal);
    }

    [Theory, Databases]
    public async Task An_editor_changes_encoding_empty_markers_and_a_column_type_with_the_page_form_and_the_reload_uses_them(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var ct = TestContext.Current.CancellationToken;
        var (org, ds) = await app.DatasetAsync(name: "chiba-form");
        var rid = await app.UploadAsync(ds, "121002_chiba_covid19_test_count.csv", DataStoreLoadTests.Cp932(DataStoreLoadTests.WarekiCsv));
        var first = await app.LoadAndWaitAsync(rid);
        Assert.Equal("complete", first["status"]!.GetValue<string>());
        var page = $"/dataset/chiba-form/resource/{rid}/data";

        // anonymous visitors see no form; an editor of the organization does, with a type choice per detected column
        Assert.DoesNotContain("name=\"type_value\"", await app.Anonymous().GetStringAsync(page, ct));
        var editor = app.WithToken(await app.MemberTokenAsync(org, "editor"));
        var html = await editor.GetStringAsync(page, ct);
        Assert.Contains("value=\"検査実施_件数\"", html);
        var columns = System.Text.RegularExpressions.Regex.Matches(html, "name=\"type_column\" value=\"([^\"]+)\"").Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        Assert.Equal(6, columns.Count);

        var fields = new List<KeyValuePair<string, string>>
        {
            new("__RequestVerificationToken", CatalogFixtures.AntiforgeryToken(html)),
            new("encoding", "cp932"),
            new("delimiter", "auto"),
            new("header_row", ""),
            new("sheet", ""),
            new("standard", "none"),
            new("empty_markers", "-,－,休日"),
        };
        foreach (var col in columns)
        {
            fields.Add(new("type_column", col));
            fields.Add(new("type_value", col == "検査実施_件数" ? "text" : "auto"));
        }

        using var post = await editor.PostAsync(page + "?handler=Load", new FormUrlEncodedContent(fields), ct);
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);

        // the reload is queued and runs with the new settings
        var deadline = DateTime.UtcNow.AddSeconds(60);
        System.Text.Json.Nodes.JsonNode job;
        while (true)
        {
            job = await app.WaitForJobAsync(rid);
            if (job["id"]!.GetValue<string>() != first["id"]!.GetValue<string>() && job["status"]!.GetValue<string>() is "complete" or "error")
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, "no reload after the form was sent");
            await Task.Delay(100, ct);
        }

        Assert.True(job["status"]!.GetValue<string>() == "complete", job.ToJsonString());
        Assert.Equal("override", job["detected"]!["encoding_reason"]!.GetValue<string>());
        var r = await app.Anonymous().OkAsync("datastore_search", new { resource_id = rid, sort = "_id" });
        Assert.Equal("text", r["fields"]!.AsArray().Single(f => f!["id"]!.GetValue<string>() == "検査実施_件数")!["type"]!.GetValue<string>());
        Assert.Equal("-", r["records"]![2]!["検査実施_件数"]!.GetValue<string>()); // kept as text now

        // the form shows the stored choices
        html = await editor.GetStringAsync(page, ct);
        Assert.Matches("<option value=\"text\" selected=\"selected\">[^<]*\\(text\\)</option>", html);
        Assert.Contains("value=\"-,－,休日\"", html);
        Assert.Contains("<option value=\"cp932\" selected=\"selected\">", html);

        // a bad choice is refused with a message, and nothing is queued
        using var bad = await editor.PostAsync(page + "?handler=Load", new FormUrlEncodedContent(
        [
            new("__RequestVerificationToken", CatalogFixtures.AntiforgeryToken(html)),
            new("encoding", "auto"),
            new("type_column", "検査実施_件数"),
            new("type_value", "nonsense"),
        ]), ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(job["id"]!.GetValue<string>(), (await app.WaitForJobAsync(rid))["id"]!.GetValue<string>());
    }
}
