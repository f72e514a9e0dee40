using System.Globalization;
using System.Text;

namespace OpenGov.Tabular;

/// <summary>
/// Normalisation of cell text found in Japanese public data: full-width digits, signs and spaces,
/// thousands separators (, and ，), NFKC, and "empty markers" (「-」「－」「―」「‐」「※」, blank) that mean no value.
/// </summary>
public static class TextNormalizer
{
    /// <summary>The default empty markers. A cell equal to one of these (after trimming) is treated as null.</summary>
    public static IReadOnlySet<string> DefaultEmptyMarkers { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "", "-", "－", "―", "‐", "‑", "–", "—", "ー", "※", "＊", "*", "…", "NULL", "null", "N/A", "n/a", "#N/A",
    };

    /// <summary>True when the value is blank or an empty marker (default set unless <paramref name="markers"/> is given).</summary>
    public static bool IsEmpty(string? value, IReadOnlySet<string>? markers = null)
    {
        if (value is null)
        {
            return true;
        }
        var t = Trim(value);
        return t.Length == 0 || (markers ?? DefaultEmptyMarkers).Contains(t);
    }

    /// <summary>Trims ASCII white space, full-width space (U+3000), NBSP and BOM.</summary>
    public static string Trim(string value) =>
        value.Length == 0 || (!IsTrimChar(value[0]) && !IsTrimChar(value[^1])) ? value : value.Trim(TrimChars);

    private static readonly char[] TrimChars = [' ', '\t', '\r', '\n', '\u3000', '\u00A0', '\uFEFF'];

    private static bool IsTrimChar(char c) => c is ' ' or '\t' or '\r' or '\n' or '\u3000' or '\u00A0' or '\uFEFF';

    /// <summary>Replaces full-width digits ０-９ with ASCII digits; other characters are kept.</summary>
    public static string ToHalfWidthDigits(string value)
    {
        if (!value.AsSpan().ContainsAnyInRange('０', '９'))
        {
            return value;
        }
        return string.Create(value.Length, value, static (span, v) =>
        {
            for (var i = 0; i < v.Length; i++)
            {
                var c = v[i];
                span[i] = c is >= '０' and <= '９' ? (char)(c - '０' + '0') : c;
            }
        });
    }

    /// <summary>
    /// Canonical form for matching: NFKC (full-width ASCII → ASCII, half-width katakana → full-width),
    /// full-width space → space, minus-like dashes (−, ‐, －) → '-', trimmed. Returns null for empty markers.
    /// </summary>
    public static string? Normalize(string? value, IReadOnlySet<string>? emptyMarkers = null)
    {
        if (IsEmpty(value, emptyMarkers))
        {
            return null;
        }
        var t = Trim(value!);
        if (!IsAsciiOnly(t))
        {
            t = t.Normalize(NormalizationForm.FormKC);
            t = t.Replace('\u2212', '-').Replace('\u2010', '-').Replace('\u2011', '-').Replace('\uFF0D', '-');
            t = Trim(t);
        }
        return t.Length == 0 ? null : t;
    }

    internal static bool IsAsciiOnly(string s)
    {
        foreach (var c in s)
        {
            if (c > 0x7E)
            {
                return false;
            }
        }
        return true;
    }
}

/// <summary>Parses numbers written the Japanese way: full-width digits and signs, thousands separators (, ，), 「△」/「▲」 negative marks.</summary>
public static class JapaneseNumber
{
    /// <summary>Parses an integer (e.g. "１２，３４５", "-1,000", "▲500"). Decimal values with a zero fraction ("12.0") are rejected.</summary>
    public static bool TryParseInteger(string? value, out long result)
    {
        result = 0;
        Span<char> buf = stackalloc char[MaxLength];
        if (!TryPrepare(value, buf, out var n) || buf[..n].Contains('.'))
        {
            return false;
        }
        return long.TryParse(buf[..n], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out result);
    }

    /// <summary>Parses a decimal number (e.g. "１２．５", "1,234.5", "-0.5", "1.5e3" is rejected, "50%" is rejected).</summary>
    public static bool TryParseDecimal(string? value, out decimal result)
    {
        result = 0;
        Span<char> buf = stackalloc char[MaxLength];
        if (!TryPrepare(value, buf, out var n))
        {
            return false;
        }
        return decimal.TryParse(buf[..n], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out result);
    }

    private const int MaxLength = 64;

    /// <summary>
    /// Writes the plain ASCII numeric form (sign, digits, at most one point) of <paramref name="value"/> into
    /// <paramref name="buf"/> (at least 64 chars); false when it is not a number. No allocation: this runs for every
    /// value of a numeric column of a load.
    /// </summary>
    private static bool TryPrepare(string? value, Span<char> buf, out int n)
    {
        n = 0;
        if (value is null)
        {
            return false;
        }
        var t = TextNormalizer.Trim(value);
        if (t.Length == 0 || t.Length > MaxLength)
        {
            return false;
        }
        var digits = 0;
        var seenPoint = false;
        var lastComma = -1;
        var digitsSinceComma = 0;
        for (var i = 0; i < t.Length; i++)
        {
            var c = t[i];
            if (c is >= '０' and <= '９')
            {
                c = (char)(c - '０' + '0');
            }
            else if (c == '．')
            {
                c = '.';
            }
            else if (c is '－' or '−' or '▲' or '△')
            {
                c = '-';
            }
            else if (c == '＋')
            {
                c = '+';
            }
            else if (c == '，')
            {
                c = ',';
            }

            if (c is >= '0' and <= '9')
            {
                buf[n++] = c;
                digits++;
                digitsSinceComma++;
            }
            else if (c is '-' or '+')
            {
                if (n != 0)
                {
                    return false;
                }
                buf[n++] = c;
            }
            else if (c == ',')
            {
                // thousands separator: not first, not after the point, groups of exactly 3 digits
                if (digits == 0 || seenPoint || (lastComma >= 0 && digitsSinceComma != 3) || (lastComma < 0 && digitsSinceComma > 3))
                {
                    return false;
                }
                lastComma = i;
                digitsSinceComma = 0;
            }
            else if (c == '.')
            {
                if (seenPoint || (lastComma >= 0 && digitsSinceComma != 3))
                {
                    return false;
                }
                seenPoint = true;
                buf[n++] = c;
                lastComma = -1;
            }
            else
            {
                return false;
            }
        }
        if (digits == 0 || (lastComma >= 0 && digitsSinceComma != 3))
        {
            return false;
        }
        return true;
    }
}
