using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.DataStore;

public class DataStoreLoadTests
{
    static DataStoreLoadTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    internal static byte[] Cp932(string text) => Encoding.GetEncoding(932).GetBytes(text);

    internal const string WarekiCsv =
        "千葉市 新型コロナウイルス感染症 検査実施件数\r\n" +
        "\r\n" +
        "実施_年月日,全国地方公共団体コード,都道府県名,市区町村名,検査実施_件数,備考\r\n" +
        "令和2年11月6日,121002,千葉県,千葉市,１，２３４,\r\n" +
        "令和２年１１月７日,121002,千葉県,千葉市,５６,－\r\n" +
        "R2.11.8,121002,千葉県,千葉市,-,休日\r\n" +
        "令和元年5月1日,121002,千葉県,千葉市,７,改元\r\n" +
        "※ 件数は速報値です\r\n";

    [Theory, Databases]
    public async Task Cp932_file_with_wareki_dates_and_full_width_digits_becomes_iso_dates_and_integers(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var (_, ds) = await app.DatasetAsync();
        var rid = await app.UploadAsync(ds, "121002_chiba_covid19_test_count.csv", Cp932(WarekiCsv));
        var job = await app.LoadAndWaitAsync(rid);
        Assert.True(job["status"]!.GetValue<string>() == "complete", job.ToJsonString());
        Assert.Equal("shift_jis", job["detected"]!["encoding"]!.GetValue<string>());
        Assert.Equal(3, job["detected"]!["header_row"]!.GetValue<int>());
        Assert.Equal(4, job["rows_read"]!.GetValue<long>());
        Assert.Equal(100, job["percent"]!.GetValue<int>());

        var r = await app.Anonymous().OkAsync("datastore_search", new { resource_id = rid, sort = "実施_年月日" });
        var types = r["fields"]!.AsArray().ToDictionary(f => f!["id"]!.GetValue<string>(), f => f!["type"]!.GetValue<string>());
        Assert.Equal("date", types["実施_年月日"]);
        Assert.Equal("int", types["検査実施_件数"]);
        var recs = r["records"]!.AsArray();
        Assert.Equal(["2019-05-01", "2020-11-06", "2020-11-07", "2020-11-08"], recs.Select(x => x!["実施_年月日"]!.GetValue<string>()));
        Assert.Equal(1234, recs[1]!["検査実施_件数"]!.GetValue<long>());
        Assert.Equal(56, recs[2]!["検査実施_件数"]!.GetValue<long>());
        Assert.Null(recs[3]!["検査実施_件数"]);

        // validated against the standard named by the file name
        var v = await app.Anonymous().OkAsync("datastore_validation_show", new { resource_id = rid });
        Assert.Equal("test_count", v["standard"]!.GetValue<string>());

        // filter by a 和暦 date
        r = await app.Anonymous().OkAsync("datastore_search", new { resource_id = rid, filters = new Dictionary<string, object> { ["実施_年月日"] = "令和2年11月7日" } });
        Assert.Equal(56, Assert.Single(r["records"]!.AsArray())!["検査実施_件数"]!.GetValue<long>());
    }

