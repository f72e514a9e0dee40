using Microsoft.EntityFrameworkCore;
using OpenGov.Accounts;
using OpenGov.Events;
using OpenGov.Hosting;
using OpenGov.Shared;
using OpenGov.Storage;

namespace OpenGov.Council;

/// <summary>
/// The council's history as its press release of 2020-11-06 tells it (「会員」 and 「主な活動内容」), entered as registry
/// records: the founding and the rename, every join and leave (known to the fiscal year), 会長市 千葉市, the special
/// members (known to be members on 2020-11-06), the yearly symposia. Also a secretariat user "demo-secretariat"
/// (password "opengov-demo"). Runs once, into an empty registry.
/// </summary>
public sealed class CouncilDemoSeeder : IDemoSeeder
{
    public const string SecretaryName = "demo-secretariat";
    public const string Password = "opengov-demo";
    public const string PressDate = "2020-11-06以前";

    public int Order => 30;

    private const string Purpose =
        "産・官・学の連携の下、次に掲げる事項についての取組を行うことで、行政の効率性及び透明性を高め、市民主体のまちづくりの向上や市民サービスの向上、新産業の創出、地域経済の活性化へ寄与することを目的としています。\n" +
        "ビッグデータ・オープンデータの具体的活用策についての検討及び活用の推進\nマイナンバー制度の利活用の推進";

    private const string Business =
        "マイナンバー制度の利活用の推進\nビッグデータ・オープンデータの具体的活用策についての検討及び活用の推進\n前２号に掲げるもののほか、電子自治体の推進";

    private sealed record Seed(string Name, string NameEn, string? Code, string Prefecture, string? Org, string Joined, string? Left = null);

    /// <summary>Local governments in the order the history lists their joins.</summary>
    private static readonly Seed[] LocalGovernments =
    [
        new("武雄市", "Takeo", "412066", "佐賀県", "takeo", "2013-04-01"),
        new("千葉市", "Chiba", "121002", "千葉県", "chiba", "2013-04-01"),
        new("奈良市", "Nara", "292010", "奈良県", "nara", "2013-04-01"),
        new("福岡市", "Fukuoka", "401307", "福岡県", "fukuoka", "2013-04-01"),
        new("室蘭市", "Muroran", "012050", "北海道", "muroran", "平成26年度"),
        new("三重県", "Mie Prefecture", "240001", "三重県", "mie", "平成26年度"),
        new("大津市", "Otsu", "252018", "滋賀県", null, "平成27年度", "平成31年度"),
        new("弘前市", "Hirosaki", "022021", "青森県", null, "平成27年度", "平成30年度"),
        new("横須賀市", "Yokosuka", "142018", "神奈川県", null, "平成27年度", "平成29年度"),
        new("郡山市", "Koriyama", "072036", "福島県", "koriyama", "平成28年度"),
        new("日南市", "Nichinan", "452041", "宮崎県", "nichinan", "平成28年度"),
        new("浜松市", "Hamamatsu", "221309", "静岡県", "hamamatsu", "平成28年度"),
        new("桑名市", "Kuwana", "242055", "三重県", "kuwana", "平成31年度"),
        new("つくば市", "Tsukuba", "082201", "茨城県", "tsukuba", "令和2年度"),
        new("熊本市", "Kumamoto", "431001", "熊本県", "kumamoto", "令和2年度"),
    ];

    private static readonly Seed[] SpecialMembers =
    [
        new("東京大学大学院 情報学環 須藤修研究室", "Sudoh Laboratory, III, The University of Tokyo", null, "", "utokyo-sudoh-lab", PressDate),
        new("日本アイ・ビー・エム株式会社", "IBM Japan, Ltd.", null, "", "ibm-japan", PressDate),
        new("日本マイクロソフト株式会社", "Microsoft Japan Co., Ltd.", null, "", "microsoft-japan", PressDate),
        new("ヤフー株式会社", "Yahoo Japan Corporation", null, "", "yahoo-japan", PressDate),
        new("一般社団法人 オープン・ナレッジ・ファウンデーション・ジャパン", "Open Knowledge Foundation Japan", null, "", "okfj", PressDate),
        new("一般社団法人 オープンガバメント・コンソーシアム", "Open Government Consortium", null, "", "ogc", PressDate),
    ];

