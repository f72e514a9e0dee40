namespace OpenGov.Catalog.Editing;

/// <summary>
/// Checks a 6-digit 全国地方公共団体コード: the first five digits weighted 6, 5, 4, 3, 2, summed, mod 11,
/// subtracted from 11, last digit kept. (Stand-in for OpenGov.Tabular.LocalGovCode until the merge.)
/// </summary>
internal static class LocalGovCodeCheck
{
    public static bool IsValid(string? code)
    {
        if (code is not { Length: 6 } || !code.All(char.IsAsciiDigit))
        {
            return false;
        }

        int[] weights = [6, 5, 4, 3, 2];
        var sum = 0;
        for (var i = 0; i < 5; i++)
        {
            sum += (code[i] - '0') * weights[i];
        }

        var check = (11 - (sum % 11)) % 10;
        return code[5] - '0' == check;
    }
}