    [Theory, Databases]
    public async Task Every_inferred_type_round_trips_through_the_bulk_load_with_nulls_and_repeated_values(Db db)
    {
        const string csv =
            "番号,割合,公開,日付,日時,名前,フラグ\r\n" +
            "1,1.50,はい,2020-11-06,2020/11/06 10:00,山田,0\r\n" +
            "1024,-0.25,いいえ,令和2年11月7日,2020-11-07T09:30:00,,1\r\n" +
            "1025,１２．５,,R2.11.8,2020-11-08 00:00,鈴木,-\r\n" +
            "-7,0,はい,2020-11-06,2020-11-06 10:00,山田,1\r\n";
        await using var app = await TestApp.StartAsync(db);
        var (_, ds) = await app.DatasetAsync();
        var rid = await app.UploadAsync(ds, "types.csv", Encoding.UTF8.GetBytes(csv));
        var job = await app.LoadAndWaitAsync(rid);
        Assert.True(job["status"]!.GetValue<string>() == "complete", job.ToJsonString());

        var r = await app.Anonymous().OkAsync("datastore_search", new { resource_id = rid, sort = "_id" });
        var types = r["fields"]!.AsArray().Skip(1).Select(f => f!["type"]!.GetValue<string>());
        Assert.Equal(["int", "numeric", "bool", "date", "timestamp", "text", "int"], types);
        var recs = r["records"]!.AsArray();
        Assert.Equal([1L, 1024L, 1025L, -7L], recs.Select(x => x!["番号"]!.GetValue<long>()));
        Assert.Equal([1.5m, -0.25m, 12.5m, 0m], recs.Select(x => x!["割合"]!.GetValue<decimal>()));
        Assert.Equal([true, false, (bool?)null, true], recs.Select(x => x!["公開"]?.GetValue<bool>()));
        Assert.Equal(["2020-11-06", "2020-11-07", "2020-11-08", "2020-11-06"], recs.Select(x => x!["日付"]!.GetValue<string>()));
        Assert.Equal(["2020-11-06T10:00:00", "2020-11-07T09:30:00", "2020-11-08T00:00:00", "2020-11-06T10:00:00"], recs.Select(x => x!["日時"]!.GetValue<string>()));
        Assert.Equal(["山田", null, "鈴木", "山田"], recs.Select(x => x!["名前"]?.GetValue<string>()));
        Assert.Equal([0L, 1L, (long?)null, 1L], recs.Select(x => x!["フラグ"]?.GetValue<long>()));
    }

    [Theory, Databases]
    public async Task Tokyo_call_center_csv_loads_typed_and_conforms_to_the_standard_with_warnings(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var (_, ds) = await app.DatasetAsync(standard: "call_center");
        var bytes = await File.ReadAllBytesAsync(DataStoreTestData.FixturePath("130001_tokyo_covid19_call_center.csv"), TestContext.Current.CancellationToken);
        var rid = await app.UploadAsync(ds, "130001_tokyo_covid19_call_center.csv", bytes);
        var job = await app.LoadAndWaitAsync(rid);
        Assert.True(job["status"]!.GetValue<string>() == "complete", job.ToJsonString());
        Assert.Equal("utf-8-bom", job["detected"]!["encoding"]!.GetValue<string>());

        var r = await app.Anonymous().OkAsync("datastore_search", new { resource_id = rid, filters = new Dictionary<string, object> { ["受付_年月日"] = "2020-01-30" } });
        Assert.Equal(190, (await app.Anonymous().OkAsync("datastore_search", new { resource_id = rid, limit = 0 }))["total"]!.GetValue<long>());
        var rec = Assert.Single(r["records"]!.AsArray())!;
        Assert.Equal(324, rec["相談件数"]!.GetValue<long>());

        var info = await app.Anonymous().OkAsync("datastore_info", new { resource_id = rid });
        var validation = info["validation"]!;
        Assert.Equal("call_center", validation["standard"]!.GetValue<string>());
        Assert.True(validation["conforms"]!.GetValue<bool>(), validation.ToJsonString());
        Assert.Contains(validation["problems"]!.AsArray(), p => p!["column"]?.GetValue<string>() == "曜日" && p["severity"]!.GetValue<string>() == "warning");
        Assert.Equal("complete", info["load"]!["status"]!.GetValue<string>());
    }

