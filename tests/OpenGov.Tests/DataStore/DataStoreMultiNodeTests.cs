using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenGov.DataStore;
using OpenGov.Storage;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.DataStore;

/// <summary>Two nodes (two hosts on the same database and data directory) racing for the load jobs of one resource.</summary>
public class DataStoreMultiNodeTests
{
    private static readonly TimeSpan ClockReadSlack = TimeSpan.FromSeconds(1);

    private static byte[] Version(int v, int rows)
    {
        var sb = new StringBuilder("n,version\n");
        for (var i = 1; i <= rows; i++)
        {
            sb.Append(i).Append(",v").Append(v).Append('\n');
        }

        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    [Theory, Databases]
    public async Task Two_nodes_racing_for_the_loads_of_one_resource_run_each_job_once_and_end_with_the_latest_upload(Db db)
    {
        var ct = TestContext.Current.CancellationToken;
        var fast = new Dictionary<string, string?> { ["OpenGov:DataStore:PollSeconds"] = "1" };
        await using var a = await TestApp.StartAsync(db, fast);
        await using var b = await TestApp.OpenOnSameDataAsync(a, fast);
        var (_, ds) = await a.DatasetAsync();
        const int Versions = 8;
        var rid = await a.UploadAsync(ds, "race.csv", Version(0, 40));
        var queued = new List<string>();

        // each new upload is followed by loads asked for on both nodes at once (and by each node's poll)
        for (var v = 1; v <= Versions; v++)
        {
            await a.ReplaceUploadAsync(rid, Version(v, 40 + v));
            var answers = await Task.WhenAll(
                a.Admin().OkAsync("datastore_load", new { resource_id = rid }),
                b.Admin().OkAsync("datastore_load", new { resource_id = rid }));
            queued.AddRange(answers.Select(j => j["id"]!.GetValue<string>()));
            await Task.Delay(v * 37 % 150, ct);
        }

        // wait until no job of the resource is pending or running
        List<DataStoreJob> jobs;
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            using var scope = a.Services.CreateScope();
            jobs = await scope.ServiceProvider.GetRequiredService<OpenGovDb>().Set<DataStoreJob>().AsNoTracking()
                .Where(j => j.ResourceId == rid).OrderBy(j => j.Started).ToListAsync(ct);
            Assert.True(jobs.Count(j => j.State == JobState.Running) <= 1, "two jobs of the resource running at once");
            if (jobs.All(j => j.State is JobState.Complete or JobState.Error))
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, "jobs still pending or running: " + string.Join(", ", jobs.Select(j => j.State)));
            await Task.Delay(200, ct);
        }

        // no job lost: every job handed out is among them and completed
        Assert.All(queued.Distinct(), id => Assert.Contains(jobs, j => j.Id == id));
        Assert.All(jobs, j => Assert.True(j.State == JobState.Complete, $"job {j.Id} ended {j.State}: {j.Error}"));

        // each job ran exactly once, and never two at a time for the resource
        foreach (var j in jobs)
        {
            Assert.Equal(1, j.Attempts);
            var starts = JsonNode.Parse(j.LogJson)!.AsArray().Count(e => e!["message"]!.GetValue<string>() == "started" && e["node"] is not null);
            Assert.Equal(1, starts);
        }

        // Started and Finished are each node's clock, read just before its claim or its completion is written: a node
        // can read its clock, lose the CPU, and claim only after the other node's completion is committed with a later
        // stamp. The database's ux_datastore_job_one_running is what forbids overlap; the stamps may disagree by a
        // scheduling delay, never by a load.
        for (var i = 1; i < jobs.Count; i++)
        {
            Assert.True(jobs[i].Started >= jobs[i - 1].Finished - ClockReadSlack,
                $"jobs {jobs[i - 1].Id} (finished {jobs[i - 1].Finished:O}) and {jobs[i].Id} (started {jobs[i].Started:O}) ran at the same time");
        }

        // the final table is the latest upload's, on both nodes
        foreach (var node in new[] { a, b })
        {
            var r = await node.Anonymous().OkAsync("datastore_search", new { resource_id = rid, limit = 1000 });
            Assert.Equal(40 + Versions, r["total"]!.GetValue<long>());
            Assert.All(r["records"]!.AsArray(), rec => Assert.Equal("v" + Versions, rec!["version"]!.GetValue<string>()));
        }
    }
}
