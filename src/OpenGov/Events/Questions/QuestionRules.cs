namespace OpenGov.Events.Questions;

/// <summary>The rules of a question's text: lengths (in characters, not UTF-16 units), cleaning, and the NG-word list.</summary>
public static class QuestionRules
{
    public const int MaxQuestionLength = 500;
    public const int MaxNameLength = 50;
    public const int MaxAffiliationLength = 100;
    public const int MaxWordsLength = 30;
    public const int MaxNgWordsLength = 20000;

    /// <summary>Line breaks as \n, trimmed.</summary>
    public static string CleanText(string? text) =>
        (text ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Trim();

    /// <summary>Cleaned and on one line (names, affiliations, free words).</summary>
    public static string CleanLine(string? text) => CleanText(text).Replace('\n', ' ');

    /// <summary>Characters as a reader counts them (Unicode scalar values).</summary>
    public static int Length(string s) => s.EnumerateRunes().Count();

    /// <summary>A posted question, name and affiliation, cleaned; refused when empty or too long.</summary>
    public static (string Text, string Name, string Affiliation) CheckPost(string? text, string? name, string? affiliation)
    {
        var clean = CleanText(text);
        if (clean.Length == 0)
        {
            throw EventException.Invalid("質問を入力してください。", "The question is empty.");
        }

        if (Length(clean) > MaxQuestionLength)
        {
            throw EventException.Invalid($"質問は{MaxQuestionLength}文字以内で入力してください。", $"The question is longer than {MaxQuestionLength} characters.");
        }

        var cleanName = CleanLine(name);
        var cleanAffiliation = CleanLine(affiliation);
        if (Length(cleanName) > MaxNameLength || Length(cleanAffiliation) > MaxAffiliationLength)
        {
            throw EventException.Invalid($"お名前は{MaxNameLength}文字、所属は{MaxAffiliationLength}文字以内で入力してください。", $"Name up to {MaxNameLength} and affiliation up to {MaxAffiliationLength} characters.");
        }

        return (clean, cleanName, cleanAffiliation);
    }

    /// <summary>A moderator's edit of a question, cleaned; refused when empty or too long.</summary>
    public static string CheckEdit(string? text)
    {
        var clean = CleanText(text);
        if (clean.Length == 0 || Length(clean) > MaxQuestionLength)
        {
            throw EventException.Invalid($"質問は1～{MaxQuestionLength}文字で入力してください。", $"The question must have 1 to {MaxQuestionLength} characters.");
        }

        return clean;
    }

    /// <summary>An NG-word list as stored: one a line, trimmed, no blanks or repeats; refused when too long.</summary>
    public static string NormalizeNgWords(string ngWords)
    {
        if (ngWords.Length > MaxNgWordsLength)
        {
            throw EventException.Invalid("NGワードが長すぎます。", "ng_words is too long.");
        }

        return string.Join('\n', ngWords.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct());
    }

    /// <summary>
    /// Whether the text contains a word of the list, both folded by <see cref="NgWordFolding"/> (width, case, kana,
    /// invisible characters, spaces, look-alike letters): such a question is held for review.
    /// </summary>
    public static bool ContainsNgWord(string ngWords, string text)
    {
        var folded = NgWordFolding.Fold(text);
        foreach (var line in ngWords.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var word = NgWordFolding.Fold(line);
            if (word.Length > 0 && folded.Contains(word, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
