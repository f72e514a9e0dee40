using System.Text;
using Microsoft.AspNetCore.Mvc;
using OpenGov.Accounts;
using QRCoder;

namespace OpenGov.Events;

/// <summary>HTTP endpoints of events: JSON API for scripts and the live pages, QR codes, live streams, exports.</summary>
public static class EventApi
{
    public sealed record SpeakerInput(string? Name, string? NameEn, string? Affiliation, string? AffiliationEn, string? Role);

    public sealed record ProgrammeInput(string? Kind, string? Title, string? TitleEn, List<SpeakerInput>? Speakers);

    public sealed record EventInput(
        string? Slug, string? Title, string? TitleEn, string? Theme, string? ThemeEn, string? Summary, string? SummaryEn,
        DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, string? Format, string? FormatEn, string? YoutubeVideoId, string? PrVideoId,
        string? ZoomJoinUrl, string? ZoomMeetingId, string? ZoomPasscode, DateOnly? PressIssuedOn, string? PressAddressee,
        List<string>? PressKinds, string? PressSender, string? QuestionCode, bool? PreModeration, List<string>? NgWords,
        string? YoutubeLiveChatId, bool? ImportYoutubeChat, List<ProgrammeInput>? Programme);

    public sealed record AssignInput(string? User, string? Role);

    public sealed record QuestionInput(string? Text, string? Name, string? Affiliation);

    public sealed record ModerateInput(string? Text, long? Into);

    public sealed record BanInput(string? Participant, long? Question);

    public sealed record SettingsInput(bool? PreModeration, List<string>? NgWords);

    public sealed record PollAnswerInput(List<long>? Choices, int? Rating, string? Text);

    public sealed record EventSummary(string Id, string Slug, string Title, string TitleEn, DateTime StartsAt, DateTime EndsAt, string QuestionUrl, long LastSeq);

    public sealed record EventAdminView(string Id, string Slug, string Title, string QuestionCode, string QuestionUrl, string PresenterUrl, bool PreModeration, IReadOnlyList<string> NgWords, long LastSeq);

    private const string IdempotencyHeader = "Idempotency-Key";

