using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OpenGov.Storage;
using OpenGov.Tabular;

namespace OpenGov.Council;

/// <summary>What the secretariat types for a member (strings as typed: the editor parses and explains).</summary>
public sealed record MemberInput(
    string? Kind, string? Name, string? NameEn, string? LocalGovCode, string? Prefecture, string? Population,
    string? Organization, int? DisplayOrder, string? Notes);

/// <summary>A membership period: 加入 and 脱退 as a day (2013-04-01), a fiscal year (平成28年度) or a day with 以前.</summary>
public sealed record PeriodInput(string? Joined, string? Left);

public sealed record RoleInput(string? Role, string? Starts, string? Ends);

/// <summary>An activity: its date (day or fiscal year), kind, titles, the event (slug) and a document URL.</summary>
public sealed record ActivityInput(string? Date, string? Kind, string? Title, string? TitleEn, string? Event, string? Url);

/// <summary>
/// Every write to the registry: checks who acts, validates everything before changing anything, and saves with the
/// audit entries (<see cref="CouncilAudit"/>).
/// </summary>
public sealed class CouncilEditor(OpenGovDb db, CouncilAccess access)
{
    public async Task<CouncilMember> CreateMemberAsync(MemberInput input, CancellationToken ct)
    {
        await RequireSecretariatAsync(ct);
        var member = new CouncilMember { Name = "" };
        await ApplyAsync(member, input, full: true, ct);
        db.Add(member);
        await SaveAsync(ct);
        return member;
    }

    /// <summary>The secretariat changes everything; an organization's admin only the profile fields of its own member.</summary>
    public async Task<CouncilMember> UpdateMemberAsync(string id, MemberInput input, CancellationToken ct)
    {
        var member = await FindAsync(id, ct);
        var full = await access.IsSecretariatAsync(ct);
        if (!full && !await access.CanEditProfileAsync(member, ct))
        {
            throw CouncilException.Forbidden();
        }

        await ApplyAsync(member, input, full, ct);
        member.Modified = DateTime.UtcNow;
        await SaveAsync(ct);
        return member;
    }

    public async Task DeleteMemberAsync(string id, CancellationToken ct)
    {
        await RequireSecretariatAsync(ct);
        var member = await FindAsync(id, ct);
        db.RemoveRange(member.Periods);
        db.RemoveRange(member.Roles);
        db.Remove(member);
        await SaveAsync(ct);
    }

    public async Task<MembershipPeriod> AddPeriodAsync(string memberId, PeriodInput input, CancellationToken ct)
    {
        await RequireSecretariatAsync(ct);
        var member = await FindAsync(memberId, ct);
        var period = new MembershipPeriod { MemberId = member.Id };
        SetPeriod(period, input, member.Periods);
        member.Periods.Add(period);
        await SaveAsync(ct);
        return period;
    }

    public async Task<MembershipPeriod> UpdatePeriodAsync(string memberId, long periodId, PeriodInput input, CancellationToken ct)
    {
        await RequireSecretariatAsync(ct);
        var member = await FindAsync(memberId, ct);
        var period = member.Periods.FirstOrDefault(p => p.Id == periodId) ?? throw CouncilException.NotFound();
        SetPeriod(period, input, member.Periods.Where(p => p.Id != periodId));
        await SaveAsync(ct);
        return period;
    }

    public async Task DeletePeriodAsync(string memberId, long periodId, CancellationToken ct)
    {
        await RequireSecretariatAsync(ct);
        var member = await FindAsync(memberId, ct);
        db.Remove(member.Periods.FirstOrDefault(p => p.Id == periodId) ?? throw CouncilException.NotFound());
        await SaveAsync(ct);
    }

    public async Task<MemberRole> AddRoleAsync(string memberId, RoleInput input, CancellationToken ct)
    {
        await RequireSecretariatAsync(ct);
        var member = await FindAsync(memberId, ct);
        var role = input.Role is { Length: > 0 } r ? r : CouncilRoles.Chair;
        if (!CouncilRoles.IsValid(role))
        {
            throw CouncilException.Invalid("role", "役割が正しくありません。");
        }

        var starts = ParseDate(input.Starts, "starts", required: true)!.Value;
        var ends = ParseDate(input.Ends, "ends", required: false);
        if (ends is { } e && e.Date <= starts.Date)
        {
            throw CouncilException.Invalid("ends", "終了日が開始日より前です。");
        }

        var end = ends?.Date ?? DateOnly.MaxValue;
        var others = await db.Set<MemberRole>().Where(x => x.Role == role).ToListAsync(ct);
        if (others.Any(o => o.StartsOn < end && starts.Date < (o.EndsOn ?? DateOnly.MaxValue)))
        {
            throw CouncilException.Invalid("starts", "その期間には別の会長市が登録されています。");
        }

        var entity = new MemberRole { MemberId = member.Id, Role = role, StartsOn = starts.Date, StartPrecision = starts.Precision, EndsOn = ends?.Date };
        db.Add(entity);
        await SaveAsync(ct);
        return entity;
    }

