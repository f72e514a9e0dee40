using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenGov.Storage;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Catalog;

/// <summary>The publisher screens: login, dashboard, dataset and resource forms (no JavaScript: plain form posts).</summary>
public class EditingPagesTests
{
    private static async Task<HttpClient> EditorAsync(TestApp app, string org = "chiba", string user = "hanako")
    {
        await app.CreateUserAsync(user, org, "editor", password: "pass-" + user, email: user + "@example.jp");
        var client = app.Anonymous();
        await client.LoginAsync(user, "pass-" + user);
        return client;
    }

    private static async Task<(int Status, string Html, string? Location)> PostFormAsync(HttpClient client, string path, Dictionary<string, string> fields, string? formPage = null)
    {
        var page = await client.GetStringAsync(formPage ?? path);
        fields["__RequestVerificationToken"] = CatalogFixtures.AntiforgeryToken(page);
        using var response = await client.PostAsync(path, new FormUrlEncodedContent(fields));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location?.OriginalString);
    }

    [Theory, Databases]
    public async Task Login_accepts_name_or_email_and_explains_a_failure(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("chiba", "千葉市");
        await app.CreateUserAsync("hanako", "chiba", "editor", password: "secret-pw", email: "hanako@example.jp");
        var client = app.Anonymous();

        var page = await client.GetStringAsync("/user/login", TestContext.Current.CancellationToken);
        Assert.Contains("<label for=\"field-login\">", page);
        Assert.Contains("<label for=\"field-password\">", page);

        var (status, html, _) = await PostFormAsync(client, "/user/login", new() { ["Login"] = "hanako", ["Password"] = "wrong" });
        Assert.Equal(400, status);
        Assert.Contains("ユーザー名（またはメールアドレス）かパスワードが正しくありません。", html);
        Assert.Contains("aria-invalid=\"true\"", html);

        var (ok, _, location) = await PostFormAsync(client, "/user/login?ReturnUrl=%2Fdataset%2Fnew", new() { ["Login"] = "hanako@example.jp", ["Password"] = "secret-pw", ["ReturnUrl"] = "/dataset/new" });
        Assert.Equal(302, ok);
        Assert.Equal("/dataset/new", location);
        using var dashboard = await client.GetAsync("/dashboard/datasets", TestContext.Current.CancellationToken);
        Assert.Equal(200, (int)dashboard.StatusCode);

        // no open redirect
        var other = app.Anonymous();
        var (_, _, offsite) = await PostFormAsync(other, "/user/login", new() { ["Login"] = "hanako", ["Password"] = "secret-pw", ["ReturnUrl"] = "//evil.example/" });
        Assert.Equal("/dashboard/datasets", offsite);
    }

    [Theory, Databases]
    public async Task Login_without_antiforgery_token_is_refused(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateUserAsync("hanako", password: "secret-pw");
        using var response = await app.Anonymous().PostAsync("/user/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["Login"] = "hanako", ["Password"] = "secret-pw" }), TestContext.Current.CancellationToken);
        Assert.Equal(400, (int)response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie") && response.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("opengov_auth", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Repeated_failed_logins_are_slowed_down()
    {
        await using var app = await TestApp.StartAsync(Db.Sqlite);
        await app.CreateUserAsync("hanako", password: "secret-pw");
        var client = app.Anonymous();
        var token = CatalogFixtures.AntiforgeryToken(await client.GetStringAsync("/user/login", TestContext.Current.CancellationToken));
        // a bucket of 30 attempts per address, refilled at 10 a minute (continuously: one every 6 s), so a slow run
        // (password hashing on a busy machine) earns a few more attempts before the first 429
        var statuses = new List<int>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (statuses.Count < 100 && (statuses.Count == 0 || statuses[^1] != 429))
        {
            using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["Login"] = "hanako", ["Password"] = "guess" + statuses.Count, ["__RequestVerificationToken"] = token });
            using var response = await client.PostAsync("/user/login", form, TestContext.Current.CancellationToken);
            statuses.Add((int)response.StatusCode);
        }

        Assert.Equal(429, statuses[^1]);
        var refused = statuses.Count - 1;
        Assert.All(statuses.Take(refused), s => Assert.Equal(400, s));
        Assert.InRange(refused, 30, 30 + 1 + (int)(clock.Elapsed.TotalSeconds / 6));
        using var page = await client.GetAsync("/user/login", TestContext.Current.CancellationToken);
        Assert.Equal(200, (int)page.StatusCode);
    }

    [Theory, Databases]
    public async Task Logout_ends_the_cookie_session(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("chiba");
        var client = await EditorAsync(app);
        var (status, _, location) = await PostFormAsync(client, "/user/logout", [], formPage: "/dashboard/datasets");
        Assert.Equal(302, status);
        Assert.Equal("/", location);
        using var after = await client.GetAsync("/dashboard/datasets", TestContext.Current.CancellationToken);
        Assert.Equal(302, (int)after.StatusCode);
        Assert.StartsWith("http://localhost/user/login", after.Headers.Location!.ToString());
    }

    [Theory, Databases]
    public async Task Dashboard_lists_the_organizations_datasets_with_edit_links(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("chiba", "千葉市");
        await app.CreateOrganizationAsync("nara", "奈良市");
        await app.Admin().OkAsync("package_create", CatalogFixtures.Dataset("chiba-budget", "chiba", isPrivate: true));
        await app.Admin().OkAsync("package_create", CatalogFixtures.Dataset("nara-budget", "nara"));
        var client = await EditorAsync(app);

        var html = await client.GetStringAsync("/dashboard/datasets", TestContext.Current.CancellationToken);
        Assert.Contains("href=\"/dataset/edit/chiba-budget\"", html);
        Assert.Contains("href=\"/dataset/chiba-budget/resource/new\"", html);
        Assert.DoesNotContain("nara-budget", html);
        Assert.Contains("href=\"/dataset/new\"", html);

        using var anonymous = await app.Anonymous().GetAsync("/dashboard/datasets", TestContext.Current.CancellationToken);
        Assert.Equal(302, (int)anonymous.StatusCode);

        // a plain member sees the dashboard but is told why there is no form
        await app.CreateUserAsync("reader", "chiba", "member", password: "pass-reader");
        var member = app.Anonymous();
        await member.LoginAsync("reader", "pass-reader");
        Assert.Contains("chiba-budget", await member.GetStringAsync("/dashboard/datasets", TestContext.Current.CancellationToken));
        using var form = await member.GetAsync("/dataset/new", TestContext.Current.CancellationToken);
        Assert.Equal(403, (int)form.StatusCode);
        Assert.Contains("編集者として追加してもらってください", await form.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Theory, Databases]
    public async Task New_dataset_form_creates_through_the_same_rules_as_the_api(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("chiba", "千葉市");
        await app.CreateOrganizationAsync("nara", "奈良市");
        var client = await EditorAsync(app);
        var chibaId = (await app.Anonymous().OkAsync("organization_show", new { id = "chiba" }))["id"]!.GetValue<string>();

        var form = await client.GetStringAsync("/dataset/new", TestContext.Current.CancellationToken);
        Assert.Contains("千葉市", form);
        Assert.DoesNotContain("奈良市", form); // only organizations the user may publish in
        Assert.Contains("cc-by-4.0", form);

        var fields = new Dictionary<string, string>
        {
            ["Title"] = "避難所一覧",
            ["Name"] = "Bad Name",
            ["Notes"] = "**市内**の避難所",
            ["TagString"] = "防災, 避難所、x",
            ["LicenseId"] = "cc-by-4.0",
            ["OwnerOrg"] = chibaId,
            ["Private"] = "true",
        };
        var (status, html, _) = await PostFormAsync(client, "/dataset/new", new(fields));
        Assert.Equal(400, status);
        Assert.Contains("id=\"error-summary\"", html);
        Assert.Contains("href=\"#field-name\"", html);
        Assert.Contains("半角の英小文字・数字と記号「-」「_」だけで入力してください。", html);
        Assert.Contains("タグ「x」は2文字以上にしてください。", html);
        Assert.Matches("id=\"field-name\"[^>]*aria-invalid=\"true\"", html);
        Assert.Contains("value=\"避難所一覧\"", html); // what was typed is kept

        var (en, enHtml, _) = await PostFormAsync(client, "/dataset/new?lang=en", new(fields));
        Assert.Equal(400, en);
        Assert.Contains("Must be purely lowercase alphanumeric (ascii) characters and these symbols: -_", enHtml);

        fields["Name"] = "shelters";
        fields["TagString"] = "防災, 避難所";
        var (created, _, location) = await PostFormAsync(client, "/dataset/new", new(fields));
        Assert.Equal(302, created);
        Assert.Equal("/dataset/shelters", location);
        var show = await app.Admin().OkAsync("package_show", new { id = "shelters" });
        Assert.True(show["private"]!.GetValue<bool>());
        Assert.Equal("避難所一覧", show["title"]!.GetValue<string>());
        Assert.Equal("cc-by-4.0", show["license_id"]!.GetValue<string>());
        Assert.Equal(2, show["num_tags"]!.GetValue<int>());
        Assert.Equal("hanako", (await app.Admin().OkAsync("user_show", new { id = show["creator_user_id"]!.GetValue<string>() }))["name"]!.GetValue<string>());

        var (clash, clashHtml, _) = await PostFormAsync(client, "/dataset/new", new(fields));
        Assert.Equal(400, clash);
        Assert.Contains("このURL名は既に使われています。", clashHtml);
    }

    [Theory, Databases]
    public async Task Edit_form_changes_the_fields_and_keeps_resources(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("chiba", "千葉市");
        await app.CreateOrganizationAsync("nara", "奈良市");
        var data = CatalogFixtures.Dataset("budget", "chiba");
        data["resources"] = new JsonArray(new JsonObject { ["url"] = "https://example.jp/budget.csv" });
        data["extras"] = new JsonArray(new JsonObject { ["key"] = "spatial", ["value"] = "千葉市" });
        var created = await app.Admin().OkAsync("package_create", data);
        var client = await EditorAsync(app);

        var form = await client.GetStringAsync("/dataset/edit/budget", TestContext.Current.CancellationToken);
        Assert.Contains("value=\"テスト budget\"", form);
        var (status, _, location) = await PostFormAsync(client, "/dataset/edit/budget", new()
        {
            ["Title"] = "令和2年度 予算",
            ["Name"] = "budget-r2",
            ["Notes"] = "更新",
            ["TagString"] = "財政",
            ["LicenseId"] = "pdl-1.0",
            ["OwnerOrg"] = created["owner_org"]!.GetValue<string>(),
            ["Private"] = "false",
        });
        Assert.Equal(302, status);
        Assert.Equal("/dataset/budget-r2", location);
        var show = await app.Admin().OkAsync("package_show", new { id = created["id"]!.GetValue<string>() });
        Assert.Equal("令和2年度 予算", show["title"]!.GetValue<string>());
        Assert.Equal("budget-r2", show["name"]!.GetValue<string>());
        Assert.Single(show["resources"]!.AsArray());
        Assert.Single(show["extras"]!.AsArray());
        Assert.Equal("財政", show["tags"]![0]!["name"]!.GetValue<string>());

        var outsider = await EditorAsync(app, "nara", "taro");
        using var refused = await outsider.GetAsync("/dataset/edit/budget-r2", TestContext.Current.CancellationToken);
        Assert.Equal(403, (int)refused.StatusCode);
        using var missing = await client.GetAsync("/dataset/edit/no-such", TestContext.Current.CancellationToken);
        Assert.Equal(404, (int)missing.StatusCode);
    }

    [Theory, Databases]
    public async Task Delete_from_the_edit_page_needs_confirmation(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("chiba");
        await app.Admin().OkAsync("package_create", CatalogFixtures.Dataset("old", "chiba"));
        var client = await EditorAsync(app);
        var (unconfirmed, html, _) = await PostFormAsync(client, "/dataset/edit/old?handler=Delete", [], formPage: "/dataset/edit/old");
        Assert.Equal(400, unconfirmed);
        Assert.Contains("削除する場合は確認のチェックを入れてください。", html);
        var (deleted, _, location) = await PostFormAsync(client, "/dataset/edit/old?handler=Delete", new() { ["ConfirmDelete"] = "true" }, formPage: "/dataset/edit/old");
        Assert.Equal(302, deleted);
        Assert.Equal("/dashboard/datasets", location);
        Assert.Equal("deleted", (await app.Admin().OkAsync("package_show", new { id = "old" }))["state"]!.GetValue<string>());
    }

    [Theory, Databases]
    public async Task Resource_form_uploads_a_file_with_or_without_javascript(Db db)
    {
        await using var app = await TestApp.StartAsync(db, new Dictionary<string, string?> { ["OpenGov:MaxUploadBytes"] = "2048" });
        await app.CreateOrganizationAsync("chiba");
        await app.Admin().OkAsync("package_create", CatalogFixtures.Dataset("files", "chiba"));
        var client = await EditorAsync(app);
        var page = await client.GetStringAsync("/dataset/files/resource/new", TestContext.Current.CancellationToken);
        Assert.Contains("enctype=\"multipart/form-data\"", page);
        Assert.Contains("<progress", page);
        var token = CatalogFixtures.AntiforgeryToken(page);

        async Task<HttpResponseMessage> PostAsync(byte[]? file, string fileName, bool xhr, string url = "")
        {
            var form = new MultipartFormDataContent
            {
                { new StringContent(token), "__RequestVerificationToken" },
                { new StringContent(url), "LinkUrl" },
                { new StringContent("人口データ"), "ResourceName" },
                { new StringContent(""), "Format" },
            };
            if (file is not null)
            {
                var content = new ByteArrayContent(file);
                content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
                form.Add(content, "Upload", fileName);
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, "/dataset/files/resource/new") { Content = form };
            if (xhr)
            {
                request.Headers.Add("X-Requested-With", "XMLHttpRequest");
            }

            return await client.SendAsync(request, TestContext.Current.CancellationToken);
        }

        using (var plain = await PostAsync("a,b\n1,2\n"u8.ToArray(), "人口.csv", xhr: false))
        {
            Assert.Equal(302, (int)plain.StatusCode);
            Assert.Equal("/dataset/files", plain.Headers.Location!.OriginalString);
        }

        using (var script = await PostAsync("a,b\n3,4\n"u8.ToArray(), "second.xlsx", xhr: true))
        {
            Assert.Equal(200, (int)script.StatusCode);
            Assert.Equal("/dataset/files", JsonNode.Parse(await script.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!["redirect"]!.GetValue<string>());
        }

        using (var nothing = await PostAsync(null, "", xhr: false))
        {
            Assert.Equal(400, (int)nothing.StatusCode);
            Assert.Contains("ファイルを選ぶか、URLを入力してください。", await nothing.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        using (var big = await PostAsync(new byte[4096], "big.csv", xhr: true))
        {
            Assert.Equal(400, (int)big.StatusCode);
            Assert.Contains("ファイルが大きすぎます。", await big.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        using (var link = await PostAsync(null, "", xhr: false, url: "javascript:alert(1)"))
        {
            Assert.Equal(400, (int)link.StatusCode);
            Assert.Contains("http:// または https:// で始まる正しいURLを入力してください。", await link.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        var show = await app.Admin().OkAsync("package_show", new { id = "files" });
        var resources = show["resources"]!.AsArray();
        Assert.Equal(2, resources.Count);
        Assert.Equal("CSV", resources[0]!["format"]!.GetValue<string>());
        Assert.Equal("XLSX", resources[1]!["format"]!.GetValue<string>());
        Assert.Equal("人口データ", resources[0]!["name"]!.GetValue<string>());
        Assert.Equal(2, Directory.EnumerateFiles(Path.Combine(app.DataDirectory, "uploads"), "*", SearchOption.AllDirectories).Count());
    }

    [Theory, Databases]
    public async Task Demo_editor_is_seeded_as_editor_of_chiba(Db db)
    {
        await using var app = await TestApp.StartAsync(db, new Dictionary<string, string?> { ["OpenGov:Demo"] = "true" });
        using (var scope = app.Services.CreateScope())
        {
            var store = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
            var user = await store.Users.SingleAsync(u => u.Name == "demo-editor", TestContext.Current.CancellationToken);
            var chiba = await store.Organizations.SingleAsync(o => o.Name == "chiba", TestContext.Current.CancellationToken);
            var membership = await store.OrganizationRoles.SingleAsync(m => m.UserId == user.Id, TestContext.Current.CancellationToken);
            Assert.Equal(chiba.Id, membership.OrganizationId);
            Assert.Equal("editor", membership.Role);

            // idempotent: a second run adds nothing
            await new OpenGov.Catalog.Editing.DemoEditorSeeder().SeedAsync(scope.ServiceProvider, TestContext.Current.CancellationToken);
            Assert.Equal(1, await store.Users.CountAsync(u => u.Name == "demo-editor", TestContext.Current.CancellationToken));
            Assert.Equal(1, await store.OrganizationRoles.CountAsync(m => m.UserId == user.Id, TestContext.Current.CancellationToken));
        }

        var client = app.Anonymous();
        await client.LoginAsync("demo-editor", "opengov-demo");
        var form = await client.GetStringAsync("/dataset/new", TestContext.Current.CancellationToken);
        Assert.Contains("千葉市", form);
    }
}
