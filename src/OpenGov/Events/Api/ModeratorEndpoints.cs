using Microsoft.AspNetCore.Mvc;
using OpenGov.Accounts;
using OpenGov.Events.Live;
using OpenGov.Events.Moderation;
using OpenGov.Events.Polls;

namespace OpenGov.Events.Api;

/// <summary>
/// Handlers of /api/events. Those under /{slug} run after <see cref="ModeratorFilter"/> has found the event and
/// authorised the caller, and take the event from it.
/// </summary>
internal static class ModeratorEndpoints
{
    public static async Task<IResult> List(EventQueries events, HttpContext ctx, CancellationToken ct) =>
        TypedResults.Json((await events.ListAsync(ct)).Select(e => new EventSummary(e.Id, e.Slug, e.Title, e.TitleEn, e.StartsAt, e.EndsAt, EventUrls.QuestionUrl(ctx, e), e.LastSeq)).ToList(), EventJson.Options);

    public static async Task<IResult> Create([FromBody] EventInput? input, EventSetup setup, CurrentUser user, HttpContext ctx, CancellationToken ct)
    {
        if (!user.IsAuthenticated)
        {
            throw EventException.Unauthorized();
        }

        var ev = (input ?? throw EventException.Invalid("内容がありません。", "A JSON body is required.")).ToEvent();
        await setup.CreateAsync(ev, ct);
        return TypedResults.Json(AdminView(ev, ctx), EventJson.Options, statusCode: 201);
    }

    private static EventAdminView AdminView(Event ev, HttpContext ctx) => new(ev.Id, ev.Slug, ev.Title, ev.QuestionCode, EventUrls.QuestionUrl(ctx, ev),
        EventUrls.PresenterUrl(ctx, ev), ev.PreModeration, ev.NgWords.Split('\n', StringSplitOptions.RemoveEmptyEntries), ev.LastSeq, ev.VoteOwnQuestion);

    public static IResult Show(HttpContext ctx) => TypedResults.Json(AdminView(ModeratorFilter.EventOf(ctx), ctx), EventJson.Options);

    public static async Task<IResult> Assign([FromBody] AssignInput? input, EventSetup setup, HttpContext ctx, CancellationToken ct)
    {
        var role = input?.Role ?? EventRoles.Moderator;
        await setup.AssignAsync(ModeratorFilter.EventOf(ctx), input?.User ?? "", role, ct);
        return TypedResults.Json(new { user = input?.User, role }, EventJson.Options);
    }

    public static async Task<IResult> Unassign(string user, EventSetup setup, HttpContext ctx, CancellationToken ct)
    {
        await setup.UnassignAsync(ModeratorFilter.EventOf(ctx), user, ct);
        return TypedResults.NoContent();
    }

    public static async Task<IResult> Questions(string? sort, EventQueries events, HttpContext ctx, CancellationToken ct)
    {
        var ev = ModeratorFilter.EventOf(ctx);
        return TypedResults.Json(new { lastEventId = ev.LastSeq, highlighted = ev.HighlightedQuestionId, preModeration = ev.PreModeration, questions = await events.ModeratorQuestionsAsync(ev, sort ?? "votes", ct) }, EventJson.Options);
    }

    public static async Task<IResult> Moderate(long id, string action, [FromBody] ModerateInput? input, ModerationService moderation, HttpContext ctx, CancellationToken ct) =>
        EventApi.Json(await moderation.ModerateAsync(ModeratorFilter.EventOf(ctx), id, action, input?.Text, input?.Into, EventApi.Key(ctx), ct), ctx);

    public static async Task<IResult> Ban([FromBody] BanInput? input, ModerationService moderation, HttpContext ctx, CancellationToken ct) =>
        EventApi.Json(await moderation.BanAsync(ModeratorFilter.EventOf(ctx), input?.Participant, input?.Question, ct), ctx);

    public static async Task<IResult> Settings([FromBody] SettingsInput? input, ModerationService moderation, HttpContext ctx, CancellationToken ct) =>
        EventApi.Json(await moderation.SettingsAsync(ModeratorFilter.EventOf(ctx), input?.PreModeration, input?.NgWords is null ? null : string.Join('\n', input.NgWords), input?.VoteOwnQuestion, ct), ctx);

    public static Task Stream(EventBus bus, HttpContext ctx) => EventStream.RunAsync(ctx, bus, ModeratorFilter.EventOf(ctx).Id, moderator: true);

    public static async Task<IResult> Polls(PollService polls, HttpContext ctx, CancellationToken ct) =>
        TypedResults.Json(new { polls = await polls.ListAsync(ModeratorFilter.EventOf(ctx), true, ct) }, EventJson.Options);

    public static async Task<IResult> CreatePoll([FromBody] PollInput? input, PollService polls, HttpContext ctx, CancellationToken ct)
    {
        var r = await polls.CreateAsync(ModeratorFilter.EventOf(ctx), input ?? new PollInput(null, null, null, null, null, null), ct);
        return EventApi.Json(r, ctx, 201);
    }

    public static async Task<IResult> PollAction(long id, string action, PollService polls, HttpContext ctx, CancellationToken ct) =>
        EventApi.Json(await polls.ActAsync(ModeratorFilter.EventOf(ctx), id, action, ct), ctx);
}
