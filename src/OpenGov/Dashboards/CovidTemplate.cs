using Microsoft.EntityFrameworkCore;
using OpenGov.Catalog;
using OpenGov.DataStore;
using OpenGov.DataStore.Api;
using OpenGov.Storage;
using OpenGov.Tabular;

namespace OpenGov.Dashboards;

/// <summary>
/// An organization's public resources that hold the standard COVID-19 datasets (項目定義書 v1.0), and its status table
/// (Tokyo's 入院中・重症… per day, not in the 項目定義書) with the columns it has.
/// </summary>
public sealed record CovidResources(string? Patients, string? CallCenter, string? Querents, string? TestCount, string? TestPeople)
{
    /// <summary>A loaded table with 日付 and 入院中 or 重症 (Tokyo's 130001_tokyo_covid19_details_testing_positive_cases.csv shape).</summary>
    public string? Status { get; init; }

    public IReadOnlySet<string> StatusColumns { get; init; } = new HashSet<string>();

    public bool Any => Patients is not null || CallCenter is not null || Querents is not null || TestCount is not null || TestPeople is not null || Status is not null;
}

/// <summary>
/// The COVID-19 dashboard template: recognises the standard datasets among an organization's public resources (the
/// standard the DataStore recorded at load, else the standard file name) and builds Tokyo's cards from them.
/// </summary>
public static class CovidTemplate
{
    public const string Slug = "covid19";

    public static async Task<CovidResources> FindAsync(OpenGovDb db, DataStoreAggregates aggregates, string organizationId, CancellationToken ct)
    {
        var resources = await db.Resources.AsNoTracking()
            .Where(r => r.State == "active")
            .Join(db.Datasets.Where(d => d.OwnerOrgId == organizationId && d.State == "active" && !d.Private), r => r.DatasetId, d => d.Id, (r, d) => new { r.Id, r.Name, r.Url, d.MetadataModified })
            .ToListAsync(ct);
        var ids = resources.Select(r => r.Id).ToList();
        var standards = await db.Set<DataStoreResource>().AsNoTracking()
            .Where(s => ids.Contains(s.ResourceId) && s.Standard != null)
            .ToDictionaryAsync(s => s.ResourceId, s => s.Standard!, ct);
        string? patients = null, calls = null, querents = null, testCount = null, testPeople = null, status = null;
        IReadOnlySet<string> statusColumns = new HashSet<string>();
        foreach (var r in resources.OrderByDescending(r => r.MetadataModified))
        {
            var file = Path.GetFileName(r.Url);
            var standard = standards.GetValueOrDefault(r.Id) ?? StandardSchemas.GuessFromFileName(file) ?? (IsAdviceCenter(r.Name, file) ? "call_center" : null);
            switch (standard)
            {
                case "patients":
                    patients ??= r.Id;
                    break;
                case "call_center" when IsAdviceCenter(r.Name, file):
                    querents ??= r.Id;
                    break;
                case "call_center":
                    calls ??= r.Id;
                    break;
                case "test_count":
                    testCount ??= r.Id;
                    break;
                case "test_people":
                    testPeople ??= r.Id;
                    break;
                case null when status is null && IsStatus(r.Name, file):
                    // not loaded yet (the demo's uploads are loaded in the background): the daily columns are assumed,
                    // a card whose column turns out missing shows its own error; the box needs the columns known
                    var fields = await aggregates.FieldsAsync(r.Id, ct);
                    var names = fields?.Select(f => f.Id).ToHashSet(StringComparer.Ordinal)
                        ?? [TokyoColumns.StatusDate, TokyoColumns.Hospitalized, TokyoColumns.Severe];
                    if (names.Contains(TokyoColumns.StatusDate) && (names.Contains(TokyoColumns.Hospitalized) || names.Contains(TokyoColumns.Severe)))
                    {
                        (status, statusColumns) = (r.Id, names);
                    }
                    break;
                default:
                    break;
            }
        }
        return new CovidResources(patients, calls, querents, testCount, testPeople) { Status = status, StatusColumns = statusColumns };
    }

    /// <summary>Tokyo's status table by its file name (…_details_testing_positive_cases, …_positive_status) or resource name.</summary>
    private static bool IsStatus(string name, string file) =>
        file.Contains("details_testing_positive_cases", StringComparison.OrdinalIgnoreCase) || file.Contains("positive_status", StringComparison.OrdinalIgnoreCase)
        || name.Contains("入院患者", StringComparison.Ordinal) || name.Contains("検査陽性者の状況", StringComparison.Ordinal);

    /// <summary>受診相談窓口 (Tokyo's querents) rather than the general call centre.</summary>
    private static bool IsAdviceCenter(string name, string file) =>
        name.Contains("受診相談", StringComparison.Ordinal) || file.Contains("advice", StringComparison.OrdinalIgnoreCase);

