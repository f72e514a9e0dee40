using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using OpenGov.Events;
using OpenGov.Tabular;

namespace OpenGov.Council.Pages;

/// <summary>/council/year/{year}: a fiscal year's joins and leaves, renames, activities and events.</summary>
public sealed class YearModel(CouncilYears years, Contests.ContestQueries contests, IStringLocalizer<CouncilText> text) : CouncilPageModel(text)
{
    public FiscalYear Year { get; private set; }

    public YearRecord Record { get; private set; } = null!;

    public IReadOnlyList<MemberOnDate> MembersAtEnd { get; private set; } = [];

    public IReadOnlyList<string> Lines { get; private set; } = [];

    public List<Event> Events { get; private set; } = [];

    /// <summary>Contests whose judging closed in the year, with their awards.</summary>
    public List<(Contests.Contest Contest, List<(Contests.ContestAward Award, Contests.ContestEntry Entry)> Awards)> Contests { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string year, CancellationToken ct)
    {
        if (!CouncilFiscalYear.TryParse(year, out var fy))
        {
            return NotFound();
        }

        Year = fy;
        var (s, record, events) = await years.LoadAsync(fy, ct);
        Record = record;
        Events = events;
        MembersAtEnd = s.MembersOn(fy.End);
        Lines = RegistrySnapshot.Lines(record, English);
        Contests = await contests.InYearAsync(fy, ct);
        return Page();
    }
}
