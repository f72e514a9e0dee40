namespace OpenGov.Tabular.Tests;

public class FiscalYearTests
{
    [Theory]
    [InlineData("令和6年度", 2024)]
    [InlineData("平成28年度", 2016)]
    [InlineData("R6年度", 2024)]
    [InlineData("r6年度", 2024)]
    [InlineData("令和元年度", 2019)]
    [InlineData("平成31年度", 2019)]
    [InlineData("2020年度", 2020)]
    [InlineData("２０２０年度", 2020)]
    [InlineData("令和２年度", 2020)]
    [InlineData("FY2020", 2020)]
    [InlineData(" 昭和63年度 ", 1988)]
    public void Parses_era_and_western_fiscal_years(string value, int year)
    {
        Assert.True(FiscalYear.TryParse(value, out var fy));
        Assert.Equal(year, fy.Year);
        Assert.Equal(fy, FiscalYear.Parse(value));
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("令和6年")]
    [InlineData("2020")]
    [InlineData("令和0年度")]
    [InlineData("平成32年度")]
    [InlineData("FY20")]
    [InlineData("1800年度")]
    public void Rejects_what_is_not_a_fiscal_year(string? value)
    {
        Assert.False(FiscalYear.TryParse(value, out _));
        if (value is not null)
        {
            Assert.Throws<FormatException>(() => FiscalYear.Parse(value));
        }
    }

    [Fact]
    public void Runs_from_april_first_to_march_thirty_first()
    {
        var fy = new FiscalYear(2020);
        Assert.Equal(new DateOnly(2020, 4, 1), fy.Start);
        Assert.Equal(new DateOnly(2021, 3, 31), fy.End);
        Assert.True(fy.Contains(new DateOnly(2021, 3, 31)));
        Assert.False(fy.Contains(new DateOnly(2020, 3, 31)));
    }

    [Theory]
    [InlineData(2020, 4, 1, 2020)]
    [InlineData(2021, 3, 31, 2020)]
    [InlineData(2021, 1, 5, 2020)]
    [InlineData(2019, 5, 1, 2019)]
    public void From_date_puts_january_to_march_in_the_previous_year(int y, int m, int d, int expected) =>
        Assert.Equal(expected, FiscalYear.FromDate(new DateOnly(y, m, d)).Year);

    [Theory]
    [InlineData(2020, "令和2年度 (2020年度)")]
    [InlineData(2019, "平成31年度 (2019年度)")]
    [InlineData(2021, "令和3年度 (2021年度)")]
    [InlineData(1926, "大正15年度 (1926年度)")]
    [InlineData(1927, "昭和2年度 (1927年度)")]
    [InlineData(1989, "平成元年度 (1989年度)")]
    [InlineData(1988, "昭和63年度 (1988年度)")]
    [InlineData(2016, "平成28年度 (2016年度)")]
    public void Labels_name_the_era_and_the_western_year(int year, string label)
    {
        var fy = new FiscalYear(year);
        Assert.Equal(label, fy.LabelJa);
        Assert.Equal(label, fy.ToString());
    }

    [Fact]
    public void Formats_and_orders()
    {
        var fy = new FiscalYear(2024);
        Assert.Equal("FY2024 (April 2024 – March 2025)", fy.LabelEn);
        Assert.Equal("令和6年度", fy.ToString("W", null));
        Assert.Equal("2024年度", fy.ToString("Y", null));
        Assert.Equal("FY2024", fy.ToString("FY", null));
        Assert.True(new FiscalYear(2023) < fy);
        Assert.Equal(0, fy.CompareTo(FiscalYear.Parse("R6年度")));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FiscalYear(1867));
    }
}
