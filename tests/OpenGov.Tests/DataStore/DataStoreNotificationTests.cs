using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OpenGov.DataStore;
using OpenGov.Notifications;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.DataStore;

/// <summary>Changes of DataStore tables reach the subscribers of <see cref="IChangeNotifications"/>, on the node and across nodes.</summary>
public class DataStoreNotificationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Collects the table changes a node's subscribers receive.</summary>
    private sealed class Inbox : IDisposable
    {
        private readonly IDisposable _subscription;

        public Inbox(TestApp node) =>
            _subscription = node.Services.GetRequiredService<IChangeNotifications>().Subscribe<DataStoreTableChanged>((n, _) =>
            {
                Received.Enqueue(n);
                return Task.CompletedTask;
            });

        public ConcurrentQueue<Notification<DataStoreTableChanged>> Received { get; } = [];

        public async Task<Notification<DataStoreTableChanged>> WaitForAsync(string resourceId, DataStoreChangeKind kind, TimeSpan within)
        {
            var deadline = DateTime.UtcNow + within;
            while (true)
            {
                if (Received.FirstOrDefault(n => n.Change.ResourceId == resourceId && n.Change.Kind == kind) is { } found)
                {
                    return found;
                }

                Assert.True(DateTime.UtcNow < deadline, $"no {kind} of {resourceId} arrived; got: {string.Join(", ", Received.Select(n => n.Change))}");
                await Task.Delay(50, Ct);
            }
        }

        public void Dispose() => _subscription.Dispose();
    }

    [Theory, Databases]
    public async Task Each_datastore_write_and_a_finished_load_are_announced_on_the_node_after_the_commit(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        using var inbox = new Inbox(app);
        var (_, ds) = await app.DatasetAsync();

        var created = await app.Admin().OkAsync("datastore_create", new
        {
            resource = new { package_id = ds, name = "通知" },
            fields = new[] { new { id = "n", type = "int" } },
            primary_key = new[] { "n" },
        });
        var rid = created["resource_id"]!.GetValue<string>();
        var first = Assert.Single(inbox.Received);
        Assert.Equal(new DataStoreTableChanged(rid, DataStoreChangeKind.Created), first.Change);
        Assert.True(first.Local);

        await app.Admin().OkAsync("datastore_upsert", new { resource_id = rid, force = true, records = new[] { new { n = 1 } } });
        Assert.Equal(DataStoreChangeKind.Records, inbox.Received.Last().Change.Kind);
        await app.Admin().OkAsync("datastore_delete", new { resource_id = rid, force = true });
        Assert.Equal(DataStoreChangeKind.Dropped, inbox.Received.Last().Change.Kind);

        // a refused write announces nothing
        var before = inbox.Received.Count;
        var (status, _) = await app.Admin().ActionAsync("datastore_upsert", new { resource_id = rid, force = true, records = new[] { new { n = 2 } } });
        Assert.Equal(404, status);
        Assert.Equal(before, inbox.Received.Count);

        var uploaded = await app.UploadAsync(ds, "reload.csv", Encoding.UTF8.GetBytes("a,b\n1,x\n2,y\n"));
        Assert.Equal("complete", (await app.LoadAndWaitAsync(uploaded))["status"]!.GetValue<string>());
        Assert.True((await inbox.WaitForAsync(uploaded, DataStoreChangeKind.Loaded, TimeSpan.FromSeconds(10))).Local);
    }

    [Fact]
    public async Task A_reload_on_one_node_is_delivered_to_a_subscriber_on_another_through_Redis()
    {
        var redis = Environment.GetEnvironmentVariable("OPENGOV_TEST_REDIS");
        if (string.IsNullOrWhiteSpace(redis))
        {
            Assert.Skip("Redis not configured: set OPENGOV_TEST_REDIS (e.g. 127.0.0.1:6379)");
        }

        await using var nodeA = await TestApp.StartAsync(Db.Postgres, new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = redis });
        // node B runs no load jobs: every load is node A's, so what B receives came through Redis
        await using var nodeB = await TestApp.OpenOnSameDataAsync(nodeA, new Dictionary<string, string?> { ["OpenGov:DataStore:RunJobs"] = "false" });
        nodeB.KeepData = true; // node A drops the shared database
        using var onB = new Inbox(nodeB);
        var (_, ds) = await nodeA.DatasetAsync();

        var rid = await nodeA.UploadAsync(ds, "reload.csv", Encoding.UTF8.GetBytes("a,b\n1,x\n2,y\n"));
        Assert.Equal("complete", (await nodeA.LoadAndWaitAsync(rid))["status"]!.GetValue<string>());

        var delivered = await onB.WaitForAsync(rid, DataStoreChangeKind.Loaded, TimeSpan.FromSeconds(10));
        Assert.False(delivered.Local);
    }
}
