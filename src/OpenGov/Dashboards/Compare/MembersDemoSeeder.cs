using Microsoft.EntityFrameworkCore;
using OpenGov.Catalog;
using OpenGov.Catalog.Demo;
using OpenGov.Catalog.Search;
using OpenGov.Hosting;
using OpenGov.Storage;

namespace OpenGov.Dashboards;

/// <summary>
/// With --demo, what the members-compared page needs: the populations of Tokyo and Fukuoka City (real, 令和2年国勢調査)
/// as catalog datasets with population extras, and a second member with COVID-19 data: Fukuoka City's patients in
/// the standard shape, made-up and labelled as such (DemoData/fukuoka-covid19-demo). Idempotent.
/// </summary>
public sealed class MembersDemoSeeder : IDemoSeeder
{
    public int Order => 20;

    private sealed record PopulationSeed(string Org, string Name, string Title, long Residents);

    private static readonly PopulationSeed[] Populations =
    [
        new("tokyo", "tokyo-population-2020-census", "東京都 人口（令和2年国勢調査）", 14_047_594),
        new("fukuoka", "fukuoka-population-2020-census", "福岡市 人口（令和2年国勢調査）", 1_612_392),
    ];

    public const string CensusSource = "令和2年国勢調査（総務省統計局）";

    private const string FukuokaDataset = "401307-fukuoka-covid19-patients-demo";
    private const string FukuokaFile = "401307_fukuoka_covid19_patients.csv";

    public async Task SeedAsync(IServiceProvider services, CancellationToken ct)
    {
        var db = services.GetRequiredService<OpenGovDb>();
        var indexer = services.GetRequiredService<ISearchIndexer>();
        foreach (var p in Populations)
        {
            var org = await db.Organizations.FirstOrDefaultAsync(o => o.Name == p.Org, ct);
            if (org is null || await db.Datasets.AnyAsync(d => d.Name == p.Name, ct))
            {
                continue;
            }
            var dataset = new Dataset
            {
                Name = p.Name,
                Title = p.Title,
                Notes = $"{org.Title}の人口（令和2年国勢調査、2020年10月1日現在）: {p.Residents:#,0} 人。\n\n- 出典: {CensusSource}\n" +
                        "- ダッシュボードの「会員の比較」で人口10万人あたりの値に使います（追加情報 population, population_source, population_year）。",
                OwnerOrgId = org.Id,
                LicenseId = "cc-by-4.0",
                Author = "総務省統計局",
                Url = "https://www.stat.go.jp/data/kokusei/2020/",
            };
            dataset.Extras.Add(new DatasetExtra { DatasetId = dataset.Id, Key = MemberPopulations.Key, Value = p.Residents.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            dataset.Extras.Add(new DatasetExtra { DatasetId = dataset.Id, Key = MemberPopulations.SourceKey, Value = CensusSource });
            dataset.Extras.Add(new DatasetExtra { DatasetId = dataset.Id, Key = MemberPopulations.YearKey, Value = "2020" });
            db.Datasets.Add(dataset);
            db.Activities.Add(new Activity { ObjectId = dataset.Id, ActivityType = "new package" });
            await db.SaveChangesAsync(ct);
            await indexer.IndexAsync(dataset.Id, ct);
        }
        await SeedFukuokaPatientsAsync(services, db, ct);
    }

    private static async Task SeedFukuokaPatientsAsync(IServiceProvider services, OpenGovDb db, CancellationToken ct)
    {
        var fukuoka = await db.Organizations.FirstOrDefaultAsync(o => o.Name == "fukuoka", ct);
        var source = Path.Combine(AppContext.BaseDirectory, "DemoData", "fukuoka-covid19-demo", FukuokaFile);
        if (fukuoka is null || !File.Exists(source) || await db.Datasets.AnyAsync(d => d.Name == FukuokaDataset, ct))
        {
            return;
        }
        var dataset = new Dataset
        {
            Name = FukuokaDataset,
            Title = "【デモ用の架空データ】福岡市 新型コロナウイルス感染症 陽性患者属性",
            Notes = "**これは実在のデータではありません。** 会員の比較ページを示すための、項目定義書（陽性患者属性）の形をした架空のデータです。\n\n" +
                    "This is made-up demo data in the shape of the standard patients file, not Fukuoka City's published figures.",
            OwnerOrgId = fukuoka.Id,
            LicenseId = "cc-by-4.0",
            Author = "OpenGov デモ",
        };
        dataset.Extras.Add(new DatasetExtra { DatasetId = dataset.Id, Key = "standard", Value = "patients" });
        dataset.Extras.Add(new DatasetExtra { DatasetId = dataset.Id, Key = "demo", Value = "made-up data" });
        var resource = new Resource
        {
            DatasetId = dataset.Id,
            Name = "陽性患者属性（デモ用の架空データ）",
            Description = "UTF-8（BOM付き）のCSVファイル。架空のデータです。",
            Format = "CSV",
            Mimetype = "text/csv",
            UrlType = "upload",
            Url = FukuokaFile,
            Position = 0,
        };
        await DemoUploads.PublishAsync(services, dataset, resource, source, ct);
    }
}
