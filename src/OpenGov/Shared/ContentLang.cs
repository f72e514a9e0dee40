using System.Globalization;

namespace OpenGov.Shared;

/// <summary>
/// The lang attribute of a piece of content: "ja" when the page is in English and the text is Japanese (it has kana or
/// kanji), so that screen readers switch voice; null (no attribute) otherwise.
/// </summary>
public static class ContentLang
{
    public static string? Of(string? text) =>
        CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en" && IsJapanese(text) ? "ja" : null;

    /// <summary>Whether the text has a hiragana, katakana or CJK ideograph (or their full-width forms).</summary>
    public static bool IsJapanese(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c is (>= '\u3040' and <= '\u30FF') or (>= '\u3400' and <= '\u4DBF') or (>= '\u4E00' and <= '\u9FFF') or (>= '\uF900' and <= '\uFAFF') or (>= '\uFF66' and <= '\uFF9F'))
            {
                return true;
            }
        }

        return false;
    }
}
