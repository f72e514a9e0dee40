using Microsoft.EntityFrameworkCore;
using OpenGov.Storage;
using OpenGov.Tabular;

namespace OpenGov.Council;

/// <summary>Reads the whole registry (a council has dozens of members, not thousands) for the date queries.</summary>
public sealed class CouncilRegistry(OpenGovDb db)
{
    public async Task<RegistrySnapshot> LoadAsync(CancellationToken ct = default)
    {
        var members = await db.Set<CouncilMember>().AsNoTracking().Include(m => m.Periods).Include(m => m.Roles).ToListAsync(ct);
        var charters = await db.Set<CouncilCharter>().AsNoTracking().OrderBy(c => c.ValidFrom).ToListAsync(ct);
        var activities = await db.Set<CouncilActivity>().AsNoTracking().OrderBy(a => a.On).ThenBy(a => a.Id).ToListAsync(ct);
        var orgIds = members.Select(m => m.OrganizationId).OfType<string>().ToList();
        var orgs = await db.Organizations.AsNoTracking().Where(o => orgIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        return new RegistrySnapshot(members, charters, activities, orgs);
    }
}

/// <summary>A member on a given day, with the period that covers it and whether it was 会長市.</summary>
public sealed record MemberOnDate(CouncilMember Member, MembershipPeriod Period, bool IsChair);

/// <summary>A join or a leave.</summary>
public sealed record MembershipChange(CouncilMember Member, MembershipPeriod Period, CouncilDate Date);

/// <summary>What happened in one fiscal year.</summary>
public sealed record YearRecord(
    FiscalYear Year,
    IReadOnlyList<MembershipChange> Joins,
    IReadOnlyList<MembershipChange> Leaves,
    IReadOnlyList<CouncilCharter> Renames,
    IReadOnlyList<CouncilActivity> Activities,
    bool IsFounding);

/// <summary>The registry in memory, with the questions the pages and the press release ask of it.</summary>
public sealed class RegistrySnapshot(
    IReadOnlyList<CouncilMember> members,
    IReadOnlyList<CouncilCharter> charters,
    IReadOnlyList<CouncilActivity> activities,
    IReadOnlyDictionary<string, string> organizationNames)
{
    public IReadOnlyList<CouncilMember> Members => members;

    public IReadOnlyList<CouncilCharter> Charters => charters;

    public IReadOnlyList<CouncilActivity> Activities => activities;

    /// <summary>The catalog name (/organization/{name}) of a member's organization.</summary>
    public string? OrganizationName(CouncilMember m) => m.OrganizationId is { } id ? organizationNames.GetValueOrDefault(id) : null;

    /// <summary>Local governments by 全国地方公共団体コード, then special members in their display order.</summary>
    public static IEnumerable<CouncilMember> InRegistryOrder(IEnumerable<CouncilMember> ms) => ms
        .OrderBy(m => m.Kind == MemberKinds.LocalGovernment ? 0 : 1)
        .ThenBy(m => m.LocalGovCode ?? "", StringComparer.Ordinal)
        .ThenBy(m => m.DisplayOrder)
        .ThenBy(m => m.Name, StringComparer.Ordinal);

    public IReadOnlyList<MemberOnDate> MembersOn(DateOnly day) =>
    [
        .. InRegistryOrder(members.Where(m => m.Periods.Any(p => p.Covers(day))))
            .Select(m => new MemberOnDate(m, m.Periods.First(p => p.Covers(day)), m.Roles.Any(r => r.Role == CouncilRoles.Chair && r.Covers(day)))),
    ];

    public CouncilCharter? CharterOn(DateOnly day) => charters.LastOrDefault(c => c.ValidFrom <= day);

    public CouncilCharter? Founding => charters.Count > 0 ? charters[0] : null;

    /// <summary>Every fiscal year from the founding (or the first record) to <paramref name="until"/>.</summary>
    public IReadOnlyList<FiscalYear> FiscalYears(DateOnly until)
    {
        var first = new[]
        {
            Founding?.ValidFrom,
            members.SelectMany(m => m.Periods).Select(p => (DateOnly?)p.JoinedOn).Min(),
            activities.Select(a => (DateOnly?)a.On).Min(),
        }.OfType<DateOnly>().DefaultIfEmpty(until).Min();
        var from = FiscalYear.FromDate(first).Year;
        var to = Math.Max(from, FiscalYear.FromDate(until).Year);
        return [.. Enumerable.Range(from, to - from + 1).Select(y => new FiscalYear(y))];
    }

    /// <summary>Joins (known to the day or the year), leaves, renames and activities of a fiscal year, up to <paramref name="asOf"/>.</summary>
    public YearRecord Year(FiscalYear fy, DateOnly? asOf = null)
    {
        var last = asOf is { } a && a < fy.End ? a : fy.End;
        var periods = members.SelectMany(m => m.Periods.Select(p => (m, p))).OrderBy(x => x.p.JoinedOn).ThenBy(x => x.p.Id).ToList();
        var joins = periods
            .Where(x => x.p.JoinedPrecision != DatePrecision.OnOrBefore && fy.Contains(x.p.JoinedOn) && x.p.JoinedOn <= last)
            .Select(x => new MembershipChange(x.m, x.p, x.p.Joined)).ToList();
        var leaves = periods
            .Where(x => x.p.LeftOn is { } l && fy.Contains(l) && l <= last)
            .OrderBy(x => x.p.LeftOn).ThenBy(x => x.p.Id)
            .Select(x => new MembershipChange(x.m, x.p, x.p.Left!.Value)).ToList();
        var renames = charters.Skip(1).Where(c => fy.Contains(c.ValidFrom) && c.ValidFrom <= last).ToList();
        var acts = activities.Where(x => fy.Contains(x.On) && x.On <= last).ToList();
        var founding = Founding is { } f && fy.Contains(f.ValidFrom);
        return new YearRecord(fy, joins, leaves, renames, acts, founding);
    }

    /// <summary>
    /// The 「主な活動内容」 list as of a day: per fiscal year, the membership line (協議会設立（…）, …加入, …脱退), renames
    /// (…に名称変更) and the activities (、-separated), as the council's documents write it.
    /// </summary>
    public IReadOnlyList<(FiscalYear Year, IReadOnlyList<string> Lines)> ActivityLines(DateOnly asOf, bool english = false)
    {
        var result = new List<(FiscalYear, IReadOnlyList<string>)>();
        foreach (var fy in FiscalYears(asOf).Where(y => y.Start <= asOf))
        {
            var lines = Lines(Year(fy, asOf), english);
            if (lines.Count > 0)
            {
                result.Add((fy, lines));
            }
        }

        return result;
    }

    /// <summary>The 「主な活動内容」 lines of one fiscal year.</summary>
    public static IReadOnlyList<string> Lines(YearRecord y, bool english = false)
    {
        string Name(CouncilMember m) => english && m.NameEn.Length > 0 ? m.NameEn : m.Name;
        string Names(IEnumerable<MembershipChange> cs) => string.Join(english ? ", " : "、", cs.Select(c => Name(c.Member)));
        var lines = new List<string>();
        var membership = new List<string>();
        if (y.IsFounding)
        {
            membership.Add(english ? $"Council founded ({Names(y.Joins)})" : $"協議会設立（{Names(y.Joins)}）");
        }
        else if (y.Joins.Count > 0)
        {
            membership.Add(english ? $"{Names(y.Joins)} joined" : $"{Names(y.Joins)}加入");
        }

        if (y.Leaves.Count > 0)
        {
            membership.Add(english ? $"{Names(y.Leaves)} left" : $"{Names(y.Leaves)}脱退");
        }

        if (membership.Count > 0)
        {
            lines.Add(string.Join(english ? "; " : "、", membership));
        }

        lines.AddRange(y.Renames.Select(c => english ? $"Renamed {(c.NameEn.Length > 0 ? c.NameEn : c.Name)}" : $"{c.Name}に名称変更"));
        if (y.Activities.Count > 0)
        {
            lines.Add(string.Join(english ? ", " : "、", y.Activities.Select(a => english && a.TitleEn.Length > 0 ? a.TitleEn : a.Title)));
        }

        return lines;
    }
}
