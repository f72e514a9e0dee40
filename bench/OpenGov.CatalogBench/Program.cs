using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenGov.Catalog;
using OpenGov.Catalog.Search;
using OpenGov.Hosting;
using OpenGov.Storage;

// Generates N datasets with Japanese titles and notes into a data directory (SQLite, or PostgreSQL when
// ConnectionStrings__Default is set), through the platform's own storage and search indexer.
// usage: dotnet run -c Release --project bench/OpenGov.CatalogBench -- --data DIR [--count 10000]
var count = 10_000;
var rest = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--count" && i + 1 < args.Length)
    {
        count = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
    }
    else
    {
        rest.Add(args[i]);
    }
}

var app = OpenGovApp.Build([.. rest], new HostArguments(Demo: true, []));
await StartupTasks.RunAsync(app.Services);

string[] places = ["千葉市", "福岡市", "奈良市", "つくば市", "室蘭市", "郡山市", "浜松市", "桑名市", "武雄市", "熊本市", "日南市", "三重県"];
string[] subjects =
[
    "年齢別人口統計", "避難所一覧", "AED設置場所", "公衆トイレ一覧", "保育園一覧", "子育て支援施設", "観光施設一覧", "文化財一覧",
    "新型コロナウイルス感染症陽性患者属性", "検査実施人数", "コールセンター相談件数", "ごみ収集日カレンダー", "公共施設一覧", "医療機関一覧",
    "地域・年齢別人口", "介護サービス事業所一覧", "消防水利施設", "指定緊急避難場所", "都市公園一覧", "図書館の貸出冊数",
];
string[] years = ["令和2年度", "令和元年度", "平成30年度", "2020年", "2021年"];
string[] tags = ["人口", "防災", "子育て", "観光", "健康", "医療", "福祉", "感染症", "環境", "教育"];
var random = new Random(42);

using (var scope = app.Services.CreateScope())
{
    var db = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
    var indexer = scope.ServiceProvider.GetRequiredService<ISearchIndexer>();
    var orgs = await db.Organizations.Select(o => o.Id).ToListAsync();
    var tagEntities = new Dictionary<string, Tag>();
    foreach (var t in tags)
    {
        var tag = await db.Tags.FirstOrDefaultAsync(x => x.Name == t);
        if (tag is null)
        {
            tag = new Tag { Name = t };
            db.Tags.Add(tag);
        }

        tagEntities[t] = tag;
    }

    await db.SaveChangesAsync();
    var existing = await db.Datasets.CountAsync();
    var sw = Stopwatch.StartNew();
    var ids = new List<string>();
    for (var n = existing; n < count; n++)
    {
        var place = places[random.Next(places.Length)];
        var subject = subjects[random.Next(subjects.Length)];
        var year = years[random.Next(years.Length)];
        var d = new Dataset
        {
            Name = $"bench-{n:D6}",
            Title = $"{place} {subject}（{year}）",
            Notes = $"{place}が公開する{subject}のデータです。{year}時点の情報を掲載しています。利用の際は出典を明記してください。",
            OwnerOrgId = orgs[random.Next(orgs.Count)],
            LicenseId = n % 3 == 0 ? "pdl-1.0" : "cc-by-4.0",
        };
        foreach (var t in tags.OrderBy(_ => random.Next()).Take(2))
        {
            d.Tags.Add(new DatasetTag { DatasetId = d.Id, TagId = tagEntities[t].Id });
        }

        d.Resources.Add(new Resource { DatasetId = d.Id, Name = subject + ".csv", Format = "CSV", Url = $"https://example.jp/{n}.csv" });
        db.Datasets.Add(d);
        ids.Add(d.Id);
        if (ids.Count == 500 || n == count - 1)
        {
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
            foreach (var id in ids)
            {
                await indexer.IndexAsync(id, CancellationToken.None);
            }

            ids.Clear();
        }
    }

    Console.WriteLine($"datasets: {await db.Datasets.CountAsync()} (generated {count - existing} in {sw.Elapsed.TotalSeconds:F1} s)");
}
