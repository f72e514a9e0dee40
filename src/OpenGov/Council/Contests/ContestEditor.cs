using Microsoft.EntityFrameworkCore;
using OpenGov.Storage;

namespace OpenGov.Council.Contests;

/// <summary>
/// The secretariat's writes to contests: the call and its rubric, screening, judges, awards. Everything is checked
/// before anything changes, and saved with its audit entries (<see cref="CouncilAudit"/>).
/// </summary>
public sealed class ContestEditor(OpenGovDb db, CouncilAccess access)
{
    public const int MaxJudges = 30;

    private static readonly string[] Reserved = ["mine", "new"];

    public async Task<Contest> CreateAsync(ContestInput input, CancellationToken ct)
    {
        await RequireSecretariatAsync(ct);
        var slug = (input.Slug ?? "").Trim().ToLowerInvariant();
        if (!ContestText.SlugPattern().IsMatch(slug) || Reserved.Contains(slug))
        {
            throw CouncilException.Invalid("slug", "URL名は英小文字・数字・ハイフンの100文字以内で入力してください。");
        }

        if (await db.Set<Contest>().AnyAsync(c => c.Slug == slug, ct))
        {
            throw CouncilException.Invalid("slug", "URL名「{0}」のコンテストはすでにあります。", slug);
        }

        var contest = new Contest { Slug = slug, Title = "" };
        await ApplyAsync(contest, input, ct);
        await SetJudgesAsync(contest, input.Judges, ct);
        db.Add(contest);
        await SaveAsync(ct);
        return contest;
    }

    public async Task<Contest> UpdateAsync(string slug, ContestInput input, CancellationToken ct)
    {
        await RequireSecretariatAsync(ct);
        var contest = await FindAsync(slug, ct);
        await ApplyAsync(contest, input, ct);
        await SetJudgesAsync(contest, input.Judges, ct);
        contest.Modified = DateTime.UtcNow;
        await SaveAsync(ct);
        return contest;
    }

    /// <summary>Whether a judge has scored any criterion of the contest: then the rubric's lines and max scores are fixed.</summary>
    public async Task<bool> ScoringStartedAsync(Contest c, CancellationToken ct)
    {
        var ids = c.Criteria.Select(k => k.Id).ToList();
        return ids.Count > 0 && await db.Set<ContestScore>().AnyAsync(s => ids.Contains(s.CriterionId), ct);
    }

    /// <summary>Replaces the judging panel by the users named (one a line); null leaves it as it is.</summary>
    private async Task SetJudgesAsync(Contest c, string? names, CancellationToken ct)
    {
        if (names is null)
        {
            return;
        }

        var wanted = ContestText.Items(names);
        if (wanted.Count > MaxJudges)
        {
            throw CouncilException.Invalid("judges", "審査員は{0}人までです。", MaxJudges);
        }

        var users = await db.Users.Where(u => wanted.Contains(u.Name)).Select(u => new { u.Id, u.Name }).ToListAsync(ct);
        var unknown = wanted.Where(n => users.All(u => u.Name != n)).ToList();
        if (unknown.Count > 0)
        {
            throw CouncilException.Invalid("judges", "審査員のユーザー「{0}」は存在しません。", string.Join("、", unknown));
        }

        var current = await db.Set<ContestJudge>().Where(j => j.ContestId == c.Id).ToListAsync(ct);
        db.RemoveRange(current.Where(j => users.All(u => u.Id != j.UserId)));
        foreach (var u in users.Where(u => current.All(j => j.UserId != u.Id)))
        {
            db.Add(new ContestJudge { ContestId = c.Id, UserId = u.Id });
        }
    }

    /// <summary>Accepts or rejects a submitted entry (after the deadline).</summary>
    public async Task<ContestEntry> ScreenAsync(string slug, long entryId, string? state, CancellationToken ct)
    {
        await RequireSecretariatAsync(ct);
        var contest = await FindAsync(slug, ct);
        var entry = await EntryAsync(contest, entryId, ct);
        if (state is not (EntryStates.Accepted or EntryStates.Rejected))
        {
            throw CouncilException.Invalid("state", "審査結果は accepted（受理）か rejected（不受理）です。");
        }

        if (DateTime.UtcNow < contest.Deadline)
        {
            throw CouncilException.Invalid("state", "応募の締切前は受理・不受理を決められません。");
        }

        if (entry.State == EntryStates.Draft)
        {
            throw CouncilException.Invalid("state", "提出されていない応募（下書き）は審査できません。");
        }

        entry.State = state;
        await SaveAsync(ct);
        return entry;
    }

