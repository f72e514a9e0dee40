using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using OpenGov.DataStore;
using OpenGov.Hosting;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Hosting;

/// <summary>
/// A full disk: uploads and loads answer 507 in each API's shape with the reason in Japanese and English, nothing
/// partial is left, and /healthz reports degraded storage. The minimum free space is set above the real free space.
/// </summary>
public class FullDiskTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // a petabyte: more than any test machine has free
    private static readonly Dictionary<string, string?> NoRoom = new() { ["OpenGov:MinFreeDiskMegabytes"] = "1000000000" };

    private static readonly byte[] Csv = Encoding.UTF8.GetBytes("名前,人数\n中央区,10\n港区,20\n");

    [Theory, Databases]
    public async Task Below_the_minimum_free_space_uploads_answer_507_and_leave_nothing(Db db)
    {
        await using var app = await TestApp.StartAsync(db, NoRoom);
        await app.CreateOrganizationAsync("chiba", "千葉市");
        var admin = app.Admin();
        await admin.OkAsync("package_create", new { name = "shelters", title = "避難所", owner_org = "chiba" });
        var link = await admin.OkAsync("resource_create", new { package_id = "shelters", url = "https://example.jp/a.csv", name = "リンク" });

        // /healthz stays 200 (the node still serves) but says Degraded
        using (var health = await app.Anonymous().GetAsync("/healthz", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Equal("Degraded", await health.Content.ReadAsStringAsync(Ct));
        }

        // a new upload and a replacing upload: CKAN's envelope with 507, in English and Japanese
        var (created, body) = await admin.UploadAsync("shelters", "hinanjo.csv", Csv);
        AssertStorageFull(created, body);
        var (replaced, body2) = await admin.UploadAsync(link["id"]!.GetValue<string>(), "hinanjo.csv", Csv, action: "resource_update");
        AssertStorageFull(replaced, body2);

        // DataStore writes and loads too
        var (dsCreate, body3) = await admin.ActionAsync("datastore_create", new { resource_id = link["id"]!.GetValue<string>(), records = new[] { new { a = 1 } } });
        AssertStorageFull(dsCreate, body3);
        var (load, body4) = await admin.ActionAsync("datastore_load", new { resource_id = link["id"]!.GetValue<string>() });
        AssertStorageFull(load, body4);

        // nothing partial: one resource (the link, unchanged), no stored file, no table
        var package = await admin.OkAsync("package_show", new { id = "shelters" });
        var resources = package["resources"]!.AsArray();
        Assert.Single(resources);
        Assert.Equal("https://example.jp/a.csv", resources[0]!["url"]!.GetValue<string>());
        var uploads = Path.Combine(app.DataDirectory, "uploads");
        Assert.Empty(Directory.Exists(uploads) ? Directory.EnumerateFiles(uploads, "*", SearchOption.AllDirectories) : []);
        Assert.Equal(404, (await admin.ActionAsync("datastore_info", new { id = link["id"]!.GetValue<string>() })).Status);

        // the publisher's page says so in the user's language, with 507
        await app.CreateUserAsync("hanako", "chiba", "editor", password: "secret-pw");
        var browser = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await browser.LoginAsync("hanako", "secret-pw");
        foreach (var (lang, expected) in new[] { ("", StorageFullException.MessageJapanese), ("?lang=en", StorageFullException.MessageEnglish) })
        {
            var page = await browser.GetStringAsync("/dataset/shelters/resource/new" + lang, Ct);
            using var form = new MultipartFormDataContent
            {
                { new StringContent(CatalogFixtures.AntiforgeryToken(page)), "__RequestVerificationToken" },
                { new StringContent("避難所"), "ResourceName" },
            };
            var file = new ByteArrayContent(Csv);
            file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            form.Add(file, "Upload", "hinanjo.csv");
            using var post = await browser.PostAsync("/dataset/shelters/resource/new" + lang, form, Ct);
            Assert.Equal(HttpStatusCode.InsufficientStorage, post.StatusCode);
            Assert.Contains(expected, WebUtility.HtmlDecode(await post.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
        }

        Assert.Single((await admin.OkAsync("package_show", new { id = "shelters" }))["resources"]!.AsArray());
    }

    [Theory, Databases]
    public async Task A_load_queued_before_the_disk_filled_fails_at_once_with_the_reason(Db db)
    {
        await using var app = await TestApp.StartAsync(db, NoRoom);
        var (_, datasetId) = await app.DatasetAsync();
        var resourceId = await app.UploadAsync(datasetId, "counts.csv", Csv); // the file was stored while there was room
        await app.Services.GetRequiredService<IDataStoreLoader>().EnqueueAsync(resourceId, Ct);

        var job = await app.WaitForJobAsync(resourceId);
        Assert.Equal("error", job["status"]!.GetValue<string>());
        Assert.Contains("disk space", job["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("空き容量", job["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(404, (await app.Admin().ActionAsync("datastore_info", new { id = resourceId })).Status);
    }

    [Fact]
    public void Out_of_space_errors_of_the_file_system_and_both_databases_are_recognised()
    {
        Assert.True(StorageSpace.IsDiskFull(new IOException("No space left on device", 28)));
        Assert.True(StorageSpace.IsDiskFull(new InvalidOperationException("wrapped", new IOException("Disk quota exceeded", 122))));
        Assert.True(StorageSpace.IsDiskFull(new IOException("disk full", unchecked((int)0x80070070))));
        Assert.True(StorageSpace.IsDiskFull(new SqliteException("database or disk is full", 13)));
        Assert.True(StorageSpace.IsDiskFull(new Npgsql.PostgresException("could not extend file", "ERROR", "ERROR", "53100")));
        Assert.False(StorageSpace.IsDiskFull(new IOException("Permission denied", 13)));
        Assert.False(StorageSpace.IsDiskFull(new SqliteException("constraint", 19)));
    }

    private static void AssertStorageFull(int status, JsonObject body)
    {
        Assert.True(status == 507, $"expected 507, got {status}: {body.ToJsonString()}");
        Assert.False(body["success"]!.GetValue<bool>());
        Assert.Equal("Insufficient Storage", body["error"]!["__type"]!.GetValue<string>());
        Assert.Equal(StorageFullException.MessageEnglish, body["error"]!["message"]!.GetValue<string>());
        Assert.Equal(StorageFullException.MessageJapanese, body["error"]!["message_ja"]!.GetValue<string>());
    }
}
