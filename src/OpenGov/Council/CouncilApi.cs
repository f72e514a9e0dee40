using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OpenGov.Events;
using OpenGov.Shared;
using OpenGov.Storage;
using OpenGov.Tabular;

namespace OpenGov.Council;

/// <summary>The council's JSON API: the registry, members on a date, the timeline, fiscal years, the audit history, writes.</summary>
public static class CouncilApi
{
    public sealed record SecretaryInput(string? User);

    public sealed record ErrorView(string Error, string? Field);

    public static IEndpointRouteBuilder MapCouncilApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/council").WithTags("Council").AddEndpointFilter(ErrorFilter).DisableAntiforgery();
        api.MapGet("/members", Members).WithName("CouncilMembers").WithSummary("Members on a date (?date=2020-11-06, default today), local governments by code, then special members.");
        api.MapGet("/members/{id}", Member).WithName("CouncilMember").WithSummary("A member with its periods and roles.");
        api.MapPost("/members", CreateMember).WithName("CouncilCreateMember").WithSummary("Add a member (secretariat).");
        api.MapPut("/members/{id}", UpdateMember).WithName("CouncilUpdateMember").WithSummary("Change a member (secretariat; its organization's admins: the profile).");
        api.MapDelete("/members/{id}", DeleteMember).WithName("CouncilDeleteMember").WithSummary("Remove a member (secretariat).");
        api.MapPost("/members/{id}/periods", AddPeriod).WithName("CouncilAddPeriod").WithSummary("Add a membership period {joined, left}: a day, a fiscal year (平成28年度) or a day with 以前.");
        api.MapPut("/members/{id}/periods/{periodId:long}", UpdatePeriod).WithName("CouncilUpdatePeriod").WithSummary("Change a membership period.");
        api.MapDelete("/members/{id}/periods/{periodId:long}", DeletePeriod).WithName("CouncilDeletePeriod").WithSummary("Remove a membership period.");
        api.MapPost("/members/{id}/roles", AddRole).WithName("CouncilAddRole").WithSummary("Add a role (chair = 会長市) {role, starts, ends}.");
        api.MapDelete("/members/{id}/roles/{roleId:long}", DeleteRole).WithName("CouncilDeleteRole").WithSummary("Remove a role.");
        api.MapGet("/timeline", Timeline).WithName("CouncilTimeline").WithSummary("Each member's fiscal years of membership.");
        api.MapGet("/years/{year}", Year).WithName("CouncilYear").WithSummary("A fiscal year (2020, FY2020 or 令和2年度): joins, leaves, renames, activities, events.");
        api.MapGet("/activities", Activities).WithName("CouncilActivities").WithSummary("The 主な活動内容 lines by fiscal year as of a date (?date=).");
        api.MapPost("/activities", AddActivity).WithName("CouncilAddActivity").WithSummary("Record an activity {date, kind, title, titleEn, event, url} (secretariat).");
        api.MapDelete("/activities/{activityId:long}", DeleteActivity).WithName("CouncilDeleteActivity").WithSummary("Remove an activity (secretariat).");
        api.MapGet("/audit", Audit).WithName("CouncilAudit").WithSummary("The audit history of the registry and contests, newest first (secretariat); member filters by member, offset (default 0) and limit (default and at most 500) page it.");
        api.MapPost("/secretariat", AddSecretary).WithName("CouncilAddSecretary").WithSummary("Make a user part of the secretariat (sysadmin).");
        return app;
    }

    private static async ValueTask<object?> ErrorFilter(EndpointFilterInvocationContext ctx, EndpointFilterDelegate next)
    {
        try
        {
            return await next(ctx);
        }
        catch (CouncilException e)
        {
            var t = ctx.HttpContext.RequestServices.GetRequiredService<IStringLocalizer<CouncilText>>();
            return TypedResults.Json(new ErrorView(t.Explain(e), e.Field), statusCode: e.Status);
        }
    }

    internal static DateOnly DateOrToday(string? date) =>
        string.IsNullOrWhiteSpace(date) ? Today()
        : CouncilDate.TryParse(date, out var d) && d.Precision == DatePrecision.Day ? d.Date
        : throw CouncilException.Invalid("date", "「{0}」は日付として読めません（例: 2020-11-06）。", date);

    /// <summary>Today in Japan.</summary>
    internal static DateOnly Today() => JapanTime.Today();

    private static async Task<IResult> Members(string? date, CouncilRegistry registry, CancellationToken ct)
    {
        var day = DateOrToday(date);
        var s = await registry.LoadAsync(ct);
        return TypedResults.Ok(new CouncilViews.MembersOnDateView(CouncilDate.Iso(day), s.CharterOn(day)?.Name, [.. s.MembersOn(day).Select(m => CouncilViews.Member(m.Member, s, day))]));
    }

    private static async Task<IResult> Member(string id, CouncilRegistry registry, CancellationToken ct)
    {
        var s = await registry.LoadAsync(ct);
        var m = s.Members.FirstOrDefault(x => x.Id == id) ?? throw CouncilException.NotFound();
        return TypedResults.Ok(CouncilViews.Member(m, s, Today()));
    }

    private static async Task<IResult> CreateMember(MemberInput input, CouncilEditor editor, CouncilRegistry registry, CancellationToken ct)
    {
        var m = await editor.CreateMemberAsync(input, ct);
        return TypedResults.Created($"/api/council/members/{m.Id}", await ViewAsync(m.Id, registry, ct));
    }

    private static async Task<IResult> UpdateMember(string id, MemberInput input, CouncilEditor editor, CouncilRegistry registry, CancellationToken ct)
    {
        await editor.UpdateMemberAsync(id, input, ct);
        return TypedResults.Ok(await ViewAsync(id, registry, ct));
    }

    private static async Task<IResult> DeleteMember(string id, CouncilEditor editor, CancellationToken ct)
    {
        await editor.DeleteMemberAsync(id, ct);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> AddPeriod(string id, PeriodInput input, CouncilEditor editor, CouncilRegistry registry, CancellationToken ct)
    {
        await editor.AddPeriodAsync(id, input, ct);
        return TypedResults.Ok(await ViewAsync(id, registry, ct));
    }

    private static async Task<IResult> UpdatePeriod(string id, long periodId, PeriodInput input, CouncilEditor editor, CouncilRegistry registry, CancellationToken ct)
    {
        await editor.UpdatePeriodAsync(id, periodId, input, ct);
        return TypedResults.Ok(await ViewAsync(id, registry, ct));
    }

    private static async Task<IResult> DeletePeriod(string id, long periodId, CouncilEditor editor, CancellationToken ct)
    {
        await editor.DeletePeriodAsync(id, periodId, ct);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> AddRole(string id, RoleInput input, CouncilEditor editor, CouncilRegistry registry, CancellationToken ct)
    {
        await editor.AddRoleAsync(id, input, ct);
        return TypedResults.Ok(await ViewAsync(id, registry, ct));
    }

    private static async Task<IResult> DeleteRole(string id, long roleId, CouncilEditor editor, CancellationToken ct)
    {
        await editor.DeleteRoleAsync(id, roleId, ct);
        return TypedResults.NoContent();
    }

    private static async Task<CouncilViews.MemberView> ViewAsync(string id, CouncilRegistry registry, CancellationToken ct)
    {
        var s = await registry.LoadAsync(ct);
        return CouncilViews.Member(s.Members.First(m => m.Id == id), s, Today());
    }

    private static async Task<IResult> Timeline(CouncilRegistry registry, CancellationToken ct) =>
        TypedResults.Ok(CouncilViews.Timeline(await registry.LoadAsync(ct), Today()));

    private static async Task<IResult> Year(string year, CouncilYears years, CancellationToken ct)
    {
        var fy = CouncilFiscalYear.TryParse(year, out var y) ? y : throw CouncilException.Invalid("year", "「{0}」は年度として読めません（例: 2020、令和2年度）。", year);
        return TypedResults.Ok(await years.ViewAsync(fy, ct));
    }

    private static async Task<IResult> Activities(string? date, CouncilRegistry registry, CancellationToken ct)
    {
        var day = DateOrToday(date);
        var s = await registry.LoadAsync(ct);
        return TypedResults.Ok(s.ActivityLines(day).Select(l => new { year = l.Year.Year, label = l.Year.WarekiName, lines = l.Lines }));
    }

    private static async Task<IResult> AddActivity(ActivityInput input, CouncilEditor editor, CancellationToken ct)
    {
        var a = await editor.AddActivityAsync(input, ct);
        return TypedResults.Created($"/api/council/years/{a.Date.FiscalYear.Year}", new CouncilViews.ActivityView(a.Id, CouncilViews.Date(a.Date), a.Kind, a.Title, a.TitleEn, input.Event?.Trim() is { Length: > 0 } e ? e : null, a.Url));
    }

    private static async Task<IResult> DeleteActivity(long activityId, CouncilEditor editor, CancellationToken ct)
    {
        await editor.DeleteActivityAsync(activityId, ct);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> Audit(string? member, string? offset, string? limit, CouncilAccess access, OpenGovDb db, CancellationToken ct)
    {
        if (!await access.IsSecretariatAsync(ct))
        {
            throw CouncilException.Forbidden();
        }

        var skip = CouncilAuditPaging.Offset(offset);
        var take = CouncilAuditPaging.Limit(limit);
        var rows = await CouncilAuditPaging.Query(db, member).Skip(skip).Take(take).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(a => new CouncilViews.AuditView(a.Id, a.At, a.UserName, a.EntityType, a.EntityId, a.Action, a.Changes)));
    }

    private static async Task<IResult> AddSecretary(SecretaryInput input, CouncilEditor editor, CancellationToken ct)
    {
        await editor.AddSecretaryAsync(input.User ?? "", ct);
        return TypedResults.NoContent();
    }
}

/// <summary>A fiscal year's page data: the registry's record of it and the events held in it.</summary>
public sealed class CouncilYears(CouncilRegistry registry, OpenGovDb db)
{
    public async Task<(RegistrySnapshot Snapshot, YearRecord Record, List<Event> Events)> LoadAsync(FiscalYear fy, CancellationToken ct)
    {
        var s = await registry.LoadAsync(ct);
        // fiscal years are Japanese days: JST midnight of April 1 to JST midnight of the next April 1
        var from = JapanTime.StartUtc(fy.Start);
        var to = JapanTime.StartUtc(fy.End.AddDays(1));
        var events = await db.Set<Event>().AsNoTracking().Where(e => e.StartsAt >= from && e.StartsAt < to).OrderBy(e => e.StartsAt).ToListAsync(ct);
        return (s, s.Year(fy), events);
    }

    public async Task<CouncilViews.YearView> ViewAsync(FiscalYear fy, CancellationToken ct)
    {
        var (s, record, events) = await LoadAsync(fy, ct);
        var ids = record.Activities.Select(a => a.EventId).OfType<string>().ToList();
        var slugs = await db.Set<Event>().AsNoTracking().Where(e => ids.Contains(e.Id)).ToDictionaryAsync(e => e.Id, e => e.Slug, ct);
        return CouncilViews.Year(record, s, events, slugs);
    }
}
