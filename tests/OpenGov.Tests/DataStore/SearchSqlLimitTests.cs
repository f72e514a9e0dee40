using System.Text.Json.Nodes;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.DataStore;

/// <summary>
/// datastore_search_sql, when enabled, cannot starve the site: a row cap, a time limit, and statements at once per
/// caller and per node (docs/security.md).
/// </summary>
public class SearchSqlLimitTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, Databases]
    public async Task Search_sql_is_capped_in_rows_time_and_statements_at_once_per_caller(Db db)
    {
        await using var app = await TestApp.StartAsync(db, new Dictionary<string, string?>
        {
            ["OpenGov:DataStore:SearchSqlEnabled"] = "true",
            ["OpenGov:DataStore:SearchSqlMaxRows"] = "5",
            ["OpenGov:DataStore:SearchSqlTimeoutMs"] = "8000",
            ["OpenGov:DataStore:SearchSqlConcurrentPerCaller"] = "1",
            ["OpenGov:DataStore:SearchSqlConcurrentTotal"] = "2",
        });
        var (_, ds) = await app.DatasetAsync();
        var records = Enumerable.Range(1, 200).Select(n => new { n }).ToArray();
        var rid = (await app.Admin().OkAsync("datastore_create", new { resource = new { package_id = ds }, fields = new[] { new { id = "n", type = "int" } }, records }))["resource_id"]!.GetValue<string>();
        var quick = $"SELECT n FROM \"{rid}\" WHERE n < 3";

        // rows: at most the cap, and the answer says it was cut
        var all = await app.Anonymous().OkAsync("datastore_search_sql", new { sql = $"SELECT n FROM \"{rid}\"" });
        Assert.Equal(5, all["records"]!.AsArray().Count);
        Assert.True(all["records_truncated"]!.GetValue<bool>());

        // a statement of 200^4 rows runs until the time limit; meanwhile the same caller gets 429 at once, another
        // caller and /healthz are served
        var anonymous = app.Anonymous();
        var slowSql = $"SELECT count(*) AS total FROM \"{rid}\" AS a CROSS JOIN \"{rid}\" AS b CROSS JOIN \"{rid}\" AS x CROSS JOIN \"{rid}\" AS y";
        var slow = anonymous.ActionAsync("datastore_search_sql", new { sql = slowSql });
        JsonObject? refused = null;
        while (refused is null)
        {
            if (slow.IsCompleted)
            {
                // the slow statement arrived while a probe below held the caller's one permit: it was the one
                // refused, so send it again
                Assert.Equal(429, (await slow).Status);
                slow = anonymous.ActionAsync("datastore_search_sql", new { sql = slowSql });
            }

            var (status, body) = await app.Anonymous().ActionAsync("datastore_search_sql", new { sql = quick });
            if (status == 429)
            {
                refused = body;
            }
            else
            {
                Assert.Equal(200, status); // before the slow statement has started
                await Task.Delay(50, Ct);
            }
        }

        Assert.Equal("Rate Limit Error", refused["error"]!["__type"]!.GetValue<string>());
        Assert.False(slow.IsCompleted, "the slow statement ended before the test could see the limit");
        Assert.Equal(2, (await app.Admin().OkAsync("datastore_search_sql", new { sql = quick }))["records"]!.AsArray().Count);
        using (var health = await app.Anonymous().GetAsync("/healthz", Ct))
        {
            Assert.Equal(200, (int)health.StatusCode);
        }

        var (slowStatus, slowBody) = await slow;
        Assert.Equal(409, slowStatus);
        Assert.Contains("too long", slowBody.ToJsonString(), StringComparison.OrdinalIgnoreCase);

        // the permit is given back
        await anonymous.OkAsync("datastore_search_sql", new { sql = quick });
    }
}