    public static DashboardDefinition Build(string organizationName, string organizationTitle, CovidResources r)
    {
        var cards = new List<CardDefinition>();
        if (r.Status is { } st && TokyoColumns.StatusBox(r.StatusColumns) is { } box)
        {
            cards.Add(new()
            {
                Id = "status",
                Title = new("検査陽性者の状況", "Status of people who tested positive"),
                Notes = new("元データの最新日（すべての区分に値がある日）の人数です。割合は陽性者数に対するものです。",
                    "People on the latest day of the source on which every category has a value; shares are of all positive cases."),
                Source = st,
                Computation = box,
                Chart = ChartKind.Box,
            });
        }
        if (r.Patients is { } p)
        {
            cards.Add(new()
            {
                Id = "patients-total",
                Title = new("陽性者数（累計）", "Positive cases (total)"),
                Notes = new("前日比は直近の公表日との差です。", "The change is from the previous report day."),
                Source = p,
                Computation = new() { Kind = ComputationKind.CountPerDay, DateColumn = TokyoColumns.ReleaseDate, Transform = SeriesTransform.Cumulative },
                Chart = ChartKind.Number,
            });
            cards.Add(new()
            {
                Id = "patients",
                Title = new("報告日別による陽性者数の推移", "Positive cases by report date"),
                Notes = new("棒は日別の陽性者数、線は7日間移動平均です。", "Bars: daily cases; line: 7-day moving average."),
                Source = p,
                Computation = new() { Kind = ComputationKind.CountPerDay, DateColumn = TokyoColumns.ReleaseDate, WithMovingAverage = true },
                Chart = ChartKind.BarLine,
                DefaultRangeDays = 90,
            });
            cards.Add(new()
            {
                Id = "patients-by-age",
                Title = new("陽性者の年代", "Positive cases by age group"),
                Notes = new("定義書にない値（不明、100歳以上など）と空欄はそのまま別の区分として数えます。", "Values outside the standard list (unknown, 100 and over) and blanks are counted as their own groups."),
                Source = p,
                Computation = new() { Kind = ComputationKind.CountByCategory, CategoryColumn = TokyoColumns.Age, Categories = TokyoColumns.AgeGroups },
                Chart = ChartKind.Bar,
            });
            if (r.TestPeople is { } tp)
            {
                cards.Add(new()
                {
                    Id = "positive-rate",
                    Title = new("陽性率", "Positive rate"),
                    Notes = new("日別の陽性者数 ÷ 検査実施人数 × 100（%）。", "Daily positive cases ÷ people tested × 100 (%)."),
                    Source = p,
                    Computation = new()
                    {
                        Kind = ComputationKind.Ratio,
                        Scale = 100,
                        Numerator = new() { Kind = ComputationKind.CountPerDay, DateColumn = TokyoColumns.ReleaseDate },
                        Denominator = new() { Kind = ComputationKind.SumPerDay, Source = tp, DateColumn = TokyoColumns.TestDate, ValueColumn = TokyoColumns.TestPeople },
                    },
                    Chart = ChartKind.Line,
                    DefaultRangeDays = 90,
                });
            }
        }
        if (r.Status is { } s)
        {
            if (r.StatusColumns.Contains(TokyoColumns.Hospitalized))
            {
                cards.Add(DailySum("hospitalized", new("入院患者数", "Patients in hospital"), s, TokyoColumns.StatusDate, TokyoColumns.Hospitalized) with
                {
                    Notes = new("各日の入院中の患者数（重症を含む）です。累計ではありません。", "Patients in hospital on each day (severe cases included); not a running total."),
                    Chart = ChartKind.Line,
                });
            }
            if (r.StatusColumns.Contains(TokyoColumns.Severe))
            {
                cards.Add(DailySum("severe", new("重症患者数", "Patients in severe condition"), s, TokyoColumns.StatusDate, TokyoColumns.Severe) with
                {
                    Notes = new("各日の重症患者数です。重症の定義は公表元によります（東京都は集中治療室等での管理または人工呼吸器管理が必要な患者）。",
                        "Severe cases on each day, as the publisher defines them (Tokyo: patients needing intensive care or a ventilator)."),
                    Chart = ChartKind.Line,
                });
            }
        }
        if (r.TestCount is { } tc)
        {
            cards.Add(DailySum("inspections", new("検査実施件数", "Tests conducted"), tc, TokyoColumns.TestDate, TokyoColumns.TestCount));
        }
        if (r.Querents is { } q)
        {
            cards.Add(DailySum("querents", new("新型コロナ受診相談窓口相談件数", "Consultations at the advice centre"), q, TokyoColumns.CallDate, TokyoColumns.CallCount) with
            {
                Computation = new() { Kind = ComputationKind.SumPerDay, DateColumn = TokyoColumns.CallDate, ValueColumn = TokyoColumns.CallCount, WithMovingAverage = true },
                Chart = ChartKind.BarLine,
            });
        }
        if (r.CallCenter is { } cc)
        {
            cards.Add(DailySum("contacts", new("新型コロナコールセンター相談件数", "Calls to the call centre"), cc, TokyoColumns.CallDate, TokyoColumns.CallCount));
        }
        return new DashboardDefinition
        {
            Slug = Slug,
            Title = new($"{organizationTitle} 新型コロナウイルス感染症 ダッシュボード", "COVID-19 dashboard"),
            Organization = organizationName,
            Cards = cards,
            TokyoData = new TokyoDataSources(r.Patients, r.CallCenter, r.Querents, r.TestCount, r.TestPeople,
                StatusColumns.Read(TokyoStatusSummary.Computation).All(r.StatusColumns.Contains) ? r.Status : null),
        };
    }

    private static CardDefinition DailySum(string id, LocalizedText title, string source, string date, string value) => new()
    {
        Id = id,
        Title = title,
        Source = source,
        Computation = new() { Kind = ComputationKind.SumPerDay, DateColumn = date, ValueColumn = value },
        Chart = ChartKind.Bar,
        DefaultRangeDays = 90,
    };
}
