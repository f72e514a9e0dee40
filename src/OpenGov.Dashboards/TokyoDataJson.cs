using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenGov.Dashboards;

/// <summary>One row of the 陽性患者属性 table as Tokyo's site lists it.</summary>
public sealed record TokyoPatient(string? ReleaseDate, string? Residence, string? Age, string? Sex, string? Discharged, string? Status = null)
{
    /// <summary>Rows of a 陽性患者属性 table (standard column names; Tokyo's 退院済フラグ is accepted too).</summary>
    public static IEnumerable<TokyoPatient> FromTable(RowTable t)
    {
        var date = t.IndexOf(TokyoColumns.ReleaseDate);
        var residence = OptionalIndex(t, TokyoColumns.Residence);
        var age = OptionalIndex(t, TokyoColumns.Age);
        var sex = OptionalIndex(t, TokyoColumns.Sex);
        var discharged = OptionalIndex(t, TokyoColumns.Discharged);
        if (discharged < 0)
        {
            discharged = OptionalIndex(t, TokyoColumns.DischargedTokyo);
        }
        var status = OptionalIndex(t, TokyoColumns.Status);
        return t.Rows.Select(r => new TokyoPatient(RowTable.Cell(r, date), RowTable.Cell(r, residence), RowTable.Cell(r, age),
            RowTable.Cell(r, sex), RowTable.Cell(r, discharged), RowTable.Cell(r, status)));
    }

    private static int OptionalIndex(RowTable t, string column)
    {
        for (var i = 0; i < t.Columns.Count; i++)
        {
            if (t.Columns[i] == column)
            {
                return i;
            }
        }
        return -1;
    }
}

/// <summary>Column names of the standard COVID-19 datasets (Code for Japan 項目定義書 v1.0) used by the Tokyo builder and template.</summary>
public static class TokyoColumns
{
    public const string ReleaseDate = "公表_年月日";
    public const string Residence = "患者_居住地";
    public const string Age = "患者_年代";
    public const string Sex = "患者_性別";
    public const string Status = "患者_状態";
    public const string Discharged = "患者_退院済フラグ";
    public const string DischargedTokyo = "退院済フラグ";
    public const string CallDate = "受付_年月日";
    public const string CallCount = "相談件数";
    public const string TestDate = "実施_年月日";
    public const string TestCount = "検査実施_件数";
    public const string TestPeople = "検査実施_人数";

    // Tokyo's status table (130001_tokyo_covid19_details_testing_positive_cases.csv, catalog t000010d0000000089/90):
    // one row per day, the site's 入院患者数・重症患者数 card and its 検査陽性者の状況 box.
    public const string StatusDate = "日付";
    public const string Positive = "陽性者数（累計）";
    public const string Hospitalized = "入院中";
    public const string MildModerate = "軽症・中等症";
    public const string Severe = "重症";
    public const string Hotel = "宿泊療養";
    public const string Home = "自宅療養";
    public const string Adjusting = "調整中";
    public const string Died = "死亡";
    public const string Recovered = "退院";

    /// <summary>The box's parts in Tokyo's order (入院中, 宿泊療養, 自宅療養, 調整中, 死亡, 退院).</summary>
    public static IReadOnlyList<string> StatusParts { get; } = [Hospitalized, Hotel, Home, Adjusting, Died, Recovered];

    /// <summary>
    /// Tokyo's 検査陽性者の状況 as a <see cref="ComputationKind.LatestColumns"/> computation, when the table has the
    /// date and every part; 陽性者数（累計） as the total and 入院中's 軽症・中等症 and 重症 when present. Null otherwise.
    /// </summary>
    public static ComputationDefinition? StatusBox(IReadOnlySet<string> columns)
    {
        if (!columns.Contains(StatusDate) || !StatusParts.All(columns.Contains))
        {
            return null;
        }
        var inHospital = new[] { MildModerate, Severe }.Where(columns.Contains).ToList();
        return new ComputationDefinition
        {
            Kind = ComputationKind.LatestColumns,
            DateColumn = StatusDate,
            ValueColumn = columns.Contains(Positive) ? Positive : null,
            Columns = StatusParts,
            Parts = inHospital.Count == 2 ? new Dictionary<string, IReadOnlyList<string>> { [Hospitalized] = inHospital } : null,
        };
    }

