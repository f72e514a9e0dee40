namespace OpenGov.Tabular.Tests;

public class TypeInferenceTests
{
    private static readonly string[] Columns = ["件数", "割合", "日付", "日時", "公開", "名前", "番号"];

    private static readonly string[][] Rows =
    [
        ["１，２３４", "1.5", "令和2年11月6日", "2020/11/06 10:00", "はい", "山田", "0123"],
        ["-", "２．２５", "R2.11.7", "2020-11-07T09:30:00", "いいえ", "鈴木", "0456"],
        ["56", "3", "2020-11-08", "2020-11-08", "", "-", "789"],
    ];

    [Fact]
    public void Types_are_inferred_after_normalisation()
    {
        var types = TypeInference.Infer(Columns, Rows);
        Assert.Equal(
            [ColumnType.Integer, ColumnType.Decimal, ColumnType.Date, ColumnType.Timestamp, ColumnType.Boolean, ColumnType.Text, ColumnType.Text],
            types.Select(t => t.Type));
        Assert.Equal(1, types[0].EmptyCount);
    }

    // 福井市's 食品営業許可 list: 施行日/有効期限 written month/day/two-digit year by an English-locale Excel export
    [Fact]
    public void A_column_of_month_day_two_digit_year_values_is_dates_with_a_note_and_normalises_to_dates()
    {
        string[] columns = ["施行日", "有効期限", "番号", "備考日"];
        string[][] rows = [["4/22/21", "4/30/27", "1/2/03", "1/2/03"], ["10/5/99", "12/31/29", "3/4/05", "3/4/05"], ["", "-", "5/6/07", "5/6/07"]];
        var types = TypeInference.Infer(columns, rows);
        Assert.Equal([ColumnType.Date, ColumnType.Date, ColumnType.Text, ColumnType.Date], types.Select(t => t.Type));
        Assert.True(types[0].DateFromMonthDayShortYear);
        Assert.Contains("月/日/西暦下2桁", types[0].NoteJa, StringComparison.Ordinal);
        var normalizer = new ColumnNormalizer(types);
        var values = normalizer.Normalize(rows[1], 3);
        Assert.Equal(new DateOnly(1999, 10, 5), values[0]);
        Assert.Equal(new DateOnly(2029, 12, 31), values[1]);
        Assert.Equal(new DateOnly(2005, 3, 4), values[3]);
        Assert.Equal(0, normalizer.ProblemCount);
    }

    [Fact]
    public void Two_digit_year_values_that_cannot_be_month_day_year_stay_text()
    {
        var types = TypeInference.Infer(["施行日"], [["21/4/22"], ["4/22/21"]]);
        Assert.Equal(ColumnType.Text, types[0].Type);
        Assert.False(types[0].DateFromMonthDayShortYear);
        Assert.Equal(ColumnType.Text, TypeInference.Infer(["日付"], [[""], ["-"]])[0].Type);
    }

    [Fact]
    public void Override_wins_over_inference()
    {
        var types = TypeInference.Infer(Columns, Rows, new InferenceOptions { Overrides = new Dictionary<string, ColumnType> { ["件数"] = ColumnType.Text } });
        Assert.Equal(ColumnType.Text, types[0].Type);
        Assert.True(types[0].Overridden);
    }

    [Fact]
    public void Normalizer_returns_typed_values_and_reports_misfits()
    {
        var types = TypeInference.Infer(Columns, Rows);
        var n = new ColumnNormalizer(types);
        var v = n.Normalize(Rows[0], 2);
        Assert.Equal(1234L, v[0]);
        Assert.Equal(1.5m, v[1]);
        Assert.Equal(new DateOnly(2020, 11, 6), v[2]);
        Assert.Equal(new DateTime(2020, 11, 6, 10, 0, 0), v[3]);
        Assert.Equal(true, v[4]);
        Assert.Equal("山田", v[5]);
        Assert.Null(n.Normalize(Rows[1], 3)[0]);
        Assert.Equal("-", n.Normalize(Rows[2], 4)[5]); // text keeps markers

        var bad = n.Normalize(["十二", "x", "令和0年1月1日", "later", "maybe", "ok", "1"], 99);
        Assert.All(bad.Take(5), Assert.Null);
        Assert.Equal(5, n.ProblemCount);
        Assert.Equal(new ValueProblem(99, 0, "件数", "十二", ColumnType.Integer), n.Problems[0]);
    }

    [Fact]
    public void Normalizer_applies_custom_empty_markers_of_any_length_and_keeps_repeated_values_equal()
    {
        var columns = new[] { new InferredColumn("n", ColumnType.Integer, 0, 0, false), new InferredColumn("d", ColumnType.Date, 0, 0, false) };
        var options = new InferenceOptions { EmptyMarkers = new HashSet<string>(StringComparer.Ordinal) { "", "9999", "不明（調査中）" } };
        var n = new ColumnNormalizer(columns, options);
        Assert.Equal([null, null], n.Normalize([" 9999 ", "不明（調査中）"], 2));
        Assert.Equal([99999L, new DateOnly(2020, 3, 1)], n.Normalize(["99999", "2020-03-01"], 3));
        Assert.Equal([1L, new DateOnly(2020, 3, 1)], n.Normalize(["1", "令和2年3月1日"], 4));
        Assert.Equal([1L, new DateOnly(2020, 3, 2)], n.Normalize(["１", "2020-03-02"], 5));
        Assert.Equal([-1L, null], n.Normalize(["▲1", "-"], 6)); // "-" is not a marker of this table
        Assert.Equal(1, n.ProblemCount);
        Assert.Equal([1024L, 1025L, -2L], new[] { "1024", "1025", "-2" }.Select(s => n.Normalize([s, ""], 7)[0]));
    }

    [Fact]
    public void Sample_is_replayed_with_the_rest_of_the_stream()
    {
        var rows = Enumerable.Range(1, 50).Select(i => new[] { i.ToString(System.Globalization.CultureInfo.InvariantCulture), i < 50 ? "1" : "x" });
        var types = TypeInference.InferFromSample(["a", "b"], rows, new InferenceOptions { SampleRows = 10 }, out var all);
        Assert.Equal(ColumnType.Integer, types[1].Type);
        var n = new ColumnNormalizer(types);
        var count = 0;
        foreach (var row in all)
        {
            n.Normalize(row, ++count + 1);
        }
        Assert.Equal(50, count);
        Assert.Equal(1, n.ProblemCount);
        Assert.Equal(51, n.Problems[0].Row);
    }

    [Fact]
    public void Empty_column_is_text_and_zero_one_flags_are_integers()
    {
        var types = TypeInference.Infer(["空", "フラグ"], [["", "1"], ["-", "0"], ["", ""]]);
        Assert.Equal(ColumnType.Text, types[0].Type);
        Assert.Equal(ColumnType.Integer, types[1].Type);
    }
}
