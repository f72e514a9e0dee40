using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using OpenGov.Accounts;

namespace OpenGov.Tests.Infrastructure;

/// <summary>Helpers for event tests: create events, users with roles, participants, read server-sent events.</summary>
public static partial class EventsTestKit
{
    public static async Task<JsonObject> CreateEventAsync(this TestApp app, string slug = "sym", object? extra = null)
    {
        var body = new JsonObject
        {
            ["slug"] = slug,
            ["title"] = "テストシンポジウム",
            ["titleEn"] = "Test symposium",
            ["startsAt"] = "2030-11-19T15:00:00+09:00",
            ["endsAt"] = "2030-11-19T16:30:00+09:00",
            ["youtubeVideoId"] = "NUZt2y4blJE",
        };
        if (extra is not null)
        {
            foreach (var (k, v) in JsonSerializer.SerializeToNode(extra)!.AsObject())
            {
                body[k] = v?.DeepClone();
            }
        }

        using var r = await app.AdminClient().PostAsJsonAsync("/api/events", body);
        var text = await r.Content.ReadAsStringAsync();
        Assert.True((int)r.StatusCode == 201, $"create event: {(int)r.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>The admin client at the app's address (also when it serves on a real port).</summary>
    public static HttpClient AdminClient(this TestApp app)
    {
        var c = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = app.BaseAddress });
        c.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", app.AdminToken);
        return c;
    }

    /// <summary>A user (not sysadmin) and their API token.</summary>
    public static async Task<(string Name, string Token)> CreateEventUserAsync(this TestApp app, string name)
    {
        using var scope = app.Services.CreateScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        var user = await accounts.CreateUserAsync(name, "password-" + name, false);
        return (name, await accounts.CreateTokenAsync(user.Id, "test"));
    }

    /// <summary>A user with the given role in the event, as a client.</summary>
    public static async Task<HttpClient> StaffAsync(this TestApp app, string slug, string name, string role = "moderator")
    {
        var (n, token) = await app.CreateEventUserAsync(name);
        using var r = await app.Admin().PostAsJsonAsync($"/api/events/{slug}/moderators", new { user = n, role });
        Assert.Equal(200, (int)r.StatusCode);
        return app.WithToken(token);
    }