    public async Task DeleteRoleAsync(string memberId, long roleId, CancellationToken ct)
    {
        await RequireSecretariatAsync(ct);
        var member = await FindAsync(memberId, ct);
        db.Remove(member.Roles.FirstOrDefault(r => r.Id == roleId) ?? throw CouncilException.NotFound());
        await SaveAsync(ct);
    }

    public async Task<CouncilActivity> AddActivityAsync(ActivityInput input, CancellationToken ct)
    {
        await RequireSecretariatAsync(ct);
        var date = ParseDate(input.Date, "date", required: true)!.Value;
        var kind = string.IsNullOrWhiteSpace(input.Kind) ? ActivityKinds.Other : input.Kind.Trim();
        if (!ActivityKinds.IsValid(kind))
        {
            throw CouncilException.Invalid("kind", "活動の種類が正しくありません。");
        }

        var title = Limit(input.Title, 200, "title");
        if (title.Length == 0)
        {
            throw CouncilException.Invalid("title", "名称を200文字以内で入力してください。");
        }

        var url = Limit(input.Url, 2000, "url");
        if (url.Length > 0 && !(Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"))
        {
            throw CouncilException.Invalid("url", "URLは http:// か https:// で始めてください。");
        }

        string? eventId = null;
        if (!string.IsNullOrWhiteSpace(input.Event))
        {
            var slug = input.Event.Trim();
            eventId = await db.Set<Events.Event>().Where(e => e.Slug == slug).Select(e => e.Id).FirstOrDefaultAsync(ct)
                ?? throw CouncilException.Invalid("event", "イベント「{0}」はありません。", slug);
        }

        var activity = new CouncilActivity { On = date.Date, Precision = date.Precision, Kind = kind, Title = title, TitleEn = Limit(input.TitleEn, 200, "titleEn"), EventId = eventId, Url = url };
        db.Add(activity);
        await SaveAsync(ct);
        return activity;
    }

    public async Task DeleteActivityAsync(long id, CancellationToken ct)
    {
        await RequireSecretariatAsync(ct);
        db.Remove(await db.Set<CouncilActivity>().FirstOrDefaultAsync(a => a.Id == id, ct) ?? throw CouncilException.NotFound());
        await SaveAsync(ct);
    }

    /// <summary>Makes a user part of the secretariat (sysadmins only).</summary>
    public async Task AddSecretaryAsync(string userName, CancellationToken ct)
    {
        if (!access.User.IsSysadmin)
        {
            throw CouncilException.Forbidden();
        }

        var user = await db.Users.FirstOrDefaultAsync(u => u.Name == userName, ct) ?? throw CouncilException.Invalid("user", "ユーザー「{0}」は存在しません。", userName ?? "");
        if (!await db.Set<CouncilSecretary>().AnyAsync(s => s.UserId == user.Id, ct))
        {
            db.Add(new CouncilSecretary { UserId = user.Id });
            await SaveAsync(ct);
        }
    }

    private async Task RequireSecretariatAsync(CancellationToken ct)
    {
        if (!await access.IsSecretariatAsync(ct))
        {
            throw CouncilException.Forbidden();
        }
    }

    private async Task<CouncilMember> FindAsync(string id, CancellationToken ct) =>
        await db.Set<CouncilMember>().Include(m => m.Periods).Include(m => m.Roles).FirstOrDefaultAsync(m => m.Id == id, ct)
        ?? throw CouncilException.NotFound();

    private Task SaveAsync(CancellationToken ct) => CouncilAudit.SaveAsync(db, access.User.Id, access.User.Name ?? "", ct);

    private async Task ApplyAsync(CouncilMember m, MemberInput input, bool full, CancellationToken ct)
    {
        if (full)
        {
            var kind = string.IsNullOrWhiteSpace(input.Kind) ? MemberKinds.LocalGovernment : input.Kind.Trim();
            if (!MemberKinds.IsValid(kind))
            {
                throw CouncilException.Invalid("kind", "会員の種別が正しくありません。");
            }

            var name = input.Name?.Trim() ?? "";
            if (name.Length is 0 or > 200)
            {
                throw CouncilException.Invalid("name", "名称を200文字以内で入力してください。");
            }

            string? code = null;
            if (kind == MemberKinds.LocalGovernment)
            {
                code = TextNormalizer.ToHalfWidthDigits(input.LocalGovCode?.Trim() ?? "");
                if (code.Length == 0)
                {
                    throw CouncilException.Invalid("localGovCode", "地方公共団体には全国地方公共団体コード（6桁）が必要です。");
                }

                if (!LocalGovCode.IsValid(code))
                {
                    throw CouncilException.Invalid("localGovCode", "全国地方公共団体コード「{0}」は6桁でないか、検査数字が正しくありません。", code);
                }

                if (await db.Set<CouncilMember>().AnyAsync(x => x.LocalGovCode == code && x.Id != m.Id, ct))
                {
                    throw CouncilException.Invalid("localGovCode", "全国地方公共団体コード「{0}」の会員はすでに登録されています。", code);
                }
            }
            else if (!string.IsNullOrWhiteSpace(input.LocalGovCode))
            {
                throw CouncilException.Invalid("localGovCode", "特別会員には全国地方公共団体コードを入力しません。");
            }

            string? orgId = null;
            if (!string.IsNullOrWhiteSpace(input.Organization))
            {
                var key = input.Organization.Trim();
                orgId = await db.Organizations.Where(o => o.Name == key || o.Id == key).Select(o => o.Id).FirstOrDefaultAsync(ct)
                    ?? throw CouncilException.Invalid("organization", "組織「{0}」はカタログにありません。", key);
            }

            m.Kind = kind;
            m.Name = name;
            m.LocalGovCode = code;
            m.OrganizationId = orgId;
            m.DisplayOrder = input.DisplayOrder ?? m.DisplayOrder;
        }

        int? population = null;
        if (!string.IsNullOrWhiteSpace(input.Population))
        {
            var digits = TextNormalizer.ToHalfWidthDigits(input.Population.Trim()).Replace(",", "", StringComparison.Ordinal);
            if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var p))
            {
                throw CouncilException.Invalid("population", "人口は0以上の整数で入力してください。");
            }

            population = p;
        }

        m.NameEn = Limit(input.NameEn, 200, "nameEn");
        m.Prefecture = Limit(input.Prefecture, 20, "prefecture");
        m.Population = population;
        m.Notes = Limit(input.Notes, 2000, "notes");
    }

