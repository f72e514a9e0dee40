using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using OpenGov.Events.Api;
using OpenGov.Storage;

namespace OpenGov.Council.Contests;

/// <summary>
/// Entries and scores as CSV (UTF-8 with BOM, formulas defused: the events' writer) or XLSX (MiniExcel), for the
/// secretariat.
/// </summary>
public static class ContestExports
{
    public static async Task<IResult> ExportAsync(string slug, string kind, string format, ContestEditor editor, ContestQueries q, OpenGovDb db, CancellationToken ct)
    {
        await editor.RequireSecretariatAsync("応募と採点を書き出せるのは協議会事務局だけです。", ct);
        var c = await q.GetAsync(slug, ct);
        if (kind is not ("entries" or "scores") || format is not ("csv" or "xlsx"))
        {
            throw CouncilException.NotFound();
        }

        var table = kind == "entries" ? await EntriesAsync(c, db, q, ct) : await ScoresAsync(c, q, ct);
        var name = $"{c.Slug}-{kind}.{format}";
        if (format == "csv")
        {
            return TypedResults.File(EventExports.Csv(table), "text/csv; charset=utf-8", name);
        }

        using var ms = new MemoryStream();
        var rows = table.Rows.Select(r => (IDictionary<string, object?>)table.Header.Select((h, i) => (h, r[i])).ToDictionary(x => x.h, x => x.Item2)).ToList();
        await ms.SaveAsAsync(rows, cancellationToken: ct);
        return TypedResults.File(ms.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name);
    }

    public static async Task<EventExports.Table> EntriesAsync(Contest c, OpenGovDb db, ContestQueries q, CancellationToken ct)
    {
        var entries = await db.Set<ContestEntry>().AsNoTracking().Where(e => e.ContestId == c.Id).OrderBy(e => e.Id).ToListAsync(ct);
        var owners = entries.Select(e => e.OwnerUserId).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => owners.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        var results = await q.ResultsAsync(c, ct);
        var rank = results.Ranking.ToDictionary(r => r.EntryId);
        var votes = results.AudienceVote?.Counts.ToDictionary(x => x.OptionId, x => x.Total) ?? [];
        return new EventExports.Table(
            ["entry_id", "state", "title", "team", "category", "summary", "datasets", "links", "members", "owner", "modified_jst", "weighted_score", "rank", "judges", "audience_votes", "awards"],
            [.. entries.Select(e => new object?[]
            {
                e.Id, e.State, e.Title, e.TeamName, e.Category, e.Summary, e.Datasets.Replace('\n', ' '), e.Links.Replace('\n', ' '), e.Members.Replace('\n', ' '),
                names.GetValueOrDefault(e.OwnerUserId), ContestText.ToJst(e.Modified).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
                rank.GetValueOrDefault(e.Id)?.Score, rank.GetValueOrDefault(e.Id)?.Rank, rank.GetValueOrDefault(e.Id)?.Judges,
                e.AudienceOptionId is { } o ? votes.GetValueOrDefault(o) : null,
                string.Join(" ", results.Awards.Where(a => a.EntryId == e.Id).Select(a => a.Name)),
            })]);
    }

    /// <summary>One row per entry, judge and criterion, then the judge's weighted points and comment.</summary>
    public static async Task<EventExports.Table> ScoresAsync(Contest c, ContestQueries q, CancellationToken ct)
    {
        var criteria = c.Criteria.OrderBy(k => k.Order).ToList();
        var rows = new List<object?[]>();
        foreach (var (entryId, judges) in (await q.ScoresAsync(c, ct)).OrderBy(x => x.Key))
        {
            foreach (var (assignment, judge, scores) in judges)
            {
                foreach (var k in criteria)
                {
                    rows.Add([entryId, judge, k.Name, k.Weight, k.MaxScore, scores.TryGetValue(k.Id, out var s) ? s : null, null, null]);
                }

                rows.Add([entryId, judge, "（加重点）", null, 100, null, ContestRanking.Points(criteria, scores) is { } p ? Math.Round(p, 2) : null, assignment.Comment]);
            }
        }

        return new EventExports.Table(["entry_id", "judge", "criterion", "weight", "max_score", "score", "weighted_points", "comment"], rows);
    }
}
