using System.Globalization;
using System.Text;

namespace OpenGov.Events;

/// <summary>
/// Counts words of free-text poll answers. Japanese has no spaces: a run of kanji or katakana is kept whole when
/// short (「行政」「オープンデータ」), longer kanji runs are cut into character bigrams, hiragana (particles, okurigana)
/// separates words; Latin words are split on spaces and lower-cased.
/// </summary>
public static class WordCloud
{
    private enum Script
    {
        Other,
        Latin,
        Kanji,
        Katakana,
        Hiragana,
    }

    private static Script Of(Rune r)
    {
        if (Rune.IsLetterOrDigit(r) && r.Value < 0x3000)
        {
            return Script.Latin;
        }

        var v = r.Value;
        if (v is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF or 0x3005)
        {
            return Script.Kanji;
        }

        if (v is >= 0x30A0 and <= 0x30FF or >= 0x31F0 and <= 0x31FF)
        {
            return Script.Katakana;
        }

        return v is >= 0x3040 and <= 0x309F ? Script.Hiragana : Script.Other;
    }

    /// <summary>The words of one answer.</summary>
    public static IEnumerable<string> Words(string text)
    {
        var normalized = text.Normalize(NormalizationForm.FormKC);
        var run = new StringBuilder();
        var runScript = Script.Other;
        var words = new List<string>();

        void Flush()
        {
            if (run.Length > 0)
            {
                var s = run.ToString();
                var count = s.EnumerateRunes().Count();
                switch (runScript)
                {
                    case Script.Latin when count >= 2:
                        words.Add(s.ToLowerInvariant());
                        break;
                    case Script.Katakana when count >= 2:
                        words.Add(s);
                        break;
                    case Script.Kanji when count <= 4:
                        words.Add(s);
                        break;
                    case Script.Kanji:
                        var runes = s.EnumerateRunes().Select(r => r.ToString()).ToList();
                        for (var i = 0; i + 1 < runes.Count; i++)
                        {
                            words.Add(runes[i] + runes[i + 1]);
                        }

                        break;
                    case Script.Hiragana when count >= 3 && words.Count == 0:
                        words.Add(s);
                        break;
                }

                run.Clear();
            }
        }

        foreach (var r in normalized.EnumerateRunes())
        {
            var script = Of(r);
            if (script != runScript || script == Script.Other)
            {
                Flush();
                runScript = script;
            }

            if (script != Script.Other)
            {
                run.Append(r.ToString());
            }
        }

        Flush();
        return words.Distinct();
    }

    /// <summary>The most frequent words over all answers (each answer counts a word once).</summary>
    public static List<WordCount> Count(IEnumerable<string> answers, int top) => Count(answers.Select(a => (a, 1)), top);

    /// <summary>The same over distinct answers, each given with how many participants sent it.</summary>
    public static List<WordCount> Count(IEnumerable<(string Answer, int Times)> answers, int top)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (answer, times) in answers)
        {
            foreach (var w in Words(answer))
            {
                counts[w] = counts.GetValueOrDefault(w) + times;
            }
        }

        return counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(top)
            .Select(kv => new WordCount(kv.Key, kv.Value)).ToList();
    }

    /// <summary>Font size in percent for a word of the cloud (100 to 300).</summary>
    public static int Size(int count, int max) => max <= 0 ? 100 : 100 + (int)Math.Round(200.0 * count / max, MidpointRounding.AwayFromZero);

    public static string Format(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
