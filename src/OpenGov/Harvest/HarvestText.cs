using System.Globalization;
using OpenGov.Catalog.Editing;

namespace OpenGov.Harvest;

/// <summary>Marker for the harvest pages' strings (keys are Japanese; English in HarvestText.en.resx).</summary>
public sealed class HarvestText
{
    private static readonly Dictionary<string, string> Japanese = new(StringComparer.Ordinal)
    {
        ["Can not create jobs on inactive sources"] = "停止中の収集元では実行できません。",
        ["There already is an unrun job for this source"] = "この収集元には、まだ終わっていないジョブがあります。終わってから実行してください。",
    };

    /// <summary>A message of the harvest actions in the user's language.</summary>
    public static string Localize(string message)
    {
        if (CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en")
        {
            return message;
        }

        if (Japanese.TryGetValue(message, out var ja))
        {
            return ja;
        }

        if (message.StartsWith("There already is a Harvest Source for this URL", StringComparison.Ordinal))
        {
            return "このURLの収集元は既に登録されています。";
        }

        if (message.StartsWith("Frequency ", StringComparison.Ordinal))
        {
            return "頻度は「手動」「毎日」「毎週」から選んでください。";
        }

        if (message.StartsWith("Error parsing the configuration", StringComparison.Ordinal))
        {
            return "設定は JSON オブジェクトで入力してください。";
        }

        return EditingText.Localize(message);
    }
}
