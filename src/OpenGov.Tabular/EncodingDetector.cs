using System.Text;

namespace OpenGov.Tabular;

/// <summary>Result of <see cref="EncodingDetector.Detect"/>.</summary>
/// <param name="Encoding">Encoding to decode with (without BOM emission; the BOM is skipped by the reader).</param>
/// <param name="Name">Short name: utf-8, utf-8-bom, utf-16le, utf-16be, shift_jis, euc-jp.</param>
/// <param name="BomLength">Bytes of byte-order mark to skip.</param>
/// <param name="Reason">Why it was chosen.</param>
public sealed record EncodingDetection(Encoding Encoding, string Name, int BomLength, string Reason);

/// <summary>
/// Detects the text encoding of Japanese CSV files from a sample: BOMs first, then strict (exception-fallback)
/// decoding as UTF-8, CP932 (Shift_JIS) and EUC-JP; when both Japanese encodings decode, a score of plausible
/// characters (kana and common kanji up, half-width katakana and private-use/rare characters down) decides.
/// </summary>
public static class EncodingDetector
{
    static EncodingDetector() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>CP932 (Windows-31J, "Shift_JIS" as used in Japan) with replacement fallback.</summary>
    public static Encoding ShiftJis { get; } = GetEncoding(932);

    /// <summary>EUC-JP (code page 51932) with replacement fallback.</summary>
    public static Encoding EucJp { get; } = GetEncoding(51932);

    private static Encoding GetEncoding(int codePage)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(codePage);
    }

    /// <summary>Detects the encoding of <paramref name="sample"/>; <paramref name="isComplete"/> says it is the whole file (so a cut multi-byte character at the end is an error).</summary>
    public static EncodingDetection Detect(ReadOnlySpan<byte> sample, bool isComplete)
    {
        if (sample.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return new(new UTF8Encoding(false), "utf-8-bom", 3, "bom");
        }
        if (sample.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return new(new UnicodeEncoding(false, false), "utf-16le", 2, "bom");
        }
        if (sample.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return new(new UnicodeEncoding(true, false), "utf-16be", 2, "bom");
        }
        // Many NUL bytes: UTF-16 without BOM (NUL never appears in the other encodings' text)
        var zeros = sample.Count((byte)0);
        if (sample.Length >= 4 && zeros > sample.Length / 8)
        {
            var evenZeros = 0;
            for (var i = 0; i < sample.Length; i += 2)
            {
                evenZeros += sample[i] == 0 ? 1 : 0;
            }
            return evenZeros > zeros / 2
                ? new(new UnicodeEncoding(true, false), "utf-16be", 0, "nul bytes at even offsets")
                : new(new UnicodeEncoding(false, false), "utf-16le", 0, "nul bytes at odd offsets");
        }
        if (sample.IndexOfAnyInRange((byte)0x80, (byte)0xFF) < 0)
        {
            return new(new UTF8Encoding(false), "utf-8", 0, "ascii only");
        }
        if (DecodesStrictly(new UTF8Encoding(false, true), sample, isComplete, out _))
        {
            return new(new UTF8Encoding(false), "utf-8", 0, "valid utf-8");
        }
        var sjisOk = DecodesStrictly(Strict(932), sample, isComplete, out var sjisText);
        var eucOk = DecodesStrictly(Strict(51932), sample, isComplete, out var eucText);
        if (sjisOk && !eucOk)
        {
            return new(ShiftJis, "shift_jis", 0, "valid cp932 only");
        }
        if (eucOk && !sjisOk)
        {
            return new(EucJp, "euc-jp", 0, "valid euc-jp only");
        }
        if (sjisOk && eucOk)
        {
            var s1 = Score(sjisText);
            var s2 = Score(eucText);
            return s2 > s1
                ? new(EucJp, "euc-jp", 0, $"euc-jp score {s2} > cp932 {s1}")
                : new(ShiftJis, "shift_jis", 0, $"cp932 score {s1} >= euc-jp {s2}");
        }
        // Nothing decodes cleanly: choose the one with the fewest replacement characters.
        var bad8 = Replacements(new UTF8Encoding(false), sample);
        var badSjis = Replacements(ShiftJis, sample);
        var badEuc = Replacements(EucJp, sample);
        if (bad8 <= badSjis && bad8 <= badEuc)
        {
            return new(new UTF8Encoding(false), "utf-8", 0, $"lossy: {bad8} invalid sequences");
        }
        return badSjis <= badEuc
            ? new(ShiftJis, "shift_jis", 0, $"lossy: {badSjis} invalid sequences")
            : new(EucJp, "euc-jp", 0, $"lossy: {badEuc} invalid sequences");
    }

    private static Encoding Strict(int codePage)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(codePage, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
    }

    private static bool DecodesStrictly(Encoding enc, ReadOnlySpan<byte> sample, bool isComplete, out string text)
    {
        text = "";
        try
        {
            var decoder = enc.GetDecoder();
            var chars = new char[enc.GetMaxCharCount(sample.Length)];
            var n = decoder.GetChars(sample, chars, flush: isComplete);
            text = new string(chars, 0, n);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static int Replacements(Encoding enc, ReadOnlySpan<byte> sample)
    {
        var s = enc.GetString(sample);
        return s.AsSpan().Count('\uFFFD');
    }

    /// <summary>Plausibility score of decoded Japanese text.</summary>
    internal static int Score(string text)
    {
        var score = 0;
        foreach (var c in text)
        {
            if (c < 0x80)
            {
                continue;
            }
            score += c switch
            {
                >= '\u3040' and <= '\u30FF' => 2, // hiragana, katakana
                >= '\u4E00' and <= '\u9FFF' => 1, // CJK unified ideographs
                >= '\u3000' and <= '\u303F' => 1, // CJK punctuation
                >= '\uFF01' and <= '\uFF5E' => 1, // full-width ASCII
                >= '\uFF61' and <= '\uFF9F' => -2, // half-width katakana: typical of mis-decoding
                >= '\uE000' and <= '\uF8FF' => -4, // private use
                _ => -1,
            };
        }
        return score;
    }
}