    private static string Limit(string? value, int max, string field)
    {
        var v = value?.Trim() ?? "";
        return v.Length <= max ? v : throw CouncilException.Invalid(field, "{0}文字以内で入力してください。", max);
    }

    private static CouncilDate? ParseDate(string? text, string field, bool required)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return required ? throw CouncilException.Invalid(field, "日付を入力してください（例: 2013-04-01、平成28年度、2020-11-06以前）。") : null;
        }

        return CouncilDate.TryParse(text, out var d) ? d
            : throw CouncilException.Invalid(field, "「{0}」は日付として読めません（例: 2013-04-01、平成28年度、2020-11-06以前）。", text.Trim());
    }

    /// <summary>Validates a period against the member's other periods, then sets it.</summary>
    private static void SetPeriod(MembershipPeriod period, PeriodInput input, IEnumerable<MembershipPeriod> others)
    {
        var joined = ParseDate(input.Joined, "joined", required: true)!.Value;
        var left = ParseDate(input.Left, "left", required: false);
        if (left is { Precision: DatePrecision.OnOrBefore })
        {
            throw CouncilException.Invalid("left", "脱退は日付か年度で入力してください。");
        }

        if (left is { } l && l.Date <= joined.Date)
        {
            throw CouncilException.Invalid("left", "脱退（{0}）が加入（{1}）より前です。", l.Input, joined.Input);
        }

        var end = left?.Date ?? DateOnly.MaxValue;
        var clash = others.FirstOrDefault(o => o.JoinedOn < end && joined.Date < (o.LeftOn ?? DateOnly.MaxValue));
        if (clash is not null)
        {
            throw CouncilException.Invalid("joined", "この期間は登録済みの会員期間（{0}～{1}）と重なっています。", clash.Joined.Input, clash.Left?.Input ?? "");
        }

        period.JoinedOn = joined.Date;
        period.JoinedPrecision = joined.Precision;
        period.LeftOn = left?.Date;
        period.LeftPrecision = left?.Precision ?? DatePrecision.Day;
    }
}
