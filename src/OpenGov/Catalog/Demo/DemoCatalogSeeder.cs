using Microsoft.EntityFrameworkCore;
using OpenGov.Catalog.Search;
using OpenGov.Hosting;
using OpenGov.Storage;

namespace OpenGov.Catalog.Demo;

/// <summary>
/// The council's members as organizations (オープンガバメント推進協議会, members as of 2020-11-06, with their
/// 全国地方公共団体コード) and theme groups. Idempotent: adds only what is missing.
/// </summary>
public sealed class CouncilOrganizationsSeeder : IDemoSeeder
{
    public int Order => 0;

    internal sealed record OrgSeed(string Name, string Title, string TitleEn, string? Code, string Description);

    internal static readonly OrgSeed[] Organizations =
    [
        new("chiba", "千葉市", "Chiba City", "121002", "オープンガバメント推進協議会 一般会員（会長市）。平成25年度設立時からの会員。"),
        new("muroran", "室蘭市", "Muroran City", "012050", "オープンガバメント推進協議会 一般会員。"),
        new("koriyama", "郡山市", "Koriyama City", "072036", "オープンガバメント推進協議会 一般会員。"),
        new("tsukuba", "つくば市", "Tsukuba City", "082201", "オープンガバメント推進協議会 一般会員（令和2年度加入）。"),
        new("hamamatsu", "浜松市", "Hamamatsu City", "221309", "オープンガバメント推進協議会 一般会員。"),
        new("mie", "三重県", "Mie Prefecture", "240001", "オープンガバメント推進協議会 一般会員。"),
        new("kuwana", "桑名市", "Kuwana City", "242055", "オープンガバメント推進協議会 一般会員。"),
        new("nara", "奈良市", "Nara City", "292010", "オープンガバメント推進協議会 一般会員。平成25年度設立時からの会員。"),
        new("fukuoka", "福岡市", "Fukuoka City", "401307", "オープンガバメント推進協議会 一般会員。平成25年度設立時からの会員。"),
        new("takeo", "武雄市", "Takeo City", "412066", "オープンガバメント推進協議会 一般会員。平成25年度設立時からの会員。"),
        new("kumamoto", "熊本市", "Kumamoto City", "431001", "オープンガバメント推進協議会 一般会員（令和2年度加入）。"),
        new("nichinan", "日南市", "Nichinan City", "452041", "オープンガバメント推進協議会 一般会員。"),
        new("utokyo-sudoh-lab", "東京大学大学院 情報学環 須藤修研究室", "Sudoh Laboratory, Interfaculty Initiative in Information Studies, The University of Tokyo", null, "オープンガバメント推進協議会 特別会員。"),
        new("ibm-japan", "日本アイ・ビー・エム株式会社", "IBM Japan, Ltd.", null, "オープンガバメント推進協議会 特別会員。"),
        new("microsoft-japan", "日本マイクロソフト株式会社", "Microsoft Japan Co., Ltd.", null, "オープンガバメント推進協議会 特別会員。"),
        new("yahoo-japan", "ヤフー株式会社", "Yahoo Japan Corporation", null, "オープンガバメント推進協議会 特別会員。"),
        new("okfj", "一般社団法人 オープン・ナレッジ・ファウンデーション・ジャパン", "Open Knowledge Foundation Japan", null, "オープンガバメント推進協議会 特別会員。"),
        new("ogc", "一般社団法人 オープンガバメント・コンソーシアム", "Open Government Consortium", null, "オープンガバメント推進協議会 特別会員。"),
        new("tokyo", "東京都", "Tokyo Metropolis", "130001", "デモ用の公開データ提供者（協議会の会員ではありません）。東京都 新型コロナウイルス感染症対策サイトのオープンデータ（CC BY 4.0）を掲載しています。"),
    ];

    internal static readonly (string Name, string Title, string TitleEn)[] Groups =
    [
        ("health-welfare", "健康・福祉", "Health and welfare"),
        ("infectious-disease", "感染症対策", "Infectious disease control"),
        ("disaster-prevention", "防災", "Disaster prevention"),
        ("population-statistics", "人口・統計", "Population and statistics"),
        ("child-rearing", "子育て・教育", "Child-rearing and education"),
        ("tourism", "観光・文化", "Tourism and culture"),
    ];

    public async Task SeedAsync(IServiceProvider services, CancellationToken ct)
    {
        var db = services.GetRequiredService<OpenGovDb>();
        var existing = await db.Organizations.Select(o => o.Name).ToListAsync(ct);
        foreach (var o in Organizations.Where(o => !existing.Contains(o.Name)))
        {
            db.Organizations.Add(new Organization { Name = o.Name, Title = o.Title, TitleEn = o.TitleEn, LocalGovCode = o.Code, Description = o.Description });
        }

        var groups = await db.Groups.Select(g => g.Name).ToListAsync(ct);
        foreach (var g in Groups.Where(g => !groups.Contains(g.Name)))
        {
            db.Groups.Add(new Group { Name = g.Name, Title = g.Title, TitleEn = g.TitleEn });
        }

        await db.SaveChangesAsync(ct);
    }
}

/// <summary>Tokyo's COVID-19 datasets with their real CSV files (shipped in DemoData/tokyo-covid19, CC BY 4.0).</summary>
public sealed class TokyoCovidDatasetsSeeder : IDemoSeeder
{
    public int Order => 10;