    [Theory, Databases]
    public async Task A_failed_reload_keeps_the_previous_table_and_says_why(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var (_, ds) = await app.DatasetAsync();
        var rid = await app.UploadAsync(ds, "data.csv", Encoding.UTF8.GetBytes("a,b\n1,x\n2,y\n"));
        Assert.Equal("complete", (await app.LoadAndWaitAsync(rid))["status"]!.GetValue<string>());

        // a truncated XLSX (zip signature, then garbage)
        await app.ReplaceUploadAsync(rid, [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        var job = await app.LoadAndWaitAsync(rid);
        Assert.Equal("error", job["status"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(job["error"]!.GetValue<string>()));
        Assert.Contains(job["log"]!.AsArray(), l => l!["message"]!.GetValue<string>().Contains("previous data", StringComparison.Ordinal));

        var r = await app.Anonymous().OkAsync("datastore_search", new { resource_id = rid });
        Assert.Equal(2, r["total"]!.GetValue<long>());
        Assert.Equal("x", r["records"]![0]!["b"]!.GetValue<string>());
    }

    [Theory, Databases]
    public async Task Overrides_are_stored_per_resource_and_used_by_the_next_load(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var (_, ds) = await app.DatasetAsync();
        var rid = await app.UploadAsync(ds, "codes.csv", Encoding.UTF8.GetBytes("code;name\n001;a\n002;b\n"));
        var job = await app.LoadAndWaitAsync(rid, new { delimiter = ";", types = new Dictionary<string, string> { ["name"] = "text" } });
        Assert.Equal("complete", job["status"]!.GetValue<string>());
        Assert.Equal(";", job["detected"]!["delimiter"]!.GetValue<string>());
        var r = await app.Anonymous().OkAsync("datastore_search", new { resource_id = rid });
        Assert.Equal("001", r["records"]![0]!["code"]!.GetValue<string>()); // leading zeros stay text

        var (status, body) = await app.Admin().ActionAsync("datastore_load", new { resource_id = rid, encoding = "klingon" });
        Assert.Equal(409, status);
        Assert.NotNull(body["error"]!["encoding"]);
    }

    [Theory, Databases]
    public async Task Mixed_column_that_breaks_the_sampled_type_is_loaded_as_text_not_lost(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var (_, ds) = await app.DatasetAsync();
        var sb = new StringBuilder("n,label\n");
        for (var i = 0; i < 12_000; i++)
        {
            sb.Append(i).Append(",r").Append(i).Append('\n');
        }

        sb.Append("不明,last\n");
        var rid = await app.UploadAsync(ds, "mixed.csv", Encoding.UTF8.GetBytes(sb.ToString()));
        var job = await app.LoadAndWaitAsync(rid);
        Assert.Equal("complete", job["status"]!.GetValue<string>());
        var r = await app.Anonymous().OkAsync("datastore_search", new { resource_id = rid, filters = new { label = "last" } });
        Assert.Equal("不明", r["records"]![0]!["n"]!.GetValue<string>());
    }

    [Theory, Databases]
    public async Task A_search_during_a_reload_sees_the_old_or_the_new_table_never_a_mix(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var (_, ds) = await app.DatasetAsync();
        static byte[] Version(string tag, int rows)
        {
            var sb = new StringBuilder("version,n\n");
            for (var i = 0; i < rows; i++)
            {
                sb.Append(tag).Append(',').Append(i).Append('\n');
            }

            return Encoding.UTF8.GetBytes(sb.ToString());
        }

        var rid = await app.UploadAsync(ds, "v.csv", Version("old", 30_000));
        Assert.Equal("complete", (await app.LoadAndWaitAsync(rid))["status"]!.GetValue<string>());
        await app.ReplaceUploadAsync(rid, Version("new", 60_000));
        await app.Admin().OkAsync("datastore_load", new { resource_id = rid });

        var c = app.Anonymous();
        var seen = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(120);
        JsonNode? job = null;
        while (DateTime.UtcNow < deadline)
        {
            // the reload must not fail (a failed reload keeps the old table, which would also read as "old")
            job = await app.Admin().OkAsync("datastore_job_show", new { resource_id = rid });
            Assert.True(job["status"]!.GetValue<string>() != "error", "the reload failed: " + job.ToJsonString());

            // one search: distinct versions and the total of the same snapshot
            var r = await c.OkAsync("datastore_search", new { resource_id = rid, fields = new[] { "version" }, distinct = true });
            var versions = r["records"]!.AsArray().Select(x => x!["version"]!.GetValue<string>()).ToList();
            Assert.Single(versions);
            Assert.Equal(1, r["total"]!.GetValue<long>());
            var all = await c.OkAsync("datastore_search", new { resource_id = rid, limit = 1, sort = "n desc" });
            var n = all["records"]![0]!["n"]!.GetValue<long>();
            var v = all["records"]![0]!["version"]!.GetValue<string>();
            Assert.Equal(v == "old" ? 30_000 : 60_000, all["total"]!.GetValue<long>());
            Assert.Equal(v == "old" ? 29_999 : 59_999, n);
            seen.Add(versions[0]);
            if (versions[0] == "new")
            {
                break;
            }
        }

        Assert.True(seen[^1] == "new", "the reload did not complete: " + job?.ToJsonString());
    }

    [Theory, Databases]
    public async Task A_filtered_sorted_search_gets_an_index_on_demand_and_a_reload_keeps_it(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var (_, ds) = await app.DatasetAsync();
        static byte[] Csv(int rows)
        {
            var sb = new StringBuilder("区,公表_年月日,件数\n");
            for (var i = 0; i < rows; i++)
            {
                sb.Append(i % 2 == 0 ? "中央区" : "美浜区").Append(",2020-").Append((i % 12) + 1).Append('-').Append((i % 28) + 1).Append(',').Append(i).Append('\n');
            }

            return Encoding.UTF8.GetBytes(sb.ToString());
        }

        var rid = await app.UploadAsync(ds, "counts.csv", Csv(200));
        Assert.Equal("complete", (await app.LoadAndWaitAsync(rid))["status"]!.GetValue<string>());
        var storage = app.Services.GetRequiredService<OpenGov.DataStore.DataStoreStorage>();
        const string Key = "区\u001f公表_年月日";
        Assert.Empty((await storage.GetTableAsync(rid, TestContext.Current.CancellationToken))!.IndexedColumns); // a first load guesses no index

        var search = new { resource_id = rid, filters = new { 区 = "美浜区" }, sort = "公表_年月日 desc", limit = 3 };
        var first = await app.Anonymous().OkAsync("datastore_search", search);
        Assert.Equal(100, first["total"]!.GetValue<long>());
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(await storage.GetTableAsync(rid, TestContext.Current.CancellationToken))!.IndexedColumns.Contains(Key))
        {
            Assert.True(DateTime.UtcNow < deadline, "no index was built for the search");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.Equal(1, await PhysicalIndexesAsync(storage, db, rid, "区"));

        await app.ReplaceUploadAsync(rid, Csv(300));
        Assert.Equal("complete", (await app.LoadAndWaitAsync(rid))["status"]!.GetValue<string>());
        Assert.Contains(Key, (await storage.GetTableAsync(rid, TestContext.Current.CancellationToken))!.IndexedColumns);
        Assert.Equal(1, await PhysicalIndexesAsync(storage, db, rid, "区"));
        var after = await app.Anonymous().OkAsync("datastore_search", search);
        Assert.Equal(150, after["total"]!.GetValue<long>());
        Assert.Equal(first["records"]![0]!["公表_年月日"]!.GetValue<string>(), after["records"]![0]!["公表_年月日"]!.GetValue<string>());
    }

    /// <summary>How many indexes of the live table lead with the column (read from the database's catalog, not our metadata).</summary>
    private static async Task<long> PhysicalIndexesAsync(OpenGov.DataStore.DataStoreStorage storage, Db db, string resourceId, string column)
    {
        await using var c = await storage.OpenAsync(TestContext.Current.CancellationToken);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = db == Db.Postgres
            ? "SELECT count(*) FROM pg_indexes WHERE schemaname = 'datastore' AND tablename = @t AND indexdef LIKE '%(' || quote_ident(@c) || '%'"
            : "SELECT count(*) FROM sqlite_master m, pragma_index_info(m.name) i WHERE m.type = 'index' AND m.tbl_name = @t AND i.seqno = 0 AND i.name = @c";
        OpenGov.DataStore.DataStoreStorage.AddParam(cmd, "@t", resourceId);
        OpenGov.DataStore.DataStoreStorage.AddParam(cmd, "@c", column);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(TestContext.Current.CancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Theory, Databases]
    public async Task A_nul_character_in_a_cell_is_removed_the_same_way_on_every_database_with_a_warning(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var (_, ds) = await app.DatasetAsync();
        var rid = await app.UploadAsync(ds, "nul.csv", Encoding.UTF8.GetBytes("市区町村名,備考\n千葉市,a\0b\n奈良市,c\n"));
        var job = await app.LoadAndWaitAsync(rid);
        Assert.True(job["status"]!.GetValue<string>() == "complete", job.ToJsonString());
        var log = job["log"]!.AsArray().Select(l => l!["message"]!.GetValue<string>()).ToList();
        Assert.Contains(log, m => m.Contains("NUL", StringComparison.Ordinal) && m.Contains("row 2, column 2", StringComparison.Ordinal));
        var r = await app.Anonymous().OkAsync("datastore_search", new { resource_id = rid, sort = "_id" });
        Assert.Equal("ab", r["records"]![0]!["備考"]!.GetValue<string>());
    }

    [Theory, Databases]
    public async Task Datastore_active_shows_in_search_lists_and_write_answers_once_the_table_exists(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var (_, ds) = await app.DatasetAsync();
        // a link to a web page: nothing loads it, so the table appears only with datastore_create below
        var rid = (await app.Admin().OkAsync("resource_create", new { package_id = ds, url = "https://www.city.chiba.jp/opendata/", name = "案内", format = "HTML" }))["id"]!.GetValue<string>();
        var anonymous = app.Anonymous();
        bool Active(JsonNode package) => package["resources"]!.AsArray().Single(r => r!["id"]!.GetValue<string>() == rid)!["datastore_active"]!.GetValue<bool>();
        JsonNode Found(JsonNode search) => search["results"]!.AsArray().Single(p => p!["id"]!.GetValue<string>() == ds)!;

        // anonymous GETs are the cached path: the answers must change when the table appears
        var before = await anonymous.GetOkAsync("package_search?q=*:*&rows=1000");
        Assert.False(Active(Found(before)));
        Assert.False(Active(await anonymous.GetOkAsync("package_show?id=" + ds)));
        await app.Admin().OkAsync("datastore_create", new { resource_id = rid, fields = new[] { new { id = "市区町村名", type = "text" } }, records = new[] { new Dictionary<string, object> { ["市区町村名"] = "千葉市" } } });

        Assert.True(Active(Found(await anonymous.GetOkAsync("package_search?q=*:*&rows=1000"))));
        Assert.True(Active(await anonymous.GetOkAsync("package_show?id=" + ds)));
        Assert.True(Active(Found(new JsonObject { ["results"] = (await anonymous.GetOkAsync("current_package_list_with_resources?limit=1000")).DeepClone() })));
        Assert.True((await anonymous.GetOkAsync("resource_show?id=" + rid))["datastore_active"]!.GetValue<bool>());
        Assert.True(Active(await app.Admin().OkAsync("package_patch", new { id = ds, notes = "更新" })));
        Assert.True((await app.Admin().OkAsync("resource_patch", new { id = rid, description = "説明" }))["datastore_active"]!.GetValue<bool>());
    }

    [Theory, Databases]
    public async Task Dump_streams_csv_with_bom_cp932_tsv_json_and_xlsx(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var (_, ds) = await app.DatasetAsync();
        var rid = await app.UploadAsync(ds, "121002_chiba_covid19_test_count.csv", Cp932(WarekiCsv));
        Assert.Equal("complete", (await app.LoadAndWaitAsync(rid))["status"]!.GetValue<string>());
        var c = app.Anonymous();

        var csv = await c.GetByteArrayAsync($"/datastore/dump/{rid}?bom=true", TestContext.Current.CancellationToken);
        Assert.Equal([0xEF, 0xBB, 0xBF], csv[..3]);
        var text = Encoding.UTF8.GetString(csv[3..]);
        Assert.StartsWith("_id,実施_年月日,全国地方公共団体コード", text);
        Assert.Contains("2020-11-06,121002,千葉県,千葉市,1234", text);

        var sjis = await c.GetByteArrayAsync($"/datastore/dump/{rid}?encoding=cp932&filters=" + Uri.EscapeDataString("{\"検査実施_件数\": 56}"), TestContext.Current.CancellationToken);
        var sjisText = Encoding.GetEncoding(932).GetString(sjis);
        Assert.Equal(2, sjisText.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("千葉県", sjisText);

        var tsv = await c.GetStringAsync($"/datastore/dump/{rid}?format=tsv&q=" + Uri.EscapeDataString("改元"), TestContext.Current.CancellationToken);
        Assert.Contains("2019-05-01\t121002", tsv);

        var json = JsonNode.Parse(await c.GetStringAsync($"/datastore/dump/{rid}?format=json", TestContext.Current.CancellationToken))!;
        Assert.Equal(4, json["records"]!.AsArray().Count);

        using var xlsx = await c.GetAsync($"/datastore/dump/{rid}?format=xlsx", TestContext.Current.CancellationToken);
        Assert.Equal(200, (int)xlsx.StatusCode);
        var bytes = await xlsx.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        using var ms = new MemoryStream(bytes);
        var rows = MiniExcelLibs.MiniExcel.Query(ms, useHeaderRow: true).ToList();
        Assert.Equal(4, rows.Count);

        using var bad = await c.GetAsync($"/datastore/dump/{rid}?format=pdf", TestContext.Current.CancellationToken);
        Assert.Equal(400, (int)bad.StatusCode);
        using var missing = await c.GetAsync("/datastore/dump/nope", TestContext.Current.CancellationToken);
        Assert.Equal(404, (int)missing.StatusCode);
    }

    [Theory, Databases]
    public async Task Excel_sheet_with_title_rows_loads_from_its_real_header(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var (_, ds) = await app.DatasetAsync();
        var rows = new List<Dictionary<string, object?>>
        {
            new() { ["A"] = "つくば市 新型コロナウイルス 相談件数", ["B"] = null, ["C"] = null },
            new() { ["A"] = null, ["B"] = null, ["C"] = null },
            new() { ["A"] = "受付_年月日", ["B"] = "市区町村名", ["C"] = "相談件数" },
            new() { ["A"] = "令和2年4月1日", ["B"] = "つくば市", ["C"] = 12 },
            new() { ["A"] = "R2.4.2", ["B"] = "つくば市", ["C"] = 7 },
        };
        using var ms = new MemoryStream();
        MiniExcelLibs.MiniExcel.SaveAs(ms, rows, printHeader: false, sheetName: "相談");
        var rid = await app.UploadAsync(ds, "soudan.xlsx", ms.ToArray(), format: "XLSX");
        var job = await app.LoadAndWaitAsync(rid);
        Assert.True(job["status"]!.GetValue<string>() == "complete", job.ToJsonString());
        Assert.Equal("xlsx", job["detected"]!["format"]!.GetValue<string>());
        Assert.Equal(3, job["detected"]!["header_row"]!.GetValue<int>());
        var r = await app.Anonymous().OkAsync("datastore_search", new { resource_id = rid, sort = "受付_年月日" });
        Assert.Equal(["2020-04-01", "2020-04-02"], r["records"]!.AsArray().Select(x => x!["受付_年月日"]!.GetValue<string>()));
        Assert.Equal(12, r["records"]![0]!["相談件数"]!.GetValue<long>());
    }
}
