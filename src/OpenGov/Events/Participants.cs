using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace OpenGov.Events;

/// <summary>
/// A participant of an event needs no account: a random token in an HttpOnly cookie, issued by the server and
/// protected with the shared data-protection key ring, so a client cannot make up participants by inventing cookie
/// values: an unknown or unsigned value counts as no cookie (a new participant). Only a hash of the token (the
/// participant id) is stored, so an export or a database copy cannot be used to act as someone. Each participant's
/// first write on a node is admitted against a per-address budget of new participants (EventsOptions.NewParticipant*),
/// so cookies collected by the hundred from one address do not become hundreds of votes.
/// </summary>
public static class Participants
{
    public const string CookieName = "og_participant";
    private const string ItemKey = "opengov.participant";
    private const string Purpose = "OpenGov.Events.Participant.v1";

    /// <summary>The cookie value of a new participant token: the token protected with the key ring.</summary>
    public static string Protect(IServiceProvider services, string token) =>
        services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Protect(token);

    /// <summary>A new participant's cookie value (tests and tools; the server issues its own through <see cref="Token"/>).</summary>
    public static string NewCookieValue(IServiceProvider services) => Protect(services, NewToken());

    private static string NewToken() => Base64Url(RandomNumberGenerator.GetBytes(16));

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
            token = NewToken();
            if (!ctx.Response.HasStarted)
            {
                ctx.Response.Cookies.Append(CookieName, Protect(ctx.RequestServices, token), new CookieOptions
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

    /// <summary>The participant token of the cookie when the server issued it (its protection checks out); else null.</summary>
    public static string? ExistingToken(HttpContext ctx)
    {
        var value = ctx.Request.Cookies[CookieName];
        if (value is not { Length: > 0 and <= 512 })
        {
            return null;
        }

        try
        {
            var token = ctx.RequestServices.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Unprotect(value);
            return token is { Length: >= 16 and <= 64 } ? token : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    /// <summary>The stored id of a participant: a hash of the token.</summary>
    public static string IdOf(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("opengov-participant:" + token)))[..24];

    public static string Id(HttpContext ctx) => IdOf(Token(ctx));

    /// <summary>
    /// The participant of a write. A participant new to this node (no valid cookie, or a valid one not seen writing
    /// yet) is admitted against the per-address budget of new participants; beyond it the write answers 429.
    /// </summary>
    public static string ForWrite(HttpContext ctx)
    {
        var id = Id(ctx);
        var limits = ctx.RequestServices.GetRequiredService<EventRateLimits>();
        if (!limits.TryAdmit(id, ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown"))
        {
            throw new EventException(429, "rate_limited",
                "この接続元からの新しい参加者が多すぎます。Cookie を有効にして、しばらく待ってから、もう一度お試しください。",
                "Too many new participants from this address: enable cookies, wait a little and try again.");
        }

        return id;
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

    /// <summary>
    /// New participants (a write without a valid participant cookie, or the first write of a cookie on this node) per
    /// client address in a burst, and per minute (0: no limit). A venue's shared NAT puts the whole audience behind one
    /// address: raise these for a large hall (e.g. burst 300). Keys kept from when only cookie-less writes counted.
    /// </summary>
    public int CookielessBurst { get; set; } = 40;
    public int CookielessPerMinute { get; set; } = 60;

    /// <summary>Whether a participant may vote for their own question (OpenGov:Events:VoteOwnQuestion; default yes).</summary>
    public bool VoteOwnQuestion { get; set; } = true;

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
    private readonly MemoryCache _admitted = new(new MemoryCacheOptions { SizeLimit = 200_000 });

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

    /// <summary>
    /// Admits a participant's write: one already admitted on this node passes; a new one takes a token of the
    /// address's budget of new participants (and is remembered when it gets one).
    /// </summary>
    public bool TryAdmit(string participantId, string address)
    {
        if (_cookieless is null || _admitted.TryGetValue(participantId, out _))
        {
            return true;
        }

        using var lease = _cookieless.AttemptAcquire(address);
        if (!lease.IsAcquired)
        {
            return false;
        }

        _admitted.Set(participantId, true, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromHours(12) });
        return true;
    }

    public void Dispose()
    {
        _cookieless?.Dispose();
        _admitted.Dispose();
        _questions.Dispose();
        _votes.Dispose();
    }
}
