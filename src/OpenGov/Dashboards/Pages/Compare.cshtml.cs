using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OpenGov.Storage;

namespace OpenGov.Dashboards.Pages;

/// <summary>
/// Members compared: one card's series for several members (organizations whose dashboards of the same slug have the
/// card), overlaid and side by side on one date axis, raw or per 100,000 residents (population from the catalog).
/// </summary>
public sealed class CompareModel(DashboardStore store, DashboardData data, OpenGovDb db) : PageModel
{
    /// <summary>A member that can be picked: its dashboard, population (when the catalog has one) and whether it is shown.</summary>
    public sealed record Member(StoredDashboard Dashboard, PopulationRecord? Population, bool Selected, string Label);

    [BindProperty(SupportsGet = true, Name = "dashboard")]
    public string? Slug { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Card { get; set; }

    [BindProperty(SupportsGet = true, Name = "m")]
    public string[] Members { get; set; } = [];

    [BindProperty(SupportsGet = true)]
    public string? Scale { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? Days { get; set; }

    public IReadOnlyList<string> Slugs { get; private set; } = [];

    public IReadOnlyList<CardDefinition> Cards { get; private set; } = [];

    public CardDefinition? Chosen { get; private set; }

    public IReadOnlyList<Member> Candidates { get; private set; } = [];

    public IReadOnlyList<string> Unknown { get; private set; } = [];

    /// <summary>Members whose card cannot be computed (a missing column, or data the reader may not read), with the reason.</summary>
    public IReadOnlyList<(string Label, string Reason)> Problems { get; private set; } = [];

    public ComparisonScale Shown { get; private set; }

    public bool CanScale { get; private set; }

    public ChartModel? Overlaid { get; private set; }

    /// <summary>Organization name → the dataset its card's rows come from (name, title), linked under its chart.</summary>
    public IReadOnlyDictionary<string, (string Dataset, string Title)> SourceOf { get; private set; } = new Dictionary<string, (string, string)>();

    public IReadOnlyList<(Member Member, ChartModel Chart)> SideBySide { get; private set; } = [];

    public bool English => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    public string Language => English ? "en" : "ja";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var all = await store.AllAsync(ct);
        Slugs = all.Select(d => d.Record.Slug).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        Slug ??= Slugs.Contains(CovidTemplate.Slug) ? CovidTemplate.Slug : (Slugs.Count > 0 ? Slugs[0] : null);
        if (Slug is null)
        {
            return Page(); // no dashboard at all yet
        }
        if (!Slugs.Contains(Slug))
        {
            return NotFound();
        }
        var dashboards = all.Where(d => d.Record.Slug == Slug).ToList();
        Cards = dashboards.SelectMany(d => d.Definition.Cards).Where(MemberComparison.Comparable)
            .DistinctBy(c => c.Id).ToList();
        Chosen = Card is null ? Cards.FirstOrDefault(c => c.Id == "patients") ?? (Cards.Count > 0 ? Cards[0] : null) : Cards.FirstOrDefault(c => c.Id == Card);
        if (Chosen is null)
        {
            return Card is null ? Page() : NotFound();
        }
        Card = Chosen.Id;
        if (Days is { } n && !ViewModel.Ranges.Contains(n))
        {
            Days = null;
        }
        var withCard = dashboards.Where(d => d.Definition.Cards.Any(c => c.Id == Chosen.Id)).ToList();
        var populations = await MemberPopulations.FindAsync(db, withCard.Select(d => d.Organization.Id).ToList(), ct);
        var asked = Members.Where(m => !string.IsNullOrWhiteSpace(m)).ToHashSet(StringComparer.Ordinal);
        Unknown = asked.Where(a => withCard.All(d => d.Organization.Name != a)).Order(StringComparer.Ordinal).ToList();
        Candidates = withCard.Select(d => new Member(d, populations.GetValueOrDefault(d.Organization.Id),
            asked.Count == 0 || asked.Contains(d.Organization.Name), OrgTitle(d.Organization))).ToList();

        var selected = Candidates.Where(c => c.Selected).ToList();
        CanScale = MemberComparison.CanScale(Chosen.Computation) && selected.Any(s => s.Population is not null);
        Shown = Scale switch
        {
            "raw" => ComparisonScale.Raw,
            "per100k" when CanScale => ComparisonScale.Per100k,
            null when CanScale => ComparisonScale.Per100k,
            _ => ComparisonScale.Raw,
        };
        Scale = Shown == ComparisonScale.Per100k ? "per100k" : "raw";

        var series = new List<MemberSeries>();
        var problems = new List<(string, string)>();
        foreach (var m in selected)
        {
            var card = m.Dashboard.Definition.Cards.First(c => c.Id == Chosen.Id);
            var readable = await store.ReadableAsync(SourceQueries.Of(card).Select(q => q.Resource), ct);
            var result = (await data.ComputeAsync(m.Dashboard.Definition with { Cards = [card] }, readable, ct)).Cards[card.Id];
            if (result.MissingColumn is { } col)
            {
                problems.Add((m.Label, English ? $"the column \"{col}\" is missing from its source" : $"元データに列「{col}」がありません"));
                continue;
            }
            if (result.Series.Count == 0 || result.IsEmpty)
            {
                problems.Add((m.Label, English ? "no data (or data you may not read)" : "データがありません（または閲覧できないデータです）"));
                continue;
            }
            series.Add(new MemberSeries(m.Dashboard.Organization.Name, m.Label, result.Series[0], m.Population?.Population));
        }
        if (Shown == ComparisonScale.Per100k)
        {
            problems.AddRange(selected.Where(s => s.Population is null)
                .Select(s => (s.Label, English ? "no population in the catalog, so not shown per 100,000 residents" : "カタログに人口がないため、人口10万人あたりでは表示しません")));
        }
        Problems = problems;
        var sourceIds = selected.ToDictionary(m => m.Dashboard.Organization.Name, m => m.Dashboard.Definition.Cards.First(c => c.Id == Chosen.Id).Source);
        var datasets = await db.Resources.AsNoTracking().Where(r => sourceIds.Values.Contains(r.Id))
            .Join(db.Datasets, r => r.DatasetId, x => x.Id, (r, x) => new { r.Id, x.Name, x.Title })
            .ToDictionaryAsync(x => x.Id, x => (x.Name, x.Title), ct);
        SourceOf = sourceIds.Where(s => datasets.ContainsKey(s.Value)).ToDictionary(s => s.Key, s => datasets[s.Value]);
        var days = Days is { } d ? (d == 0 ? (int?)null : d) : Chosen.DefaultRangeDays;
        var aligned = MemberComparison.Align(series, Shown, days);
        if (aligned.Count == 0 || aligned.All(a => a.Series.Points.Count == 0))
        {
            return Page();
        }
        var title = Chosen.Title.For(Language) + (Shown == ComparisonScale.Per100k ? (English ? " (per 100,000 residents)" : "（人口10万人あたり）") : "");
        Overlaid = new ChartModel("cmp-all", title, ChartKind.Line, new CardResult { Series = aligned.Select(a => a.Series).ToList() }, Language);
        var max = aligned.SelectMany(a => a.Series.Points).Max(p => p.Value ?? 0);
        var kind = Chosen.Chart is ChartKind.Bar or ChartKind.BarLine or ChartKind.StackedBar ? ChartKind.Bar : ChartKind.Line;
        SideBySide = aligned.Select((a, i) => (Candidates.First(c => c.Dashboard.Organization.Name == a.Member),
            new ChartModel($"cmp-{i}", a.Label + " — " + title, kind, new CardResult { Series = [a.Series] }, Language) { YMax = max })).ToList();
        return Page();
    }

    public string OrgTitle(Catalog.Organization o) => English && !string.IsNullOrWhiteSpace(o.TitleEn) ? o.TitleEn : o.Title;

    public static string Residents(long n) => n.ToString("#,0", CultureInfo.InvariantCulture);
}
