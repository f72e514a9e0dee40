using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenGov.Hosting;
using OpenGov.Storage;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Events;

/// <summary>
/// A full disk during a live event: every write of the events API (participants' questions, votes and poll answers,
/// moderators' actions, creating an event) and the question page's form answer 507 with the reason in Japanese and
/// English instead of a 500, and nothing of the refused writes is saved. The disk "fills" by making every INSERT and
/// UPDATE of this test's database fail with the provider's own out-of-space error (SQLite's SQLITE_FULL, PostgreSQL's
/// 53100 disk_full) before it runs, as a full disk makes them fail.
/// </summary>
public sealed class EventFullDiskTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, Databases]
    public async Task On_a_full_disk_every_events_api_write_answers_507_in_both_languages_and_saves_nothing(Db db)
    {
        using var disk = new FullDisk();
        await using var app = await TestApp.StartAsync(db);
        disk.Watch(app);
        await app.CreateEventAsync("sym", new { questionCode = "q1" });
        var poll = await app.CreatePollAsync(new { kind = "single", questionJa = "参加は何回目？", options = new[] { "初めて", "2回目以上" } });
        var options = await app.OptionIdsAsync(poll);
        var viewer = app.Participant();
        var before = await viewer.AskAsync("q1", "ディスクが満杯になる前の質問");
        var mod = await app.StaffAsync("sym", "mod1");

        disk.Full = true;

        AssertStorageFull(await viewer.PostJsonAsync("/q/q1/api/questions", new { text = "満杯のときの質問" }));
        AssertStorageFull(await viewer.PostJsonAsync("/q/q1/api/questions", new { text = "満杯のときの質問（再送）" }, "full-k"));
        AssertStorageFull(await app.Participant().PostJsonAsync($"/q/q1/api/questions/{before}/vote"));
        AssertStorageFull(await app.Participant().PostJsonAsync($"/q/q1/api/polls/{poll}/answer", new { choices = new[] { options[0] } }));
        AssertStorageFull(await mod.PostJsonAsync($"/api/events/sym/questions/{before}/edit", new { text = "書き換え" }));
        AssertStorageFull(await mod.PostJsonAsync($"/api/events/sym/questions/{before}/highlight"));
        AssertStorageFull(await app.Admin().PostJsonAsync("/api/events", new
        {
            slug = "full",
            title = "満杯",
            startsAt = "2030-11-19T15:00:00+09:00",
            endsAt = "2030-11-19T16:30:00+09:00",
        }));

        // the question page without JavaScript says so in the user's language, with 507
        foreach (var (lang, expected) in new[] { ("", StorageFullException.MessageJapanese), ("&lang=en", StorageFullException.MessageEnglish) })
        {
            var phone = app.Anonymous();
            disk.Full = false; // the page view may issue and store a participant cookie
            var page = await phone.GetStringAsync("/q/q1?sort=time" + lang, Ct);
            disk.Full = true;
            using var post = await phone.PostAsync("/q/q1?handler=Ask" + lang, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = EventsTestKit.Antiforgery(page),
                ["Text"] = "フォームからの質問",
            }), Ct);
            Assert.Equal(HttpStatusCode.InsufficientStorage, post.StatusCode);
            Assert.Contains(expected, WebUtility.HtmlDecode(await post.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
        }

        // reads still work, and nothing of the refused writes was saved
        var questions = await app.PublicQuestionsAsync("q1");
        var only = Assert.Single(questions);
        Assert.Equal("ディスクが満杯になる前の質問", only!["text"]!.GetValue<string>());
        Assert.Equal(0, only["votes"]!.GetValue<int>());
        Assert.Equal(0, (await app.PollAsync(poll))["counts"]!.AsArray().Sum(c => c!["votes"]!.GetValue<int>()));

        // once there is room again the same writes go through (the event's writer kept running)
        disk.Full = false;
        await viewer.AskAsync("q1", "空きができた後の質問", "full-k");
        Assert.Equal(200, (await app.Participant().PostJsonAsync($"/q/q1/api/questions/{before}/vote")).Status);
        Assert.Equal(200, (await mod.PostJsonAsync($"/api/events/sym/questions/{before}/highlight")).Status);
        Assert.Equal(2, (await app.PublicQuestionsAsync("q1")).Count);
        Assert.True(disk.Refused > 0);
    }

    private static void AssertStorageFull((int Status, JsonNode? Body) r)
    {
        Assert.True(r.Status == 507, $"expected 507, got {r.Status}: {r.Body}");
        Assert.Equal("storage_full", r.Body!["error"]!.GetValue<string>());
        Assert.Equal(StorageFullException.MessageEnglish, r.Body["message"]!.GetValue<string>());
        Assert.Equal(StorageFullException.MessageJapanese, r.Body["message_ja"]!.GetValue<string>());
    }

    /// <summary>
    /// While <see cref="Full"/>, every INSERT or UPDATE that EF Core sends to the watched app's database fails before it
    /// runs with the provider's out-of-space error. Other tests' databases (same process) are left alone.
    /// </summary>
    private sealed class FullDisk : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly IDisposable _all;
        private readonly List<IDisposable> _subscriptions = [];
        private string? _database;
        private bool _postgres;
        private int _refused;

        public FullDisk() => _all = DiagnosticListener.AllListeners.Subscribe(this);

        public volatile bool Full;

        public int Refused => Volatile.Read(ref _refused);

        public void Watch(TestApp app)
        {
            var storage = app.Services.GetRequiredService<StorageInfo>();
            _postgres = storage.IsPostgres;
            // the PostgreSQL database's name, or the SQLite file's directory (a new GUID per test)
            _database = _postgres
                ? new NpgsqlConnectionStringBuilder(storage.ConnectionString).Database
                : Path.GetFileName(Path.GetDirectoryName(new SqliteConnectionStringBuilder(storage.ConnectionString).DataSource));
        }

        public void OnNext(DiagnosticListener listener)
        {
            if (listener.Name == DbLoggerCategory.Name)
            {
                lock (_subscriptions)
                {
                    _subscriptions.Add(listener.Subscribe(this));
                }
            }
        }

        public void OnNext(KeyValuePair<string, object?> e)
        {
            if (!Full || e.Key != RelationalEventId.CommandExecuting.Name || e.Value is not CommandEventData { Command: var command })
            {
                return;
            }

            var sql = command.CommandText.TrimStart();
            var mine = _postgres ? command.Connection?.Database == _database : (command.Connection as SqliteConnection)?.DataSource?.Contains(_database!, StringComparison.Ordinal) == true;
            if (!mine || !(sql.Contains("INSERT ", StringComparison.OrdinalIgnoreCase) || sql.Contains("UPDATE ", StringComparison.OrdinalIgnoreCase)))
            {
                return;
            }

            Interlocked.Increment(ref _refused);
            throw _postgres
                ? new PostgresException("could not extend file: No space left on device", "ERROR", "ERROR", PostgresErrorCodes.DiskFull)
                : new SqliteException("SQLite Error 13: 'database or disk is full'.", 13);
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void Dispose()
        {
            _all.Dispose();
            lock (_subscriptions)
            {
                _subscriptions.ForEach(s => s.Dispose());
            }
        }
    }
}
