using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenGov.Events;
using OpenGov.Events.Live;
using OpenGov.Hosting;
using OpenGov.Storage;

namespace OpenGov.TransportBench;

/// <summary>
/// The SSE side is OpenGov's own code (src/OpenGov/Events), not a copy: a change is appended to one event's log in a
/// SQLite database and the node's <see cref="EventBus"/> is told, as the event writer does after a commit; the
/// <c>EventFeed</c> reads the entry once and offers the same frame to every connection's bounded queue; each
/// connection is written by <see cref="EventStream"/>. The SSE figures therefore include one commit and one read of
/// the log per change, which the SignalR side does not have.
/// </summary>
internal sealed class SseSide(EventBus bus, IServiceScopeFactory scopes)
{
    public const string EventId = "transport-bench";

    private long _seq;

    /// <summary>Connections the feed still serves.</summary>
    public int Count => bus.Connections;

    public static void AddServices(IServiceCollection services, IConfiguration configuration, string dataDirectory)
    {
        var options = new OpenGovOptions { DataDirectory = dataDirectory };
        services.AddOpenGovStorage(StorageSetup.Resolve(configuration, options));
        services.AddOptions<OpenGovOptions>().Configure(o => o.DataDirectory = dataDirectory);
        services.AddOptions<EventsOptions>();
        services.AddSingleton<EventBus>();
        services.AddHostedService(sp => sp.GetRequiredService<EventBus>());
        services.AddSingleton<SseSide>();
    }

    /// <summary>Creates the schema and the one event every viewer follows.</summary>
    public static async Task PrepareAsync(IServiceProvider services)
    {
        await StorageSetup.MigrateAsync(services);
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
        db.Add(new Event { Id = EventId, Slug = "transport-bench", Title = "配信方式の比較", QuestionCode = "bench", PresenterSecret = Guid.NewGuid().ToString("N") });
        await db.SaveChangesAsync();
    }

    /// <summary>The frame a viewer receives for a change, as the feed builds it.</summary>
    public static byte[] Frame(ChangeMessage change) => FeedEntry.Of(Entry(change.Seq, change)).Public!;

    private static EventLogEntry Entry(long seq, ChangeMessage change)
    {
        var json = JsonSerializer.Serialize(change, ChangeMessage.Json);
        return new EventLogEntry { EventId = EventId, Seq = seq, Kind = change.Type, Payload = json, PublicPayload = json };
    }

    /// <summary>One log entry (public and moderator payload alike) and the event's position, in one commit; then the bus.</summary>
    public async Task AppendAsync(ChangeMessage change)
    {
        var seq = ++_seq;
        using (var scope = scopes.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
            await using var tx = await db.Database.BeginTransactionAsync();
            db.Add(Entry(seq, change));
            await db.SaveChangesAsync();
            await db.Set<Event>().Where(e => e.Id == EventId).ExecuteUpdateAsync(s => s.SetProperty(e => e.LastSeq, seq));
            await tx.CommitAsync();
        }

        bus.Advanced(EventId, seq);
    }
}
