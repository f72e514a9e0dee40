using System.Globalization;
using System.Text;
using OpenGov.Tabular;

namespace OpenGov.Catalog.Search;

/// <summary>
/// Turns text into the tokens both full-text indexes store (see docs/decisions/0002-japanese-search.md).
/// Text is folded by <see cref="JapaneseFolding"/> (so ＡＢＣ = abc, ｶﾀｶﾅ = カタカナ, １２３ = 123, ころな = コロナ). Runs of Japanese script
/// (Han, Hiragana, Katakana, ー, 々) become overlapping bigrams plus the run's last character as a unigram
/// (「人口統計」 → 人口 口統 統計 計); other runs of letters and digits become whole words; everything else separates.
/// A word of any length is then found inside unspaced text as a phrase of its bigrams.
/// </summary>
public static class JapaneseTokenizer
{
    /// <summary>Longer tokens are dropped (PostgreSQL refuses lexemes over 2 KB; such "words" are not words).</summary>
    public const int MaxTokenLength = 100;

    /// <summary>Whether a code point is part of a Japanese-script run.</summary>
    public static bool IsCjk(int cp) =>
        cp is >= 0x3041 and <= 0x3096 // Hiragana
        or >= 0x309D and <= 0x309F // ゝゞゟ
        or >= 0x30A1 and <= 0x30FA // Katakana
        or >= 0x30FC and <= 0x30FF // ー ヽ ヾ ヿ
        or >= 0x31F0 and <= 0x31FF // Katakana phonetic extensions
        or >= 0x3005 and <= 0x3007 // 々 〆 〇
        or >= 0x3400 and <= 0x4DBF // CJK extension A
        or >= 0x4E00 and <= 0x9FFF // CJK unified ideographs
        or >= 0xF900 and <= 0xFAFF // compatibility ideographs
        or >= 0x20000 and <= 0x3FFFF; // extensions B and later

    private static bool IsWordChar(Rune r) => Rune.GetUnicodeCategory(r) is
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
        or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
        or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber
        or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;

    /// <summary>
    /// Version of what <see cref="Tokenize"/> produces. Raise it whenever tokens change: on start, an index written
    /// by another version is rebuilt (<see cref="SearchStorageInitializer"/>). 2: hiragana folds to katakana.
    /// </summary>
    public const int Version = 2;

    /// <summary>The shared Japanese folding: NFKC, lower case, hiragana as katakana.</summary>
    public static string Normalize(string? text) => JapaneseFolding.Fold(text);

    /// <summary>A run of characters of one kind.</summary>
    public readonly record struct Run(bool Cjk, string[] Chars);

    /// <summary>Splits normalised text into runs of Japanese script and runs of other letters/digits.</summary>
    public static List<Run> Runs(string? text)
    {
        var runs = new List<Run>();
        var current = new List<string>();
        var currentCjk = false;
        foreach (var rune in Normalize(text).EnumerateRunes())
        {
            var cjk = IsCjk(rune.Value);
            var word = cjk || IsWordChar(rune);
            if (!word || (current.Count > 0 && cjk != currentCjk))
            {
                Flush();
            }

            if (word)
            {
                currentCjk = cjk;
                current.Add(rune.ToString());
            }
        }

        Flush();
        return runs;

        void Flush()
        {
            if (current.Count > 0)
            {
                runs.Add(new Run(currentCjk, [.. current]));
                current.Clear();
            }
        }
    }

    /// <summary>The tokens stored for a piece of text, in order.</summary>
    public static List<string> Tokenize(string? text)
    {
        var tokens = new List<string>();
        foreach (var run in Runs(text))
        {
            if (run.Cjk)
            {
                for (var i = 0; i + 1 < run.Chars.Length; i++)
                {
                    tokens.Add(run.Chars[i] + run.Chars[i + 1]);
                }

                tokens.Add(run.Chars[^1]);
            }
            else
            {
                var word = string.Concat(run.Chars);
                if (word.Length <= MaxTokenLength)
                {
                    tokens.Add(word);
                }
            }
        }

        return tokens;
    }

    /// <summary>One token of a query phrase; a prefix token matches every token that starts with it.</summary>
    public readonly record struct QueryToken(string Text, bool Prefix);

    /// <summary>
    /// The phrase a whitespace-free query term becomes: a Japanese run of two or more characters gives its bigrams
    /// (plus its last character when another run follows inside the term, because the document has that unigram
    /// there too); a single Japanese character gives a prefix token (it begins a bigram, or is a run's last
    /// character) unless a run follows it; words stay whole. Empty when the term has no letters or digits.
    /// </summary>
    public static List<QueryToken> QueryPhrase(string term)
    {
        var runs = Runs(term);
        var phrase = new List<QueryToken>();
        for (var r = 0; r < runs.Count; r++)
        {
            var run = runs[r];
            var last = r == runs.Count - 1;
            if (!run.Cjk)
            {
                var word = string.Concat(run.Chars);
                if (word.Length <= MaxTokenLength)
                {
                    phrase.Add(new QueryToken(word, false));
                }

                continue;
            }

            if (run.Chars.Length == 1)
            {
                phrase.Add(new QueryToken(run.Chars[0], last));
                continue;
            }

            for (var i = 0; i + 1 < run.Chars.Length; i++)
            {
                phrase.Add(new QueryToken(run.Chars[i] + run.Chars[i + 1], false));
            }

            if (!last)
            {
                phrase.Add(new QueryToken(run.Chars[^1], false));
            }
        }

        return phrase;
    }
}
