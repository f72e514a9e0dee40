using OpenGov.Events.Questions;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Events;

public sealed class NgWordFoldingTests
{
    [Theory]
    [InlineData("バカ", "ばかな質問")] // hiragana for a katakana word
    [InlineData("ばか", "バカな質問")] // and the other way
    [InlineData("バカ", "ﾊﾞｶな質問")] // half-width katakana
    [InlineData("バカ", "バ カな質問")] // a space between the letters
    [InlineData("バカ", "バ\u3000カ")] // a full-width space
    [InlineData("バカ", "バ\nカ")] // a line break
    [InlineData("バカ", "バ\u200bカ")] // zero-width space
    [InlineData("バカ", "バ\u200dカ\ufeff")] // zero-width joiner, BOM
    [InlineData("バカ", "バ\u2060カ")] // word joiner
    [InlineData("spam", "buy sp\u00adam now")] // soft hyphen
    [InlineData("spam", "s p a m")]
    [InlineData("spam", "ＳＰＡＭ")] // full-width, upper case
    [InlineData("spam", "\u0455\u0440\u0430m")] // ѕра (Cyrillic) + Latin m
    [InlineData("spam", "SΡΑM")] // Greek capitals Ρ Α
    [InlineData("しね", "シネ")]
    [InlineData("シネ", "し ね")]
    [InlineData("ｓ ｐ ａ ｍ", "spam")] // the word list is folded too
    public void A_spelling_trick_does_not_dodge_an_NG_word(string ngWord, string text) =>
        Assert.True(QuestionRules.ContainsNgWord(ngWord, text));

    [Theory]
    [InlineData("spam", "スパムメール対策は？")] // no transliteration: a katakana reading is its own NG word
    [InlineData("spam", "Как бороться с рассылками?")] // ordinary Cyrillic text
    [InlineData("バカ", "馬鹿")] // a reading in kanji is listed by the moderator as its own word
    [InlineData("しね", "市の年度計画は？")]
    [InlineData("\u200b", "どんな質問でも")] // a word of invisible characters only matches nothing
    [InlineData(" \u00ad ", "どんな質問でも")]
    public void Ordinary_questions_are_not_held(string ngWord, string text) =>
        Assert.False(QuestionRules.ContainsNgWord(ngWord, text));

    [Fact]
    public void Every_line_of_the_list_is_a_word() =>
        Assert.True(QuestionRules.ContainsNgWord("spam\n馬鹿\nバカ", "ば\u200bか"));

    [Theory, Databases]
    public async Task A_question_hiding_an_NG_word_behind_a_zero_width_space_is_held(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateEventAsync("sym", new { questionCode = "q1", ngWords = new[] { "バカ" } });
        await app.Anonymous().AskAsync("q1", "ば\u200bか な 質問");
        await app.Anonymous().AskAsync("q1", "普通の質問");
        var pub = await app.PublicQuestionsAsync("q1");
        Assert.Equal("普通の質問", Assert.Single(pub)!["text"]!.GetValue<string>());
        var mod = (await app.Admin().GetJsonAsync("/api/events/sym/questions"))["questions"]!.AsArray();
        Assert.Contains(mod, q => q!["state"]!.GetValue<string>() == "held" && q["text"]!.GetValue<string>().StartsWith("ば\u200bか", StringComparison.Ordinal));
    }
}
