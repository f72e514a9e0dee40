using Microsoft.Extensions.DependencyInjection;
using OpenGov.DataStore.Api;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Dashboards;

public class DataStoreAggregatesTests
{
    private static async Task<(TestApp App, string Rid)> TableAsync(Db db)
    {
        var app = await TestApp.StartAsync(db);
        var (_, ds) = await app.DatasetAsync();
        var created = await app.Admin().OkAsync("datastore_create", new
        {
            resource = new { package_id = ds, name = "集計" },
            fields = new object[]
            {
                new { id = "日付", type = "date" },
                new { id = "区分", type = "text" },
                new { id = "件数", type = "int" },
                new { id = "値", type = "text" },
            },
            records = new object[]
            {
                new Dictionary<string, object?> { ["日付"] = "2020-04-01", ["区分"] = "A", ["件数"] = 3, ["値"] = "1,234" },
                new Dictionary<string, object?> { ["日付"] = "2020-04-01", ["区分"] = "B", ["件数"] = 4, ["値"] = "-" },
                new Dictionary<string, object?> { ["日付"] = "2020-04-02", ["区分"] = "A", ["件数"] = null, ["値"] = "abc" },
                new Dictionary<string, object?> { ["日付"] = null, ["区分"] = "A'; DROP TABLE x; --", ["件数"] = 1, ["値"] = "５" },
            },
        });
        return (app, created["resource_id"]!.GetValue<string>());
    }

    private static DataStoreAggregates Api(TestApp app) => app.Services.GetRequiredService<DataStoreAggregates>();

    [Theory, Databases]
    public async Task Group_by_date_counts_rows_and_sums_a_numeric_column_with_the_last_load_time(Db db)
    {
        var (app, rid) = await TableAsync(db);
        await using var _ = app;
        var ct = TestContext.Current.CancellationToken;

        var r = await Api(app).GroupAsync(rid, new AggregateRequest(["日付"], "件数"), ct);

        Assert.NotNull(r);
        Assert.NotNull(r.LastLoaded);
        var byDate = r.Rows.ToDictionary(x => x.Keys[0] ?? "(null)");
        Assert.Equal(2, byDate["2020-04-01"].Count);
        Assert.Equal(7, byDate["2020-04-01"].Sum);
        Assert.Equal(0, byDate["2020-04-02"].Sum);
        Assert.Equal(1, byDate["2020-04-02"].BlankValues);
        Assert.Equal(1, byDate["(null)"].Count);
    }

    [Theory, Databases]
    public async Task A_text_column_is_summed_as_Japanese_numbers_counting_blanks_and_non_numbers(Db db)
    {
        var (app, rid) = await TableAsync(db);
        await using var _ = app;

        var r = await Api(app).GroupAsync(rid, new AggregateRequest([], "値"), TestContext.Current.CancellationToken);

        var total = Assert.Single(r!.Rows);
        Assert.Equal(1239, total.Sum);
        Assert.Equal(4, total.Count);
        Assert.Equal(1, total.BlankValues);
        Assert.Equal(1, total.UnparsableValues);
    }

    [Theory, Databases]
    public async Task Typed_filters_and_grouping_by_a_column_are_parameterised(Db db)
    {
        var (app, rid) = await TableAsync(db);
        await using var _ = app;
        var api = Api(app);
        var ct = TestContext.Current.CancellationToken;

        var byCategory = await api.GroupAsync(rid, new AggregateRequest(["区分"], null, [new("日付", FilterOp.GreaterOrEqual, "令和2年4月1日")]), ct);
        var injected = await api.GroupAsync(rid, new AggregateRequest([], null, [new("区分", FilterOp.Equal, "A'; DROP TABLE x; --")]), ct);
        var nullDates = await api.GroupAsync(rid, new AggregateRequest([], null, [new("日付", FilterOp.IsNull)]), ct);

        Assert.Equal([("A", 2L), ("B", 1L)], byCategory!.Rows.Select(x => (x.Keys[0]!, x.Count)));
        Assert.Equal(1, Assert.Single(injected!.Rows).Count);
        Assert.Equal(1, Assert.Single(nullDates!.Rows).Count);
    }

    [Theory, Databases]
    public async Task Unknown_columns_and_bad_filter_values_are_refused_naming_the_column(Db db)
    {
        var (app, rid) = await TableAsync(db);
        await using var _ = app;
        var api = Api(app);
        var ct = TestContext.Current.CancellationToken;

        var missing = await Assert.ThrowsAsync<AggregateRequestException>(() => api.GroupAsync(rid, new AggregateRequest(["\"件数\"; --"]), ct));
        var badDate = await Assert.ThrowsAsync<AggregateRequestException>(() => api.GroupAsync(rid, new AggregateRequest([], null, [new("日付", FilterOp.Equal, "not a date")]), ct));

        Assert.Equal("\"件数\"; --", missing.Column);
        Assert.Equal("日付", badDate.Column);
        Assert.Null(await api.GroupAsync("no-such-resource", new AggregateRequest([]), ct));
    }

    [Theory, Databases]
    public async Task Columns_are_read_in_load_order_and_last_load_times_listed(Db db)
    {
        var (app, rid) = await TableAsync(db);
        await using var _ = app;
        var api = Api(app);
        var ct = TestContext.Current.CancellationToken;

        var rows = await api.ReadColumnsAsync(rid, ["日付", "値"], null, 3, ct);
        var stamps = await api.LastLoadedAsync([rid, "no-such-resource"], ct);

        Assert.Equal(["2020-04-01", "2020-04-01", "2020-04-02"], rows!.Rows.Select(r => r[0]));
        Assert.Equal("1,234", rows.Rows[0][1]);
        Assert.Equal([rid], stamps.Keys);
    }
}
