using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using OpenGov.Events.Moderation;
using OpenGov.Events.Polls;
using OpenGov.Storage;

namespace OpenGov.Events.Api;

/// <summary>Exports for moderators: questions, votes and poll results as CSV (UTF-8 with BOM, for Excel) or XLSX.</summary>
public static class EventExports
{
    public static readonly string[] Kinds = ["questions", "votes", "polls"];

    public static IEndpointRouteBuilder MapEventExports(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/event/{slug}").AddEndpointFilter(EventApi.ErrorFilter).AddEndpointFilter<ModeratorFilter>()
            .MapGet("/export/{kind}.{format}", ExportAsync).WithTags("Events").WithName("EventExport")
            .WithSummary("questions, votes or polls as csv or xlsx (moderators).");
        return app;
    }

    private static async Task<IResult> ExportAsync(string kind, string format, OpenGovDb db, PollService polls, HttpContext ctx, CancellationToken ct)
    {
        var ev = ModeratorFilter.EventOf(ctx);
        if (!Kinds.Contains(kind) || format is not ("csv" or "xlsx"))
        {
            throw new EventException(404, "not_found", "エクスポートの種類が不正です。", "Export: questions, votes or polls; csv or xlsx.");
        }

        var rows = await RowsAsync(db, polls, ev, kind, ct);
        var name = $"{ev.Slug}-{kind}.{format}";
        if (format == "csv")
        {
            return TypedResults.File(Csv(rows), "text/csv; charset=utf-8", name);
        }

        using var ms = new MemoryStream();
        await ms.SaveAsAsync(rows.Rows.Select(r => (IDictionary<string, object?>)rows.Header.Select((h, i) => (h, r[i])).ToDictionary(x => x.h, x => x.Item2)).ToList(), cancellationToken: ct);
        return TypedResults.File(ms.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name);
    }

    public sealed record Table(string[] Header, List<object?[]> Rows);

    public static async Task<Table> RowsAsync(OpenGovDb db, PollService polls, Event ev, string kind, CancellationToken ct)
    {
        switch (kind)
        {
            case "questions":
                {
                    var qs = await db.Set<Question>().AsNoTracking().Where(q => q.EventId == ev.Id).OrderBy(q => q.Id).ToListAsync(ct);
                    return new Table(
                        ["id", "created_jst", "text", "name", "affiliation", "state", "votes", "answered", "pinned", "highlighted", "merged_into", "source", "participant"],
                        qs.Select(q => new object?[]
                        {
                            q.Id, Jst.From(q.Created).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), q.Text, q.AuthorName, q.AuthorAffiliation, q.State, q.Votes,
                            q.Answered, q.Pinned, ev.HighlightedQuestionId == q.Id, q.MergedIntoId, q.Source, q.ParticipantId,
                        }).ToList());
                }

            case "votes":
                {
                    var vs = await db.Set<QuestionVote>().AsNoTracking().Where(v => v.EventId == ev.Id).OrderBy(v => v.Created).ThenBy(v => v.QuestionId).ToListAsync(ct);
                    return new Table(["question_id", "participant", "created_jst"],
                        vs.Select(v => new object?[] { v.QuestionId, v.ParticipantId, Jst.From(v.Created).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) }).ToList());
                }

            default:
                {
                    var rows = new List<object?[]>();
                    foreach (var p in await polls.ListAsync(ev, true, ct))
                    {
                        foreach (var o in p.Options)
                        {
                            var c = p.Counts.FirstOrDefault(x => x.OptionId == o.Id);
                            rows.Add([p.Id, p.Kind, p.Question, p.Round, o.Label, c?.Votes ?? 0, c?.Total ?? 0, null]);
                        }

                        if (p.Kind == PollKinds.Rating)
                        {
                            for (var i = 0; i < p.RatingDistribution.Count; i++)
                            {
                                rows.Add([p.Id, p.Kind, p.Question, p.Round, (i + 1).ToString(CultureInfo.InvariantCulture), p.RatingDistribution[i], p.RatingDistribution[i], p.AverageRating]);
                            }
                        }

                        foreach (var w in p.Words)
                        {
                            rows.Add([p.Id, p.Kind, p.Question, p.Round, w.Word, w.Count, w.Count, null]);
                        }
                    }

                    return new Table(["poll_id", "kind", "question", "round", "choice", "votes_this_round", "votes_all_rounds", "average"], rows);
                }
        }
    }

    /// <summary>RFC 4180 CSV with a UTF-8 BOM so Excel opens Japanese text correctly.</summary>
    public static byte[] Csv(Table table)
    {
        var sb = new StringBuilder();
        sb.Append('\uFEFF');
        sb.AppendJoin(',', table.Header.Select(Field)).Append("\r\n");
        foreach (var row in table.Rows)
        {
            sb.AppendJoin(',', row.Select(v => Field(v switch
            {
                null => "",
                bool b => b ? "true" : "false",
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => v.ToString() ?? "",
            }))).Append("\r\n");
        }

        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static string Field(string s)
    {
        // Cells starting with = + - @ would run as formulas in Excel: prefix them with a quote.
        if (s.Length > 0 && s[0] is '=' or '+' or '-' or '@' && !double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            s = "'" + s;
        }

        return s.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
    }
}
