using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OpenGov.Storage;

namespace OpenGov.Council.Contests;

/// <summary>/api/council/contests: the call, entries, screening and judges, scoring, results, awards, the audience vote, exports.</summary>
public static class ContestApi
{
    public static IEndpointRouteBuilder MapCouncilContests(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/council/contests").WithTags("Council: contests").AddEndpointFilter(ErrorFilter).DisableAntiforgery();
        api.MapGet("", List).WithName("ContestList").WithSummary("Contests, newest deadline first.");
        api.MapPost("", Create).WithName("ContestCreate").WithSummary("Create a contest {slug, kind, title, titleEn, rules, rulesEn, eligibility, prizes, categories, opens, deadline, judgingCloses, ceremony, judges, publishResults, criteria[{name, nameEn, weight, maxScore, description}]} (secretariat).");
        api.MapGet("/{slug}", Get).WithName("ContestShow").WithSummary("A contest's call and rubric.");
        api.MapPut("/{slug}", Update).WithName("ContestUpdate").WithSummary("Change a contest (secretariat); once scoring has begun the rubric's lines and max scores are fixed (400), weights and descriptions may change.");
        api.MapGet("/{slug}/entries", Entries).WithName("ContestEntries").WithSummary("Entries the caller may see: accepted ones and their own; all for the secretariat.");
        api.MapPost("/{slug}/entries", CreateEntry).WithName("ContestEntryCreate").WithSummary("Enter {title, summary, category, teamName, datasets, links, members, submit} (logged in, until the deadline).");
        api.MapGet("/{slug}/entries/{id:long}", Entry).WithName("ContestEntryShow").WithSummary("An entry (its owner, the secretariat, its judges; anyone once accepted).");
        api.MapPut("/{slug}/entries/{id:long}", UpdateEntry).WithName("ContestEntryUpdate").WithSummary("Edit an entry (its owner, until the deadline).");
        api.MapGet("/{slug}/entries/{id:long}/files", Files).WithName("ContestEntryFiles").WithSummary("An entry's attached files (its team, its judges, the secretariat; anyone for an awarded entry when the contest publishes its results).");
        api.MapPost("/{slug}/entries/{id:long}/files", AddFile).WithName("ContestEntryFileAdd").WithSummary("Attach a file (multipart field \"file\": PDF, PNG, JPEG or PPTX by its content, ≤ 20 MB, ≤ 10 an entry) to one's own entry while the call is open.");
        api.MapGet("/{slug}/entries/{id:long}/files/{fileId:long}", Download).WithName("ContestEntryFileDownload").WithSummary("Download an attached file (who may list them).");
        api.MapDelete("/{slug}/entries/{id:long}/files/{fileId:long}", RemoveFile).WithName("ContestEntryFileDelete").WithSummary("Remove a file from one's own entry while the call is open.");
        api.MapPost("/{slug}/entries/{id:long}/screening", Screen).WithName("ContestScreen").WithSummary("Accept or reject a submitted entry {state} (secretariat, after the deadline).");
        api.MapPost("/{slug}/entries/{id:long}/judges", Assign).WithName("ContestAssignJudge").WithSummary("Assign a judge {user} to an accepted entry (secretariat).");
        api.MapDelete("/{slug}/entries/{id:long}/judges/{user}", Unassign).WithName("ContestUnassignJudge").WithSummary("Remove a judge and their scores (secretariat).");
        api.MapPut("/{slug}/entries/{id:long}/score", Score).WithName("ContestScore").WithSummary("Score an assigned entry {scores: {criterionId: score}, comment} (its judge, during judging).");
        api.MapGet("/{slug}/judging", Judging).WithName("ContestJudging").WithSummary("The caller's assigned entries with their own scores.");
        api.MapGet("/{slug}/results", Results).WithName("ContestResults").WithSummary("Ranking by weighted score (after judging closes; the secretariat any time), awards, audience votes.");
        api.MapGet("/{slug}/scores", Scores).WithName("ContestScores").WithSummary("Every judge's scores and comments (secretariat; everyone after judging closes).");
        api.MapPost("/{slug}/awards", AddAward).WithName("ContestAwardCreate").WithSummary("Give an award {entry, name, nameEn} (secretariat).");
        api.MapDelete("/{slug}/awards/{awardId:long}", DeleteAward).WithName("ContestAwardDelete").WithSummary("Remove an award (secretariat).");
        api.MapPost("/{slug}/entries/{id:long}/showcase", MakeShowcase).WithName("ContestEntryShowcase").WithSummary("Make an awarded entry a showcase (secretariat): 201 with the showcase; 200 with created=false when it exists already.");
        api.MapPost("/{slug}/audience-vote", Audience).WithName("ContestAudienceVote").WithSummary("{action: create|open|close}: the audience vote as a poll of the ceremony event (secretariat).");
        api.MapGet("/{slug}/export/{kind}.{format}", ContestExports.ExportAsync).WithName("ContestExport").WithSummary("entries or scores as csv or xlsx (secretariat).");
        return app;
    }

