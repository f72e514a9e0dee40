using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenGov.Events.Polls;

namespace OpenGov.Events.Pages;

/// <summary>The presenter screen: read-only at a secret URL, no login; an OBS browser source with ?bg=transparent.</summary>
public sealed class PresenterModel(EventQueries events, PollService polls) : PageModel
{
    public Event Event { get; private set; } = null!;

    public List<QuestionView> Top { get; private set; } = [];

    public QuestionView? Highlighted { get; private set; }

    /// <summary>Open polls (a leaderboard poll ranks its teams): results in large type, live.</summary>
    public List<PollView> Polls { get; private set; } = [];

    public bool Transparent { get; private set; }

    public string StateJson { get; private set; } = "{}";

    public bool English => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    public async Task<IActionResult> OnGetAsync(string secret, string? bg, CancellationToken ct)
    {
        var ev = await events.FindBySecretAsync(secret, ct);
        if (ev is null)
        {
            return NotFound();
        }

        Event = ev;
        Transparent = bg == "transparent";
        var all = await events.PublicQuestionsAsync(ev, "votes", ct);
        Highlighted = all.FirstOrDefault(q => q.Highlighted);
        Top = all.Where(q => !q.Highlighted && !q.Answered).Take(5).ToList();
        Polls = (await polls.ListAsync(ev, false, ct)).Where(p => p.State == "open").ToList();
        StateJson = EventJson.Serialize(new { lastEventId = ev.LastSeq, highlighted = ev.HighlightedQuestionId, questions = all, polls = Polls, voted = Array.Empty<long>() });
        Response.Headers["X-Robots-Tag"] = "noindex";
        Response.Headers["Referrer-Policy"] = "no-referrer";
        return Page();
    }
}
