using System.Globalization;
using OpenGov.Tabular;

namespace OpenGov.Council;

/// <summary>
/// How the council writes and reads its fiscal years (<see cref="FiscalYear"/> of OpenGov.Tabular: April–March,
/// named by the era in force on April 1, so FY2019 is 平成31年度 as the council's documents write it).
/// </summary>
public static class CouncilFiscalYear
{
    /// <summary>「令和2年度 (2020年度)」, or FY2020 in English.</summary>
    public static string Label(this FiscalYear fy, bool english) => english ? fy.ToString("FY", CultureInfo.InvariantCulture) : fy.LabelJa;

    /// <summary>Reads 令和2年度, 平成31年度, R2年度, 2020年度, FY2020, or a bare 2020 (the form of the council's URLs).</summary>
    public static bool TryParse(string? value, out FiscalYear year)
    {
        year = default;
        var s = value?.Trim();
        if (int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var y))
        {
            if (y is < 1868 or > 9998)
            {
                return false;
            }

            year = new FiscalYear(y);
            return true;
        }

        return FiscalYear.TryParse(s, out year);
    }
}