    internal static async ValueTask<object?> ErrorFilter(EndpointFilterInvocationContext ctx, EndpointFilterDelegate next)
    {
        try
        {
            return await next(ctx);
        }
        catch (CouncilException e)
        {
            var t = ctx.HttpContext.RequestServices.GetRequiredService<IStringLocalizer<CouncilText>>();
            return TypedResults.Json(new CouncilApi.ErrorView(t.Explain(e), e.Field), statusCode: e.Status);
        }
    }

    private static async Task<string?> SlugOfAsync(OpenGovDb db, string? eventId, CancellationToken ct) =>
        eventId is null ? null : await db.Set<Events.Event>().Where(e => e.Id == eventId).Select(e => e.Slug).FirstOrDefaultAsync(ct);

    private static async Task<IResult> List(ContestQueries q, OpenGovDb db, CancellationToken ct)
    {
        var list = await q.ListAsync(ct);
        var views = new List<ContestViews.ContestView>();
        foreach (var c in list)
        {
            views.Add(ContestViews.Contest(c, await SlugOfAsync(db, c.CeremonyEventId, ct)));
        }

        return TypedResults.Ok(views);
    }

    private static async Task<IResult> Create(ContestInput input, ContestEditor editor, ContestQueries q, OpenGovDb db, CancellationToken ct)
    {
        var c = await editor.CreateAsync(input, ct);
        return TypedResults.Created($"/api/council/contests/{c.Slug}", ContestViews.Contest(c, await SlugOfAsync(db, c.CeremonyEventId, ct), await q.JudgeNamesAsync(c, ct)));
    }

    private static async Task<IResult> Get(string slug, ContestQueries q, OpenGovDb db, CancellationToken ct)
    {
        var c = await q.GetAsync(slug, ct);
        return TypedResults.Ok(ContestViews.Contest(c, await SlugOfAsync(db, c.CeremonyEventId, ct), await q.JudgeNamesAsync(c, ct)));
    }

    private static async Task<IResult> Update(string slug, ContestInput input, ContestEditor editor, ContestQueries q, OpenGovDb db, CancellationToken ct)
    {
        var c = await editor.UpdateAsync(slug, input, ct);
        return TypedResults.Ok(ContestViews.Contest(c, await SlugOfAsync(db, c.CeremonyEventId, ct), await q.JudgeNamesAsync(c, ct)));
    }

    private static async Task<IResult> Entries(string slug, ContestQueries q, CouncilAccess access, CancellationToken ct)
    {
        var c = await q.GetAsync(slug, ct);
        return TypedResults.Ok((await q.EntriesAsync(c, ct)).Select(e => ContestViews.Entry(e, access.User.Id)));
    }

    private static async Task<IResult> CreateEntry(string slug, EntryInput input, EntryEditor editor, CouncilAccess access, CancellationToken ct)
    {
        var e = await editor.CreateAsync(slug, input, ct);
        return TypedResults.Created($"/api/council/contests/{slug}/entries/{e.Id}", ContestViews.Entry(e, access.User.Id));
    }

    private static async Task<IResult> Entry(string slug, long id, ContestQueries q, CouncilAccess access, CancellationToken ct)
    {
        var c = await q.GetAsync(slug, ct);
        return TypedResults.Ok(ContestViews.Entry(await q.EntryAsync(c, id, ct), access.User.Id));
    }

    private static async Task<IResult> UpdateEntry(string slug, long id, EntryInput input, EntryEditor editor, CouncilAccess access, CancellationToken ct) =>
        TypedResults.Ok(ContestViews.Entry(await editor.UpdateAsync(slug, id, input, ct), access.User.Id));

    private static async Task<IResult> Files(string slug, long id, ContestQueries q, EntryFiles files, CancellationToken ct)
    {
        var c = await q.GetAsync(slug, ct);
        var (_, list) = await files.ListAsync(c, id, ct);
        return TypedResults.Ok(list.Select(f => ContestViews.File(c, f)));
    }

    private static async Task<IResult> AddFile(string slug, long id, IFormFile? file, ContestQueries q, EntryFiles files, CancellationToken ct)
    {
        var c = await q.GetAsync(slug, ct);
        var f = await files.AddAsync(c, id, file, ct);
        var view = ContestViews.File(c, f);
        return TypedResults.Created(view.Url, view);
    }

    private static async Task<IResult> Download(string slug, long id, long fileId, HttpContext http, ContestQueries q, EntryFiles files, CancellationToken ct)
    {
        var c = await q.GetAsync(slug, ct);
        var (f, path) = await files.OpenAsync(c, id, fileId, ct);
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.ContentSecurityPolicy = "sandbox; default-src 'none'";
        http.Response.Headers.CacheControl = "private, no-store";
        return TypedResults.PhysicalFile(path, f.ContentType, fileDownloadName: f.FileName, lastModified: f.Created, enableRangeProcessing: true);
    }

