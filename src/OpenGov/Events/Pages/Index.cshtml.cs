using System.Globalization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace OpenGov.Events.Pages;

public sealed class IndexModel(EventQueries events) : PageModel
{
    public List<Event> Events { get; private set; } = [];

    public bool English => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    public string Pick(string ja, string en) => English && !string.IsNullOrWhiteSpace(en) ? en : ja;

    public async Task OnGetAsync(CancellationToken ct) => Events = await events.ListAsync(ct);
}
