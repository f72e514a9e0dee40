using Microsoft.EntityFrameworkCore;
using OpenGov.Hosting;
using OpenGov.Storage;

namespace OpenGov.Showcases;

/// <summary>
/// With --demo: three showcases on the Tokyo COVID-19 datasets (the real 東京都 新型コロナウイルス感染症対策サイト,
/// this site's own dashboard, and a made-up report labelled as a demo), and the council secretariat as showcase
/// admin. Idempotent; skips datasets that are not there.
/// </summary>
public sealed class ShowcaseDemoSeeder : IDemoSeeder
{
    public int Order => 40;

    private sealed record Seed(string Name, string Title, string Notes, string Url, string Image, string Author, string[] Tags, string[] Datasets);

    /// <summary>The council's demo secretariat user (Council/CouncilDemoSeeder, seeded before: Order 30).</summary>
    private const string SecretaryName = "demo-secretariat";

    private const string Patients = "130001-tokyo-covid19-patients";
    private const string CallCenter = "130001-tokyo-covid19-call-center";
    private const string Advice = "130001-tokyo-covid19-combined-telephone-advice-center";

    private static readonly Seed[] Seeds =
    [
        new(
            "tokyo-stopcovid19",
            "東京都 新型コロナウイルス感染症対策サイト",
            "東京都が2020年3月に開設した、新型コロナウイルス感染症の最新動向を伝えるサイトです。陽性患者数、相談件数などの" +
            "オープンデータをグラフで分かりやすく示しました。\n\n" +
            "ソースコードはオープンソースとして公開され、各地のシビックテックや自治体がそれを元に自分の地域版のサイトを作りました。",
            "https://stopcovid19.metro.tokyo.lg.jp/",
            "/img/showcases/stopcovid19.svg",
            "東京都",
            ["新型コロナウイルス", "オープンソース", "シビックテック"],
            [Patients, CallCenter, Advice]),
        new(
            "tokyo-covid19-dashboard",
            "東京都 新型コロナウイルス感染症 データダッシュボード（本サイト）",
            "このサイトのデータダッシュボード機能で、東京都の標準的なデータセットから作ったダッシュボードです。" +
            "データが更新されるとカードも自動で更新されます。\n\n[ダッシュボードを見る](/dashboards/tokyo/covid19)",
            "",
            "/img/showcases/dashboard.svg",
            "OpenGov",
            ["ダッシュボード", "新型コロナウイルス"],
            [Patients, CallCenter, Advice]),
        new(
            "tokyo-covid19-consultation-report",
            "相談件数から見る感染の波（デモ分析レポート）",
            "コールセンターと受診相談窓口の相談件数が、陽性患者の公表数に先行して増えるかを比べた分析レポートの例です。\n\n" +
            "**デモ用に作成した架空の事例です。**",
            "",
            "/img/showcases/report.svg",
            "オープンガバメント推進協議会 事務局（デモ）",
            ["分析レポート", "デモ"],
            [Patients, CallCenter, Advice]),
    ];

    public async Task SeedAsync(IServiceProvider services, CancellationToken ct)
    {
        var db = services.GetRequiredService<OpenGovDb>();
        var secretariat = await db.Users.Where(u => u.Name == SecretaryName).Select(u => u.Id).FirstOrDefaultAsync(ct);
        if (secretariat is not null && !await db.Set<ShowcaseAdmin>().AnyAsync(a => a.UserId == secretariat, ct))
        {
            db.Add(new ShowcaseAdmin { UserId = secretariat });
        }

        var created = DateTime.UtcNow;
        foreach (var seed in Seeds)
        {
            if (await db.Set<Showcase>().AnyAsync(s => s.Name == seed.Name, ct))
            {
                continue;
            }

            var showcase = new Showcase
            {
                Name = seed.Name,
                Title = seed.Title,
                Notes = seed.Notes,
                Url = seed.Url,
                ImageUrl = seed.Image,
                Author = seed.Author,
                Tags = ShowcaseTags.Join(seed.Tags),
                MetadataCreated = created,
                MetadataModified = created,
            };
            created = created.AddSeconds(-1); // listed in the order above, newest first
            db.Add(showcase);
            var ids = await db.Datasets.Where(d => seed.Datasets.Contains(d.Name) && d.State == RecordState.Active).Select(d => d.Id).ToListAsync(ct);
            db.AddRange(ids.Select(id => new ShowcaseDataset { ShowcaseId = showcase.Id, DatasetId = id }));
        }

        await db.SaveChangesAsync(ct);
    }
}
