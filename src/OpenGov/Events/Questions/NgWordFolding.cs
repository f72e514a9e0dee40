using System.Text;
using OpenGov.Tabular;

namespace OpenGov.Events.Questions;

/// <summary>
/// Folds a question and each NG word to one comparable form, so that an NG word cannot be dodged by spelling tricks:
/// the shared <see cref="JapaneseFolding"/> (NFKC full/half width, lower case, hiragana as katakana), then invisible characters (zero-width, soft hyphen,
/// BOM) and all white space removed, and Cyrillic/Greek letters that look Latin mapped to Latin.
/// Matching stays a substring test, so removing spaces can join words ("this pam" holds for "spam"); such a question
/// is only held for review, never refused, and a moderator approves it.
/// </summary>
public static class NgWordFolding
{
    /// <summary>The folded form of a text; an NG word folding to "" matches nothing (the caller skips it).</summary>
    public static string Fold(string text)
    {
        var normalized = JapaneseFolding.Fold(text);
        var sb = new StringBuilder(normalized.Length);
        foreach (var c in normalized)
        {
            if (char.IsWhiteSpace(c) || IsInvisible(c))
            {
                continue;
            }

            sb.Append(FoldChar(c));
        }

        return sb.ToString();
    }

    private static bool IsInvisible(char c) =>
        c is '\u00AD' or '\u180E' or (>= '\u200B' and <= '\u200F') or (>= '\u2060' and <= '\u2064') or '\uFEFF';

    private static char FoldChar(char c) => c switch
    {
        // Cyrillic look-alikes (lower case: the text is lower-cased first)
        'а' => 'a',
        'в' => 'b',
        'е' => 'e',
        'һ' => 'h',
        'і' => 'i',
        'ј' => 'j',
        'к' => 'k',
        'ӏ' => 'l',
        'м' => 'm',
        'н' => 'h',
        'о' => 'o',
        'р' => 'p',
        'ԛ' => 'q',
        'ѕ' => 's',
        'т' => 't',
        'с' => 'c',
        'у' => 'y',
        'ԁ' => 'd',
        'ԝ' => 'w',
        'х' => 'x',
        // Greek look-alikes
        'α' => 'a',
        'β' => 'b',
        'ε' => 'e',
        'ι' => 'i',
        'κ' => 'k',
        'ν' => 'v',
        'ο' => 'o',
        'ρ' => 'p',
        'τ' => 't',
        'υ' => 'u',
        'χ' => 'x',
        _ => c,
    };
}
