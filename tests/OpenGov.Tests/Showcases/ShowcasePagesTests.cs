using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Showcases;

/// <summary>The showcase pages: list and search, a showcase with its datasets, the dataset page's list, the publisher form without JavaScript.</summary>
public class ShowcasePagesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(int Status, string Html, string? Location)> PostFormAsync(HttpClient client, string path, Dictionary<string, string> fields, string formPage)
    {
        var page = await client.GetStringAsync(formPage, Ct);
        fields["__RequestVerificationToken"] = CatalogFixtures.AntiforgeryToken(page);
        using var response = await client.PostAsync(path, new FormUrlEncodedContent(fields), Ct);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(Ct), response.Headers.Location?.OriginalString);
    }

    [Theory, Databases]
    public async Task Demo_showcases_link_to_the_tokyo_datasets_and_back(Db db)
    {
        await using var app = await TestApp.StartAsync(db, new Dictionary<string, string?> { ["OpenGov:Demo"] = "true" });
        var client = app.Anonymous();

        var list = await client.GetStringAsync("/showcase", Ct);
        Assert.Contains("href=\"/showcase\">活用事例</a>", list); // the nav link
        Assert.Contains("東京都 新型コロナウイルス感染症対策サイト", list);
        Assert.Contains("相談件数から見る感染の波", list);
        var search = await client.GetStringAsync("/showcase?q=" + Uri.EscapeDataString("対策サイト"), Ct);
        Assert.Contains("/showcase/tokyo-stopcovid19", search);
        Assert.DoesNotContain("/showcase/tokyo-covid19-consultation-report", search);

        var page = await client.GetStringAsync("/showcase/tokyo-stopcovid19", Ct);
        Assert.Contains("href=\"https://stopcovid19.metro.tokyo.lg.jp/\"", page);
        Assert.Contains("src=\"/img/showcases/stopcovid19.svg\"", page);
        Assert.Contains("href=\"/dataset/130001-tokyo-covid19-patients\"", page);
        Assert.Contains("href=\"/dataset/130001-tokyo-covid19-call-center\"", page);
        Assert.DoesNotContain("/showcase/edit/", page); // readers get no edit link

        var dataset = await client.GetStringAsync("/dataset/130001-tokyo-covid19-patients", Ct);
        Assert.Contains("このデータを使った活用事例", dataset);
        Assert.Contains("href=\"/showcase/tokyo-stopcovid19\"", dataset);
        Assert.Contains("href=\"/showcase/tokyo-covid19-dashboard\"", dataset);

        using var missing = await client.GetAsync("/showcase/no-such-showcase", Ct);
        Assert.Equal(404, (int)missing.StatusCode);

        var en = await app.Anonymous().GetStringAsync("/showcase/tokyo-stopcovid19?lang=en", Ct);
        Assert.Contains("Datasets used", en);
        Assert.Contains("Open the app or site", en);
    }

    [Theory, Databases]
    public async Task A_showcase_admin_creates_edits_and_deletes_a_showcase_with_the_form(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await ShowcaseActionsTests.SeedCatalogAsync(app);
        await app.CreateUserAsync("curator", password: "pass-curator");
        await app.CreateUserAsync("editor", "tokyo", "editor", password: "pass-editor");
        await app.Admin().OkAsync("ckanext_showcase_admin_add", new { username = "curator" });

        using (var anonymous = await app.Anonymous().GetAsync("/showcase/new", Ct))
        {
            Assert.Equal(302, (int)anonymous.StatusCode);
            Assert.Contains("/user/login", anonymous.Headers.Location!.OriginalString);
        }

        var editor = app.Anonymous();
        await editor.LoginAsync("editor", "pass-editor");
        using (var refused = await editor.GetAsync("/showcase/new", Ct))
        {
            Assert.Equal(403, (int)refused.StatusCode);
        }

        var curator = app.Anonymous();
        await curator.LoginAsync("curator", "pass-curator");
        var form = await curator.GetStringAsync("/showcase/new?dataset=patients", Ct);
        Assert.Contains(">patients</textarea>", form);

        // bad input: errors in Japanese beside their fields, nothing created
        var (bad, html, _) = await PostFormAsync(curator, "/showcase/new", new()
        {
            ["Title"] = "アプリ",
            ["Name"] = "Bad Name",
            ["Url"] = "javascript:alert(1)",
            ["AddDatasets"] = "patients\nno-such-dataset",
        }, "/showcase/new");
        Assert.Equal(422, bad);
        Assert.Contains("半角の英小文字・数字と記号「-」「_」だけで入力してください。", html);
        Assert.Contains("http:// または https:// で始まる正しいURLを入力してください。", html);
        Assert.Contains("データセット「no-such-dataset」が見つかりません。", html);
        Assert.Contains("aria-invalid=\"true\"", html);
        Assert.Empty((await app.Anonymous().GetOkAsync("ckanext_showcase_list")).AsArray());

        var (created, _, location) = await PostFormAsync(curator, "/showcase/new", new()
        {
            ["Title"] = "子育てマップ",
            ["Name"] = "kosodate-map",
            ["Url"] = "https://example.jp/map",
            ["Notes"] = "保育園の**空き状況**を地図で",
            ["TagString"] = "子育て, 地図",
            ["AddDatasets"] = "patients\ncall-center",
        }, "/showcase/new");
        Assert.Equal(302, created);
        Assert.Equal("/showcase/kosodate-map", location);
        var shown = await app.Anonymous().GetOkAsync("ckanext_showcase_show?id=kosodate-map");
        Assert.Equal(2, shown["num_datasets"]!.GetValue<int>());
        Assert.Equal(2, shown["num_tags"]!.GetValue<int>());

        // edit: untick one dataset, rename
        var edit = await curator.GetStringAsync("/showcase/edit/kosodate-map", Ct);
        Assert.Contains("name=\"Keep\" value=\"patients\" checked", edit);
        var (saved, _, savedAt) = await PostFormAsync(curator, "/showcase/edit/kosodate-map", new()
        {
            ["Title"] = "子育てマップ",
            ["Name"] = "kosodate",
            ["Url"] = "https://example.jp/map",
            ["Keep"] = "call-center",
        }, "/showcase/edit/kosodate-map");
        Assert.Equal(302, saved);
        Assert.Equal("/showcase/kosodate", savedAt);
        var datasets = (await app.Anonymous().GetOkAsync("ckanext_showcase_package_list?showcase_id=kosodate")).AsArray();
        Assert.Equal(["call-center"], datasets.Select(d => d!["name"]!.GetValue<string>()));

        // delete needs the confirmation
        var (unconfirmed, refusedHtml, _) = await PostFormAsync(curator, "/showcase/edit/kosodate?handler=Delete", new(), "/showcase/edit/kosodate");
        Assert.Equal(422, unconfirmed);
        Assert.Contains("削除する場合は確認のチェックを入れてください。", refusedHtml);
        var (deleted, deletedHtml, after) = await PostFormAsync(curator, "/showcase/edit/kosodate?handler=Delete", new() { ["ConfirmDelete"] = "true" }, "/showcase/edit/kosodate");
        Assert.True(deleted == 302, deleted + " " + deletedHtml[..Math.Min(deletedHtml.Length, 3000)]);
        Assert.Equal("/showcase", after);
        Assert.Empty((await app.Anonymous().GetOkAsync("ckanext_package_showcase_list?package_id=call-center")).AsArray());
    }
}
