namespace OpenGov.Tabular.Tests;

public class TextNormalizerTests
{
    [Theory]
    [InlineData("１２，３４５", 12345)]
    [InlineData("12,345", 12345)]
    [InlineData("1,234,567", 1234567)]
    [InlineData("－５", -5)]
    [InlineData("▲500", -500)]
    [InlineData("\u3000４２\u3000", 42)]
    [InlineData("+7", 7)]
    public void Japanese_integers_parse(string text, long expected)
    {
        Assert.True(JapaneseNumber.TryParseInteger(text, out var v));
        Assert.Equal(expected, v);
    }

    [Theory]
    [InlineData("1,23")]
    [InlineData("12,3456")]
    [InlineData(",123")]
    [InlineData("1.5")]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("1-2")]
    public void Malformed_integers_are_rejected(string text) => Assert.False(JapaneseNumber.TryParseInteger(text, out _));

    [Theory]
    [InlineData("１２．５", "12.5")]
    [InlineData("1,234.75", "1234.75")]
    [InlineData("-0.5", "-0.5")]
    [InlineData("３", "3")]
    public void Japanese_decimals_parse(string text, string expected)
    {
        Assert.True(JapaneseNumber.TryParseDecimal(text, out var v));
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), v);
    }

    [Theory]
    [InlineData("-")]
    [InlineData("－")]
    [InlineData("―")]
    [InlineData("‐")]
    [InlineData("※")]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("\u3000")]
    [InlineData(null)]
    public void Empty_markers_are_empty(string? text)
    {
        Assert.True(TextNormalizer.IsEmpty(text));
        Assert.Null(TextNormalizer.Normalize(text));
    }

    [Fact]
    public void Empty_marker_set_is_configurable()
    {
        var markers = new HashSet<string> { "", "不明" };
        Assert.True(TextNormalizer.IsEmpty("不明", markers));
        Assert.False(TextNormalizer.IsEmpty("-", markers));
    }

    [Fact]
    public void Nfkc_turns_full_width_ascii_and_half_width_kana_into_standard_forms()
    {
        Assert.Equal("ABC 123", TextNormalizer.Normalize("ＡＢＣ\u3000１２３"));
        Assert.Equal("カタカナ", TextNormalizer.Normalize("ｶﾀｶﾅ"));
    }
}
