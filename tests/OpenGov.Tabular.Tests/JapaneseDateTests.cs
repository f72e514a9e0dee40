namespace OpenGov.Tabular.Tests;

public class JapaneseDateTests
{
    [Theory]
    [InlineData("令和2年11月6日", 2020, 11, 6)]
    [InlineData("令和２年１１月６日", 2020, 11, 6)]
    [InlineData("令和元年5月1日", 2019, 5, 1)]
    [InlineData("R2.11.6", 2020, 11, 6)]
    [InlineData("R02/11/06", 2020, 11, 6)]
    [InlineData("r2-11-6", 2020, 11, 6)]
    [InlineData("H31.4.1", 2019, 4, 1)]
    [InlineData("S64.1.7", 1989, 1, 7)]
    [InlineData("平成31年4月30日", 2019, 4, 30)]
    [InlineData("平成元年1月8日", 1989, 1, 8)]
    [InlineData("昭和元年12月25日", 1926, 12, 25)]
    [InlineData("大正元年7月30日", 1912, 7, 30)]
    [InlineData("明治45年7月29日", 1912, 7, 29)]
    [InlineData("2020年11月6日", 2020, 11, 6)]
    [InlineData("2020/11/6", 2020, 11, 6)]
    [InlineData("2020-11-06", 2020, 11, 6)]
    [InlineData("２０２０－１１－０６", 2020, 11, 6)]
    [InlineData("2020/11/06(金)", 2020, 11, 6)]
    [InlineData("令和2年11月6日（金）", 2020, 11, 6)]
    // month/day/year, as Excel writes dates in an English-locale export (高松市's LinkData CSVs: 4/10/2023)
    [InlineData("4/10/2023", 2023, 4, 10)]
    [InlineData("10/19/2017", 2017, 10, 19)]
    public void Dates_parse(string text, int y, int m, int d)
    {
        Assert.True(JapaneseDate.TryParseDate(text, out var date));
        Assert.Equal(new DateOnly(y, m, d), date);
    }

    [Fact]
    public void Reiwa_gannen_parses_as_2019()
    {
        Assert.True(JapaneseDate.TryParseDate("令和元年5月1日", out var date));
        Assert.Equal(2019, date.Year);
    }

    [Theory]
    [InlineData("令和0年5月1日")]
    [InlineData("令和元年4月30日")]
    [InlineData("平成元年1月7日")]
    [InlineData("昭和64年1月8日")]
    [InlineData("S64.1.8")]
    [InlineData("平成31年5月1日")]
    [InlineData("平成32年1月1日")]
    [InlineData("大正元年7月29日")]
    [InlineData("2020/2/30")]
    [InlineData("2020-13-01")]
    [InlineData("令和2年")]
    [InlineData("X2.11.6")]
    [InlineData("")]
    [InlineData("2020/11/06 10:00")]
    [InlineData("٢٠٢٠-١١-٠٦")]
    [InlineData("19/10/2017")]
    [InlineData("2/30/2023")]
    [InlineData("4-10-2023")]
    [InlineData("4/10/23")]
    public void Invalid_dates_are_rejected(string text) => Assert.False(JapaneseDate.TryParseDate(text, out _));

    [Fact]
    public void Heisei_32_is_accepted_only_with_era_overflow()
    {
        var lenient = new JapaneseDateOptions { AllowEraOverflow = true };
        Assert.False(JapaneseDate.TryParseDate("平成32年1月1日", out _));
        Assert.True(JapaneseDate.TryParseDate("平成32年1月1日", lenient, out var d));
        Assert.Equal(new DateOnly(2020, 1, 1), d);
        Assert.False(JapaneseDate.TryParseDate("令和0年1月1日", lenient, out _));
    }

    [Theory]
    [InlineData("2020/11/06 10:00", "2020-11-06T10:00:00")]
    [InlineData("2020-11-06T10:00:30", "2020-11-06T10:00:30")]
    [InlineData("2020-11-06T10:00:00.5", "2020-11-06T10:00:00.5")]
    [InlineData("令和2年11月6日 10時30分", "2020-11-06T10:30:00")]
    public void Timestamps_parse_as_wall_clock(string text, string expected)
    {
        Assert.True(JapaneseDate.TryParseTimestamp(text, out var ts));
        Assert.Equal(DateTime.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), ts);
        Assert.Equal(DateTimeKind.Unspecified, ts.Kind);
    }

    [Fact]
    public void Timestamps_with_offset_are_converted_to_utc()
    {
        Assert.True(JapaneseDate.TryParseTimestamp("2020-11-06T10:00:00+09:00", out var ts));
        Assert.Equal(new DateTime(2020, 11, 6, 1, 0, 0, DateTimeKind.Utc), ts);
        Assert.Equal(DateTimeKind.Utc, ts.Kind);
        Assert.True(JapaneseDate.TryParseTimestamp("2020-11-06T01:00:00Z", out var z));
        Assert.Equal(ts, z);
    }

    [Theory]
    [InlineData("令和2年度", 2020)]
    [InlineData("R2年度", 2020)]
    [InlineData("令和元年度", 2019)]
    [InlineData("平成31年度", 2019)]
    [InlineData("平成25年度", 2013)]
    [InlineData("2020年度", 2020)]
    [InlineData("２０２０年度", 2020)]
    public void Fiscal_years_run_from_april_to_march(string text, int year)
    {
        Assert.True(JapaneseDate.TryParseFiscalYear(text, out var start, out var end));
        Assert.Equal(new DateOnly(year, 4, 1), start);
        Assert.Equal(new DateOnly(year + 1, 3, 31), end);
    }

    [Theory]
    [InlineData("平成32年度")]
    [InlineData("令和0年度")]
    [InlineData("2020年")]
    public void Invalid_fiscal_years_are_rejected(string text) => Assert.False(JapaneseDate.TryParseFiscalYear(text, out _, out _));

    [Fact]
    public void Dates_format_back_to_wareki()
    {
        Assert.Equal("令和2年11月6日", JapaneseDate.ToWareki(new DateOnly(2020, 11, 6)));
        Assert.Equal("令和元年5月1日", JapaneseDate.ToWareki(new DateOnly(2019, 5, 1)));
        Assert.Equal("平成31年4月30日", JapaneseDate.ToWareki(new DateOnly(2019, 4, 30)));
    }
}