    private sealed record DatasetSeed(string Name, string Title, string Notes, string[] Tags, string File, string ResourceName, string? Standard);

    private static readonly DatasetSeed[] Datasets =
    [
        new(
            "130001-tokyo-covid19-patients",
            "東京都 新型コロナウイルス感染症陽性患者発表詳細",
            "東京都が公表した新型コロナウイルス感染症の陽性患者の属性（公表日、年代、性別など）です。\n\n" +
            "- 出典: 東京都 新型コロナウイルス感染症対策サイト\n- 形式: 新型コロナウイルス感染症対策に関するオープンデータ項目定義書（陽性患者属性）に準拠（曜日列などの独自列あり）",
            ["新型コロナウイルス", "感染症", "陽性患者", "COVID-19"],
            "130001_tokyo_covid19_patients.csv",
            "陽性患者属性",
            "patients"),
        new(
            "130001-tokyo-covid19-call-center",
            "東京都 新型コロナコールセンター相談件数",
            "東京都 新型コロナコールセンターへの相談件数（受付日別）です。\n\n- 出典: 東京都 新型コロナウイルス感染症対策サイト",
            ["新型コロナウイルス", "感染症", "コールセンター", "COVID-19"],
            "130001_tokyo_covid19_call_center.csv",
            "コールセンター相談件数",
            "call_center"),
        new(
            "130001-tokyo-covid19-combined-telephone-advice-center",
            "東京都 新型コロナ受診相談窓口相談件数",
            "東京都 新型コロナ受診相談窓口（帰国者・接触者電話相談センター）への相談件数（受付日別）です。\n\n- 出典: 東京都 新型コロナウイルス感染症対策サイト",
            ["新型コロナウイルス", "感染症", "受診相談", "COVID-19"],
            "130001_tokyo_covid19_combined_telephone_advice_center.csv",
            "受診相談窓口相談件数",
            "call_center"),
        new(
            "130001-tokyo-covid19-positive-status",
            "東京都 新型コロナウイルス感染症 入院患者数・重症患者数（デモ用に対策サイトのデータから作成）",
            "東京都 新型コロナウイルス感染症対策サイトの「入院患者数と重症患者数」カードのデータ（data/positive_status.json、2020-10-31 更新分）を、" +
            "東京都が公開する 130001_tokyo_covid19_details_testing_positive_cases.csv と同じ列名の CSV に書き直したものです（日付ごとの入院中・重症の人数）。" +
            "東京都の CSV にある宿泊療養・自宅療養・死亡・退院などの列は positive_status.json にないため含みません。\n\n" +
            "- 出典: 東京都 新型コロナウイルス感染症対策サイト（tokyo-metropolitan-gov/covid19, data/positive_status.json）",
            ["新型コロナウイルス", "感染症", "入院患者", "COVID-19"],
            "130001_tokyo_covid19_positive_status.csv",
            "入院患者数・重症患者数",
            null),
    ];

    public async Task SeedAsync(IServiceProvider services, CancellationToken ct)
    {
        var db = services.GetRequiredService<OpenGovDb>();
        var tokyo = await db.Organizations.FirstOrDefaultAsync(o => o.Name == "tokyo", ct);
        if (tokyo is null)
        {
            return;
        }

        var groupIds = await db.Groups.Where(g => g.Name == "infectious-disease" || g.Name == "health-welfare").Select(g => g.Id).ToListAsync(ct);
        var source = Path.Combine(AppContext.BaseDirectory, "DemoData", "tokyo-covid19");
        foreach (var seed in Datasets)
        {
            if (await db.Datasets.AnyAsync(d => d.Name == seed.Name, ct))
            {
                continue;
            }

            var dataset = new Dataset
            {
                Name = seed.Name,
                Title = seed.Title,
                Notes = seed.Notes,
                OwnerOrgId = tokyo.Id,
                LicenseId = "cc-by-4.0",
                Author = "東京都",
                Maintainer = "東京都 新型コロナウイルス感染症対策サイト",
                Url = "https://stopcovid19.metro.tokyo.lg.jp/",
            };
            if (seed.Standard is { } standard)
            {
                dataset.Extras.Add(new DatasetExtra { DatasetId = dataset.Id, Key = "standard", Value = standard });
            }
            foreach (var tagName in seed.Tags)
            {
                var tag = await db.Tags.FirstOrDefaultAsync(t => t.Name == tagName, ct) ?? db.Tags.Local.FirstOrDefault(t => t.Name == tagName);
                if (tag is null)
                {
                    tag = new Tag { Name = tagName };
                    db.Tags.Add(tag);
                }

                dataset.Tags.Add(new DatasetTag { DatasetId = dataset.Id, TagId = tag.Id, Tag = tag });
            }

            foreach (var gid in groupIds)
            {
                dataset.Groups.Add(new DatasetGroup { DatasetId = dataset.Id, GroupId = gid });
            }

            var resource = new Resource
            {
                DatasetId = dataset.Id,
                Name = seed.ResourceName,
                Description = "UTF-8（BOM付き）のCSVファイル",
                Format = "CSV",
                Mimetype = "text/csv",
                UrlType = "upload",
                Url = seed.File,
                Position = 0,
            };
            await DemoUploads.PublishAsync(services, dataset, resource, Path.Combine(source, seed.File), ct);
        }
    }
}
