using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using OpenGov.Storage;

namespace OpenGov.Dashboards.Pages;

/// <summary>A dashboard page (every card), or one card (its permalink, also used by the embed snippet); anonymous readers get it from the output cache (<see cref="DashboardCachePolicy"/>).</summary>
[OutputCache(PolicyName = DashboardCachePolicy.Name)]
public sealed class ViewModel(DashboardStore store, DashboardData data, OpenGovDb db, IConfiguration config) : PageModel
{
    /// <summary>Date ranges offered by the range switch (days; 0 = all).</summary>
    public static readonly int[] Ranges = [30, 90, 180, 0];

    public StoredDashboard Dashboard { get; private set; } = null!;

    public IReadOnlyList<CardDefinition> Cards { get; private set; } = [];

    public ComputedDashboard Computed { get; private set; } = null!;

    /// <summary>Resource id → (dataset name, title) for the source links.</summary>
    public IReadOnlyDictionary<string, (string Dataset, string Title)> Sources { get; private set; } = new Dictionary<string, (string, string)>();

    /// <summary>The range asked for (null = each card's default).</summary>
    [BindProperty(SupportsGet = true)]
    public int? Days { get; set; }

    public string? SingleCard { get; private set; }

    /// <summary>The reader may edit the dashboard (the editor is linked).</summary>
    public bool CanEdit { get; private set; }

    /// <summary>The dashboard's stamp when the page was made (the live script polls for a different one).</summary>
    public string Stamp { get; private set; } = "";

    /// <summary>How often an open page asks whether the data changed (OpenGov:DashboardPollSeconds, default 60).</summary>
    public int PollSeconds => Math.Max(1, config.GetValue("OpenGov:DashboardPollSeconds", 60));

    public bool English => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    public string Language => English ? "en" : "ja";

    public string BasePath => $"/dashboards/{Dashboard.Organization.Name}/{Dashboard.Definition.Slug}";

    public async Task<IActionResult> OnGetAsync(string org, string slug, [FromQuery] string? card, CancellationToken ct)
    {
        var d = await store.GetAsync(org, slug, ct);
        if (d is null)
        {
            return NotFound();
        }
        Dashboard = d;
        Cards = card is null ? d.Definition.Cards : d.Definition.Cards.Where(c => c.Id == card).ToList();
        if (card is not null && Cards.Count == 0)
        {
            return NotFound();
        }
        SingleCard = card;
        CanEdit = card is null && await store.CanEditAsync(d.Organization, ct);
        if (Days is { } n && !Ranges.Contains(n))
        {
            Days = null;
        }
        var ids = Cards.SelectMany(SourceQueries.Of).Select(q => q.Resource).Distinct().ToList();
        var readable = await store.ReadableAsync(ids, ct);
        Stamp = (await data.StampAsync(d.Definition, d.Record.Version, ct)).Stamp;
        Computed = await data.ComputeAsync(d.Definition with { Cards = Cards }, readable, ct);
        Sources = await db.Resources.AsNoTracking().Where(r => ids.Contains(r.Id))
            .Join(db.Datasets, r => r.DatasetId, x => x.Id, (r, x) => new { r.Id, x.Name, x.Title })
            .ToDictionaryAsync(x => x.Id, x => (x.Name, x.Title), ct);
        return Page();
    }

    /// <summary>The card's result cut to the chosen range (the range applies to daily series only).</summary>
    public CardResult Shown(CardDefinition card) => Cut(card, Computed.Cards[card.Id], Days);

    /// <summary>
    /// <paramref name="r"/> cut to <paramref name="days"/> (null = the card's default range, 0 = all); daily series only.
    /// </summary>
    public static CardResult Cut(CardDefinition card, CardResult r, int? days)
    {
        var keep = days is { } n ? (n == 0 ? (int?)null : n) : card.DefaultRangeDays;
        if (r.Series.Count == 0 || card.Chart == ChartKind.Number)
        {
            return r;
        }
        return new CardResult
        {
            Series = r.Series.Select(s => s.LastDays(keep)).ToList(),
            Latest = r.Latest,
            Issues = r.Issues,
            MissingColumn = r.MissingColumn,
        };
    }

    public ChartModel Chart(CardDefinition card) => new("card-" + card.Id, card.Title.For(Language), card.Chart, Shown(card), Language);
}
