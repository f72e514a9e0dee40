using Microsoft.EntityFrameworkCore;
using OpenGov.Accounts;
using OpenGov.Events;
using OpenGov.Events.Polls;
using OpenGov.Hosting;
using OpenGov.Shared;
using OpenGov.Storage;

namespace OpenGov.Council.Contests;

/// <summary>
/// A finished demo contest: オープンデータ・アイデアコンテスト2020, awarded at the 2020-11-19 symposium (the events
/// demo), with five entries (four accepted), two judges' scores on a weighted rubric, the audience vote as a closed
/// poll of the symposium, and the awards. Users (password "opengov-demo"): judges demo-judge1, demo-judge2; entrant
/// teams demo-team-a … demo-team-c. Runs once.
/// </summary>
public sealed class ContestDemoSeeder : IDemoSeeder
{
    public const string Slug = "idea-contest-2020";
    public static readonly string[] Judges = ["demo-judge1", "demo-judge2"];
    public static readonly string[] Teams = ["demo-team-a", "demo-team-b", "demo-team-c"];

    public int Order => 40;

    private sealed record EntrySeed(int Team, string Title, string TeamName, string Summary, string Category, string Datasets, string Members, string State, int[] Judge1, int[] Judge2, int Audience);

    private static readonly EntrySeed[] Entries =
    [
        new(0, "混雑予報で受診相談をなめらかに", "チーム・コールセンター", "受診相談窓口とコールセンターの相談件数から翌週の混雑を予報し、窓口の人員配置と市民への案内に使うアイデア。", "行政課題の解決",
            "130001-tokyo-covid19-combined-telephone-advice-center\n130001-tokyo-covid19-call-center", "山田 花子\n佐藤 一郎", EntryStates.Accepted, [9, 9, 7], [8, 9, 8], 41),
        new(1, "まちの人口ダッシュボード", "Code for Demo", "国勢調査の人口を市町村で比べ、子育て世帯向けの施設計画に使える見える化。", "地域の魅力発信",
            "tokyo-population-2020-census\nfukuoka-population-2020-census", "鈴木 次郎\n高橋 三奈\n田中 四郎", EntryStates.Accepted, [7, 8, 9], [8, 7, 9], 63),
        new(2, "陽性者数のやさしい読み上げ", "アクセシビリティ研究会", "陽性患者の公表データを毎日やさしい日本語と音声で伝える、視覚障害のある人や高齢者向けのアイデア。", "行政課題の解決",
            "130001-tokyo-covid19-patients", "伊藤 五月", EntryStates.Accepted, [8, 7, 8], [9, 8, 7], 28),
        new(0, "オープンデータ・スタンプラリー", "チーム・コールセンター", "公開データを使った街歩きイベントの提案。", "地域の魅力発信",
            "", "山田 花子", EntryStates.Accepted, [5, 6, 6], [6, 5, 7], 12),
        new(2, "（未完成）防災マップ", "アクセシビリティ研究会", "締切までに内容がそろわなかった応募。", "行政課題の解決", "", "伊藤 五月", EntryStates.Rejected, [], [], 0),
    ];

