using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenGov.Council.Contests;
using OpenGov.Storage;
using OpenGov.Tests.Infrastructure;
using static OpenGov.Tests.Council.ContestTestKit;

namespace OpenGov.Tests.Council;

/// <summary>Entry files on disk: the total an entry may take, and no file left behind when its entry or contest goes.</summary>
public sealed class EntryFileStorageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A PDF of about <paramref name="kb"/> KB.</summary>
    private static byte[] Pdf(int kb) => [.. "%PDF-1.4\n"u8, .. new byte[kb * 1024]];

    private static async Task<(int Status, JsonNode? Body)> UploadAsync(HttpClient client, string url, string name, byte[] bytes)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", name } };
        using var r = await client.PostAsync(url, form, Ct);
        var text = await r.Content.ReadAsStringAsync(Ct);
        return ((int)r.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private static int StoredFiles(TestApp app)
    {
        var uploads = Path.Combine(app.DataDirectory, "uploads");
        return Directory.Exists(uploads) ? Directory.EnumerateFiles(uploads, "*", SearchOption.AllDirectories).Count() : 0;
    }

    [Theory, Databases]
    public async Task Files_past_the_entrys_total_are_refused_in_the_users_language_and_nothing_is_stored(Db db)
    {
        await using var app = await TestApp.StartAsync(db, new Dictionary<string, string?> { ["OpenGov:MaxContestEntryMegabytes"] = "1" });
        var secretary = await app.SecretaryAsync();
        await secretary.CreateContestAsync();
        var entrant = app.WithToken((await app.CreateEventUserAsync("entrant")).Token);
        var entry = await entrant.EnterAsync("混雑予報");
        var files = $"/api/council/contests/{Slug}/entries/{entry}/files";

        Assert.Equal(201, (await UploadAsync(entrant, files, "one.pdf", Pdf(600))).Status);
        var (status, why) = await UploadAsync(entrant, files, "two.pdf", Pdf(600));
        Assert.Equal(400, status);
        Assert.Equal("file", why!["field"]!.GetValue<string>());
        Assert.Equal("添付ファイルは1件の応募に合計1MBまでです（添付済み 0.6MB）。", why["error"]!.GetValue<string>());
        var (_, en) = await UploadAsync(entrant, files + "?lang=en", "two.pdf", Pdf(600));
        Assert.Equal("The files of an entry may take at most 1 MB in all (0.6 MB attached already).", en!["error"]!.GetValue<string>());
        Assert.Single((await entrant.GetJsonAsync(files)).AsArray());
        Assert.Equal(1, StoredFiles(app));

        // a smaller file still fits; the page says the total and shows the refusal beside the form
        Assert.Equal(201, (await UploadAsync(entrant, files, "small.pdf", Pdf(100))).Status);
        var pageToken = await app.CreateUserAsync("pageteam", password: "pass-team");
        var browser = app.Anonymous();
        await browser.LoginAsync("pageteam", "pass-team");
        var pageEntry = await app.WithToken(pageToken).EnterAsync("紙の応募");
        var entryForm = await browser.GetStringAsync($"/council/contests/{Slug}/entry/{pageEntry}", Ct);
        Assert.Contains("10個・合計1MBまで", entryForm);
        Assert.Equal(302, (int)(await PageUploadAsync(browser, pageEntry, entryForm, Pdf(900))).StatusCode);
        using var refused = await PageUploadAsync(browser, pageEntry, entryForm, Pdf(200));
        Assert.Equal(400, (int)refused.StatusCode);
        Assert.Contains("添付ファイルは1件の応募に合計1MBまでです", await refused.Content.ReadAsStringAsync(Ct));
        Assert.Equal(3, StoredFiles(app));
    }

    private static async Task<HttpResponseMessage> PageUploadAsync(HttpClient browser, long entry, string form, byte[] bytes)
    {
        using var multipart = new MultipartFormDataContent { { new StringContent(CatalogFixtures.AntiforgeryToken(form)), "__RequestVerificationToken" }, { new ByteArrayContent(bytes), "file", "資料.pdf" } };
        return await browser.PostAsync($"/council/contests/{Slug}/entry/{entry}?handler=Upload", multipart, Ct);
    }

    [Theory, Databases]
    public async Task Removing_a_file_an_entry_or_a_contest_removes_the_stored_files_and_a_rolled_back_delete_keeps_them(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var secretary = await app.SecretaryAsync();
        await secretary.CreateContestAsync();
        var entrant = app.WithToken((await app.CreateEventUserAsync("entrant")).Token);
        var second = app.WithToken((await app.CreateEventUserAsync("entrant2")).Token);
        var e1 = await entrant.EnterAsync("混雑予報");
        var e2 = await second.EnterAsync("人口ダッシュボード");
        foreach (var (client, entry) in new[] { (entrant, e1), (second, e2) })
        {
            for (var i = 0; i < 2; i++)
            {
                Assert.Equal(201, (await UploadAsync(client, $"/api/council/contests/{Slug}/entries/{entry}/files", $"f{i}.pdf", Pdf(1))).Status);
            }
        }

        Assert.Equal(4, StoredFiles(app));

        // the team removes one file through the API
        var first = (await entrant.GetJsonAsync($"/api/council/contests/{Slug}/entries/{e1}/files")).AsArray()[0]!["url"]!.GetValue<string>();
        Assert.Equal(204, (int)(await entrant.DeleteAsync(first, Ct)).StatusCode);
        Assert.Equal(3, StoredFiles(app));

        // a deletion rolled back leaves rows and files as they were
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var dbx = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
            await using var tx = await dbx.Database.BeginTransactionAsync(Ct);
            dbx.Remove(await dbx.Set<ContestEntry>().SingleAsync(e => e.Id == e1, Ct));
            await dbx.SaveChangesAsync(Ct);
            await tx.RollbackAsync(Ct);
        }

        Assert.Equal(3, StoredFiles(app));

        // an entry deleted (its file rows go by the database's cascade): its files go, the other entry's stay
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var dbx = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
            dbx.Remove(await dbx.Set<ContestEntry>().SingleAsync(e => e.Id == e1, Ct));
            await dbx.SaveChangesAsync(Ct);
            Assert.Equal(2, await dbx.Set<ContestEntryFile>().CountAsync(Ct));
        }

        Assert.Equal(2, StoredFiles(app));

        // the contest deleted: its entries and their files go (no entry is loaded), and no row or file is left
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var dbx = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
            dbx.Remove(await dbx.Set<Contest>().SingleAsync(c => c.Slug == Slug, Ct));
            await dbx.SaveChangesAsync(Ct);
            Assert.Equal(0, await dbx.Set<ContestEntryFile>().CountAsync(Ct));
            Assert.Equal(0, await dbx.Set<ContestEntry>().CountAsync(Ct));
        }

        Assert.Equal(0, StoredFiles(app));
        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(app.DataDirectory, "uploads")));
    }
}
