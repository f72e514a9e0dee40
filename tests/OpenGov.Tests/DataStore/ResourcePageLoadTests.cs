using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenGov.DataStore;
using OpenGov.Storage;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.DataStore;

/// <summary>The load state on a resource page: at the top while a load runs, with its percentage, and no internal text.</summary>
public sealed class ResourcePageLoadTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // No background loading: the job below stays as written.
    private static readonly Dictionary<string, string?> Quiet = new() { ["OpenGov:DataStore:PollSeconds"] = "0", ["OpenGov:DataStore:RunJobs"] = "false" };

    [Theory, Databases]
    public async Task A_running_load_sits_at_the_top_with_its_percentage_and_log_and_shows_no_node_or_job_id(Db db)
    {
        await using var app = await TestApp.StartAsync(db, Quiet);
        var (_, ds) = await app.DatasetAsync(name: "load-top");
        var rid = await app.UploadAsync(ds, "a.csv", Encoding.UTF8.GetBytes("x,y\n1,a\n"));
        string jobId;
        using (var scope = app.Services.CreateScope())
        {
            var dbx = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
            var job = new DataStoreJob
            {
                ResourceId = rid,
                State = JobState.Running,
                ClaimedBy = "node-secret-7",
                Started = DateTime.UtcNow,
                Heartbeat = DateTime.UtcNow,
                Attempts = 1,
                RowsRead = 1234,
                BytesRead = 50,
                TotalBytes = 100,
                LogJson = """[{"t":"2026-12-06T00:00:00.000Z","level":"info","message":"started","message_ja":"読み込みを開始しました","node":"node-secret-7"}]""",
            };
            dbx.Add(job);
            await dbx.SaveChangesAsync(Ct);
            jobId = job.Id;
        }

        var page = await app.Anonymous().GetStringAsync($"/dataset/load-top/resource/{rid}", Ct);
        var panel = page.IndexOf("data-ds-panel", StringComparison.Ordinal);
        Assert.True(panel > 0 && panel < page.IndexOf("class=\"notes\"", StringComparison.Ordinal), "the running load is at the top");
        Assert.Equal(1, CountOf(page, "data-ds-panel"));
        Assert.Contains("<details class=\"ds-log\" open>", page);
        Assert.Contains("読み込みを開始しました", page);
        Assert.Contains("data-ds-percent>50%", page);
        Assert.Contains("1,234", page);
        Assert.DoesNotContain("node-secret-7", page);
        Assert.DoesNotContain(jobId, page);

        // once the load has ended, the panel is in its place below the views
        using (var scope = app.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<OpenGovDb>().Set<DataStoreJob>().Where(j => j.Id == jobId)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.State, JobState.Complete), Ct);
        }

        page = await app.Anonymous().GetStringAsync($"/dataset/load-top/resource/{rid}", Ct);
        Assert.Equal(1, CountOf(page, "data-ds-panel"));
        Assert.True(page.IndexOf("data-ds-panel", StringComparison.Ordinal) > page.IndexOf("class=\"notes\"", StringComparison.Ordinal), "the ended load is below");
        Assert.DoesNotContain("<details class=\"ds-log\" open>", page);
    }

    [Theory, Databases]
    public async Task English_pages_mark_Japanese_dataset_titles_with_lang_ja(Db db)
    {
        await using var app = await TestApp.StartAsync(db, Quiet);
        var (_, ds) = await app.DatasetAsync(name: "lang-ja");
        var rid = await app.UploadAsync(ds, "人口.csv", Encoding.UTF8.GetBytes("x,y\n1,a\n"));
        var en = await app.Anonymous().GetStringAsync("/dataset/lang-ja?lang=en", Ct);
        Assert.Contains("<h1><span lang=\"ja\">テスト</span>", en);
        var resource = await app.Anonymous().GetStringAsync($"/dataset/lang-ja/resource/{rid}?lang=en", Ct);
        Assert.Contains("<span lang=\"ja\">人口.csv</span>", resource);
        Assert.Contains("lang=\"ja\">テスト</a>", resource);
        var ja = await app.Anonymous().GetStringAsync("/dataset/lang-ja", Ct);
        Assert.Contains("<h1><span>テスト</span>", ja);
    }

    private static int CountOf(string s, string what)
    {
        var n = 0;
        for (var i = s.IndexOf(what, StringComparison.Ordinal); i >= 0; i = s.IndexOf(what, i + what.Length, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }
}
