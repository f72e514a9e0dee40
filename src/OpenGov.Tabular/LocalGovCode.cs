namespace OpenGov.Tabular;

/// <summary>
/// 全国地方公共団体コード (JIS X 0402 style local government code): 5 digits plus a check digit.
/// The check digit multiplies the 5 digits by 6,5,4,3,2, sums, takes the remainder mod 11,
/// subtracts it from 11 and keeps the last digit. Full-width digits are accepted.
/// </summary>
public static class LocalGovCode
{
    private static readonly int[] Weights = [6, 5, 4, 3, 2];

    /// <summary>Computes the check digit (0-9) of a 5-digit code; returns false for any other input.</summary>
    public static bool TryComputeCheckDigit(string? fiveDigits, out int checkDigit)
    {
        checkDigit = 0;
        if (!TryDigits(fiveDigits, 5, out var d))
        {
            return false;
        }
        var sum = 0;
        for (var i = 0; i < 5; i++)
        {
            sum += d[i] * Weights[i];
        }
        checkDigit = (11 - (sum % 11)) % 10;
        return true;
    }

    /// <summary>Turns a 5-digit code into the 6-digit code with its check digit (e.g. 13000 → 130001).</summary>
    public static bool TryComplete(string? fiveDigits, out string sixDigits)
    {
        sixDigits = "";
        if (!TryComputeCheckDigit(fiveDigits, out var c))
        {
            return false;
        }
        sixDigits = TextNormalizer.ToHalfWidthDigits(fiveDigits!.Trim()) + (char)('0' + c);
        return true;
    }

    /// <summary>True when <paramref name="code"/> is 6 digits (half- or full-width) with a correct check digit.</summary>
    public static bool IsValid(string? code)
    {
        if (!TryDigits(code, 6, out var d))
        {
            return false;
        }
        var five = new string([.. d.Take(5).Select(x => (char)('0' + x))]);
        return TryComputeCheckDigit(five, out var c) && c == d[5];
    }

    private static bool TryDigits(string? s, int length, out int[] digits)
    {
        digits = [];
        if (s is null)
        {
            return false;
        }
        var t = s.AsSpan().Trim();
        if (t.Length != length)
        {
            return false;
        }
        var result = new int[length];
        for (var i = 0; i < length; i++)
        {
            var ch = t[i];
            if (ch is >= '0' and <= '9')
            {
                result[i] = ch - '0';
            }
            else if (ch is >= '０' and <= '９')
            {
                result[i] = ch - '０';
            }
            else
            {
                return false;
            }
        }
        digits = result;
        return true;
    }
}