    private static readonly (string When, string Kind, string Ja, string En)[] Activities =
    [
        ("平成25年度", ActivityKinds.Symposium, "公開シンポジウム（アイデアコンテスト表彰式）", "Public symposium (idea contest awards)"),
        ("平成26年度", ActivityKinds.Symposium, "公開シンポジウム（アイデア・アプリケーションコンテスト表彰式）", "Public symposium (idea and application contest awards)"),
        ("平成27年度", ActivityKinds.Symposium, "公開シンポジウム", "Public symposium"),
        ("平成27年度", ActivityKinds.Event, "マイナンバー普及啓発イベント", "My Number awareness event"),
        ("平成28年度", ActivityKinds.Symposium, "公開シンポジウム（RESAS活用研修優秀提案表彰式）", "Public symposium (RESAS training: awards for the best proposals)"),
        ("平成29年度", ActivityKinds.Symposium, "公開シンポジウム（取組事業報告）", "Public symposium (project reports)"),
        ("平成30年度", ActivityKinds.Symposium, "公開シンポジウム（取組事業報告・シビックパワーバトル）", "Public symposium (project reports, Civic Power Battle)"),
        ("平成31年度", ActivityKinds.Symposium, "公開シンポジウム（取組事業報告・シビックパワーバトル）", "Public symposium (project reports, Civic Power Battle)"),
    ];

    public async Task SeedAsync(IServiceProvider services, CancellationToken ct)
    {
        var db = services.GetRequiredService<OpenGovDb>();
        await SeedSecretaryAsync(db, services.GetRequiredService<AccountService>(), ct);
        if (await db.Set<CouncilCharter>().AnyAsync(ct))
        {
            return;
        }

        db.Add(new CouncilCharter { ValidFrom = new DateOnly(2013, 4, 1), Name = "ビッグデータ・オープンデータ活用推進協議会", NameEn = "Big Data and Open Data Utilization Promotion Council", Purpose = Purpose, Business = Business });
        db.Add(new CouncilCharter { ValidFrom = new DateOnly(2015, 4, 1), Name = "オープンガバメント推進協議会", NameEn = "Open Government Promotion Council", Purpose = Purpose, Business = Business });
        await SaveAsync(db, ct);

        var orgs = await db.Organizations.ToDictionaryAsync(o => o.Name, o => o.Id, ct);
        var order = 0;
        foreach (var (s, kind) in LocalGovernments.Select(s => (s, MemberKinds.LocalGovernment)).Concat(SpecialMembers.Select(s => (s, MemberKinds.Special))))
        {
            var member = new CouncilMember
            {
                Kind = kind,
                Name = s.Name,
                NameEn = s.NameEn,
                LocalGovCode = s.Code,
                Prefecture = s.Prefecture,
                OrganizationId = s.Org is { } o ? orgs.GetValueOrDefault(o) : null,
                DisplayOrder = kind == MemberKinds.Special ? ++order : 0,
            };
            var joined = Parse(s.Joined);
            CouncilDate? left = CouncilDate.TryParse(s.Left, out var l) ? l : null;
            member.Periods.Add(new MembershipPeriod { JoinedOn = joined.Date, JoinedPrecision = joined.Precision, LeftOn = left?.Date, LeftPrecision = left?.Precision ?? DatePrecision.Day });
            if (s.Name == "千葉市")
            {
                var chair = Parse(PressDate);
                member.Roles.Add(new MemberRole { Role = CouncilRoles.Chair, StartsOn = chair.Date, StartPrecision = chair.Precision });
            }

            db.Add(member);
            await SaveAsync(db, ct); // one at a time: periods of one fiscal year keep the order they were entered in
        }

        foreach (var (when, kind, ja, en) in Activities)
        {
            var d = Parse(when);
            db.Add(new CouncilActivity { On = d.Date, Precision = d.Precision, Kind = kind, Title = ja, TitleEn = en });
        }

        if (await db.Set<Event>().FirstOrDefaultAsync(e => e.Slug == EventDemoSeeder.Slug, ct) is { } symposium)
        {
            db.Add(new CouncilActivity
            {
                On = JapanTime.Day(symposium.StartsAt),
                Kind = ActivityKinds.Symposium,
                Title = "公開シンポジウム（" + symposium.Theme + "）",
                TitleEn = "Public symposium (" + symposium.ThemeEn + ")",
                EventId = symposium.Id,
            });
        }

        await SaveAsync(db, ct);
    }

    private static CouncilDate Parse(string text) =>
        CouncilDate.TryParse(text, out var d) ? d : throw new InvalidOperationException("bad demo date " + text);

    private static Task SaveAsync(OpenGovDb db, CancellationToken ct) => CouncilAudit.SaveAsync(db, null, "demo", ct);

    private static async Task SeedSecretaryAsync(OpenGovDb db, AccountService accounts, CancellationToken ct)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Name == SecretaryName, ct)
            ?? await accounts.CreateUserAsync(SecretaryName, Password, sysadmin: false, fullName: "協議会事務局（デモ）", email: "demo-secretariat@example.jp", ct: ct);
        if (!await db.Set<CouncilSecretary>().AnyAsync(s => s.UserId == user.Id, ct))
        {
            db.Add(new CouncilSecretary { UserId = user.Id });
            await SaveAsync(db, ct);
        }
    }
}
