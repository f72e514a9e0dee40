using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenGov.Events.Moderation;

namespace OpenGov.Events.Pages;

public sealed class DetailModel(EventQueries events, EventAuthorization authorization) : PageModel
{
    public Event Event { get; private set; } = null!;

    public bool CanSeeZoom { get; private set; }

    public bool CanModerate { get; private set; }

    public bool English => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    public bool IsOver => DateTime.UtcNow > Event.EndsAt;

    public string QuestionUrl => EventUrls.QuestionUrl(HttpContext, Event);

    public string Pick(string ja, string en) => English && !string.IsNullOrWhiteSpace(en) ? en : ja;

    public static readonly string[] PressKindList = ["取材依頼", "周知依頼", "募集告知"];

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        var ev = await events.LoadWithProgrammeAsync(slug, ct);
        if (ev is null)
        {
            return NotFound();
        }

        Event = ev;
        CanSeeZoom = await authorization.CanSeeZoomAsync(ev, ct);
        CanModerate = await authorization.CanModerateAsync(ev, ct);
        return Page();
    }

    /// <summary>令和2年（2020年）11月6日 style date of the press notice.</summary>
    public string PressDate(DateOnly d)
    {
        if (English)
        {
            return d.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
        }

        var era = d.Year >= 2019 && d >= new DateOnly(2019, 5, 1) ? $"令和{(d.Year - 2018 == 1 ? "元" : (d.Year - 2018).ToString(CultureInfo.InvariantCulture))}年" : $"平成{d.Year - 1988}年";
        return $"{era}（{d.Year}年）{d.Month}月{d.Day}日";
    }
}