    /// <summary>患者_年代 values in display order (10歳未満 … 90歳以上; 90代 as Tokyo writes it too).</summary>
    public static IReadOnlyList<string> AgeGroups { get; } =
        ["10歳未満", "10代", "20代", "30代", "40代", "50代", "60代", "70代", "80代", "90代", "90歳以上"];
}

/// <summary>Resources feeding Tokyo's data.json; any may be missing (its key is then left out).</summary>
/// <param name="Status">A status table (日付, 入院中, 軽症・中等症, 重症, …): main_summary's breakdown of 陽性患者数.</param>
public sealed record TokyoDataSources(string? Patients, string? CallCenter, string? Querents, string? TestCount, string? TestPeople, string? Status = null);

/// <summary>
/// Builds data.json in the shape of Tokyo's site (tokyo-metropolitan-gov/covid19): the keys patients,
/// patients_summary, contacts, querents, inspections_summary, main_summary and lastUpdate, with its date formats
/// (日付 "2020-01-24T08:00:00.000Z", i.e. 17:00 JST; lastUpdate "2020/08/06 20:00").
/// </summary>
public static class TokyoDataJson
{
    private static readonly string[] WeekdaysJa = ["日", "月", "火", "水", "木", "金", "土"];

    public static JsonSerializerOptions WriteOptions { get; } = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Tokyo's 日付: the day at 17:00 JST written in UTC.</summary>
    public static string TokyoDate(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T08:00:00.000Z";

    /// <summary>Tokyo's lastUpdate form, in JST.</summary>
    public static string LastUpdate(DateTimeOffset t) => ToJst(t).ToString("yyyy/MM/dd HH:mm", CultureInfo.InvariantCulture);

    private static DateTimeOffset ToJst(DateTimeOffset t) => t.ToOffset(TimeSpan.FromHours(9));

    public static JsonObject Build(TokyoDataSources sources, IObservationSource observations, IEnumerable<TokyoPatient>? patients, DateTimeOffset lastUpdate)
    {
        var stamp = LastUpdate(lastUpdate);
        var patientList = patients?.ToList();
        var root = new JsonObject();
        DailySeries? perDay = null;
        if (sources.CallCenter is { } cc)
        {
            root["contacts"] = Envelope(stamp, Calls(Daily(observations, cc, TokyoColumns.CallDate, TokyoColumns.CallCount), withAverage: false));
        }
        if (sources.Querents is { } q)
        {
            root["querents"] = Envelope(stamp, Calls(Daily(observations, q, TokyoColumns.CallDate, TokyoColumns.CallCount), withAverage: true));
        }
        if (sources.Patients is { } p)
        {
            if (patientList is not null)
            {
                root["patients"] = Envelope(stamp, PatientList(patientList));
            }
            perDay = Daily(observations, p, TokyoColumns.ReleaseDate, null);
            root["patients_summary"] = Envelope(stamp, new JsonArray(perDay.Points
                .Select(x => (JsonNode)new JsonObject { ["日付"] = TokyoDate(x.Date), ["小計"] = Int(x.Value) }).ToArray()));
        }
        if (sources.TestCount is { } tc)
        {
            var tests = Daily(observations, tc, TokyoColumns.TestDate, TokyoColumns.TestCount);
            root["inspections_summary"] = new JsonObject
            {
                ["date"] = stamp,
                ["data"] = new JsonObject { ["検査実施件数"] = new JsonArray(tests.Points.Select(x => (JsonNode?)Int(x.Value)).ToArray()) },
                ["labels"] = new JsonArray(tests.Points.Select(x => (JsonNode?)$"{x.Date.Month}/{x.Date.Day}").ToArray()),
            };
        }
        root["lastUpdate"] = stamp;
        root["main_summary"] = MainSummary(sources, observations, perDay, patientList, lastUpdate);
        return root;
    }

    public static string Serialize(JsonObject data) => data.ToJsonString(WriteOptions);

    private static JsonObject Envelope(string stamp, JsonArray data) => new() { ["date"] = stamp, ["data"] = data };

    private static DailySeries Daily(IObservationSource source, string resource, string dateColumn, string? valueColumn) =>
        DailyAggregator.PerDay(valueColumn ?? dateColumn, source.Read(resource, new ObservationQuery(dateColumn, null, valueColumn), new AggregateIssues()), new AggregateIssues());

    private static long Int(double? v) => (long)Math.Round(v ?? 0, MidpointRounding.AwayFromZero);

    private static JsonArray Calls(DailySeries series, bool withAverage)
    {
        var average = series.MovingAverage();
        var items = new List<JsonNode>(series.Points.Count);
        for (var i = 0; i < series.Points.Count; i++)
        {
            var (date, value) = series.Points[i];
            var o = new JsonObject
            {
                ["日付"] = TokyoDate(date),
                ["曜日"] = WeekdaysJa[(int)date.DayOfWeek],
            };
            if (withAverage)
            {
                o["７日間平均"] = average.Points[i].Value is { } a ? Int(a) : null;
            }
            o["date"] = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            o["w"] = (int)date.DayOfWeek;
            o["short_date"] = date.ToString("MM/dd", CultureInfo.InvariantCulture);
            o["小計"] = Int(value);
            items.Add(o);
        }
        return new JsonArray(items.ToArray());
    }

    private static JsonArray PatientList(IEnumerable<TokyoPatient> patients)
    {
        var items = new List<JsonNode>();
        foreach (var p in patients)
        {
            var dateText = p.ReleaseDate is { } s && OpenGov.Tabular.JapaneseDate.TryParseDate(s, out var d) ? d : (DateOnly?)null;
            items.Add(new JsonObject
            {
                ["リリース日"] = dateText is { } rd ? TokyoDate(rd) : null,
                ["居住地"] = Blank(p.Residence),
                ["年代"] = Blank(p.Age),
                ["性別"] = Blank(p.Sex),
                ["退院"] = p.Discharged?.Trim() == "1" ? "〇" : null,
                ["date"] = dateText?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            });
        }
        return new JsonArray(items.ToArray());
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    /// <summary>
    /// The 検査陽性者の状況 tree: 検査実施人数 (sum of 検査実施人数) over 陽性患者数, broken down by the status table's latest
    /// complete day when there is one (<see cref="TokyoStatusSummary"/>), else with 退院 and 死亡 where the patients
    /// table says so (入院中・宿泊療養・自宅療養 are in no standard dataset).
    /// </summary>
    private static JsonObject MainSummary(TokyoDataSources sources, IObservationSource observations, DailySeries? perDay,
        IEnumerable<TokyoPatient>? patients, DateTimeOffset lastUpdate)
    {
        var jst = ToJst(lastUpdate);
        var positive = new JsonObject
        {
            ["attr"] = "陽性患者数",
            ["date"] = $"{jst.Year}/{jst.Month}/{jst.Day} {jst:HH:mm}",
            ["value"] = Int(perDay?.Total),
        };
        if (sources.Status is { } status && TokyoStatusSummary.Children(status, observations) is { } children)
        {
            positive["children"] = children;
        }
        else if (patients is not null)
        {
            long discharged = 0, died = 0;
            foreach (var p in patients)
            {
                discharged += p.Discharged?.Trim() == "1" ? 1 : 0;
                died += p.Status?.Trim() == "死亡" ? 1 : 0;
            }
            positive["children"] = new JsonArray(
                new JsonObject { ["attr"] = "退院", ["value"] = discharged },
                new JsonObject { ["attr"] = "死亡", ["value"] = died });
        }
        long? tested = sources.TestPeople is { } tp ? Int(Daily(observations, tp, TokyoColumns.TestDate, TokyoColumns.TestPeople).Total) : null;
        return new JsonObject
        {
            ["attr"] = "検査実施人数",
            ["value"] = tested,
            ["children"] = new JsonArray(positive),
        };
    }
}
