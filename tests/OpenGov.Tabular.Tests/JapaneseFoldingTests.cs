namespace OpenGov.Tabular.Tests;

public class JapaneseFoldingTests
{
    [Theory]
    [InlineData("ころな", "コロナ")]
    [InlineData("コロナ", "コロナ")]
    [InlineData("ｺﾛﾅ", "コロナ")]
    [InlineData("ゔぁいおりん", "ヴァイオリン")]
    [InlineData("ヶ月", "ヶ月")]
    [InlineData("いすゞ", "イスヾ")]
    [InlineData("ＡＢＣ１２３", "abc123")]
    [InlineData("COVID-19", "covid-19")]
    [InlineData("ガ", "ガ")] // か + combining dakuten composes, then folds
    [InlineData("\u3000全角\u3000", " 全角 ")]
    [InlineData("㈱つくば", "(株)ツクバ")]
    public void Hiragana_katakana_and_widths_fold_to_one_form(string text, string folded) =>
        Assert.Equal(folded, JapaneseFolding.Fold(text));

    [Fact]
    public void Long_vowels_small_kana_and_kanji_are_kept() =>
        Assert.Equal("コンピューター 東京 ャ", JapaneseFolding.Fold("コンピューター 東京 ゃ"));

    [Fact]
    public void Empty_and_null_fold_to_empty()
    {
        Assert.Equal("", JapaneseFolding.Fold(null));
        Assert.Equal("", JapaneseFolding.Fold(""));
    }

    [Fact]
    public void Folding_is_idempotent()
    {
        foreach (var s in new[] { "ころなウイルス", "ｶﾀｶﾅとひらがな", "ＡＢＣ", "㍻" })
        {
            Assert.Equal(JapaneseFolding.Fold(s), JapaneseFolding.Fold(JapaneseFolding.Fold(s)));
        }
    }
}
