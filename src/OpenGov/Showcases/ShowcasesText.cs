using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Localization;
using OpenGov.Catalog.Editing;

namespace OpenGov.Showcases;

/// <summary>Marker for the showcase pages' strings (keys are Japanese; English in ShowcasesText.en.resx).</summary>
public sealed partial class ShowcasesText
{
    [GeneratedRegex("^Not found: Dataset (.+)$")]
    private static partial Regex DatasetNotFound();

    /// <summary>A validation message of the showcase actions in the user's language.</summary>
    public static string Localize(IStringLocalizer<ShowcasesText> t, string message)
    {
        if (DatasetNotFound().Match(message) is { Success: true } m)
        {
            return t["データセット「{0}」が見つかりません。", m.Groups[1].Value];
        }

        if (message.StartsWith("Must be a maximum of ", StringComparison.Ordinal))
        {
            return t["{0}文字以内で入力してください。", ShowcaseSchema.TextMax.ToString(CultureInfo.InvariantCulture)];
        }

        return EditingText.Localize(message);
    }
}
