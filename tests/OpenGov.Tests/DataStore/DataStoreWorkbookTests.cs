using System.Text.Json.Nodes;
using OpenGov.Tabular.Tests;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.DataStore;

/// <summary>Workbooks with several sheets: the loader takes the sheet holding the table, says so, and loads another on request.</summary>
public sealed class DataStoreWorkbookTests
{
    // sheet 1 a pivot, sheet 2 a small data sheet, sheet 3 the patient list under a title row, with a template's
    // placeholder row (row 4) and a value that is not a number in row 6 of the file
    private static byte[] Workbook() => new XlsxBuilder()
        .Sheet("集計", [["行ラベル", "個数 / No"], ["つくば市", 3], ["総計", 3]])
        .Sheet("旧データ", [["番号", "名前"], [1, "旧A"], [2, "旧B"]])
        .Sheet("陽性患者一覧",
        [
            ["陽性患者一覧（2020-08-19 時点）"],
            ["No", "公表_年月日", "居住地", "発症_時刻", "件数"],
            [1, "2020-03-01", "つくば市", new XlsxBuilder.Time(0.375), 1],
            [2, null, null, null, null],
            [3, "2020-03-02", "土浦市", new XlsxBuilder.Time(0.5), 2],
            [4, "2020-03-03", "水戸市", new XlsxBuilder.Time(0.75), "abc"],
        ]).Build().ToArray();

    private static List<string> Log(JsonNode job, string key) =>
        [.. job["log"]!.AsArray().Select(l => l![key]?.GetValue<string>() ?? "")];

    [Theory, Databases]
    public async Task Workbook_loads_the_sheet_holding_the_table_and_another_on_request(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var name = "wb-" + Guid.NewGuid().ToString("N")[..8];
        var (_, ds) = await app.DatasetAsync(name: name);
        var rid = await app.UploadAsync(ds, "patients.xlsx", Workbook(), format: "XLSX");

        var job = await app.LoadAndWaitAsync(rid);
        Assert.True(job["status"]!.GetValue<string>() == "complete", job.ToJsonString());
        var d = job["detected"]!;
        Assert.Equal("陽性患者一覧", d["sheet"]!.GetValue<string>());
        Assert.Equal(2, d["sheet_index"]!.GetValue<int>());
        Assert.Equal(["集計", "旧データ", "陽性患者一覧"], d["sheets"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()));
        Assert.Equal("pivot", d["sheets"]![0]!["kind"]!.GetValue<string>());
        Assert.Equal(2, d["header_row"]!.GetValue<int>());
        Assert.Contains(Log(job, "message_ja"), m => m.Contains("「陽性患者一覧」", StringComparison.Ordinal) && m.Contains("シート", StringComparison.Ordinal));
        Assert.Contains(Log(job, "message"), m => m.Contains("'陽性患者一覧'", StringComparison.Ordinal));
        Assert.Contains(Log(job, "message_ja"), m => m.Contains("連番だけの行", StringComparison.Ordinal) && m.Contains("4 行目", StringComparison.Ordinal));

        // the resource page tells the publisher, in Japanese, which sheets the workbook has and which was taken, the
        // header row chosen (the title row above it left out) and the rows skipped, with their rows in the file
        var page = await app.Anonymous().GetStringAsync($"/dataset/{name}/resource/{rid}", TestContext.Current.CancellationToken);
        Assert.Contains("ブックのシート", page);
        Assert.Contains("集計（3 行 × 2 列", page);
        Assert.Contains("陽性患者一覧（", page);
        Assert.Contains("← 読み込んだシート", page);
        Assert.Contains("3シートのうち、表を含むと判断した「陽性患者一覧」", page);
        Assert.Contains("見出しは2行目です（上の1行は表題として除きました）", page);
        Assert.Contains("連番だけの行（様式の空行）1 行を除きました（4 行目）", page);

        var r = await app.Anonymous().OkAsync("datastore_search", new { resource_id = rid, sort = "No" });
        var records = r["records"]!.AsArray();
        Assert.Equal([1L, 3L, 4L], records.Select(x => x!["No"]!.GetValue<long>()));
        Assert.Equal("09:00:00", records[0]!["発症_時刻"]!.GetValue<string>());
        Assert.Contains(r["fields"]!.AsArray(), f => f!["id"]!.GetValue<string>() == "発症_時刻" && f["type"]!.GetValue<string>() == "time");

        var again = await app.LoadAndWaitAsync(rid, new { sheet = "旧データ" });
        Assert.True(again["status"]!.GetValue<string>() == "complete", again.ToJsonString());
        Assert.Equal("旧データ", again["detected"]!["sheet"]!.GetValue<string>());
        Assert.Contains(Log(again, "message_ja"), m => m.Contains("指定された「旧データ」", StringComparison.Ordinal));
        var old = await app.Anonymous().OkAsync("datastore_search", new { resource_id = rid, sort = "番号" });
        Assert.Equal(["旧A", "旧B"], old["records"]!.AsArray().Select(x => x!["名前"]!.GetValue<string>()));
        Assert.DoesNotContain(old["fields"]!.AsArray(), f => f!["id"]!.GetValue<string>() == "居住地");
    }

    [Theory, Databases]
    public async Task A_value_warning_names_the_row_of_the_publishers_file(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var (_, ds) = await app.DatasetAsync();
        var rid = await app.UploadAsync(ds, "patients.xlsx", Workbook(), format: "XLSX");

        var job = await app.LoadAndWaitAsync(rid, new { types = new Dictionary<string, string> { ["件数"] = "int" } });
        Assert.True(job["status"]!.GetValue<string>() == "complete", job.ToJsonString());
        // title row 1, header row 2, data rows 3, 5 and 6 (row 4 is a placeholder): "abc" is in row 6
        Assert.Contains(Log(job, "message_ja"), m => m.StartsWith("6 行目「件数」", StringComparison.Ordinal));
        Assert.Contains(Log(job, "message"), m => m.StartsWith("row 6, column「件数」", StringComparison.Ordinal));
    }
}
