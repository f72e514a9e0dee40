using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenGov.DataStore;
using OpenGov.Storage;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.DataStore;

public class DataStoreJobTests
{
    [Theory, Databases]
    public async Task New_and_changed_tabular_uploads_are_loaded_without_being_asked(Db db)
    {
        await using var app = await TestApp.StartAsync(db, new Dictionary<string, string?> { ["OpenGov:DataStore:PollSeconds"] = "1" });
        var (_, ds) = await app.DatasetAsync();
        var rid = await app.UploadAsync(ds, "a.csv", Encoding.UTF8.GetBytes("x,y\n1,a\n"));
        var job = await app.WaitForJobAsync(rid);
        Assert.Equal("complete", job["status"]!.GetValue<string>());
        var firstJob = job["id"]!.GetValue<string>();

        await app.ReplaceUploadAsync(rid, Encoding.UTF8.GetBytes("x,y\n1,a\n2,b\n3,c\n"));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            job = await app.WaitForJobAsync(rid);
            if (job["id"]!.GetValue<string>() != firstJob && job["status"]!.GetValue<string>() == "complete")
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, "the changed file was not reloaded");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }

        var r = await app.Anonymous().OkAsync("datastore_search", new { resource_id = rid });
        Assert.Equal(3, r["total"]!.GetValue<long>());
    }

    [Theory, Databases]
    public async Task A_job_left_running_by_a_stopped_node_is_taken_over_and_finished(Db db)
    {
        await using var app = await TestApp.StartAsync(db, new Dictionary<string, string?> { ["OpenGov:DataStore:PollSeconds"] = "0" });
        var (_, ds) = await app.DatasetAsync();
        var rid = await app.UploadAsync(ds, "b.csv", Encoding.UTF8.GetBytes("x\n1\n2\n"));
        string jobId;
        using (var scope = app.Services.CreateScope())
        {
            var dbx = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
            var job = new DataStoreJob
            {
                ResourceId = rid,
                State = JobState.Running,
                ClaimedBy = "dead-node",
                Started = DateTime.UtcNow.AddMinutes(-10),
                Heartbeat = DateTime.UtcNow.AddMinutes(-5),
                Attempts = 1,
            };
            dbx.Add(job);
            await dbx.SaveChangesAsync(TestContext.Current.CancellationToken);
            jobId = job.Id;
        }

        var done = await app.WaitForJobAsync(rid);
        Assert.Equal(jobId, done["id"]!.GetValue<string>());
        Assert.Equal("complete", done["status"]!.GetValue<string>());
        using (var scope = app.Services.CreateScope())
        {
            var dbx = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
            var job = await dbx.Set<DataStoreJob>().AsNoTracking().SingleAsync(j => j.Id == jobId, TestContext.Current.CancellationToken);
            Assert.Equal(2, job.Attempts);
            Assert.NotEqual("dead-node", job.ClaimedBy);
        }

        Assert.Equal(2, (await app.Anonymous().OkAsync("datastore_search", new { resource_id = rid }))["total"]!.GetValue<long>());
    }

    [Theory, Databases]
    public async Task Load_is_refused_for_non_tabular_resources_and_for_non_editors(Db db)
    {
        await using var app = await TestApp.StartAsync(db, new Dictionary<string, string?> { ["OpenGov:DataStore:PollSeconds"] = "0" });
        var (org, ds) = await app.DatasetAsync();
        var pdf = await app.UploadAsync(ds, "report.pdf", [0x25, 0x50, 0x44, 0x46], format: "PDF");
        var (status, body) = await app.Admin().ActionAsync("datastore_load", new { resource_id = pdf });
        Assert.Equal(409, status);
        Assert.NotNull(body["error"]!["resource_id"]);

        var csv = await app.UploadAsync(ds, "c.csv", Encoding.UTF8.GetBytes("x\n1\n"));
        (status, _) = await app.WithToken(await app.MemberTokenAsync(org, "member")).ActionAsync("datastore_load", new { resource_id = csv });
        Assert.Equal(403, status);
        (status, _) = await app.Anonymous().ActionAsync("datastore_load", new { resource_id = csv });
        Assert.Equal(403, status);
        (status, body) = await app.Admin().ActionAsync("datastore_upsert", new { resource_id = csv, records = new[] { new { x = 1 } } });
        Assert.Equal(409, status);
        Assert.NotNull(body["error"]!["read-only"]);
    }
}