    private static async Task<IResult> RemoveFile(string slug, long id, long fileId, ContestQueries q, EntryFiles files, CancellationToken ct)
    {
        await files.RemoveAsync(await q.GetAsync(slug, ct), id, fileId, ct);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> Screen(string slug, long id, ScreeningInput input, ContestEditor editor, CouncilAccess access, CancellationToken ct) =>
        TypedResults.Ok(ContestViews.Entry(await editor.ScreenAsync(slug, id, input.State?.Trim(), ct), access.User.Id));

    private static async Task<IResult> Assign(string slug, long id, JudgeInput input, ContestEditor editor, CancellationToken ct)
    {
        await editor.AssignJudgeAsync(slug, id, input.User, ct);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> Unassign(string slug, long id, string user, ContestEditor editor, CancellationToken ct)
    {
        await editor.UnassignJudgeAsync(slug, id, user, ct);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> Score(string slug, long id, ScoreInput input, Judging judging, ContestQueries q, CancellationToken ct)
    {
        await judging.ScoreAsync(slug, id, input, ct);
        var c = await q.GetAsync(slug, ct);
        return TypedResults.Ok(Assigned(c, await judging.AssignedAsync(c, id, ct)));
    }

    private static ContestViews.AssignedView Assigned(Contest c, Judging.Assigned a) =>
        new(ContestViews.Entry(a.Entry, null), a.Scores, a.Assignment.Comment, ContestRanking.Points([.. c.Criteria.OrderBy(k => k.Order)], a.Scores));

    private static async Task<IResult> Judging(string slug, Judging judging, ContestQueries q, CancellationToken ct)
    {
        var c = await q.GetAsync(slug, ct);
        return TypedResults.Ok((await judging.AssignedAsync(c, ct)).Select(a => Assigned(c, a)));
    }

    private static async Task<IResult> Results(string slug, ContestQueries q, CancellationToken ct) =>
        TypedResults.Ok(ContestViews.Results(await q.ResultsAsync(await q.GetAsync(slug, ct), ct)));

    private static async Task<IResult> Scores(string slug, ContestQueries q, CancellationToken ct)
    {
        var c = await q.GetAsync(slug, ct);
        if (!await q.ScoresVisibleAsync(c, ct))
        {
            throw new CouncilException(403, "審査員の採点は審査終了（{0}）まで公開されません。", null, ContestText.Format(c.JudgingClosesAt, false));
        }

        var criteria = c.Criteria.OrderBy(k => k.Order).ToList();
        var scores = await q.ScoresAsync(c, ct);
        return TypedResults.Ok(scores.OrderBy(s => s.Key).Select(s => new
        {
            entry = s.Key,
            judges = s.Value.Select(j => new ContestViews.JudgeScoreView(j.JudgeName, j.Scores, j.Assignment.Comment, ContestRanking.Points(criteria, j.Scores))),
        }));
    }

    private static async Task<IResult> AddAward(string slug, AwardInput input, ContestEditor editor, CancellationToken ct)
    {
        var a = await editor.AddAwardAsync(slug, input, ct);
        return TypedResults.Created($"/api/council/contests/{slug}/results", new ContestViews.AwardView(a.Id, a.EntryId, a.Name, a.NameEn));
    }

    private static async Task<IResult> DeleteAward(string slug, long awardId, ContestEditor editor, CancellationToken ct)
    {
        await editor.DeleteAwardAsync(slug, awardId, ct);
        return TypedResults.NoContent();
    }

    /// <summary>The answer of the one-step showcase: where it is, and whether this request made it.</summary>
    public sealed record ShowcaseMadeView(string Showcase, string Url, bool Created, string Message);

    private static async Task<IResult> MakeShowcase(string slug, long id, ContestShowcases showcases, IStringLocalizer<CouncilText> t, CancellationToken ct)
    {
        var made = await showcases.CreateAsync(slug, id, ct);
        var view = new ShowcaseMadeView(made.Showcase.Name, "/showcase/" + made.Showcase.Name, made.Created,
            made.Created ? t["活用事例「{0}」を作成しました。", made.Showcase.Title] : t["この応募の活用事例はすでにあります（{0}）。何も変更していません。", made.Showcase.Name]);
        return made.Created ? TypedResults.Created(view.Url, view) : TypedResults.Ok(view);
    }

    private static async Task<IResult> Audience(string slug, AudienceVoteInput input, AudienceVote vote, ContestQueries q, CancellationToken ct)
    {
        await vote.ActAsync(slug, input.Action?.Trim(), ct);
        return TypedResults.Ok(ContestViews.Results(await q.ResultsAsync(await q.GetAsync(slug, ct), ct)));
    }
}
