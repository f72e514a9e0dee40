using System.Text;
using System.Text.Json.Nodes;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.DataStore;

/// <summary>datastore_job_show's percent is the share of the file's bytes read (it stayed 0 while rows_read climbed).</summary>
public class JobProgressTests
{
    [Theory, Databases]
    public async Task Job_percent_follows_the_bytes_read_of_the_files_size(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var (_, ds) = await app.DatasetAsync();
        var sb = new StringBuilder("label,n\n");
        for (var i = 0; i < 150_000; i++)
        {
            sb.Append('行').Append(i).Append(',').Append(i).Append('\n');
        }

        var bytes = Encoding.UTF8.GetBytes(sb.ToString());
        var rid = await app.UploadAsync(ds, "big.csv", bytes);
        await app.Admin().OkAsync("datastore_load", new { resource_id = rid });

        var samples = new List<JsonNode>();
        JsonNode job;
        var deadline = DateTime.UtcNow.AddMinutes(3);
        do
        {
            job = await app.Admin().OkAsync("datastore_job_show", new { resource_id = rid });
            samples.Add(job);
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
        while (job["status"]!.GetValue<string>() is not ("complete" or "error") && DateTime.UtcNow < deadline);

        Assert.Equal("complete", job["status"]!.GetValue<string>());
        Assert.Equal(bytes.Length, job["total_bytes"]!.GetValue<long>());
        Assert.Equal(bytes.Length, job["bytes_read"]!.GetValue<long>());
        Assert.Equal(100, job["percent"]!.GetValue<int>());

        var percents = new List<int>();
        foreach (var s in samples.Where(s => s["status"]!.GetValue<string>() == "running"))
        {
            var read = s["bytes_read"]!.GetValue<long>();
            var total = s["total_bytes"]!.GetValue<long>();
            var percent = s["percent"]!.GetValue<int>();
            if (s["rows_read"]!.GetValue<long>() > 0)
            {
                Assert.Equal(bytes.Length, total); // rows climbing means the size is known
                Assert.True(read > 0, s.ToJsonString());
            }

            Assert.Equal(total > 0 ? (int)Math.Min(99, read * 100 / total) : 0, percent);
            percents.Add(percent);
        }

        Assert.Equal(percents.Order(), percents); // never goes back
    }
}
