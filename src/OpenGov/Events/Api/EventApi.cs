using System.Text;
using OpenGov.Events.Moderation;
using OpenGov.Events.Writing;

namespace OpenGov.Events.Api;

/// <summary>
/// HTTP endpoints of events: the participants' JSON API, QR codes and live streams under /q/{code}; the presenter
/// stream; the events API under /api/events, whose /{slug} group is authorised once by <see cref="ModeratorFilter"/>.
/// Every error answers in the API's own shape {error, message, message_ja}, a full disk too (507 storage_full).
/// </summary>
public static class EventApi
{
    private const string IdempotencyHeader = "Idempotency-Key";

    public static IEndpointRouteBuilder MapEventApi(this IEndpointRouteBuilder app)
    {
        var participant = app.MapGroup("/q/{code}").WithTags("Events: participants").AddEndpointFilter(ErrorFilter);
        participant.MapGet("/qr.svg", ParticipantEndpoints.QrSvg).WithName("EventQrSvg").WithSummary("QR code (SVG) of the question-posting URL.");
        participant.MapGet("/qr.png", ParticipantEndpoints.QrPng).WithName("EventQrPng").WithSummary("QR code (PNG) of the question-posting URL.");
        participant.MapGet("/stream", ParticipantEndpoints.PublicStream).WithName("EventPublicStream").WithSummary("Server-sent events of approved questions and open polls; honours Last-Event-ID.");
        participant.MapGet("/api/questions", ParticipantEndpoints.Questions).WithName("EventPublicQuestions").WithSummary("Approved questions (pinned first, then by votes or time).");
        participant.MapPost("/api/questions", ParticipantEndpoints.PostQuestion).WithName("EventPostQuestion").WithSummary("Post a question (1 to 500 characters; Idempotency-Key honoured).").DisableAntiforgery();
        participant.MapPost("/api/questions/{id:long}/vote", ParticipantEndpoints.Vote).WithName("EventVote").WithSummary("Vote once for a question (Idempotency-Key honoured).").DisableAntiforgery();
        participant.MapDelete("/api/questions/{id:long}/vote", ParticipantEndpoints.Unvote).WithName("EventUnvote").WithSummary("Take one's vote for a question back (Idempotency-Key honoured).").DisableAntiforgery();
        participant.MapGet("/api/polls", ParticipantEndpoints.Polls).WithName("EventPublicPolls").WithSummary("Open and closed polls with their results.");
        participant.MapPost("/api/polls/{id:long}/answer", ParticipantEndpoints.AnswerPoll).WithName("EventAnswerPoll").WithSummary("Answer a poll once per round (Idempotency-Key honoured).").DisableAntiforgery();

        app.MapGet("/p/{secret}/stream", ParticipantEndpoints.PresenterStream).WithTags("Events: participants").WithName("EventPresenterStream")
            .WithSummary("Server-sent events for the presenter screen.").AddEndpointFilter(ErrorFilter);

        var api = app.MapGroup("/api/events").WithTags("Events").AddEndpointFilter(ErrorFilter).DisableAntiforgery();
        api.MapGet("", ModeratorEndpoints.List).WithName("EventList").WithSummary("Events, newest first.");
        api.MapPost("", ModeratorEndpoints.Create).WithName("EventCreate").WithSummary("Create an event (sysadmin).");

        var moderated = api.MapGroup("/{slug}").AddEndpointFilter<ModeratorFilter>();
        moderated.MapGet("", ModeratorEndpoints.Show).WithName("EventShow").WithSummary("An event's moderation settings and URLs (moderators).");
        moderated.MapPost("/moderators", ModeratorEndpoints.Assign).WithName("EventAssignModerator").WithSummary("Give a user the moderator or panelist role in the event.");
        moderated.MapDelete("/moderators/{user}", ModeratorEndpoints.Unassign).WithName("EventUnassignModerator").WithSummary("Take a user's role in the event away.");
        moderated.MapGet("/questions", ModeratorEndpoints.Questions).WithName("EventModeratorQuestions").WithSummary("All questions with their states (moderators); sort=votes|time.");
        moderated.MapPost("/questions/{id:long}/{action}", ModeratorEndpoints.Moderate).WithName("EventModerate")
            .WithSummary("approve, dismiss, highlight, unhighlight, answer, unanswer, pin, unpin, edit {text}, merge {into}.");
        moderated.MapPost("/bans", ModeratorEndpoints.Ban).WithName("EventBan").WithSummary("Ban a participant (by id or by one of their questions).");
        moderated.MapPut("/settings", ModeratorEndpoints.Settings).WithName("EventSettings").WithSummary("Pre-moderation on/off, the NG-word list and whether participants may vote for their own question.");
        moderated.MapGet("/stream", ModeratorEndpoints.Stream).WithName("EventModeratorStream").WithSummary("Server-sent events of every change (moderators).");
        moderated.MapGet("/polls", ModeratorEndpoints.Polls).WithName("EventPolls").WithSummary("All polls with results (moderators).");
        moderated.MapPost("/polls", ModeratorEndpoints.CreatePoll).WithName("EventCreatePoll")
            .WithSummary("Create a poll: single, multiple, rating, words or leaderboard (formerly contest, still accepted).");
        moderated.MapPost("/polls/{id:long}/{action}", ModeratorEndpoints.PollAction).WithName("EventPollAction").WithSummary("open, close, draft or next-round (leaderboard).");
        return app;
    }

    /// <summary>An <see cref="EventException"/> (or a malformed request) as the API's error answer.</summary>
    public static async ValueTask<object?> ErrorFilter(EndpointFilterInvocationContext ctx, EndpointFilterDelegate next)
    {
        try
        {
            return await next(ctx);
        }
        catch (EventException e)
        {
            return Error(e);
        }
        catch (BadHttpRequestException e)
        {
            return Error(EventException.Invalid("リクエストが不正です。", e.Message));
        }
        catch (Exception e) when (Hosting.StorageSpace.IsDiskFull(e))
        {
            ctx.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(EventApi))
                .LogError(e, "An events API write ran out of disk space: {Path}", ctx.HttpContext.Request.Path);
            return Error(EventException.StorageFull());
        }
    }

    public static IResult Error(EventException e) =>
        TypedResults.Json(new { error = e.Code, message = e.En, message_ja = e.Ja }, EventJson.Options, statusCode: e.Status);

    /// <summary>The answer of a write as recorded (marked when it is a replay of a repeated Idempotency-Key).</summary>
    internal static IResult Json(WriteResult r, HttpContext ctx, int? status = null)
    {
        if (r.Replayed)
        {
            ctx.Response.Headers["Idempotent-Replayed"] = "true";
        }

        return TypedResults.Text(r.Json, "application/json; charset=utf-8", Encoding.UTF8, status ?? r.Status);
    }

    internal static string? Key(HttpContext ctx) => ctx.Request.Headers[IdempotencyHeader].ToString() is { Length: > 0 } k ? k : null;
}
