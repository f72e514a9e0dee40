using System.Text;

namespace OpenGov.Tabular;

/// <summary>
/// The one comparable form of Japanese text, shared by catalog search (index and query) and the NG-word check:
/// Unicode NFKC (full-width ＡＢＣ１２３ → ABC123, half-width ｺﾛﾅ → コロナ, ㈱ → (株)), lower case, and hiragana
/// as katakana (ころな → コロナ, ゝゞ → ヽヾ). Long-vowel marks and small kana are kept as written
/// (コンピュータ and コンピューター stay different words).
/// </summary>
public static class JapaneseFolding
{
    /// <summary>The folded form of <paramref name="text"/>; "" for null or empty.</summary>
    public static string Fold(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var normalized = TextNormalizer.IsAsciiOnly(text) ? text : text.Normalize(NormalizationForm.FormKC);
        normalized = normalized.ToLowerInvariant();
        if (!normalized.AsSpan().ContainsAnyInRange('\u3041', '\u309E'))
        {
            return normalized;
        }

        return string.Create(normalized.Length, normalized, static (span, s) =>
        {
            for (var i = 0; i < s.Length; i++)
            {
                span[i] = HiraganaToKatakana(s[i]);
            }
        });
    }

    /// <summary>A hiragana letter (ぁ..ゖ) or iteration mark (ゝゞ) as its katakana; any other character unchanged.</summary>
    public static char HiraganaToKatakana(char c) =>
        c is >= '\u3041' and <= '\u3096' or '\u309D' or '\u309E' ? (char)(c + 0x60) : c;
}