    public static async Task<(int Status, JsonNode? Body)> PostJsonAsync(this HttpClient client, string url, object? body = null, string? idempotencyKey = null)
    {
        using var req = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body ?? new { }) };
        if (idempotencyKey is not null)
        {
            req.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var r = await client.SendAsync(req);
        var text = await r.Content.ReadAsStringAsync();
        return ((int)r.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public static async Task<JsonNode> GetJsonAsync(this HttpClient client, string url)
    {
        using var r = await client.GetAsync(url);
        var text = await r.Content.ReadAsStringAsync();
        Assert.True(r.IsSuccessStatusCode, $"GET {url}: {(int)r.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    public static async Task<long> AskAsync(this HttpClient participant, string code, string text, string? key = null)
    {
        var (status, body) = await participant.PostJsonAsync($"/q/{code}/api/questions", new { text }, key);
        Assert.True(status == 200, $"post question: {status} {body}");
        return body!["question"]!["id"]!.GetValue<long>();
    }

    /// <summary>A participant with their own cookie (as a phone would have), so the per-address limit of cookie-less writes does not apply.</summary>
    public static HttpClient Participant(this TestApp app)
    {
        var c = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        c.DefaultRequestHeaders.Add("Cookie", app.NewParticipantCookie());
        return c;
    }

    /// <summary>"og_participant=..." of a new participant, issued (protected) with the app's key ring as the server issues it.</summary>
    public static string NewParticipantCookie(this TestApp app) =>
        OpenGov.Events.Participants.CookieName + "=" + OpenGov.Events.Participants.NewCookieValue(app.Services);

    /// <summary>Creates a poll in event "sym" as the sysadmin and (unless told not to) opens it.</summary>
    public static async Task<long> CreatePollAsync(this TestApp app, object body, bool open = true)
    {
        var (status, r) = await app.Admin().PostJsonAsync("/api/events/sym/polls", body);
        Assert.True(status == 201, $"create poll: {status} {r}");
        var id = r!["poll"]!.GetValue<long>();
        if (open)
        {
            Assert.Equal(200, (await app.Admin().PostJsonAsync($"/api/events/sym/polls/{id}/open")).Status);
        }

        return id;
    }

    /// <summary>A poll of event "sym" (question code q1) as the public poll list shows it.</summary>
    public static async Task<JsonNode> PollAsync(this TestApp app, long id) =>
        (await app.Anonymous().GetJsonAsync("/q/q1/api/polls"))["polls"]!.AsArray().Single(p => p!["id"]!.GetValue<long>() == id)!;

    public static async Task<long[]> OptionIdsAsync(this TestApp app, long poll) =>
        (await app.PollAsync(poll))["options"]!.AsArray().Select(o => o!["id"]!.GetValue<long>()).ToArray();

    public static async Task<JsonArray> PublicQuestionsAsync(this TestApp app, string code) =>
        (await app.Anonymous().GetJsonAsync($"/q/{code}/api/questions"))["questions"]!.AsArray();

    /// <summary>The hidden antiforgery token of a page (for form posts without JavaScript).</summary>
    public static string Antiforgery(string html) => AntiforgeryRegex().Match(html) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("no antiforgery token in page");

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryRegex();

    /// <summary>Reads server-sent events of a stream in the background.</summary>
    public sealed class SseReader : IAsyncDisposable
    {
        private readonly CancellationTokenSource _cts = new();
        private readonly HttpResponseMessage _response;
        private readonly Task _pump;
        private readonly List<(long Id, JsonNode Data)> _events = [];
        private readonly SemaphoreSlim _signal = new(0);

        private SseReader(HttpResponseMessage response)
        {
            _response = response;
            _pump = Task.Run(PumpAsync);
        }

        public static async Task<SseReader> OpenAsync(HttpClient client, string url, long? lastEventId = null)
        {
            var req = new HttpRequestMessage(HttpMethod.Get, url);
            if (lastEventId is { } id)
            {
                req.Headers.Add("Last-Event-ID", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            var response = await client.SendAsync(req, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(200, (int)response.StatusCode);
            Assert.StartsWith("text/event-stream", response.Content.Headers.ContentType?.ToString());
            return new SseReader(response);
        }

        public IReadOnlyList<(long Id, JsonNode Data)> Events
        {
            get
            {
                lock (_events)
                {
                    return [.. _events];
                }
            }
        }

        private async Task PumpAsync()
        {
            try
            {
                using var stream = await _response.Content.ReadAsStreamAsync(_cts.Token);
                using var reader = new StreamReader(stream);
                long id = -1;
                string? data = null;
                while (await reader.ReadLineAsync(_cts.Token) is { } line)
                {
                    if (line.Length == 0)
                    {
                        if (data is not null)
                        {
                            lock (_events)
                            {
                                _events.Add((id, JsonNode.Parse(data)!));
                            }

                            _signal.Release();
                        }

                        data = null;
                    }
                    else if (line.StartsWith("id: ", StringComparison.Ordinal))
                    {
                        id = long.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture);
                    }
                    else if (line.StartsWith("data: ", StringComparison.Ordinal))
                    {
                        data = line[6..];
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException or ObjectDisposedException)
            {
            }
        }

        /// <summary>Waits until an event satisfies the predicate.</summary>
        public async Task<(long Id, JsonNode Data)> WaitForAsync(Func<JsonNode, bool> predicate, TimeSpan? timeout = null)
        {
            var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
            while (true)
            {
                var hit = Events.FirstOrDefault(e => predicate(e.Data));
                if (hit.Data is not null)
                {
                    return hit;
                }

                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    throw new TimeoutException("no matching server-sent event; got: " + string.Join(" | ", Events.Select(e => e.Id + ":" + e.Data.ToJsonString())));
                }

                await _signal.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _cts.CancelAsync();
            _response.Dispose();
            await _pump.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _cts.Dispose();
            _signal.Dispose();
        }
    }

    public static bool HasQuestion(JsonNode change, string text) =>
        change["questions"]?.AsArray().Any(q => q?["text"]?.GetValue<string>() == text) == true;
}
