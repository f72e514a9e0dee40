using System.Text.Json.Nodes;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.DataStore;

public class DataStoreApiTests
{
    private static object[] Fields =>
    [
        new { id = "市区町村名", type = "text" },
        new { id = "件数", type = "int" },
        new { id = "日付", type = "date" },
        new { id = "割合", type = "numeric" },
    ];

    private static async Task<(TestApp App, string ResourceId, string OrgId)> TableAsync(Db db, bool isPrivate = false)
    {
        var app = await TestApp.StartAsync(db);
        var (org, ds) = await app.DatasetAsync(isPrivate);
        var created = await app.Admin().OkAsync("datastore_create", new
        {
            resource = new { package_id = ds, name = "集計" },
            fields = Fields,
            primary_key = new[] { "市区町村名", "日付" },
            records = new object[]
            {
                new Dictionary<string, object?> { ["市区町村名"] = "千葉市中央区", ["件数"] = 10, ["日付"] = "2020-11-06", ["割合"] = 1.5 },
                new Dictionary<string, object?> { ["市区町村名"] = "千葉市花見川区", ["件数"] = 20, ["日付"] = "令和2年11月7日", ["割合"] = 2.25 },
                new Dictionary<string, object?> { ["市区町村名"] = "つくば市", ["件数"] = "３０", ["日付"] = "2020/11/8", ["割合"] = null },
            },
        });
        return (app, created["resource_id"]!.GetValue<string>(), org);
    }

