using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenGov.Hosting;
using OpenGov.Storage;

namespace OpenGov.Events.Questions;

/// <summary>
/// Optional import of YouTube live chat as questions (source "youtube"): polls liveChatMessages.list for each event
/// with the import switched on, waiting at least pollingIntervalMillis between calls, continuing from the stored
/// nextPageToken (so a restart neither repeats nor skips), and stopping for the day when the quota budget is spent.
/// Off unless OpenGov:Events:YouTube:ApiKey is set.
/// </summary>
public sealed class YouTubeChatImporter(IServiceScopeFactory scopes, IHttpClientFactory http, IOptions<EventsOptions> options, IHostApplicationLifetime lifetime, ILogger<YouTubeChatImporter> log) : BackgroundService
{
    public const string HttpClientName = "youtube";

    private readonly Dictionary<string, DateTime> _due = [];
    private DateOnly _quotaDay;
    private int _quotaUsed;

    /// <summary>Quota units spent today (UTC day), for tests and monitoring.</summary>
    public int QuotaUsed => _quotaUsed;

    public sealed record ChatResponse(
        [property: JsonPropertyName("nextPageToken")] string? NextPageToken,
        [property: JsonPropertyName("pollingIntervalMillis")] int? PollingIntervalMillis,
        [property: JsonPropertyName("offlineAt")] string? OfflineAt,
        [property: JsonPropertyName("items")] List<ChatItem>? Items);

    public sealed record ChatItem(
        [property: JsonPropertyName("id")] string? Id,
        [property: JsonPropertyName("snippet")] ChatSnippet? Snippet,
        [property: JsonPropertyName("authorDetails")] ChatAuthor? AuthorDetails);

    public sealed record ChatSnippet(
        [property: JsonPropertyName("type")] string? Type,
        [property: JsonPropertyName("displayMessage")] string? DisplayMessage,
        [property: JsonPropertyName("textMessageDetails")] TextDetails? TextMessageDetails);

    public sealed record TextDetails([property: JsonPropertyName("messageText")] string? MessageText);

    public sealed record ChatAuthor(
        [property: JsonPropertyName("channelId")] string? ChannelId,
        [property: JsonPropertyName("displayName")] string? DisplayName);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value.YouTube;
        if (string.IsNullOrWhiteSpace(o.ApiKey))
        {
            return;
        }

        // the event tables exist once the host has started (StartupTasks ran the migrations)
        try
        {
            await lifetime.WaitForStartedAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var tick = TimeSpan.FromMilliseconds(Math.Clamp(o.MinIntervalMillis, 50, 1000));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PollDueAsync(o, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or System.Text.Json.JsonException or DbUpdateException or TaskCanceledException)
            {
                log.LogWarning(ex, "YouTube chat import failed; retrying later");
            }

            await Task.Delay(tick, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task PollDueAsync(YouTubeChatOptions o, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
        var events = await db.Set<Event>().Where(e => e.ImportYouTubeChat && e.YouTubeLiveChatId != null).ToListAsync(ct);
        foreach (var ev in events)
        {
            var now = DateTime.UtcNow;
            if (_due.TryGetValue(ev.Id, out var due) && now < due)
            {
                continue;
            }

            var today = DateOnly.FromDateTime(now);
            if (today != _quotaDay)
            {
                _quotaDay = today;
                _quotaUsed = 0;
            }

            if (_quotaUsed + o.CostPerCall > o.DailyQuota)
            {
                _due[ev.Id] = today.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
                log.LogWarning("YouTube quota budget of {Quota} units spent; chat import paused until tomorrow", o.DailyQuota);
                continue;
            }

            _quotaUsed += o.CostPerCall;
            var url = $"{o.BaseUrl.TrimEnd('/')}/liveChat/messages?liveChatId={Uri.EscapeDataString(ev.YouTubeLiveChatId!)}&part=snippet,authorDetails&maxResults=2000&key={Uri.EscapeDataString(o.ApiKey!)}"
                + (ev.YouTubeNextPageToken is { } token ? "&pageToken=" + Uri.EscapeDataString(token) : "");
            using var response = await http.CreateClient(HttpClientName).GetAsync(url, ct);
            if (!response.IsSuccessStatusCode)
            {
                log.LogWarning("YouTube liveChatMessages.list answered {Status} for event {Event}", (int)response.StatusCode, ev.Slug);
                _due[ev.Id] = now.AddSeconds(30);
                continue;
            }

            var body = await response.Content.ReadFromJsonAsync<ChatResponse>(ct);
            var questions = scope.ServiceProvider.GetRequiredService<QuestionService>();
            foreach (var item in body?.Items ?? [])
            {
                var text = item.Snippet?.TextMessageDetails?.MessageText ?? item.Snippet?.DisplayMessage;
                if (item.Id is null || item.Snippet?.Type is not (null or "textMessageEvent") || string.IsNullOrWhiteSpace(text))
                {
                    continue;
                }

                if (await db.Set<Question>().AnyAsync(q => q.EventId == ev.Id && q.ExternalId == item.Id, ct))
                {
                    continue;
                }

                var participant = "yt:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(item.AuthorDetails?.ChannelId ?? item.Id)))[..21];
                try
                {
                    await questions.PostQuestionAsync(ev, participant, text, item.AuthorDetails?.DisplayName, "YouTube", null, "youtube", item.Id, ct);
                }
                catch (EventException e)
                {
                    log.LogInformation("YouTube message {Id} not imported: {Reason}", item.Id, e.En);
                }
            }

            if (body?.NextPageToken is { } next && next != ev.YouTubeNextPageToken)
            {
                await db.Set<Event>().Where(e => e.Id == ev.Id).ExecuteUpdateAsync(s => s.SetProperty(e => e.YouTubeNextPageToken, next), ct);
            }

            var wait = Math.Max(o.MinIntervalMillis, body?.PollingIntervalMillis ?? 5000);
            _due[ev.Id] = DateTime.UtcNow.AddMilliseconds(wait);
            if (body?.OfflineAt is not null)
            {
                await db.Set<Event>().Where(e => e.Id == ev.Id).ExecuteUpdateAsync(s => s.SetProperty(e => e.ImportYouTubeChat, false), ct);
            }
        }
    }
}
