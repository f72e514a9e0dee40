using Microsoft.EntityFrameworkCore;
using OpenGov.Hosting;
using OpenGov.Storage;

namespace OpenGov.Events;

/// <summary>
/// Demo content: the council's online symposium of 2020-11-19, from Tsukuba City's press release of 2020-11-06
/// (発信日 令和2年11月6日, 宛先 つくば市記者会, 種別 取材依頼・周知依頼・募集告知, 発信元 つくば市 政策イノベーション部 情報政策課).
/// </summary>
public sealed class EventDemoSeeder : IDemoSeeder
{
    public const string Slug = "symposium-2020";
    public const string Code = "og2020";

    public int Order => 20;

    public async Task SeedAsync(IServiceProvider services, CancellationToken ct)
    {
        var db = services.GetRequiredService<OpenGovDb>();
        if (await db.Set<Event>().AnyAsync(e => e.Slug == Slug, ct))
        {
            return;
        }

        db.Add(Symposium2020());
        await db.SaveChangesAsync(ct);
    }

    private static readonly string[] Cities = ["郡山市", "千葉市", "奈良市", "福岡市", "日南市", "つくば市"];
    private static readonly string[] CitiesEn = ["Koriyama", "Chiba", "Nara", "Fukuoka", "Nichinan", "Tsukuba"];

    public static Event Symposium2020() => new()
    {
        Slug = Slug,
        Title = "オープンガバメント推進協議会 公開シンポジウム",
        TitleEn = "Open Government Promotion Council Public Symposium",
        Theme = "感染症対策を契機とした社会変革",
        ThemeEn = "Social transformation triggered by infectious disease countermeasures",
        Summary = "新型コロナウイルスの感染拡大以後、市民の暮らしや経済活動は大きく変化しました。基調講演では、オープンガバメントを推進する地方公共団体として、今後、どのような変革が必要と考えるのか、求められる官民連携とは何かについて、東京都の新型コロナウイルス感染症対策サイトを開発したCode for Japan代表の関 治之氏をお招きし、講演いただきます。また、オープンデータ・ビッグデータの利活用や新たな働き方など、感染症対策を契機とした社会変革について、各首長によるディスカッションをオンラインにより全国に発信します。",
        SummaryEn = "Since the spread of COVID-19, citizens' lives and economic activity have changed greatly. In the keynote, Haruyuki Seki, representative of Code for Japan, which developed the Tokyo Metropolitan Government's COVID-19 countermeasures site, speaks on the changes local governments promoting open government need and on public-private partnership. The mayors then discuss, online and nationwide, the social transformation triggered by infectious disease countermeasures: use of open data and big data, new ways of working.",
        StartsAt = new DateTime(2020, 11, 19, 6, 0, 0, DateTimeKind.Utc),
        EndsAt = new DateTime(2020, 11, 19, 7, 30, 0, DateTimeKind.Utc),
        Format = "オンライン開催（出席者をZoomで接続し、YouTubeでライブ配信。オンデマンドによる見逃し配信あり。視聴者はチャットで質問参加）",
        FormatEn = "Online (speakers on Zoom, streamed live on YouTube with a replay afterwards; viewers ask questions online)",
        YouTubeVideoId = "NUZt2y4blJE",
        PrVideoId = "C3WqUlI5uRU",
        ZoomJoinUrl = "https://zoom.us/j/00000000000 （デモ用のダミー）",
        ZoomMeetingId = "000 0000 0000",
        ZoomPasscode = "demo",
        PressIssuedOn = new DateOnly(2020, 11, 6),
        PressAddressee = "つくば市記者会 御中",
        PressKinds = "取材依頼,周知依頼,募集告知",
        PressSender = "つくば市 政策イノベーション部 情報政策課",
        QuestionCode = Code,
        PresenterSecret = EventSetup.NewSecret(),
        NgWords = "死ね\n殺す\nバカ",
        Programme =
        [
            new ProgrammeItem
            {
                Order = 0,
                Kind = "keynote",
                Title = "基調講演",
                TitleEn = "Keynote",
                Speakers =
                [
                    new Speaker { Order = 0, Name = "関 治之", NameEn = "Haruyuki Seki", Affiliation = "一般社団法人 コード・フォー・ジャパン 代表理事", AffiliationEn = "Representative Director, Code for Japan", Role = "keynote" },
                ],
            },
            new ProgrammeItem
            {
                Order = 1,
                Kind = "panel",
                Title = "パネルディスカッション",
                TitleEn = "Panel discussion",
                Speakers =
                [
                    new Speaker
                    {
                        Order = 0,
                        Name = "庄司 昌彦",
                        NameEn = "Masahiko Shoji",
                        Affiliation = "一般社団法人オープン・ナレッジ・ファウンデーション・ジャパン 代表理事\n武蔵大学社会学部 教授",
                        AffiliationEn = "Representative Director, Open Knowledge Foundation Japan\nProfessor, Faculty of Sociology, Musashi University",
                        Role = "moderator",
                    },
                    .. Cities.Select((c, i) => new Speaker { Order = i + 1, Name = c + "長", NameEn = "Mayor of " + CitiesEn[i], Affiliation = c, AffiliationEn = CitiesEn[i] + " City", Role = "panelist" }),
                ],
            },
        ],
    };
}