    /// <summary>Assigns a user (by name) as a judge of an accepted entry.</summary>
    public async Task AssignJudgeAsync(string slug, long entryId, string? userName, CancellationToken ct)
    {
        await RequireSecretariatAsync(ct);
        var contest = await FindAsync(slug, ct);
        var entry = await EntryAsync(contest, entryId, ct);
        if (entry.State != EntryStates.Accepted)
        {
            throw CouncilException.Invalid("user", "審査員は受理した応募にだけ割り当てられます。");
        }

        var name = userName?.Trim() ?? "";
        var user = await db.Users.FirstOrDefaultAsync(u => u.Name == name, ct) ?? throw CouncilException.Invalid("user", "ユーザー「{0}」は存在しません。", name);
        if (user.Id == entry.OwnerUserId)
        {
            throw CouncilException.Invalid("user", "応募者を自分の応募の審査員にはできません。");
        }

        if (!await db.Set<ContestAssignment>().AnyAsync(a => a.EntryId == entry.Id && a.JudgeUserId == user.Id, ct))
        {
            db.Add(new ContestAssignment { EntryId = entry.Id, JudgeUserId = user.Id, ContestId = contest.Id });
            await SaveAsync(ct);
        }
    }

    public async Task UnassignJudgeAsync(string slug, long entryId, string userName, CancellationToken ct)
    {
        await RequireSecretariatAsync(ct);
        var contest = await FindAsync(slug, ct);
        var entry = await EntryAsync(contest, entryId, ct);
        var a = await db.Set<ContestAssignment>().FirstOrDefaultAsync(a => a.EntryId == entry.Id && db.Users.Any(u => u.Id == a.JudgeUserId && u.Name == userName), ct)
            ?? throw CouncilException.NotFound();
        db.RemoveRange(await db.Set<ContestScore>().Where(s => s.EntryId == a.EntryId && s.JudgeUserId == a.JudgeUserId).ToListAsync(ct));
        db.Remove(a);
        await SaveAsync(ct);
    }

    public async Task<ContestAward> AddAwardAsync(string slug, AwardInput input, CancellationToken ct)
    {
        await RequireSecretariatAsync(ct);
        var contest = await FindAsync(slug, ct);
        var name = ContestText.Limit(input.Name, 100, "name", required: true);
        var entry = input.Entry is { } id ? await db.Set<ContestEntry>().FirstOrDefaultAsync(e => e.Id == id && e.ContestId == contest.Id, ct) : null;
        if (entry is null || entry.State != EntryStates.Accepted)
        {
            throw CouncilException.Invalid("entry", "賞は受理した応募にだけ贈れます。");
        }

        var order = await db.Set<ContestAward>().Where(a => a.ContestId == contest.Id).CountAsync(ct);
        var award = new ContestAward { ContestId = contest.Id, EntryId = entry.Id, Name = name, NameEn = ContestText.Limit(input.NameEn, 100, "nameEn"), Order = order };
        db.Add(award);
        await SaveAsync(ct);
        return award;
    }

    public async Task DeleteAwardAsync(string slug, long awardId, CancellationToken ct)
    {
        await RequireSecretariatAsync(ct);
        var contest = await FindAsync(slug, ct);
        db.Remove(await db.Set<ContestAward>().FirstOrDefaultAsync(a => a.Id == awardId && a.ContestId == contest.Id, ct) ?? throw CouncilException.NotFound());
        await SaveAsync(ct);
    }

    /// <summary>The refusal of a changed rubric once scoring has begun (also the notice on the call form).</summary>
    public const string ScoredRubricMessage = "採点が始まった後は審査基準の項目と満点を変えられません（重みと説明は変えられます）。";

    internal Task RequireSecretariatAsync(CancellationToken ct) => RequireSecretariatAsync("コンテストを変更できるのは協議会事務局だけです。", ct);

    /// <summary>Login required (401), then the secretariat (403 with <paramref name="refusal"/>, a text of CouncilText).</summary>
    internal async Task RequireSecretariatAsync(string refusal, CancellationToken ct)
    {
        if (!access.User.IsAuthenticated)
        {
            throw CouncilException.LoginRequired();
        }

        if (!await access.IsSecretariatAsync(ct))
        {
            throw new CouncilException(403, refusal);
        }
    }

    internal async Task<Contest> FindAsync(string slug, CancellationToken ct) =>
        await db.Set<Contest>().Include(c => c.Criteria).FirstOrDefaultAsync(c => c.Slug == slug, ct) ?? throw CouncilException.NotFound();

    private async Task<ContestEntry> EntryAsync(Contest contest, long entryId, CancellationToken ct) =>
        await db.Set<ContestEntry>().FirstOrDefaultAsync(e => e.Id == entryId && e.ContestId == contest.Id, ct) ?? throw CouncilException.NotFound();

    internal Task SaveAsync(CancellationToken ct) => CouncilAudit.SaveAsync(db, access.User.Id, access.User.Name ?? "", ct);

