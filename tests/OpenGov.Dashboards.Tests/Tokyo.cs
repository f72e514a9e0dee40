using System.Text.Json.Nodes;

namespace OpenGov.Dashboards.Tests;

/// <summary>The 2020-08-06 Tokyo files and the matching extract of that day's real data.json.</summary>
internal static class Tokyo
{
    public const string Patients = "patients";
    public const string CallCenter = "call_center";
    public const string Querents = "querents";

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    private static readonly Lazy<IReadOnlyDictionary<string, RowTable>> LazyTables = new(() => new Dictionary<string, RowTable>
    {
        [Patients] = RowTable.Read(Fixture("130001_tokyo_covid19_patients.csv")),
        [CallCenter] = RowTable.Read(Fixture("130001_tokyo_covid19_call_center.csv")),
        [Querents] = RowTable.Read(Fixture("130001_tokyo_covid19_combined_telephone_advice_center.csv")),
    });

    public static IReadOnlyDictionary<string, RowTable> Tables => LazyTables.Value;

    public static RowTableSource Source => new(Tables);

    private static readonly Lazy<JsonObject> LazyExpected = new(() =>
        JsonNode.Parse(File.ReadAllText(Fixture("tokyo-2020-08-06-data-extract.json")))!.AsObject());

    /// <summary>Keys of the real data.json: lastUpdate, patients_summary, contacts, querents, main_summary, patients_head/tail/count.</summary>
    public static JsonObject Expected => LazyExpected.Value;

    /// <summary>2020/08/06 20:00 JST, the real lastUpdate.</summary>
    public static DateTimeOffset LastUpdate { get; } = new(2020, 8, 6, 20, 0, 0, TimeSpan.FromHours(9));
}
