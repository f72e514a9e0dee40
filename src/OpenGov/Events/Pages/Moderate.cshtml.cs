using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenGov.Accounts;

namespace OpenGov.Events.Pages;

/// <summary>The moderator console: queue, actions, settings, polls, exports. Needs the moderator role of the event.</summary>
public sealed class ModerateModel(EventService events, CurrentUser user) : PageModel
{
    public Event Event { get; private set; } = null!;

    public List<QuestionView> Questions { get; private set; } = [];

    public List<PollView> Polls { get; private set; } = [];

    public string? Error { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string Sort { get; set; } = "votes";

    public bool English => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    public string Pick(string ja, string en) => English && !string.IsNullOrWhiteSpace(en) ? en : ja;

    private async Task<IActionResult?> AuthorizeAsync(string slug, CancellationToken ct)
    {
        var ev = await events.FindBySlugAsync(slug, ct);
        if (ev is null)
        {
            return NotFound();
        }

        if (!user.IsAuthenticated)
        {
            return Redirect("/user/login?returnUrl=" + Uri.EscapeDataString(Request.Path));
        }

        if (!await events.CanModerateAsync(ev, ct))
        {
            return StatusCode(403);
        }

        Event = ev;
        return null;
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Sort = Sort == "time" ? "time" : "votes";
        Questions = await events.ModeratorQuestionsAsync(Event, Sort, ct);
        Polls = await events.PollsAsync(Event, true, ct);
    }

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        if (await AuthorizeAsync(slug, ct) is { } denied)
        {
            return denied;
        }

        await LoadAsync(ct);
        return Page();
    }

    private async Task<IActionResult> RunAsync(string slug, Func<Task> action, string anchor, CancellationToken ct)
    {
        if (await AuthorizeAsync(slug, ct) is { } denied)
        {
            return denied;
        }

        try
        {
            await action();
            return Redirect($"/event/{Event.Slug}/moderate" + (Sort == "time" ? "?sort=time" : "") + anchor);
        }
        catch (EventException e)
        {
            Error = e.Localized;
            Response.StatusCode = e.Status;
            Event = (await events.FindBySlugAsync(slug, ct))!;
            await LoadAsync(ct);
            return Page();
        }
    }

    public Task<IActionResult> OnPostActAsync(string slug, long id, string act, string? text, long? into, CancellationToken ct) =>
        RunAsync(slug, () => events.ModerateAsync(Event, id, act ?? "", text, into, null, ct), $"#q{id}", ct);

    public Task<IActionResult> OnPostBanAsync(string slug, long id, CancellationToken ct) =>
        RunAsync(slug, () => events.BanAsync(Event, null, id, ct), "", ct);

    public Task<IActionResult> OnPostSettingsAsync(string slug, bool preModeration, string? ngWords, CancellationToken ct) =>
        RunAsync(slug, () => events.SettingsAsync(Event, preModeration, ngWords ?? "", ct), "#settings", ct);

    public Task<IActionResult> OnPostPollAsync(string slug, string kind, string question, string? questionEn, string? options, int? maxRating, CancellationToken ct) =>
        RunAsync(slug, () => events.CreatePollAsync(Event, new EventService.PollInput(kind, question, questionEn,
            (options ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(), null, maxRating), ct), "#polls", ct);

    public Task<IActionResult> OnPostPollActAsync(string slug, long id, string act, CancellationToken ct) =>
        RunAsync(slug, () => events.PollActionAsync(Event, id, act ?? "", ct), $"#poll{id}", ct);
}
