using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace OpenGov.Events;

/// <summary>
/// A participant of an event needs no account: a random token in an HttpOnly cookie. Only a hash of the token
/// (the participant id) is stored, so an export or a database copy cannot be used to act as someone.
/// </summary>
public static class Participants
{
    public const string CookieName = "og_participant";
    private const string ItemKey = "opengov.participant";

    /// <summary>The request's participant token, creating it (and the cookie) when missing.</summary>
    public static string Token(HttpContext ctx)
    {
        if (ctx.Items[ItemKey] is string cached)
        {
            return cached;
        }

        var token = ExistingToken(ctx);
        if (token is null)
        {
            token = Base64Url(RandomNumberGenerator.GetBytes(16));
            if (!ctx.Response.HasStarted)
            {
                ctx.Response.Cookies.Append(CookieName, token, new CookieOptions
                {
                    HttpOnly = true,
                    IsEssential = true,
                    SameSite = SameSiteMode.Lax,
                    Secure = ctx.Request.IsHttps,
                    Expires = DateTimeOffset.UtcNow.AddYears(1),
                    Path = "/",
                });
            }
        }

        ctx.Items[ItemKey] = token;
        return token;
    }

    /// <summary>The participant token of the cookie when it is well formed.</summary>
    public static string? ExistingToken(HttpContext ctx)
    {
        var value = ctx.Request.Cookies[CookieName];
        return value is { Length: >= 16 and <= 64 } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? value : null;
    }

    /// <summary>The stored id of a participant: a hash of the token.</summary>
    public static string IdOf(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("opengov-participant:" + token)))[..24];

    public static string Id(HttpContext ctx) => IdOf(Token(ctx));

    /// <summary>
    /// The participant of a write. A request without the cookie would otherwise be a new participant each time (a
    /// way round "one vote per participant"): such writes are limited per client address.
    /// </summary>
    public static string ForWrite(HttpContext ctx)
    {
        if (ExistingToken(ctx) is null && ctx.Items[ItemKey] is null)
        {
            var limits = ctx.RequestServices.GetRequiredService<EventRateLimits>();
            if (!limits.TryCookieless(ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown"))
            {
                throw new EventException(429, "rate_limited", "Cookie を有効にしてから、もう一度お試しください。", "Too many requests without the participant cookie from this address: enable cookies and try again.");
            }
        }

        return Id(ctx);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>Limits of the question features (configuration section OpenGov:Events).</summary>
public sealed class EventsOptions
{
    /// <summary>Questions a participant may post in a burst, and the refill per minute.</summary>
    public int QuestionBurst { get; set; } = 5;
    public int QuestionsPerMinute { get; set; } = 6;

    /// <summary>Votes (questions and polls) a participant may cast in a burst, and the refill per minute.</summary>
    public int VoteBurst { get; set; } = 30;
    public int VotesPerMinute { get; set; } = 60;

    /// <summary>Writes without the participant cookie per client address in a burst, and per minute (0: no limit).</summary>
    public int CookielessBurst { get; set; } = 20;
    public int CookielessPerMinute { get; set; } = 30;

    /// <summary>Log entries each live connection may have queued before it is dropped (it then reconnects and catches up).</summary>
    public int ConnectionBuffer { get; set; } = 64;

    /// <summary>Log entries each node keeps in memory per event for reconnect catch-up (older ones come from the database).</summary>
    public int RingSize { get; set; } = 1024;

    /// <summary>Seconds between heartbeats on live streams.</summary>
    public int HeartbeatSeconds { get; set; } = 15;

    /// <summary>Seconds between safety reads of the log while viewers are connected (covers lost Redis messages).</summary>
    public double SafetyReadSeconds { get; set; } = 2;

    public YouTubeChatOptions YouTube { get; set; } = new();
}

/// <summary>YouTube live chat import.</summary>
public sealed class YouTubeChatOptions
{
    /// <summary>API key of the YouTube Data API; the importer is off without it.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Base URL of the YouTube Data API v3 (a stand-in server in tests).</summary>
    public string BaseUrl { get; set; } = "https://www.googleapis.com/youtube/v3/";

    /// <summary>Quota units a day (liveChatMessages.list costs 5 units a call).</summary>
    public int DailyQuota { get; set; } = 10000;
    public int CostPerCall { get; set; } = 5;

    /// <summary>Shortest wait between calls, whatever pollingIntervalMillis says.</summary>
    public int MinIntervalMillis { get; set; } = 1000;
}

/// <summary>Per-participant rate limits (System.Threading.RateLimiting token buckets partitioned by participant).</summary>
public sealed class EventRateLimits : IDisposable
{
    private readonly PartitionedRateLimiter<string> _questions;
    private readonly PartitionedRateLimiter<string> _votes;
    private readonly PartitionedRateLimiter<string>? _cookieless;

    public EventRateLimits(IOptions<EventsOptions> options)
    {
        var o = options.Value;
        _cookieless = o.CookielessBurst <= 0 ? null
            : PartitionedRateLimiter.Create<string, string>(p => RateLimitPartition.GetTokenBucketLimiter(p, _ => Bucket(o.CookielessBurst, o.CookielessPerMinute)));
        _questions = PartitionedRateLimiter.Create<string, string>(p => RateLimitPartition.GetTokenBucketLimiter(p, _ => Bucket(o.QuestionBurst, o.QuestionsPerMinute)));
        _votes = PartitionedRateLimiter.Create<string, string>(p => RateLimitPartition.GetTokenBucketLimiter(p, _ => Bucket(o.VoteBurst, o.VotesPerMinute)));
    }

    private static TokenBucketRateLimiterOptions Bucket(int burst, int perMinute) => new()
    {
        TokenLimit = Math.Max(1, burst),
        TokensPerPeriod = Math.Max(1, perMinute / 6),
        ReplenishmentPeriod = TimeSpan.FromSeconds(10),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    public bool TryQuestion(string participantId)
    {
        using var lease = _questions.AttemptAcquire(participantId);
        return lease.IsAcquired;
    }

    public bool TryVote(string participantId)
    {
        using var lease = _votes.AttemptAcquire(participantId);
        return lease.IsAcquired;
    }

    public bool TryCookieless(string address)
    {
        if (_cookieless is null)
        {
            return true;
        }

        using var lease = _cookieless.AttemptAcquire(address);
        return lease.IsAcquired;
    }

    public void Dispose()
    {
        _cookieless?.Dispose();
        _questions.Dispose();
        _votes.Dispose();
    }
}
