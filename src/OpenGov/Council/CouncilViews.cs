using OpenGov.Events;
using OpenGov.Tabular;

namespace OpenGov.Council;

/// <summary>JSON shapes of the council API.</summary>
public static class CouncilViews
{
    public sealed record DateView(string Date, string Precision, string Label);

    public sealed record PeriodView(long Id, DateView Joined, DateView? Left);

    public sealed record RoleView(long Id, string Role, DateView Starts, string? Ends);

    public sealed record MemberView(
        string Id, string Kind, string Name, string NameEn, string? LocalGovCode, string Prefecture, int? Population,
        string? Organization, bool IsChair, IReadOnlyList<PeriodView> Periods, IReadOnlyList<RoleView> Roles);

    public sealed record MembersOnDateView(string Date, string? CouncilName, IReadOnlyList<MemberView> Members);

    public sealed record ChangeView(string MemberId, string Name, DateView Date);

    public sealed record ActivityView(long Id, DateView Date, string Kind, string Title, string TitleEn, string? Event, string Url);

    public sealed record EventLink(string Slug, string Title, DateTime StartsAt);

    public sealed record YearView(
        int Year, string Label, string LabelEn, string Start, string End, bool Founding, IReadOnlyList<ChangeView> Joins,
        IReadOnlyList<ChangeView> Leaves, IReadOnlyList<string> Renames, IReadOnlyList<ActivityView> Activities,
        IReadOnlyList<EventLink> Events, IReadOnlyList<string> MembersAtEnd, IReadOnlyList<string> Lines);

    public sealed record TimelineRow(string Id, string Name, string Kind, IReadOnlyList<int> Years);

    public sealed record TimelineView(IReadOnlyList<int> Years, IReadOnlyList<TimelineRow> Members);

    public sealed record AuditView(long Id, DateTime At, string User, string EntityType, string EntityId, string Action, string Changes);

    public static DateView Date(CouncilDate d) => new(CouncilDate.Iso(d.Date), d.Precision, d.Label(false));

    public static MemberView Member(CouncilMember m, RegistrySnapshot s, DateOnly? on = null) => new(
        m.Id, m.Kind, m.Name, m.NameEn, m.LocalGovCode, m.Prefecture, m.Population, s.OrganizationName(m),
        on is { } d && m.Roles.Any(r => r.Role == CouncilRoles.Chair && r.Covers(d)),
        [.. m.Periods.OrderBy(p => p.JoinedOn).Select(p => new PeriodView(p.Id, Date(p.Joined), p.Left is { } l ? Date(l) : null))],
        [.. m.Roles.OrderBy(r => r.StartsOn).Select(r => new RoleView(r.Id, r.Role, Date(new CouncilDate(r.StartsOn, r.StartPrecision)), r.EndsOn is { } e ? CouncilDate.Iso(e) : null))]);

    public static YearView Year(YearRecord y, RegistrySnapshot s, IReadOnlyList<Event> events, IReadOnlyDictionary<string, string> eventSlugs) => new(
        y.Year.Year, y.Year.LabelJa, y.Year.Label(true), CouncilDate.Iso(y.Year.Start), CouncilDate.Iso(y.Year.End), y.IsFounding,
        [.. y.Joins.Select(c => new ChangeView(c.Member.Id, c.Member.Name, Date(c.Date)))],
        [.. y.Leaves.Select(c => new ChangeView(c.Member.Id, c.Member.Name, Date(c.Date)))],
        [.. y.Renames.Select(r => r.Name)],
        [.. y.Activities.Select(a => new ActivityView(a.Id, Date(a.Date), a.Kind, a.Title, a.TitleEn, a.EventId is { } e ? eventSlugs.GetValueOrDefault(e) : null, a.Url))],
        [.. events.Select(e => new EventLink(e.Slug, e.Title, e.StartsAt))],
        [.. s.MembersOn(y.Year.End).Select(m => m.Member.Name)],
        RegistrySnapshot.Lines(y));

    public static TimelineView Timeline(RegistrySnapshot s, DateOnly today)
    {
        var years = s.FiscalYears(today);
        return new(
            [.. years.Select(y => y.Year)],
            [.. RegistrySnapshot.InRegistryOrder(s.Members).Select(m => new TimelineRow(m.Id, m.Name, m.Kind, [.. years.Where(y => m.Periods.Any(p => p.Overlaps(y))).Select(y => y.Year)]))]);
    }
}