    public async Task SeedAsync(IServiceProvider services, CancellationToken ct)
    {
        var db = services.GetRequiredService<OpenGovDb>();
        if (await db.Set<Contest>().AnyAsync(c => c.Slug == Slug, ct))
        {
            return;
        }

        var accounts = services.GetRequiredService<AccountService>();
        var judges = new List<string>();
        foreach (var (name, i) in Judges.Select((n, i) => (n, i)))
        {
            judges.Add((await UserAsync(db, accounts, name, $"審査員{i + 1}（デモ）", ct)).Id);
        }

        var teams = new List<string>();
        foreach (var (name, i) in Teams.Select((n, i) => (n, i)))
        {
            teams.Add((await UserAsync(db, accounts, name, $"応募チーム{(char)('A' + i)}（デモ）", ct)).Id);
        }

        var symposium = await db.Set<Event>().FirstOrDefaultAsync(e => e.Slug == EventDemoSeeder.Slug, ct);
        var contest = new Contest
        {
            Slug = Slug,
            Kind = ContestKinds.Idea,
            Title = "オープンデータ・アイデアコンテスト2020",
            TitleEn = "Open Data Idea Contest 2020",
            Rules = "## 募集内容\n会員自治体の公開データを使って、地域の課題を解決するアイデアを募集します。\n\n" +
                    "- 応募資格: どなたでも（チームでの応募も可）\n- 使用するデータセットを1件以上挙げてください\n- 最優秀賞・優秀賞・オーディエンス賞は公開シンポジウムで表彰します",
            RulesEn = "## What we ask for\nIdeas that solve local problems with the members' open data.\n\n- Anyone may enter, alone or as a team\n- Name at least one dataset you use\n- The awards are presented at the public symposium",
            Eligibility = "どなたでも応募できます（個人・チーム、学生・社会人を問いません）。",
            EligibilityEn = "Anyone may enter, alone or as a team.",
            Prizes = "- 最優秀賞（1件）\n- 優秀賞（1件）\n- オーディエンス賞（観客投票で1件）",
            PrizesEn = "- Grand prize (one)\n- Excellence award (one)\n- Audience award (one, by the audience vote)",
            PublishResults = true,
            Categories = "行政課題の解決\n地域の魅力発信",
            OpensAt = Utc(2020, 7, 1),
            Deadline = Utc(2020, 10, 16),
            JudgingClosesAt = Utc(2020, 11, 11),
            CeremonyEventId = symposium?.Id,
            Created = Utc(2020, 6, 15),
            Modified = Utc(2020, 6, 15),
            Criteria =
            [
                new ContestCriterion { Order = 0, Name = "課題の重要性", NameEn = "Importance of the problem", Weight = 3, MaxScore = 10, Description = "地域にとって解く価値のある課題か。" },
                new ContestCriterion { Order = 1, Name = "データの活用", NameEn = "Use of the data", Weight = 4, MaxScore = 10, Description = "会員自治体の公開データを適切に使っているか。" },
                new ContestCriterion { Order = 2, Name = "実現可能性", NameEn = "Feasibility", Weight = 3, MaxScore = 10, Description = "費用・体制の面で実現できるか。" },
            ],
        };
        db.Add(contest);
        db.AddRange(judges.Select(j => new ContestJudge { ContestId = contest.Id, UserId = j }));
        await SaveAsync(db, ct);

        var entries = new List<ContestEntry>();
        foreach (var s in Entries)
        {
            var e = new ContestEntry
            {
                ContestId = contest.Id,
                OwnerUserId = teams[s.Team],
                Title = s.Title,
                TeamName = s.TeamName,
                Summary = s.Summary,
                Category = s.Category,
                Datasets = s.Datasets,
                Members = s.Members,
                State = s.State,
                Created = Utc(2020, 10, 1),
                Modified = Utc(2020, 10, 10),
            };
            db.Add(e);
            entries.Add(e);
        }

        await SaveAsync(db, ct);
        var criteria = contest.Criteria.OrderBy(k => k.Order).ToList();
        foreach (var (s, e) in Entries.Zip(entries).Where(x => x.First.State == EntryStates.Accepted))
        {
            foreach (var (judge, given) in new[] { (judges[0], s.Judge1), (judges[1], s.Judge2) })
            {
                db.Add(new ContestAssignment { EntryId = e.Id, JudgeUserId = judge, ContestId = contest.Id, Comment = "デモの講評です。", ScoredAt = Utc(2020, 11, 5) });
                foreach (var (k, score) in criteria.Zip(given))
                {
                    db.Add(new ContestScore { EntryId = e.Id, JudgeUserId = judge, CriterionId = k.Id, Score = score });
                }
            }
        }

        await SaveAsync(db, ct);
        if (symposium is not null)
        {
            await SeedAudienceVoteAsync(db, contest, symposium, [.. Entries.Zip(entries).Where(x => x.First.State == EntryStates.Accepted)], ct);
        }

        var accepted = entries.Where(e => e.State == EntryStates.Accepted).ToList();
        db.Add(new ContestAward { ContestId = contest.Id, EntryId = accepted[0].Id, Name = "最優秀賞", NameEn = "Grand prize", Order = 0 });
        db.Add(new ContestAward { ContestId = contest.Id, EntryId = accepted[1].Id, Name = "優秀賞", NameEn = "Excellence award", Order = 1 });
        db.Add(new ContestAward { ContestId = contest.Id, EntryId = accepted[1].Id, Name = "オーディエンス賞", NameEn = "Audience award", Order = 2 });
        await SaveAsync(db, ct);
    }

    /// <summary>The audience vote as the symposium's poll, closed, with its answers (one per participant).</summary>
    private static async Task SeedAudienceVoteAsync(OpenGovDb db, Contest contest, Event symposium, List<(EntrySeed Seed, ContestEntry Entry)> accepted, CancellationToken ct)
    {
        var poll = new Poll
        {
            EventId = symposium.Id,
            Kind = PollKinds.Single,
            Question = "観客投票：" + contest.Title,
            QuestionEn = "Audience vote: " + contest.TitleEn,
            State = "closed",
            Options = [.. accepted.Select((x, i) => new PollOption { Order = i, Label = $"{x.Entry.Title}（{x.Entry.TeamName}）" })],
        };
        db.Add(poll);
        await db.SaveChangesAsync(ct);
        var voter = 0;
        foreach (var ((seed, entry), option) in accepted.Zip(poll.Options.OrderBy(o => o.Order)))
        {
            entry.AudienceOptionId = option.Id;
            for (var i = 0; i < seed.Audience; i++)
            {
                db.Add(new PollResponse { PollId = poll.Id, Round = 1, ParticipantId = $"demo-audience-{++voter:D4}", Choices = option.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            }
        }

        contest.AudiencePollId = poll.Id;
        await SaveAsync(db, ct);
    }

    /// <summary>Midnight in Japan of the day, as UTC.</summary>
    private static DateTime Utc(int y, int m, int d) => JapanTime.StartUtc(new DateOnly(y, m, d));

    private static async Task<User> UserAsync(OpenGovDb db, AccountService accounts, string name, string fullName, CancellationToken ct) =>
        await db.Users.FirstOrDefaultAsync(u => u.Name == name, ct)
        ?? await accounts.CreateUserAsync(name, CouncilDemoSeeder.Password, sysadmin: false, fullName: fullName, email: name + "@example.jp", ct: ct);

    private static Task SaveAsync(OpenGovDb db, CancellationToken ct) => CouncilAudit.SaveAsync(db, null, "demo", ct);
}
