using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenGov.Hosting;
using OpenGov.Notifications;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Notifications;

public class ChangeNotificationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Ping(int N) : IChange
    {
        public static string Topic => "test.ping";
    }

    [Fact]
    public async Task A_failing_subscriber_neither_fails_the_publisher_nor_stops_the_others_and_a_disposed_one_hears_nothing()
    {
        await using var redis = new RedisConnection(Options.Create(new OpenGovOptions()), NullLogger<RedisConnection>.Instance);
        var notifications = new ChangeNotifications(redis, NullLogger<ChangeNotifications>.Instance);
        var heard = new List<(int, bool)>();
        using (notifications.Subscribe<Ping>((_, _) => throw new InvalidOperationException("broken subscriber")))
        using (notifications.Subscribe<Ping>((n, _) =>
        {
            heard.Add((n.Change.N, n.Local));
            return Task.CompletedTask;
        }))
        {
            await notifications.PublishAsync(new Ping(1), Ct);
        }

        await notifications.PublishAsync(new Ping(2), Ct);
        Assert.Equal([(1, true)], heard);
        Assert.False(notifications.HasSubscribers<Ping>());
    }

    [Theory, Databases]
    public async Task A_catalog_write_on_one_node_is_announced_to_a_subscriber_on_another(Db db)
    {
        var fast = new Dictionary<string, string?> { ["OpenGov:Notifications:CatalogPollSeconds"] = "0.2" };
        await using var nodeA = await TestApp.StartAsync(db, fast);
        await using var nodeB = await TestApp.OpenOnSameDataAsync(nodeA, fast);
        nodeB.KeepData = true; // node A drops the shared database
        var received = new ConcurrentQueue<Notification<CatalogChanged>>();
        using var _ = nodeB.Services.GetRequiredService<IChangeNotifications>().Subscribe<CatalogChanged>((n, _) =>
        {
            received.Enqueue(n);
            return Task.CompletedTask;
        });

        // node B reads the stamp it starts from a moment after subscribing: a write before that is not news to it, so
        // write again until one arrives
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (received.IsEmpty)
        {
            Assert.True(DateTime.UtcNow < deadline, "no catalog change reached node B");
            await nodeA.DatasetAsync();
            for (var i = 0; i < 40 && received.IsEmpty; i++)
            {
                await Task.Delay(50, Ct);
            }
        }

        Assert.True(received.First().Local); // each node learns it from the shared database
    }
}