    [Theory, Databases]
    public async Task Create_then_search_returns_typed_records_with_id_first_and_links(Db db)
    {
        var (app, rid, _) = await TableAsync(db);
        await using var _app = app;
        var r = await app.Anonymous().OkAsync("datastore_search", new { resource_id = rid });
        Assert.Equal(3, r["total"]!.GetValue<long>());
        Assert.Equal(100, r["limit"]!.GetValue<int>());
        Assert.Equal("_id", r["fields"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(["_id", "市区町村名", "件数", "日付", "割合"], r["fields"]!.AsArray().Select(f => f!["id"]!.GetValue<string>()));
        var recs = r["records"]!.AsArray();
        Assert.Equal(30, recs[2]!["件数"]!.GetValue<long>());
        Assert.Equal("2020-11-07", recs[1]!["日付"]!.GetValue<string>());
        Assert.Equal("2020-11-08", recs[2]!["日付"]!.GetValue<string>());
        Assert.Equal(2.25m, recs[1]!["割合"]!.GetValue<decimal>());
        Assert.Null(recs[2]!["割合"]);
        Assert.Contains("offset=100", r["_links"]!["next"]!.GetValue<string>());
        Assert.StartsWith("/api/3/action/datastore_search?resource_id=" + rid, r["_links"]!["start"]!.GetValue<string>());
    }

    [Theory, Databases]
    public async Task Search_filters_sort_q_distinct_fields_and_formats(Db db)
    {
        var (app, rid, _) = await TableAsync(db);
        await using var _app = app;
        var c = app.Anonymous();
        var r = await c.OkAsync("datastore_search", new { resource_id = rid, filters = new Dictionary<string, object> { ["件数"] = new[] { 10, 30 } }, sort = "件数 desc" });
        Assert.Equal(["つくば市", "千葉市中央区"], r["records"]!.AsArray().Select(x => x!["市区町村名"]!.GetValue<string>()));
        Assert.Equal(2, r["total"]!.GetValue<long>());

        // Japanese substring search: 花見川 is inside 千葉市花見川区 (no word boundaries)
        r = await c.OkAsync("datastore_search", new { resource_id = rid, q = "花見川" });
        Assert.Equal("千葉市花見川区", Assert.Single(r["records"]!.AsArray())!["市区町村名"]!.GetValue<string>());
        r = await c.OkAsync("datastore_search", new { resource_id = rid, q = new Dictionary<string, string> { ["市区町村名"] = "千葉" } });
        Assert.Equal(2, r["total"]!.GetValue<long>());

        r = await c.OkAsync("datastore_search", new { resource_id = rid, fields = new[] { "日付" }, filters = new Dictionary<string, object> { ["日付"] = "R2.11.6" } });
        Assert.Equal("2020-11-06", Assert.Single(r["records"]!.AsArray())!["日付"]!.GetValue<string>());
        Assert.Single(r["fields"]!.AsArray());

        r = await c.OkAsync("datastore_search", new { resource_id = rid, fields = "件数", distinct = true, sort = "件数", limit = 2, offset = 1 });
        Assert.Equal([20L, 30L], r["records"]!.AsArray().Select(x => x!["件数"]!.GetValue<long>()));
        Assert.Equal(3, r["total"]!.GetValue<long>());

        r = await c.OkAsync("datastore_search", new { resource_id = rid, records_format = "lists", fields = new[] { "市区町村名", "件数" }, limit = 1 });
        Assert.Equal("千葉市中央区", r["records"]![0]![0]!.GetValue<string>());
        r = await c.OkAsync("datastore_search", new { resource_id = rid, records_format = "csv", fields = new[] { "市区町村名", "件数" }, limit = 1 });
        Assert.Equal("千葉市中央区,10\n", r["records"]!.GetValue<string>());

        var get = await c.GetOkAsync($"datastore_search?resource_id={rid}&filters=" + Uri.EscapeDataString("{\"市区町村名\":\"つくば市\"}") + "&include_total=false");
        Assert.Null(get["total"]);
        Assert.Single(get["records"]!.AsArray());
    }

    [Theory, Databases]
    public async Task Plain_false_reads_q_as_tsquery_syntax_and_full_text_searches_every_field(Db db)
    {
        var (app, rid, _) = await TableAsync(db);
        await using var _app = app;
        var c = app.Anonymous();
        async Task<string[]> Names(object data) => [.. (await c.OkAsync("datastore_search", data))["records"]!.AsArray().Select(x => x!["市区町村名"]!.GetValue<string>()).Order()];

        // plain (default): every term must occur; an operator is just text
        Assert.Equal(["千葉市中央区"], await Names(new { resource_id = rid, q = "千葉 中央" }));
        Assert.Empty(await Names(new { resource_id = rid, q = "中央 | つくば" }));

        // plain=false: | & ! parentheses, quotes, :* prefix marks; substring matching inside unspaced Japanese
        Assert.Equal(["つくば市", "千葉市中央区"], await Names(new { resource_id = rid, q = "中央 | つくば", plain = false }));
        Assert.Equal(["千葉市花見川区"], await Names(new { resource_id = rid, q = "千葉 & !中央", plain = "false" }));
        Assert.Equal(["つくば市", "千葉市花見川区"], await Names(new { resource_id = rid, q = "!(千葉 & 中央:*)", plain = false }));
        Assert.Equal(["千葉市花見川区"], await Names(new { resource_id = rid, q = "'花見川'", plain = false, language = "simple" }));
        Assert.Equal(["千葉市中央区"], await Names(new { resource_id = rid, q = new Dictionary<string, string> { ["市区町村名"] = "中央 | 筑波" }, plain = false }));

        // full_text: all fields (here a number and a date), combined with q and filters
        Assert.Equal(["千葉市花見川区"], await Names(new { resource_id = rid, full_text = "2020-11-07" }));
        Assert.Equal(["つくば市"], await Names(new { resource_id = rid, full_text = "30 | 2.25", plain = false, filters = new Dictionary<string, object> { ["件数"] = 30 } }));
        Assert.Empty(await Names(new { resource_id = rid, full_text = "つくば", q = new Dictionary<string, string> { ["市区町村名"] = "千葉" } }));

        // bad syntax and unsupported operators: a 409 naming the parameter
        foreach (var (data, field) in new (object Data, string Field)[]
        {
            (new { resource_id = rid, q = "千葉 &", plain = false }, "q"),
            (new { resource_id = rid, q = "(千葉", plain = false }, "q"),
            (new { resource_id = rid, q = "千葉 <-> 中央", plain = false }, "q"),
            (new { resource_id = rid, q = new string('!', 500) + "x", plain = false }, "q"),
            (new { resource_id = rid, full_text = "'open", plain = false }, "full_text"),
            (new { resource_id = rid, full_text = 5 }, "full_text"),
            (new { resource_id = rid, q = "x", plain = "maybe" }, "plain"),
            (new { resource_id = rid, q = "x", language = "english; drop" }, "language"),
        })
        {
            var (status, body) = await c.ActionAsync("datastore_search", data);
            Assert.True(status == 409, $"{field}: {status} {body.ToJsonString()}");
            Assert.NotNull(body["error"]![field]);
        }
    }

    [Theory, Databases]
    public async Task Bad_search_input_is_a_409_naming_the_parameter_never_a_500(Db db)
    {
        var (app, rid, _) = await TableAsync(db);
        await using var _app = app;
        var c = app.Anonymous();
        foreach (var (data, field) in new (object Data, string Field)[]
        {
            (new { resource_id = rid, sort = "nope desc" }, "sort"),
            (new { resource_id = rid, sort = "\"件数\"; DROP TABLE x" }, "sort"),
            (new { resource_id = rid, filters = new Dictionary<string, object> { ["件数"] = "abc" } }, "filters"),
            (new { resource_id = rid, filters = new Dictionary<string, object> { ["x\" OR 1=1 --"] = "1" } }, "filters"),
            (new { resource_id = rid, fields = new[] { "nope" } }, "fields"),
            (new { resource_id = rid, limit = 32001 }, "limit"),
            (new { resource_id = rid, limit = -1 }, "limit"),
            (new { resource_id = rid, records_format = "xml" }, "records_format"),
        })
        {
            var (status, body) = await c.ActionAsync("datastore_search", data);
            Assert.True(status == 409, $"{field}: {status} {body.ToJsonString()}");
            Assert.Equal("Validation Error", body["error"]!["__type"]!.GetValue<string>());
            Assert.NotNull(body["error"]![field]);
        }

        var (s404, b404) = await c.ActionAsync("datastore_search", new { resource_id = "no-such-resource" });
        Assert.Equal(404, s404);
        Assert.Equal("Not Found Error", b404["error"]!["__type"]!.GetValue<string>());
        var (s409, _) = await c.ActionAsync("datastore_search", new { });
        Assert.Equal(409, s409);

        // the table is intact
        var r = await c.OkAsync("datastore_search", new { resource_id = rid });
        Assert.Equal(3, r["total"]!.GetValue<long>());
    }

    [Theory, Databases]
    public async Task Upsert_insert_update_and_delete_follow_ckan_semantics(Db db)
    {
        var (app, rid, _) = await TableAsync(db);
        await using var _app = app;
        var c = app.Admin();
        await c.OkAsync("datastore_upsert", new
        {
            resource_id = rid,
            records = new object[]
            {
                new Dictionary<string, object?> { ["市区町村名"] = "千葉市中央区", ["日付"] = "2020-11-06", ["件数"] = 11 },
                new Dictionary<string, object?> { ["市区町村名"] = "奈良市", ["日付"] = "2020-11-06", ["件数"] = 5 },
            },
        });
        var r = await c.OkAsync("datastore_search", new { resource_id = rid, filters = new { 市区町村名 = "千葉市中央区" } });
        var rec = Assert.Single(r["records"]!.AsArray())!;
        Assert.Equal(11, rec["件数"]!.GetValue<long>());
        Assert.Equal(1.5m, rec["割合"]!.GetValue<decimal>()); // not given: kept
        Assert.Equal(4, (await c.OkAsync("datastore_search", new { resource_id = rid }))["total"]!.GetValue<long>());

        var (status, body) = await c.ActionAsync("datastore_upsert", new { resource_id = rid, method = "update", records = new[] { new Dictionary<string, object?> { ["市区町村名"] = "福岡市", ["日付"] = "2020-11-06", ["件数"] = 1 } } });
        Assert.Equal(409, status);
        Assert.NotNull(body["error"]!["records"]);

        (status, _) = await c.ActionAsync("datastore_upsert", new { resource_id = rid, method = "insert", records = new[] { new Dictionary<string, object?> { ["市区町村名"] = "奈良市", ["日付"] = "2020-11-06" } } });
        Assert.Equal(409, status);

        (status, body) = await c.ActionAsync("datastore_upsert", new { resource_id = rid, method = "insert", records = new[] { new Dictionary<string, object?> { ["unknown"] = 1 } } });
        Assert.Equal(409, status);

        await c.OkAsync("datastore_upsert", new { resource_id = rid, method = "update", records = new[] { new Dictionary<string, object?> { ["_id"] = 2, ["件数"] = 99 } } });
        r = await c.OkAsync("datastore_search", new { resource_id = rid, filters = new { _id = 2 } });
        Assert.Equal(99, r["records"]![0]!["件数"]!.GetValue<long>());

        await c.OkAsync("datastore_delete", new { resource_id = rid, filters = new { 市区町村名 = "奈良市" } });
        Assert.Equal(3, (await c.OkAsync("datastore_search", new { resource_id = rid }))["total"]!.GetValue<long>());

        var info = await c.OkAsync("datastore_info", new { id = rid });
        Assert.Equal(3, info["meta"]!["count"]!.GetValue<long>());
        Assert.Equal("numeric", info["fields"]!.AsArray().Single(f => f!["id"]!.GetValue<string>() == "割合")!["type"]!.GetValue<string>());

        await c.OkAsync("datastore_delete", new { resource_id = rid });
        (status, _) = await c.ActionAsync("datastore_search", new { resource_id = rid });
        Assert.Equal(404, status);
    }

    [Theory, Databases]
    public async Task Records_delete_needs_filters_deletes_matching_rows_and_never_drops_the_table(Db db)
    {
        var (app, rid, org) = await TableAsync(db);
        await using var _app = app;
        var c = app.Admin();

        // CKAN's schema: filters is required and a dict
        var (status, body) = await c.ActionAsync("datastore_records_delete", new { resource_id = rid });
        Assert.Equal(409, status);
        Assert.Equal("Missing value", body["error"]!["filters"]![0]!.GetValue<string>());
        (status, body) = await c.ActionAsync("datastore_records_delete", new { resource_id = rid, filters = "error here" });
        Assert.Equal(409, status);
        Assert.Equal("Must be a dict", body["error"]!["filters"]![0]!.GetValue<string>());
        (status, body) = await c.ActionAsync("datastore_records_delete", new { resource_id = rid, filters = new { 不明 = "x" } });
        Assert.Equal(409, status);
        Assert.NotNull(body["error"]!["filters"]);
        (status, _) = await app.Anonymous().ActionAsync("datastore_records_delete", new { resource_id = rid, filters = new { } });
        Assert.Equal(403, status);
        (status, _) = await app.WithToken(await app.MemberTokenAsync(org, "member")).ActionAsync("datastore_records_delete", new { resource_id = rid, filters = new { } });
        Assert.Equal(403, status);

        // the matching rows go; the answer is CKAN's (the filters sent) with the count
        var r = await c.OkAsync("datastore_records_delete", new { resource_id = rid, filters = new { 市区町村名 = "つくば市" } });
        Assert.Equal(rid, r["resource_id"]!.GetValue<string>());
        Assert.Equal("つくば市", r["filters"]!["市区町村名"]!.GetValue<string>());
        Assert.Equal(1, r["deleted_count"]!.GetValue<long>());
        Assert.Null(r["deleted_records"]);
        Assert.Equal(2, (await c.OkAsync("datastore_search", new { resource_id = rid }))["total"]!.GetValue<long>());

        // {} deletes every row and keeps the table, its fields and primary key (datastore_delete with {} alike);
        // include_deleted_records answers the rows deleted, with their _id
        r = await c.OkAsync("datastore_records_delete", new { id = rid, filters = new { }, include_deleted_records = true });
        Assert.Equal(2, r["deleted_count"]!.GetValue<long>());
        var gone = r["deleted_records"]!.AsArray();
        Assert.Equal(["千葉市中央区", "千葉市花見川区"], gone.Select(g => g!["市区町村名"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.All(gone, g => Assert.True(g!["_id"]!.GetValue<long>() > 0));
        var empty = await c.OkAsync("datastore_search", new { resource_id = rid });
        Assert.Equal(0, empty["total"]!.GetValue<long>());
        Assert.Equal(["_id", "市区町村名", "件数", "日付", "割合"], empty["fields"]!.AsArray().Select(f => f!["id"]!.GetValue<string>()));
        await c.OkAsync("datastore_upsert", new { resource_id = rid, method = "insert", records = new[] { new Dictionary<string, object?> { ["市区町村名"] = "奈良市", ["日付"] = "2020-11-06", ["件数"] = 5 } } });
        r = await c.OkAsync("datastore_delete", new { resource_id = rid, filters = new { } });
        Assert.Equal(1, r["deleted_count"]!.GetValue<long>());
        Assert.Equal(0, (await c.OkAsync("datastore_search", new { resource_id = rid }))["total"]!.GetValue<long>());
        (status, body) = await c.ActionAsync("datastore_delete", new { resource_id = rid, filters = "error here" });
        Assert.Equal(409, status);
        Assert.Equal("filters must be either a dict or null.", body["error"]!["filters"]![0]!.GetValue<string>());

        // a resource without a table, and one that does not exist
        await c.OkAsync("datastore_delete", new { resource_id = rid });
        (status, _) = await c.ActionAsync("datastore_records_delete", new { resource_id = rid, filters = new { } });
        Assert.Equal(404, status);
        (status, _) = await c.ActionAsync("datastore_records_delete", new { resource_id = "no-such-resource", filters = new { } });
        Assert.Equal(404, status);
    }

    [Theory, Databases]
    public async Task Create_adds_fields_to_an_existing_table_and_refuses_type_changes(Db db)
    {
        var (app, rid, _) = await TableAsync(db);
        await using var _app = app;
        var c = app.Admin();
        await c.OkAsync("datastore_create", new { resource_id = rid, fields = new[] { new { id = "備考", type = "text" } }, records = new[] { new Dictionary<string, object?> { ["市区町村名"] = "武雄市", ["日付"] = "2020-01-01", ["備考"] = "追加" } } });
        var r = await c.OkAsync("datastore_search", new { resource_id = rid, q = "追加" });
        Assert.Equal("武雄市", r["records"]![0]!["市区町村名"]!.GetValue<string>());
        var (status, body) = await c.ActionAsync("datastore_create", new { resource_id = rid, fields = new[] { new { id = "件数", type = "text" } } });
        Assert.Equal(409, status);
        Assert.NotNull(body["error"]!["fields"]);
        (status, _) = await c.ActionAsync("datastore_create", new { resource_id = rid, fields = new[] { new { id = "_bad", type = "text" } } });
        Assert.Equal(409, status);
        (status, _) = await c.ActionAsync("datastore_create", new { resource_id = rid, fields = new[] { new { id = "x", type = "money" } } });
        Assert.Equal(409, status);
    }

    [Theory, Databases]
    public async Task Writes_need_edit_rights_and_private_tables_are_hidden(Db db)
    {
        var (app, rid, org) = await TableAsync(db, isPrivate: true);
        await using var _app = app;
        var (status, _) = await app.Anonymous().ActionAsync("datastore_search", new { resource_id = rid });
        Assert.Equal(404, status);
        var member = app.WithToken(await app.MemberTokenAsync(org, "member"));
        await member.OkAsync("datastore_search", new { resource_id = rid });
        (status, var body) = await member.ActionAsync("datastore_upsert", new { resource_id = rid, records = new[] { new Dictionary<string, object?> { ["市区町村名"] = "x", ["日付"] = "2020-01-01" } } });
        Assert.Equal(403, status);
        Assert.Equal("Authorization Error", body["error"]!["__type"]!.GetValue<string>());
        (status, _) = await app.WithToken(await app.OutsiderTokenAsync()).ActionAsync("datastore_delete", new { resource_id = rid });
        Assert.Equal(404, status);
        var editor = app.WithToken(await app.MemberTokenAsync(org, "editor"));
        await editor.OkAsync("datastore_upsert", new { resource_id = rid, records = new[] { new Dictionary<string, object?> { ["市区町村名"] = "x", ["日付"] = "2020-01-01" } } });

        var meta = await app.Anonymous().OkAsync("datastore_search", new { resource_id = "_table_metadata" });
        Assert.DoesNotContain(meta["records"]!.AsArray(), x => x!["name"]!.GetValue<string>() == rid);
        meta = await member.OkAsync("datastore_search", new { resource_id = "_table_metadata" });
        Assert.Contains(meta["records"]!.AsArray(), x => x!["name"]!.GetValue<string>() == rid);
    }

    [Theory, Databases]
    public async Task Search_sql_is_refused_when_off(Db db)
    {
        var (app, rid, _) = await TableAsync(db);
        await using var _app = app;
        var (status, body) = await app.Admin().ActionAsync("datastore_search_sql", new { sql = $"SELECT * FROM \"{rid}\"" });
        Assert.Equal(403, status);
        Assert.Contains("disabled", body["error"]!["message"]!.GetValue<string>());
    }

    [Theory, Databases]
    public async Task Search_sql_when_on_reads_but_refuses_writes_other_tables_and_several_statements(Db db)
    {
        await using var app = await TestApp.StartAsync(db, new Dictionary<string, string?> { ["OpenGov:DataStore:SearchSqlEnabled"] = "true" });
        var (_, ds) = await app.DatasetAsync();
        var rid = (await app.Admin().OkAsync("datastore_create", new { resource = new { package_id = ds }, fields = new[] { new { id = "n", type = "int" } }, records = new[] { new { n = 1 }, new { n = 2 } } }))["resource_id"]!.GetValue<string>();
        var c = app.Anonymous();
        var r = await c.OkAsync("datastore_search_sql", new { sql = $"SELECT sum(n) AS total FROM \"{rid}\" WHERE n > 0" });
        Assert.Equal(3, r["records"]![0]!["total"]!.GetValue<long>());

        foreach (var sql in new[]
        {
            $"DELETE FROM \"{rid}\"",
            $"SELECT * FROM \"{rid}\"; DROP TABLE \"{rid}\"",
            $"SELECT * FROM \"{rid}\" -- comment",
            "SELECT * FROM \"user\"",
            "SELECT * FROM users",
            "SELECT * FROM _og_tables",
            $"SELECT * FROM \"{rid}\", public.\"user\"",
            $"SELECT pg_sleep(10) FROM \"{rid}\"",
            "SELECT * FROM datastore_job",
            $"SELECT * INTO x FROM \"{rid}\"",
            $"WITH x AS (DELETE FROM \"{rid}\" RETURNING *) SELECT * FROM x",
            $"SELECT * FROM \"{rid}\" FOR UPDATE",
            $"SELECT * FROM (SELECT * FROM sqlite_master) s",
            "SELECT 1",
        })
        {
            var (status, body) = await c.ActionAsync("datastore_search_sql", new { sql });
            Assert.True(status is 409 or 403, $"{sql}: {status} {body.ToJsonString()}");
        }

        r = await c.OkAsync("datastore_search", new { resource_id = rid });
        Assert.Equal(2, r["total"]!.GetValue<long>());
    }
}
