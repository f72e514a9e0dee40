using System.Globalization;
using System.Text;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Tartarus.Snowball.Ext;
using OpenGov.Tabular;

namespace OpenGov.Catalog.Search;

/// <summary>
/// Turns text into the tokens both full-text indexes store (see docs/decisions/0002-japanese-search.md).
/// Text is folded by <see cref="JapaneseFolding"/> (so ＡＢＣ = abc, ｶﾀｶﾅ = カタカナ, １２３ = 123, ころな = コロナ). Runs of Japanese script
/// (Han, Hiragana, Katakana, ー, 々) become overlapping bigrams plus the run's last character as a unigram
/// (「人口統計」 → 人口 口統 統計 計); other runs of letters and digits become whole words, stemmed and folded as CKAN's
/// Solr "text" field does (Snowball English, then ASCII folding: accidents → accid, running → run, café → cafe);
/// everything else separates. A word of any length is then found inside unspaced text as a phrase of its bigrams.
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
    /// 3: words are stemmed (Snowball English) and ASCII-folded; extras are indexed (see <see cref="ExtraToken"/>).
    /// </summary>
    public const int Version = 3;

    [ThreadStatic]
    private static EnglishStemmer? t_stemmer;

    /// <summary>
    /// A word (a run of letters and digits outside Japanese script) as the index stores it: the Snowball English stem
    /// (Solr's SnowballPorterFilter language="English", which CKAN's schema applies to title, notes, extras_* and text),
    /// then folded to ASCII (Solr's ASCIIFoldingFilter). Digits alone are kept as they are.
    /// </summary>
    public static string Word(string word)
    {
        if (!word.Any(char.IsLetter))
        {
            return word;
        }

        var stemmer = t_stemmer ??= new EnglishStemmer();
        stemmer.SetCurrent(word);
        stemmer.Stem();
        return FoldToAscii(stemmer.Current);
    }

    /// <summary>Latin letters with accents and ligatures as ASCII (é → e, æ → ae); other scripts unchanged.</summary>
    public static string FoldToAscii(string word)
    {
        if (word.All(char.IsAscii))
        {
            return word;
        }

        var input = word.ToCharArray();
        var output = new char[input.Length * 4];
        var length = ASCIIFoldingFilter.FoldToASCII(input, 0, output, 0, input.Length);
        return new string(output, 0, length);
    }

    /// <summary>
    /// The token that stands for <paramref name="token"/> inside the extra <paramref name="key"/>, so that
    /// extras_KEY:word finds the word in that extra's value only: "x", the key's UTF-8 bytes in hex, "x", the token
    /// (letters and digits only, so both indexes keep it whole; keys of any case and script stay distinct).
    /// </summary>
    public static string ExtraToken(string key, string token) =>
        "x" + Convert.ToHexStringLower(Encoding.UTF8.GetBytes(key)) + "x" + token;

    /// <summary>Keys longer than this are not indexed for extras_KEY (PostgreSQL caps a lexeme at 2 KB).</summary>
    public const int MaxExtraKeyBytes = 200;

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
                    tokens.Add(Word(word));
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
    /// character) unless a run follows it; words are stemmed as the index stores them. With <paramref name="prefix"/>
    /// (the term ended in *), the last token is a prefix and, like Solr's wildcard terms, is folded but not stemmed.
    /// Empty when the term has no letters or digits.
    /// </summary>
    public static List<QueryToken> QueryPhrase(string term, bool prefix = false)
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
                    phrase.Add(prefix && last ? new QueryToken(FoldToAscii(word), true) : new QueryToken(Word(word), false));
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
            else if (prefix)
            {
                phrase[^1] = phrase[^1] with { Prefix = true };
            }
        }

        return phrase;
    }
}
