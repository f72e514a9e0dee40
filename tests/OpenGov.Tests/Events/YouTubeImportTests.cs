using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Events;

public sealed class YouTubeImportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, Databases]
    public async Task Live_chat_messages_become_questions_following_page_tokens_and_the_quota(Db db)
    {
        // A stand-in for the YouTube Data API on 127.0.0.1, answering liveChatMessages.list in its documented shape.
        var calls = new List<(string? PageToken, DateTime At)>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var youtube = builder.Build();
        youtube.MapGet("/youtube/v3/liveChat/messages", (HttpRequest req) =>
        {
            var token = req.Query["pageToken"].ToString();
            lock (calls)
            {
                calls.Add((token.Length == 0 ? null : token, DateTime.UtcNow));
            }

            if (req.Query["key"] != "test-key" || req.Query["liveChatId"] != "chat-1")
            {
                return Results.StatusCode(403);
            }

            object Item(string id, string text, string name) => new
            {
                kind = "youtube#liveChatMessage",
                etag = "e",
                id,
                snippet = new { type = "textMessageEvent", liveChatId = "chat-1", authorChannelId = "ch-" + name, publishedAt = "2020-11-19T06:10:00Z", hasDisplayContent = true, displayMessage = text, textMessageDetails = new { messageText = text } },
                authorDetails = new { channelId = "ch-" + name, displayName = name, isChatModerator = false },
            };
            return token switch
            {
                "" => Results.Json(new { kind = "youtube#liveChatMessageListResponse", etag = "x", nextPageToken = "p2", pollingIntervalMillis = 300, pageInfo = new { totalResults = 2, resultsPerPage = 2 }, items = new[] { Item("m1", "YouTubeからの質問です", "視聴者A"), Item("m2", "<b>太字</b>?", "視聴者B") } }),
                "p2" => Results.Json(new { kind = "youtube#liveChatMessageListResponse", etag = "y", nextPageToken = "p3", pollingIntervalMillis = 300, items = new[] { Item("m2", "<b>太字</b>?", "視聴者B"), Item("m3", "三つ目", "視聴者C") } }),
                _ => Results.Json(new { kind = "youtube#liveChatMessageListResponse", etag = "z", nextPageToken = "p3", pollingIntervalMillis = 300, items = Array.Empty<object>() }),
            };
        });
        await youtube.StartAsync(Ct);
        var baseUrl = youtube.Urls.First() + "/youtube/v3/";

        await using var app = await TestApp.StartAsync(db, new Dictionary<string, string?>
        {
            ["OpenGov:Events:YouTube:ApiKey"] = "test-key",
            ["OpenGov:Events:YouTube:BaseUrl"] = baseUrl,
            ["OpenGov:Events:YouTube:MinIntervalMillis"] = "100",
            ["OpenGov:Events:YouTube:DailyQuota"] = "25", // five calls of 5 units
        });
        await app.CreateEventAsync("sym", new { questionCode = "q1", youtubeLiveChatId = "chat-1", importYoutubeChat = true });

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            lock (calls)
            {
                if (calls.Count >= 5)
                {
                    break;
                }
            }

            await Task.Delay(100, Ct);
        }

        await Task.Delay(1000, Ct); // over budget: no sixth call may come
        var qs = await app.PublicQuestionsAsync("q1");
        Assert.Equal(["YouTubeからの質問です", "<b>太字</b>?", "三つ目"], qs.OrderBy(q => q!["id"]!.GetValue<long>()).Select(q => q!["text"]!.GetValue<string>()));
        Assert.All(qs, q => Assert.Equal("youtube", q!["source"]!.GetValue<string>()));
        Assert.Equal("視聴者A", qs.Single(q => q!["text"]!.GetValue<string>() == "YouTubeからの質問です")!["name"]!.GetValue<string>());

        List<(string? PageToken, DateTime At)> seen;
        lock (calls)
        {
            seen = [.. calls];
        }

        Assert.Equal(5, seen.Count); // quota: 25 units / 5 per call
        Assert.Equal([null, "p2", "p3", "p3", "p3"], seen.Select(c => c.PageToken));
        for (var i = 1; i < seen.Count; i++)
        {
            Assert.True(seen[i].At - seen[i - 1].At >= TimeSpan.FromMilliseconds(280), "pollingIntervalMillis not honoured");
        }

        var page = await app.Anonymous().GetStringAsync("/q/q1", Ct);
        Assert.Contains("&lt;b&gt;太字&lt;/b&gt;?", page);
    }
}
