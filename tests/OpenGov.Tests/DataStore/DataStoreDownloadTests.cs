using System.Text;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.DataStore;

public class DataStoreDownloadTests
{
    private static async Task<(TestApp App, string DatasetName, string ResourceId)> TableAsync(Db db)
    {
        var app = await TestApp.StartAsync(db);
        await app.DatasetAsync(name: "chiba-counts");
        var created = await app.Admin().OkAsync("datastore_create", new
        {
            resource = new { package_id = "chiba-counts", name = "区別 相談件数.csv" },
            fields = new object[]
            {
                new { id = "市区町村名", type = "text" },
                new { id = "件数", type = "int" },
                new { id = "日付", type = "date" },
                new { id = "割合", type = "numeric" },
                new { id = "受付時刻", type = "timestamp" },
            },
            records = new object[]
            {
                new Dictionary<string, object?> { ["市区町村名"] = "千葉市中央区", ["件数"] = 10, ["日付"] = "2020-11-06", ["割合"] = 1.5, ["受付時刻"] = "2020-11-06T09:30:00" },
                new Dictionary<string, object?> { ["市区町村名"] = "つくば市", ["件数"] = 1234567, ["日付"] = "令和2年11月7日", ["割合"] = null, ["受付時刻"] = null },
            },
        });
        return (app, "chiba-counts", created["resource_id"]!.GetValue<string>());
    }

    [Theory, Databases]
    public async Task Xlsx_download_keeps_japanese_text_numbers_as_numbers_and_dates_as_dates(Db db)
    {
        var (app, _, rid) = await TableAsync(db);
        await using var _app = app;
        var ct = TestContext.Current.CancellationToken;
        using var response = await app.Anonymous().GetAsync($"/datastore/dump/{rid}?format=xlsx&include_id=false", ct);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType!.MediaType);
        using var ms = new MemoryStream(await response.Content.ReadAsByteArrayAsync(ct));
        var rows = MiniExcelLibs.MiniExcel.Query(ms, useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal(["市区町村名", "件数", "日付", "割合", "受付時刻"], rows[0].Keys);
        Assert.Equal("千葉市中央区", rows[0]["市区町村名"]);
        Assert.Equal(10d, Assert.IsType<double>(rows[0]["件数"]));
        Assert.Equal(1234567d, Assert.IsType<double>(rows[1]["件数"]));
        Assert.Equal(1.5d, Assert.IsType<double>(rows[0]["割合"]));
        Assert.Equal(new DateTime(2020, 11, 6), Assert.IsType<DateTime>(rows[0]["日付"]));
        Assert.Equal(new DateTime(2020, 11, 7), Assert.IsType<DateTime>(rows[1]["日付"]));
        Assert.Equal(new DateTime(2020, 11, 6, 9, 30, 0), Assert.IsType<DateTime>(rows[0]["受付時刻"]));
    }

    [Theory, Databases]
    public async Task Downloads_are_named_after_the_resource_and_leave_out_id_when_asked(Db db)
    {
        var (app, _, rid) = await TableAsync(db);
        await using var _app = app;
        var ct = TestContext.Current.CancellationToken;
        var c = app.Anonymous();

        using var csv = await c.GetAsync($"/datastore/dump/{rid}?format=csv&bom=true&include_id=false", ct);
        Assert.Equal("区別 相談件数.csv", csv.Content.Headers.ContentDisposition!.FileNameStar);
        Assert.Equal("attachment", csv.Content.Headers.ContentDisposition.DispositionType);
        var bytes = await csv.Content.ReadAsByteArrayAsync(ct);
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        Assert.StartsWith("市区町村名,件数,日付,割合,受付時刻\r\n千葉市中央区,10,2020-11-06,", Encoding.UTF8.GetString(bytes[3..]));

        using var xlsx = await c.GetAsync($"/datastore/dump/{rid}?format=xlsx", ct);
        Assert.Equal("区別 相談件数.xlsx", xlsx.Content.Headers.ContentDisposition!.FileNameStar);

        // the API's default stays CKAN's: _id first
        var withId = await c.GetStringAsync($"/datastore/dump/{rid}", ct);
        Assert.StartsWith("_id,市区町村名", withId);
    }

    [Theory, Databases]
    public async Task Resource_and_dataset_pages_offer_excel_first_above_the_preview(Db db)
    {
        var (app, name, rid) = await TableAsync(db);
        await using var _app = app;
        var ct = TestContext.Current.CancellationToken;
        var c = app.Anonymous();

        var resource = await c.GetStringAsync($"/dataset/{name}/resource/{rid}", ct);
        var xlsx = resource.IndexOf($"/datastore/dump/{rid}?format=xlsx&amp;include_id=false", StringComparison.Ordinal);
        var bom = resource.IndexOf($"/datastore/dump/{rid}?format=csv&amp;bom=true&amp;include_id=false", StringComparison.Ordinal);
        var panel = resource.IndexOf("data-ds-panel", StringComparison.Ordinal);
        Assert.True(xlsx > 0 && bom > xlsx && panel > bom, "Excel, then CSV for Excel, above the DataStore panel");
        Assert.Contains("データのダウンロード", resource);

        var dataset = await c.GetStringAsync($"/dataset/{name}", ct);
        Assert.Contains($"/datastore/dump/{rid}?format=xlsx&amp;include_id=false", dataset);
        Assert.Contains("<span class=\"visually-hidden\"> 区別 相談件数.csv</span>", dataset);

        var english = await c.GetStringAsync($"/dataset/{name}/resource/{rid}?lang=en", ct);
        Assert.Contains("Download the data", english);
        Assert.Contains("CSV (with BOM, for Excel)", english);
    }
}