    public static IEndpointRouteBuilder MapEventApi(this IEndpointRouteBuilder app)
    {
        var participant = app.MapGroup("/q/{code}").WithTags("Events: participants").AddEndpointFilter(ErrorFilter);
        participant.MapGet("/qr.svg", QrSvg).WithName("EventQrSvg").WithSummary("QR code (SVG) of the question-posting URL.");
        participant.MapGet("/qr.png", QrPng).WithName("EventQrPng").WithSummary("QR code (PNG) of the question-posting URL.");
        participant.MapGet("/stream", PublicStream).WithName("EventPublicStream").WithSummary("Server-sent events of approved questions and open polls; honours Last-Event-ID.");
        participant.MapGet("/api/questions", PublicQuestions).WithName("EventPublicQuestions").WithSummary("Approved questions (pinned first, then by votes or time).");
        participant.MapPost("/api/questions", PostQuestion).WithName("EventPostQuestion").WithSummary("Post a question (1 to 500 characters; Idempotency-Key honoured).").DisableAntiforgery();
        participant.MapPost("/api/questions/{id:long}/vote", Vote).WithName("EventVote").WithSummary("Vote once for a question (Idempotency-Key honoured).").DisableAntiforgery();
        participant.MapGet("/api/polls", PublicPolls).WithName("EventPublicPolls").WithSummary("Open and closed polls with their results.");
        participant.MapPost("/api/polls/{id:long}/answer", AnswerPoll).WithName("EventAnswerPoll").WithSummary("Answer a poll once per round (Idempotency-Key honoured).").DisableAntiforgery();

        app.MapGet("/p/{secret}/stream", PresenterStream).WithTags("Events: participants").WithName("EventPresenterStream")
            .WithSummary("Server-sent events for the presenter screen.").AddEndpointFilter(ErrorFilter);

        var api = app.MapGroup("/api/events").WithTags("Events").AddEndpointFilter(ErrorFilter).DisableAntiforgery();
        api.MapGet("", List).WithName("EventList").WithSummary("Events, newest first.");
        api.MapPost("", Create).WithName("EventCreate").WithSummary("Create an event (sysadmin).");
        api.MapGet("/{slug}", Show).WithName("EventShow").WithSummary("An event's moderation settings and URLs (moderators).");
        api.MapPost("/{slug}/moderators", Assign).WithName("EventAssignModerator").WithSummary("Give a user the moderator or panelist role in the event.");
        api.MapDelete("/{slug}/moderators/{user}", Unassign).WithName("EventUnassignModerator").WithSummary("Take a user's role in the event away.");
        api.MapGet("/{slug}/questions", ModeratorQuestions).WithName("EventModeratorQuestions").WithSummary("All questions with their states (moderators); sort=votes|time.");
        api.MapPost("/{slug}/questions/{id:long}/{action}", Moderate).WithName("EventModerate")
            .WithSummary("approve, dismiss, highlight, unhighlight, answer, unanswer, pin, unpin, edit {text}, merge {into}.");
        api.MapPost("/{slug}/bans", Ban).WithName("EventBan").WithSummary("Ban a participant (by id or by one of their questions).");
        api.MapPut("/{slug}/settings", Settings).WithName("EventSettings").WithSummary("Pre-moderation on/off and the NG-word list.");
        api.MapGet("/{slug}/stream", ModeratorStream).WithName("EventModeratorStream").WithSummary("Server-sent events of every change (moderators).");
        api.MapGet("/{slug}/polls", ModeratorPolls).WithName("EventPolls").WithSummary("All polls with results (moderators).");
        api.MapPost("/{slug}/polls", CreatePoll).WithName("EventCreatePoll").WithSummary("Create a poll: single, multiple, rating, words or contest.");
        api.MapPost("/{slug}/polls/{id:long}/{action}", PollAction).WithName("EventPollAction").WithSummary("open, close, draft or next-round (contest).");
        return app;
    }

