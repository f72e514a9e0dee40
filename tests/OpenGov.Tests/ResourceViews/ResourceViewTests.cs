using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OpenGov.ResourceViews;
using OpenGov.Storage;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.ResourceViews;

/// <summary>
/// CKAN's resource_view_* actions over HTTP (shapes, errors, permissions), the default datatables_view a load
/// creates, resource_create_default_resource_views and package_create_default_resource_views, the chart view drawn on
/// the resource page and added through its no-JS form, and round trips through the real Python ckanapi. One host per
/// database and test.
/// </summary>
public class ResourceViewTests
{
    private const string Python = "/usr/bin/python3";

    private static readonly byte[] Csv = Encoding.UTF8.GetBytes("日付,区分,件数\n2024-04-01,東区,3\n2024-04-01,西区,2\n2024-04-02,東区,5\n");

    [Theory, Databases]
    public async Task Views_are_created_listed_ordered_drawn_on_the_resource_page_and_guarded_as_ckan_does(Db db)
    {
        await using var app = await TestApp.StartAsync(db, kestrel: true);
        var admin = app.Admin();
        await app.CreateOrganizationAsync("chiba", "千葉市");
        await app.CreateOrganizationAsync("other", "他市");
        var editorToken = await app.CreateUserAsync("editor", "chiba", "editor", password: "pass-editor");
        var outsiderToken = await app.CreateUserAsync("outsider", "other", "editor");
        var editor = app.WithToken(editorToken);
        var outsider = app.WithToken(outsiderToken);
        var anonymous = app.Anonymous();
        var dataset = await editor.OkAsync("package_create", CatalogFixtures.Dataset("patients", "chiba"));
        var (status, created) = await editor.UploadAsync(dataset["id"]!.GetValue<string>(), "patients.csv", Csv);
        Assert.Equal(200, status);
        var rid = created["result"]!["id"]!.GetValue<string>();

        // a load makes CKAN's default table view; a reload does not add a second
        Assert.Equal("complete", (await app.WaitForJobAsync(rid))["status"]!.GetValue<string>());
        Assert.Equal("complete", (await app.LoadAndWaitAsync(rid))["status"]!.GetValue<string>());
        var views = (await anonymous.GetOkAsync("resource_view_list?id=" + rid)).AsArray();
        var table = Assert.Single(views)!;
        Assert.Equal("datatables_view", table["view_type"]!.GetValue<string>());
        Assert.Equal(dataset["id"]!.GetValue<string>(), table["package_id"]!.GetValue<string>());
        Assert.Equal(["id", "resource_id", "package_id", "title", "description", "view_type"], table.AsObject().Select(p => p.Key));

        // create: CKAN's dict (columns, the view type's keys, package_id; no order)
        var chart = await editor.OkAsync("resource_view_create", new { resource_id = rid, view_type = "chart_view", title = "日別の件数", chart_type = "count_per_day", date_column = "日付" });
        Assert.Equal("count_per_day", chart["chart_type"]!.GetValue<string>());
        Assert.Equal("日付", chart["date_column"]!.GetValue<string>());
        Assert.Null(chart["order"]);
        var chartId = chart["id"]!.GetValue<string>();
        Assert.Equal("日別の件数", (await anonymous.GetOkAsync("resource_view_show?id=" + chartId))["title"]!.GetValue<string>());

        // errors, in CKAN's shapes
        var (s1, e1) = await editor.ActionAsync("resource_view_create", new { view_type = "chart_view", title = "x" });
        Assert.Equal((409, "Validation Error"), (s1, e1["error"]!["__type"]!.GetValue<string>()));
        Assert.Equal("Missing value", e1["error"]!["resource_id"]![0]!.GetValue<string>());
        var (s2, e2) = await editor.ActionAsync("resource_view_create", new { resource_id = rid, view_type = "recline_view", title = "x" });
        Assert.Equal(409, s2);
        Assert.Equal("No plugin found for view_type recline_view", e2["error"]!["view_type"]![0]!.GetValue<string>());
        var (s3, e3) = await editor.ActionAsync("resource_view_create", new { resource_id = rid, view_type = "chart_view", title = "x", chart_type = "sum_per_day", date_column = "日付", value_column = "ない列" });
        Assert.Equal(409, s3);
        Assert.Contains("ない列", e3["error"]!["value_column"]![0]!.GetValue<string>());
        var (s4, e4) = await anonymous.ActionAsync("resource_view_show", new { id = "no-such-view" });
        Assert.Equal((404, "Not found"), (s4, e4["error"]!["message"]!.GetValue<string>()));
        var (s5, _) = await anonymous.ActionAsync("resource_view_list", new { id = "no-such-resource" });
        Assert.Equal(404, s5);

        // permissions: anonymous and another organization's editor may not write; only sysadmins clear
        Assert.Equal(403, (await anonymous.ActionAsync("resource_view_create", new { resource_id = rid, view_type = "image_view", title = "x" })).Status);
        Assert.Equal(403, (await outsider.ActionAsync("resource_view_create", new { resource_id = rid, view_type = "image_view", title = "x" })).Status);
        Assert.Equal(403, (await outsider.ActionAsync("resource_view_delete", new { id = chartId })).Status);
        Assert.Equal(403, (await editor.ActionAsync("resource_view_clear", new { })).Status);

        // update keeps the view type and replaces its keys; reorder puts the chart first
        var updated = await editor.OkAsync("resource_view_update", new { id = chartId, title = "区分別", view_type = "image_view", chart_type = "count_per_category", category_column = "区分" });
        Assert.Equal(("chart_view", "区分"), (updated["view_type"]!.GetValue<string>(), updated["category_column"]!.GetValue<string>()));
        Assert.Null(updated["date_column"]);
        var reordered = await editor.OkAsync("resource_view_reorder", new { id = rid, order = new[] { chartId } });
        Assert.Equal([chartId, table["id"]!.GetValue<string>()], reordered["order"]!.AsArray().Select(n => n!.GetValue<string>()));
        await editor.OkAsync("resource_view_create", new { resource_id = rid, view_type = "chart_view", title = "日別の合計", chart_type = "sum_per_day", date_column = "日付", value_column = "件数" });

        // the resource page: views in order, charts as SVG with their table alternative, no script needed
        var page = await anonymous.GetStringAsync($"/dataset/patients/resource/{rid}", TestContext.Current.CancellationToken);
        var category = page.IndexOf("区分別", StringComparison.Ordinal);
        var tableView = page.IndexOf("data-view-type=\"datatables_view\"", StringComparison.Ordinal);
        var sum = page.IndexOf("日別の合計", StringComparison.Ordinal);
        Assert.True(category > 0 && category < tableView && tableView < sum, "views out of order");
        Assert.Contains("role=\"img\"", page);
        Assert.Contains("<th scope=\"row\">東区</th><td>2</td>", page);
        Assert.Contains("<th scope=\"row\">2024-04-01</th><td>5</td>", page);
        Assert.DoesNotContain("グラフを追加", page); // only for editors

        // an editor adds a chart through the form, picking columns from the table's fields
        var browser = app.Anonymous();
        await browser.LoginAsync("editor", "pass-editor");
        var formUrl = $"/dataset/patients/resource/{rid}/view/new";
        Assert.Contains(formUrl, await browser.GetStringAsync($"/dataset/patients/resource/{rid}", TestContext.Current.CancellationToken));
        var form = await browser.GetStringAsync(formUrl, TestContext.Current.CancellationToken);
        Assert.Contains("<option value=\"件数\">", form);
        using (var missing = await browser.PostAsync(formUrl, Form(form, ("Title", "合計"), ("ChartType", "sum_per_day"), ("DateColumn", "日付")), TestContext.Current.CancellationToken))
        {
            Assert.Equal(400, (int)missing.StatusCode);
            Assert.Contains("field-value-error", await missing.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        using (var posted = await browser.PostAsync(formUrl, Form(form, ("Title", "フォームのグラフ"), ("ChartType", "count_per_day"), ("DateColumn", "日付")), TestContext.Current.CancellationToken))
        {
            // back to the resource page (a client on the real port follows the redirect)
            var landed = (int)posted.StatusCode == 302 ? posted.Headers.Location!.OriginalString : posted.RequestMessage!.RequestUri!.PathAndQuery;
            Assert.StartsWith($"/dataset/patients/resource/{rid}", landed);
        }

        Assert.Equal(4, (await anonymous.GetOkAsync("resource_view_list?id=" + rid)).AsArray().Count);
        Assert.Equal(403, (int)(await outsider.GetAsync(formUrl, TestContext.Current.CancellationToken)).StatusCode);

        // a private dataset's views are read by its organization only
        await editor.OkAsync("package_patch", new { id = "patients", @private = true });
        Assert.Equal(403, (await outsider.ActionAsync("resource_view_list", new { id = rid })).Status);
        Assert.Equal(4, (await editor.GetOkAsync("resource_view_list?id=" + rid)).AsArray().Count);

        // the real ckanapi client creates and deletes a view
        if (CkanapiBin() is { } bin)
        {
            var site = app.BaseAddress.ToString().TrimEnd('/');
            var made = JsonNode.Parse(await RunAsync(bin, "action", "resource_view_create", "resource_id=" + rid, "view_type=webpage_view", "title=説明ページ", "page_url=https://example.jp/", "-r", site, "-a", editorToken))!;
            Assert.Equal(("webpage_view", "https://example.jp/"), (made["view_type"]!.GetValue<string>(), made["page_url"]!.GetValue<string>()));
            await RunAsync(bin, "action", "resource_view_delete", "id=" + made["id"]!.GetValue<string>(), "-r", site, "-a", editorToken);
        }

        await admin.OkAsync("resource_view_clear", new { view_types = new[] { "chart_view" } });
        var left = Assert.Single((await admin.GetOkAsync("resource_view_list?id=" + rid)).AsArray())!;
        Assert.Equal("datatables_view", left["view_type"]!.GetValue<string>());

        // a purged dataset takes its resources' views with it
        await admin.OkAsync("dataset_purge", new { id = "patients" });
        using var scope = app.Services.CreateScope();
        Assert.Empty(scope.ServiceProvider.GetRequiredService<OpenGovDb>().Set<ResourceView>().Where(v => v.ResourceId == rid).ToList());
    }

    [Theory, Databases]
    public async Task Default_views_are_created_for_datastore_resources_once_as_ckan_does(Db db)
    {
        await using var app = await TestApp.StartAsync(db, kestrel: true);
        await app.CreateOrganizationAsync("chiba", "千葉市");
        await app.CreateOrganizationAsync("other", "他市");
        var editorToken = await app.CreateUserAsync("editor", "chiba", "editor");
        var editor = app.WithToken(editorToken);
        var outsider = app.WithToken(await app.CreateUserAsync("outsider", "other", "editor"));
        var dataset = await editor.OkAsync("package_create", CatalogFixtures.Dataset("patients", "chiba"));
        var datasetId = dataset["id"]!.GetValue<string>();
        var (status, created) = await editor.UploadAsync(datasetId, "patients.csv", Csv);
        Assert.Equal(200, status);
        var rid = created["result"]!["id"]!.GetValue<string>();
        Assert.Equal("complete", (await app.WaitForJobAsync(rid))["status"]!.GetValue<string>());
        var link = (await editor.OkAsync("resource_create", new { package_id = datasetId, url = "https://example.jp/a.pdf", name = "説明" }))["id"]!.GetValue<string>();
        var loaded = Assert.Single((await editor.GetOkAsync("resource_view_list?id=" + rid)).AsArray())!;
        await editor.OkAsync("resource_view_delete", new { id = loaded["id"]!.GetValue<string>() });

        // without create_datastore_views nothing is made (CKAN asks only the views that need no DataStore then)
        Assert.Empty((await editor.OkAsync("resource_create_default_resource_views", new { resource = new { id = rid } })).AsArray());
        var made = (await editor.OkAsync("resource_create_default_resource_views", new { resource = new { id = rid, package_id = datasetId }, create_datastore_views = true })).AsArray();
        var view = Assert.Single(made)!;
        Assert.Equal(["id", "resource_id", "package_id", "title", "description", "view_type"], view.AsObject().Select(p => p.Key));
        Assert.Equal(("datatables_view", "表", rid, datasetId), (view["view_type"]!.GetValue<string>(), view["title"]!.GetValue<string>(), view["resource_id"]!.GetValue<string>(), view["package_id"]!.GetValue<string>()));
        Assert.Empty((await editor.OkAsync("resource_create_default_resource_views", new { resource = new { id = rid }, create_datastore_views = "true" })).AsArray());
        Assert.Empty((await editor.OkAsync("resource_create_default_resource_views", new { resource = new { id = link }, create_datastore_views = true })).AsArray());
        Assert.Single((await editor.GetOkAsync("resource_view_list?id=" + rid)).AsArray());

        // errors and permissions in CKAN's shapes (resource_create's check; package_update's for the dataset)
        var (s1, e1) = await editor.ActionAsync("resource_create_default_resource_views", new { create_datastore_views = true });
        Assert.Equal((409, "Missing value"), (s1, e1["error"]!["resource"]![0]!.GetValue<string>()));
        Assert.Equal(404, (await editor.ActionAsync("resource_create_default_resource_views", new { resource = new { id = "no-such-resource" } })).Status);
        var (s2, e2) = await outsider.ActionAsync("resource_create_default_resource_views", new { resource = new { id = rid }, create_datastore_views = true });
        Assert.Equal(403, s2);
        Assert.Contains("not authorized to create resources on dataset", e2["error"]!["message"]!.GetValue<string>());
        Assert.Equal(403, (await app.Anonymous().ActionAsync("resource_create_default_resource_views", new { resource = new { id = rid } })).Status);
        var (s3, e3) = await outsider.ActionAsync("package_create_default_resource_views", new { package = new { id = datasetId }, create_datastore_views = true });
        Assert.Equal(403, s3);
        Assert.Contains("not authorized to edit package", e3["error"]!["message"]!.GetValue<string>());
        Assert.Equal(409, (await editor.ActionAsync("package_create_default_resource_views", new { create_datastore_views = true })).Status);
        Assert.Equal(404, (await editor.ActionAsync("package_create_default_resource_views", new { package = new { id = "no-such-dataset" } })).Status);

        // package_create_default_resource_views walks the dict's resources (package_show's), once
        await app.Admin().OkAsync("resource_view_clear", new { view_types = new[] { "datatables_view" } });
        var package = await editor.OkAsync("package_show", new { id = "patients" });
        var forPackage = (await editor.OkAsync("package_create_default_resource_views", new JsonObject { ["package"] = package.DeepClone(), ["create_datastore_views"] = true })).AsArray();
        Assert.Equal(rid, Assert.Single(forPackage)!["resource_id"]!.GetValue<string>());
        Assert.Empty((await editor.OkAsync("package_create_default_resource_views", new JsonObject { ["package"] = package.DeepClone(), ["create_datastore_views"] = true })).AsArray());

        // the real ckanapi client, as xloader calls it after a load
        if (CkanapiBin() is { } bin)
        {
            await app.Admin().OkAsync("resource_view_clear", new { });
            var site = app.BaseAddress.ToString().TrimEnd('/');
            var output = JsonNode.Parse(await RunAsync(bin, "action", "resource_create_default_resource_views", "resource:{\"id\": \"" + rid + "\"}", "create_datastore_views:true", "-r", site, "-a", editorToken))!;
            Assert.Equal("datatables_view", Assert.Single(output.AsArray())!["view_type"]!.GetValue<string>());
            Assert.Empty(JsonNode.Parse(await RunAsync(bin, "action", "package_create_default_resource_views", "package:{\"id\": \"patients\", \"resources\": [{\"id\": \"" + rid + "\"}]}", "create_datastore_views=true", "-r", site, "-a", editorToken))!.AsArray());
        }
    }

    private static FormUrlEncodedContent Form(string page, params (string Key, string Value)[] fields) =>
        new([new("__RequestVerificationToken", CatalogFixtures.AntiforgeryToken(page)), .. fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value))]);

    /// <summary>The vendored ckanapi's bin directory when /usr/bin/python3 has its modules (.ci/run installs them).</summary>
    private static string? CkanapiBin()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "tests", "tools", "ckanapi")))
        {
            dir = dir.Parent;
        }

        if (dir is null || !File.Exists(Python))
        {
            return null;
        }

        using var check = Process.Start(new ProcessStartInfo(Python, ["-c", "import requests, docopt, simplejson, slugify"]) { RedirectStandardError = true })!;
        check.WaitForExit();
        return check.ExitCode == 0 ? Path.Combine(dir.FullName, "tests", "tools", "ckanapi", "bin") : null;
    }

    private static async Task<string> RunAsync(string bin, params string[] args)
    {
        var start = new ProcessStartInfo(Python, [Path.Combine(bin, "ckanapi"), .. args]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["PATH"] = bin + ":/usr/bin:/bin";
        start.Environment.Remove("PYTHONHOME");
        start.Environment.Remove("PYTHONPATH");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        var output = await stdout;
        Assert.True(process.ExitCode == 0, $"ckanapi {args[1]} exited {process.ExitCode}:\n{output}\n{await stderr}");
        return output;
    }
}
