using System.Text;

namespace OpenGov.Tabular;

/// <summary>
/// Column names as published in Japanese tables. <see cref="Tidy"/> cleans a header cell into the stored name;
/// <see cref="Key"/> is the form names are compared in (standard columns and aliases, the code-name rule).
/// </summary>
public static class ColumnNames
{
    /// <summary>
    /// The stored name of a header cell: line breaks removed, trimmed, and the spaces that spread a short label over a
    /// wide cell (均等割り付け: 「施　設　名」「所　　在　　地」「学　　級　　数」) removed when they stand between two
    /// Japanese characters; spaces next to Latin letters or digits are kept (「Wi-Fi スポット」「第 1 区」 stay).
    /// </summary>
    public static string Tidy(string? cell)
    {
        if (string.IsNullOrEmpty(cell))
        {
            return "";
        }
        var t = TextNormalizer.Trim(cell.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal));
        if (TextNormalizer.IsAsciiOnly(t) || (t.IndexOf(' ') < 0 && t.IndexOf('\u3000') < 0))
        {
            return t;
        }
        var sb = new StringBuilder(t.Length);
        for (var i = 0; i < t.Length; i++)
        {
            if (IsSpace(t[i]))
            {
                var j = i;
                while (j < t.Length && IsSpace(t[j]))
                {
                    j++;
                }
                if (!(i > 0 && j < t.Length && IsJapanese(t[i - 1]) && IsJapanese(t[j])))
                {
                    sb.Append(t, i, j - i);
                }
                i = j - 1;
                continue;
            }
            sb.Append(t[i]);
        }
        return sb.ToString();
    }

    /// <summary>
    /// The comparable form of a column name: <see cref="TextNormalizer.Normalize"/> (NFKC, full-width ASCII and
    /// brackets to half-width) with a dash-like character written after katakana read as the long-vowel mark
    /// (「コ―ド」 with U+2015, 「コ－ド」, 「コ-ド」 → 「コード」), a common typing slip in published headers.
    /// "" for an empty name.
    /// </summary>
    public static string Key(string? name)
    {
        var t = TextNormalizer.Normalize(name) ?? "";
        if (TextNormalizer.IsAsciiOnly(t))
        {
            return t;
        }
        var chars = t.ToCharArray();
        for (var i = 1; i < chars.Length; i++)
        {
            if (chars[i] is '\u2015' or '\u2014' or '\u2013' or '\u2010' or '\u2011' or '-' or '\u2212' && IsKatakana(chars[i - 1]))
            {
                chars[i] = 'ー';
            }
        }
        return new string(chars);
    }

    private static bool IsSpace(char c) => c is ' ' or '\u3000';

    private static bool IsKatakana(char c) => c is >= '\u30A1' and <= '\u30FA';

    /// <summary>Kanji, kana, the iteration marks and Japanese brackets/punctuation (not Latin letters or digits).</summary>
    private static bool IsJapanese(char c) =>
        c is >= '\u3005' and <= '\u3007' or >= '\u3008' and <= '\u3011' or >= '\u3041' and <= '\u30FF' or >= '\u3400' and <= '\u4DBF'
            or >= '\u4E00' and <= '\u9FFF' or >= '\uF900' and <= '\uFAFF' or '（' or '）' or '・' or '＿';
}