    private static async ValueTask<object?> ErrorFilter(EndpointFilterInvocationContext ctx, EndpointFilterDelegate next)
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
    }

    public static IResult Error(EventException e) =>
        TypedResults.Json(new { error = e.Code, message = e.En, message_ja = e.Ja }, EventJson.Options, statusCode: e.Status);

    private static Microsoft.AspNetCore.Http.HttpResults.ContentHttpResult Json(WriteResult r, HttpContext ctx)
    {
        if (r.Replayed)
        {
            ctx.Response.Headers["Idempotent-Replayed"] = "true";
        }

        return TypedResults.Text(r.Json, "application/json; charset=utf-8", Encoding.UTF8, r.Status);
    }

    private static string? Key(HttpContext ctx) => ctx.Request.Headers[IdempotencyHeader].ToString() is { Length: > 0 } k ? k : null;

    public static string BaseUrl(HttpContext ctx) => $"{ctx.Request.Scheme}://{ctx.Request.Host}{ctx.Request.PathBase}";

    public static string QuestionUrl(HttpContext ctx, Event ev) => $"{BaseUrl(ctx)}/q/{ev.QuestionCode}";

    // ---- participants ----

    private static async Task<IResult> QrSvg(string code, EventService events, HttpContext ctx, CancellationToken ct)
    {
        var ev = await events.RequireByCodeAsync(code, ct);
        using var gen = new QRCodeGenerator();
        using var data = gen.CreateQrCode(QuestionUrl(ctx, ev), QRCodeGenerator.ECCLevel.M);
        var svg = new SvgQRCode(data).GetGraphic(8);
        ctx.Response.Headers.CacheControl = "public, max-age=3600";
        return TypedResults.Text(svg, "image/svg+xml; charset=utf-8");
    }

    private static async Task<IResult> QrPng(string code, EventService events, HttpContext ctx, CancellationToken ct)
    {
        var ev = await events.RequireByCodeAsync(code, ct);
        using var gen = new QRCodeGenerator();
        using var data = gen.CreateQrCode(QuestionUrl(ctx, ev), QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(data).GetGraphic(10);
        ctx.Response.Headers.CacheControl = "public, max-age=3600";
        return TypedResults.File(png, "image/png");
    }

    private static async Task PublicStream(string code, EventBus bus, HttpContext ctx)
    {
        var id = await bus.ResolveAsync("q", code, ctx.RequestAborted);
        if (id is null)
        {
            ctx.Response.StatusCode = 404;
            return;
        }

        await EventStream.RunAsync(ctx, bus, id, moderator: false);
    }

    private static async Task PresenterStream(string secret, EventBus bus, HttpContext ctx)
    {
        var id = await bus.ResolveAsync("p", secret, ctx.RequestAborted);
        if (id is null)
        {
            ctx.Response.StatusCode = 404;
            return;
        }

        await EventStream.RunAsync(ctx, bus, id, moderator: false);
    }

    private static async Task<IResult> PublicQuestions(string code, string? sort, EventService events, CancellationToken ct)
    {
        var ev = await events.RequireByCodeAsync(code, ct);
        return TypedResults.Json(new { lastEventId = ev.LastSeq, highlighted = ev.HighlightedQuestionId, questions = await events.PublicQuestionsAsync(ev, sort ?? "votes", ct) }, EventJson.Options);
    }

    private static async Task<IResult> PostQuestion(string code, [FromBody] QuestionInput? input, EventService events, HttpContext ctx, CancellationToken ct)
    {
        var ev = await events.RequireByCodeAsync(code, ct);
        var r = await events.PostQuestionAsync(ev, Participants.ForWrite(ctx), input?.Text, input?.Name, input?.Affiliation, Key(ctx), ct: ct);
        return Json(r, ctx);
    }

    private static async Task<IResult> Vote(string code, long id, EventService events, HttpContext ctx, CancellationToken ct)
    {
        var ev = await events.RequireByCodeAsync(code, ct);
        return Json(await events.VoteAsync(ev, Participants.ForWrite(ctx), id, Key(ctx), ct), ctx);
    }

    private static async Task<IResult> PublicPolls(string code, EventService events, CancellationToken ct)
    {
        var ev = await events.RequireByCodeAsync(code, ct);
        return TypedResults.Json(new { polls = await events.PollsAsync(ev, false, ct) }, EventJson.Options);
    }

    private static async Task<IResult> AnswerPoll(string code, long id, [FromBody] PollAnswerInput? input, EventService events, HttpContext ctx, CancellationToken ct)
    {
        var ev = await events.RequireByCodeAsync(code, ct);
        return Json(await events.AnswerPollAsync(ev, Participants.ForWrite(ctx), id, input?.Choices, input?.Rating, input?.Text, Key(ctx), ct), ctx);
    }

    // ---- moderators ----

    private static async Task<IResult> List(EventService events, HttpContext ctx, CancellationToken ct) =>
        TypedResults.Json((await events.ListAsync(ct)).Select(e => new EventSummary(e.Id, e.Slug, e.TitleJa, e.TitleEn, e.StartsAt, e.EndsAt, QuestionUrl(ctx, e), e.LastSeq)).ToList(), EventJson.Options);

    private static async Task<IResult> Create([FromBody] EventInput? input, EventService events, CurrentUser user, HttpContext ctx, CancellationToken ct)
    {
        if (!user.IsAuthenticated)
        {
            throw new EventException(401, "unauthorized", "ログインしてください。", "Login or an API token is required.");
        }

        if (input is null)
        {
            throw EventException.Invalid("内容がありません。", "A JSON body is required.");
        }

        if (input.PressKinds?.FirstOrDefault(k => !Pages.DetailModel.PressKindList.Contains(k)) is { } badKind)
        {
            throw EventException.Invalid("種別は 取材依頼・周知依頼・募集告知 から選んでください。", $"press_kinds: '{badKind}' is not one of 取材依頼, 周知依頼, 募集告知.");
        }

        var ev = new Event
        {
            Slug = input.Slug ?? "",
            TitleJa = input.Title ?? "",
            TitleEn = input.TitleEn ?? "",
            ThemeJa = input.Theme ?? "",
            ThemeEn = input.ThemeEn ?? "",
            SummaryJa = input.Summary ?? "",
            SummaryEn = input.SummaryEn ?? "",
            StartsAt = (input.StartsAt ?? DateTimeOffset.UtcNow).UtcDateTime,
            EndsAt = (input.EndsAt ?? input.StartsAt?.AddHours(1) ?? DateTimeOffset.UtcNow.AddHours(1)).UtcDateTime,
            FormatJa = input.Format ?? "",
            FormatEn = input.FormatEn ?? "",
            YouTubeVideoId = ValidVideoId(input.YoutubeVideoId),
            PrVideoId = ValidVideoId(input.PrVideoId),
            ZoomJoinUrl = input.ZoomJoinUrl,
            ZoomMeetingId = input.ZoomMeetingId,
            ZoomPasscode = input.ZoomPasscode,
            PressIssuedOn = input.PressIssuedOn,
            PressAddressee = input.PressAddressee ?? "",
            PressKinds = string.Join(',', input.PressKinds ?? []),
            PressSender = input.PressSender ?? "",
            QuestionCode = input.QuestionCode ?? "",
            PresenterSecret = "",
            PreModeration = input.PreModeration ?? false,
            NgWords = string.Join('\n', input.NgWords ?? []),
            YouTubeLiveChatId = input.YoutubeLiveChatId,
            ImportYouTubeChat = input.ImportYoutubeChat ?? false,
            Programme = (input.Programme ?? []).Select((p, i) => new ProgrammeItem
            {
                Order = i,
                Kind = p.Kind ?? "other",
                TitleJa = p.Title ?? "",
                TitleEn = p.TitleEn ?? "",
                Speakers = (p.Speakers ?? []).Select((s, j) => new Speaker
                {
                    Order = j,
                    NameJa = s.Name ?? "",
                    NameEn = s.NameEn ?? "",
                    AffiliationJa = s.Affiliation ?? "",
                    AffiliationEn = s.AffiliationEn ?? "",
                    Role = s.Role ?? "panelist",
                }).ToList(),
            }).ToList(),
        };
        await events.CreateAsync(ev, ct);
        return TypedResults.Json(AdminView(ev, ctx), EventJson.Options, statusCode: 201);
    }

    private static string? ValidVideoId(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return null;
        }

        id = id.Trim();
        return id.Length is >= 6 and <= 20 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            ? id
            : throw EventException.Invalid("YouTube の動画IDが不正です。", "youtube video id: 6 to 20 characters A-Z, a-z, 0-9, '-' or '_'.");
    }

    private static EventAdminView AdminView(Event ev, HttpContext ctx) => new(ev.Id, ev.Slug, ev.TitleJa, ev.QuestionCode, QuestionUrl(ctx, ev),
        $"{BaseUrl(ctx)}/p/{ev.PresenterSecret}", ev.PreModeration, ev.NgWords.Split('\n', StringSplitOptions.RemoveEmptyEntries), ev.LastSeq);

    private static async Task<Event> ModeratedAsync(string slug, EventService events, CurrentUser user, CancellationToken ct)
    {
        var ev = await events.RequireBySlugAsync(slug, ct);
        if (!user.IsAuthenticated)
        {
            throw new EventException(401, "unauthorized", "ログインしてください。", "Login or an API token is required.");
        }

        await events.RequireModeratorAsync(ev, ct);
        return ev;
    }

    private static async Task<IResult> Show(string slug, EventService events, CurrentUser user, HttpContext ctx, CancellationToken ct) =>
        TypedResults.Json(AdminView(await ModeratedAsync(slug, events, user, ct), ctx), EventJson.Options);

    private static async Task<IResult> Assign(string slug, [FromBody] AssignInput? input, EventService events, CurrentUser user, CancellationToken ct)
    {
        var ev = await ModeratedAsync(slug, events, user, ct);
        await events.AssignAsync(ev, input?.User ?? "", input?.Role ?? EventRoles.Moderator, ct);
        return TypedResults.Json(new { user = input?.User, role = input?.Role ?? EventRoles.Moderator }, EventJson.Options);
    }

    private static async Task<IResult> Unassign(string slug, string user, EventService events, CurrentUser current, CancellationToken ct)
    {
        var ev = await ModeratedAsync(slug, events, current, ct);
        await events.UnassignAsync(ev, user, ct);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> ModeratorQuestions(string slug, string? sort, EventService events, CurrentUser user, CancellationToken ct)
    {
        var ev = await ModeratedAsync(slug, events, user, ct);
        return TypedResults.Json(new { lastEventId = ev.LastSeq, highlighted = ev.HighlightedQuestionId, preModeration = ev.PreModeration, questions = await events.ModeratorQuestionsAsync(ev, sort ?? "votes", ct) }, EventJson.Options);
    }

    private static async Task<IResult> Moderate(string slug, long id, string action, [FromBody] ModerateInput? input, EventService events, CurrentUser user, HttpContext ctx, CancellationToken ct)
    {
        var ev = await ModeratedAsync(slug, events, user, ct);
        return Json(await events.ModerateAsync(ev, id, action, input?.Text, input?.Into, Key(ctx), ct), ctx);
    }

    private static async Task<IResult> Ban(string slug, [FromBody] BanInput? input, EventService events, CurrentUser user, HttpContext ctx, CancellationToken ct)
    {
        var ev = await ModeratedAsync(slug, events, user, ct);
        return Json(await events.BanAsync(ev, input?.Participant, input?.Question, ct), ctx);
    }

    private static async Task<IResult> Settings(string slug, [FromBody] SettingsInput? input, EventService events, CurrentUser user, HttpContext ctx, CancellationToken ct)
    {
        var ev = await ModeratedAsync(slug, events, user, ct);
        return Json(await events.SettingsAsync(ev, input?.PreModeration, input?.NgWords is null ? null : string.Join('\n', input.NgWords), ct), ctx);
    }

    private static async Task ModeratorStream(string slug, EventService events, CurrentUser user, EventBus bus, HttpContext ctx)
    {
        Event ev;
        try
        {
            ev = await ModeratedAsync(slug, events, user, ctx.RequestAborted);
        }
        catch (EventException e)
        {
            ctx.Response.StatusCode = e.Status;
            return;
        }

        await EventStream.RunAsync(ctx, bus, ev.Id, moderator: true);
    }

    private static async Task<IResult> ModeratorPolls(string slug, EventService events, CurrentUser user, CancellationToken ct)
    {
        var ev = await ModeratedAsync(slug, events, user, ct);
        return TypedResults.Json(new { polls = await events.PollsAsync(ev, true, ct) }, EventJson.Options);
    }

    private static async Task<IResult> CreatePoll(string slug, [FromBody] EventService.PollInput? input, EventService events, CurrentUser user, HttpContext ctx, CancellationToken ct)
    {
        var ev = await ModeratedAsync(slug, events, user, ct);
        var r = await events.CreatePollAsync(ev, input ?? new EventService.PollInput(null, null, null, null, null, null), ct);
        return TypedResults.Text(r.Json, "application/json; charset=utf-8", Encoding.UTF8, 201);
    }

    private static async Task<IResult> PollAction(string slug, long id, string action, EventService events, CurrentUser user, HttpContext ctx, CancellationToken ct)
    {
        var ev = await ModeratedAsync(slug, events, user, ct);
        return Json(await events.PollActionAsync(ev, id, action, ct), ctx);
    }
}
