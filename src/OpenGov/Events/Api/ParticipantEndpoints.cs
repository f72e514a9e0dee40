using Microsoft.AspNetCore.Mvc;
using OpenGov.Events.Live;
using OpenGov.Events.Polls;
using OpenGov.Events.Questions;
using QRCoder;

namespace OpenGov.Events.Api;

/// <summary>Handlers for participants (no login: the participant cookie) and the presenter screen.</summary>
internal static class ParticipantEndpoints
{
    public static async Task<IResult> QrSvg(string code, EventQueries events, HttpContext ctx, CancellationToken ct)
    {
        using var data = await QrAsync(code, events, ctx, ct);
        return TypedResults.Text(new SvgQRCode(data).GetGraphic(8), "image/svg+xml; charset=utf-8");
    }

    public static async Task<IResult> QrPng(string code, EventQueries events, HttpContext ctx, CancellationToken ct)
    {
        using var data = await QrAsync(code, events, ctx, ct);
        return TypedResults.File(new PngByteQRCode(data).GetGraphic(10), "image/png");
    }

    /// <summary>The QR code of the event's question-posting URL, cacheable for an hour.</summary>
    private static async Task<QRCodeData> QrAsync(string code, EventQueries events, HttpContext ctx, CancellationToken ct)
    {
        var ev = await events.RequireByCodeAsync(code, ct);
        using var gen = new QRCodeGenerator();
        var data = gen.CreateQrCode(EventUrls.QuestionUrl(ctx, ev), QRCodeGenerator.ECCLevel.M);
        ctx.Response.Headers.CacheControl = "public, max-age=3600";
        return data;
    }

    public static Task PublicStream(string code, EventBus bus, HttpContext ctx) => StreamAsync("q", code, bus, ctx);

    public static Task PresenterStream(string secret, EventBus bus, HttpContext ctx) => StreamAsync("p", secret, bus, ctx);

    /// <summary>The public stream of the event with this question code ("q") or presenter secret ("p"); 404 when none.</summary>
    private static async Task StreamAsync(string kind, string key, EventBus bus, HttpContext ctx)
    {
        var id = await bus.ResolveAsync(kind, key, ctx.RequestAborted);
        if (id is null)
        {
            ctx.Response.StatusCode = 404;
            return;
        }

        await EventStream.RunAsync(ctx, bus, id, moderator: false);
    }

    public static async Task<IResult> Questions(string code, string? sort, EventQueries events, CancellationToken ct)
    {
        var ev = await events.RequireByCodeAsync(code, ct);
        return TypedResults.Json(new { lastEventId = ev.LastSeq, highlighted = ev.HighlightedQuestionId, questions = await events.PublicQuestionsAsync(ev, sort ?? "votes", ct) }, EventJson.Options);
    }

    public static async Task<IResult> PostQuestion(string code, [FromBody] QuestionInput? input, EventQueries events, QuestionService questions, HttpContext ctx, CancellationToken ct)
    {
        var ev = await events.RequireByCodeAsync(code, ct);
        var r = await questions.PostQuestionAsync(ev, Participants.ForWrite(ctx), input?.Text, input?.Name, input?.Affiliation, EventApi.Key(ctx), ct: ct);
        return EventApi.Json(r, ctx);
    }

    public static async Task<IResult> Vote(string code, long id, EventQueries events, QuestionService questions, HttpContext ctx, CancellationToken ct)
    {
        var ev = await events.RequireByCodeAsync(code, ct);
        return EventApi.Json(await questions.VoteAsync(ev, Participants.ForWrite(ctx), id, EventApi.Key(ctx), ct), ctx);
    }

    public static async Task<IResult> Unvote(string code, long id, EventQueries events, QuestionService questions, HttpContext ctx, CancellationToken ct)
    {
        var ev = await events.RequireByCodeAsync(code, ct);
        return EventApi.Json(await questions.UnvoteAsync(ev, Participants.ForWrite(ctx), id, EventApi.Key(ctx), ct), ctx);
    }

    public static async Task<IResult> Polls(string code, EventQueries events, PollService polls, CancellationToken ct)
    {
        var ev = await events.RequireByCodeAsync(code, ct);
        return TypedResults.Json(new { polls = await polls.ListAsync(ev, false, ct) }, EventJson.Options);
    }

    public static async Task<IResult> AnswerPoll(string code, long id, [FromBody] PollAnswerInput? input, EventQueries events, PollService polls, HttpContext ctx, CancellationToken ct)
    {
        var ev = await events.RequireByCodeAsync(code, ct);
        return EventApi.Json(await polls.AnswerAsync(ev, Participants.ForWrite(ctx), id, input?.Choices, input?.Rating, input?.Text, EventApi.Key(ctx), ct), ctx);
    }
}
