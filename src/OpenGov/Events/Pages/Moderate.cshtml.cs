using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenGov.Accounts;
using OpenGov.Events.Moderation;
using OpenGov.Events.Polls;

namespace OpenGov.Events.Pages;

/// <summary>
/// The moderator console: queue, actions, settings, polls, exports. Needs the moderator role of the event, checked
/// once per request before any handler runs (<see cref="OnPageHandlerExecutionAsync"/>).
/// </summary>
public sealed class ModerateModel(EventQueries events, EventAuthorization authorization, CurrentUser user, ModerationService moderation, PollService polls) : PageModel
{
    public Event Event { get; private set; } = null!;

    public List<QuestionView> Questions { get; private set; } = [];

    public List<PollView> Polls { get; private set; } = [];

    public string? Error { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string Sort { get; set; } = "votes";

    public bool English => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    public string Pick(string ja, string en) => English && !string.IsNullOrWhiteSpace(en) ? en : ja;

    /// <summary>The event must exist (404), the user be signed in (else the login page) and one of its moderators (403).</summary>
    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var ct = HttpContext.RequestAborted;
        var ev = await events.FindBySlugAsync(RouteData.Values["slug"] as string ?? "", ct);
        if (ev is null)
        {
            context.Result = NotFound();
            return;
        }

        if (!user.IsAuthenticated)
        {
            context.Result = Redirect("/user/login?returnUrl=" + Uri.EscapeDataString(Request.Path));
            return;
        }

        if (!await authorization.CanModerateAsync(ev, ct))
        {
            context.Result = StatusCode(403);
            return;
        }

        Event = ev;
        await next();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Sort = Sort == "time" ? "time" : "votes";
        Questions = await events.ModeratorQuestionsAsync(Event, Sort, ct);
        Polls = await polls.ListAsync(Event, true, ct);
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        return Page();
    }

    private async Task<IActionResult> RunAsync(Func<Task> action, string anchor, CancellationToken ct)
    {
        try
        {
            await action();
            return Redirect($"/event/{Event.Slug}/moderate" + (Sort == "time" ? "?sort=time" : "") + anchor);
        }
        catch (Exception ex) when (EventException.From(ex) is { } e)
        {
            Error = e.Localized;
            Response.StatusCode = e.Status;
            Event = (await events.FindBySlugAsync(Event.Slug, ct))!;
            await LoadAsync(ct);
            return Page();
        }
    }

    public Task<IActionResult> OnPostActAsync(long id, string act, string? text, long? into, CancellationToken ct) =>
        RunAsync(() => moderation.ModerateAsync(Event, id, act ?? "", text, into, null, ct), $"#q{id}", ct);

    public Task<IActionResult> OnPostBanAsync(long id, CancellationToken ct) =>
        RunAsync(() => moderation.BanAsync(Event, null, id, ct), "", ct);

    public Task<IActionResult> OnPostSettingsAsync(bool preModeration, string? ngWords, bool voteOwnQuestion, CancellationToken ct) =>
        RunAsync(() => moderation.SettingsAsync(Event, preModeration, ngWords ?? "", voteOwnQuestion, ct), "#settings", ct);

    public Task<IActionResult> OnPostPollAsync(string kind, string question, string? questionEn, string? options, int? maxRating, CancellationToken ct) =>
        RunAsync(() => polls.CreateAsync(Event, new PollInput(kind, question, questionEn,
            (options ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(), null, maxRating), ct), "#polls", ct);

    public Task<IActionResult> OnPostPollActAsync(long id, string act, CancellationToken ct) =>
        RunAsync(() => polls.ActAsync(Event, id, act ?? "", ct), $"#poll{id}", ct);
}