    private async Task ApplyAsync(Contest c, ContestInput input, CancellationToken ct)
    {
        var kind = string.IsNullOrWhiteSpace(input.Kind) ? ContestKinds.Idea : input.Kind.Trim();
        if (!ContestKinds.IsValid(kind))
        {
            throw CouncilException.Invalid("kind", "コンテストの種類が正しくありません（idea, app, resas, civic_power_battle）。");
        }

        var title = ContestText.Limit(input.Title, 200, "title", required: true);
        var opens = ContestText.ParseMoment(input.Opens, "opens", endOfDay: false);
        var deadline = ContestText.ParseMoment(input.Deadline, "deadline", endOfDay: true);
        var closes = ContestText.ParseMoment(input.JudgingCloses, "judgingCloses", endOfDay: true);
        if (deadline <= opens)
        {
            throw CouncilException.Invalid("deadline", "応募締切が募集開始より前です。");
        }

        if (closes <= deadline)
        {
            throw CouncilException.Invalid("judgingCloses", "審査終了が応募締切より前です。");
        }

        var criteria = input.Criteria ?? [];
        if (criteria.Count is 0 or > 20)
        {
            throw CouncilException.Invalid("criteria", "審査基準を1～20項目指定してください。");
        }

        foreach (var k in criteria)
        {
            ContestText.Limit(k.Name, 100, "criteria", required: true);
            ContestText.Limit(k.NameEn, 100, "criteria");
            ContestText.Limit(k.Description, 1000, "criteria");
            ContestText.Limit(k.DescriptionEn, 1000, "criteria");
            if (k.Weight is not (> 0 and <= 100) || double.IsNaN(k.Weight.Value))
            {
                throw CouncilException.Invalid("criteria", "審査基準「{0}」の重みは0より大きく100以下です。", k.Name ?? "");
            }

            if (k.MaxScore is not (>= 1 and <= 100))
            {
                throw CouncilException.Invalid("criteria", "審査基準「{0}」の満点は1～100点です。", k.Name ?? "");
            }
        }

        string? eventId = null;
        if (!string.IsNullOrWhiteSpace(input.Ceremony))
        {
            var slug = input.Ceremony.Trim();
            eventId = await db.Set<Events.Event>().Where(e => e.Slug == slug).Select(e => e.Id).FirstOrDefaultAsync(ct)
                ?? throw CouncilException.Invalid("ceremony", "イベント「{0}」はありません。", slug);
        }

        if (c.AudiencePollId is not null && eventId != c.CeremonyEventId)
        {
            throw CouncilException.Invalid("ceremony", "観客投票を作成した後は表彰式のイベントを変えられません。");
        }

        var categories = ContestText.Items(input.Categories);
        if (categories.Count > 20 || categories.Any(x => x.Length > 100))
        {
            throw CouncilException.Invalid("categories", "部門は100文字以内で20個までです。");
        }

        var scored = await ScoringStartedAsync(c, ct);
        var sameRubric = c.Criteria.Count == criteria.Count
            && c.Criteria.OrderBy(k => k.Order).Zip(criteria).All(p => p.First.Name == p.Second.Name!.Trim() && p.First.MaxScore == p.Second.MaxScore);
        if (scored && !sameRubric)
        {
            throw CouncilException.Invalid("criteria", ScoredRubricMessage);
        }

        c.Kind = kind;
        c.Title = title;
        c.TitleEn = ContestText.Limit(input.TitleEn, 200, "titleEn");
        c.Rules = ContestText.Limit(input.Rules, 20000, "rules");
        c.RulesEn = ContestText.Limit(input.RulesEn, 20000, "rulesEn");
        c.Eligibility = ContestText.Limit(input.Eligibility, 5000, "eligibility");
        c.EligibilityEn = ContestText.Limit(input.EligibilityEn, 5000, "eligibilityEn");
        c.Prizes = ContestText.Limit(input.Prizes, 5000, "prizes");
        c.PrizesEn = ContestText.Limit(input.PrizesEn, 5000, "prizesEn");
        c.PublishResults = input.PublishResults ?? c.PublishResults;
        c.Published = input.Published ?? c.Published;
        c.Categories = string.Join('\n', categories);
        c.OpensAt = opens;
        c.Deadline = deadline;
        c.JudgingClosesAt = closes;
        c.CeremonyEventId = eventId;
        if (sameRubric)
        {
            foreach (var (k, i) in c.Criteria.OrderBy(k => k.Order).Zip(criteria))
            {
                k.NameEn = i.NameEn?.Trim() ?? "";
                k.Weight = i.Weight!.Value;
                k.Description = ContestText.Limit(i.Description, 1000, "criteria");
                k.DescriptionEn = ContestText.Limit(i.DescriptionEn, 1000, "criteria");
            }
        }
        else
        {
            db.RemoveRange(c.Criteria);
            c.Criteria = [.. criteria.Select((k, i) => new ContestCriterion { Order = i, Name = k.Name!.Trim(), NameEn = k.NameEn?.Trim() ?? "", Weight = k.Weight!.Value, MaxScore = k.MaxScore!.Value,
                Description = ContestText.Limit(k.Description, 1000, "criteria"), DescriptionEn = ContestText.Limit(k.DescriptionEn, 1000, "criteria"),
            })];
        }
    }
}
