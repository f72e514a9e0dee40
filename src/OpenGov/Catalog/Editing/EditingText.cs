using System.Globalization;
using System.Text.RegularExpressions;

namespace OpenGov.Catalog.Editing;

/// <summary>
/// Marker for the publisher screens' strings (keys are the Japanese text; English in EditingText.en.resx), and the
/// Japanese wording of the API's (English, CKAN) validation messages for the forms.
/// </summary>
public sealed partial class EditingText
{
    private static readonly Dictionary<string, string> Japanese = new(StringComparer.Ordinal)
    {
        ["Missing value"] = "入力してください。",
        ["Must be purely lowercase alphanumeric (ascii) characters and these symbols: -_"] = "半角の英小文字・数字と記号「-」「_」だけで入力してください。",
        ["Must be at least 2 characters long"] = "2文字以上で入力してください。",
        ["Name must be a maximum of 100 characters long"] = "100文字以内で入力してください。",
        ["That name cannot be used"] = "この名前は使えません。別の名前にしてください。",
        ["That URL is already in use."] = "このURL名は既に使われています。別の名前にしてください。",
        ["An organization must be provided"] = "組織を選んでください。",
        ["Organization does not exist"] = "選んだ組織が見つかりません。",
        ["You cannot add a dataset to this organization"] = "この組織にはデータセットを追加する権限がありません。",
        ["Please provide a valid URL"] = "http:// または https:// で始まる正しいURLを入力してください。",
        ["File upload too large"] = "ファイルが大きすぎます。",
        ["Must be a string"] = "文字列で入力してください。",
        ["Value must be one of: true; false"] = "「はい」か「いいえ」を選んでください。",
        ["Invalid integer"] = "整数で入力してください。",
        ["Group was not found."] = "グループが見つかりません。",
        ["Confirm the deletion"] = "削除する場合は確認のチェックを入れてください。",
        ["Upload a file or give a URL"] = "ファイルを選ぶか、URLを入力してください。",
        [Hosting.StorageFullException.MessageEnglish] = Hosting.StorageFullException.MessageJapanese,
    };

    [GeneratedRegex("^Access denied: dataset (.+) is harvested \\(harvest source .+\\) and read-only here")]
    private static partial Regex Harvested();

    [GeneratedRegex("^Tag \"(.*)\" length is less than minimum 2$")]
    private static partial Regex TagTooShort();

    [GeneratedRegex("^Tag \"(.*)\" length is more than maximum 100$")]
    private static partial Regex TagTooLong();

    [GeneratedRegex("^Tag \"(.*)\" must be alphanumeric characters or symbols: -_.$")]
    private static partial Regex TagBadChars();

    [GeneratedRegex("^Email (.*) is not a valid format$")]
    private static partial Regex BadEmail();

    /// <summary>A validation message in the current UI language (the API's English text when English).</summary>
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

        if (Harvested().Match(message) is { Success: true } h)
        {
            return $"データセット「{h.Groups[1].Value}」は他のカタログから収集（ハーベスト）したもので、このサイトでは変更できません。収集元のカタログで変更してください。";
        }

        if (TagTooShort().Match(message) is { Success: true } a)
        {
            return $"タグ「{a.Groups[1].Value}」は2文字以上にしてください。";
        }

        if (TagTooLong().Match(message) is { Success: true } b)
        {
            return $"タグ「{b.Groups[1].Value}」は100文字以内にしてください。";
        }

        if (TagBadChars().Match(message) is { Success: true } c)
        {
            return $"タグ「{c.Groups[1].Value}」には文字・数字・空白と記号「-」「_」「.」だけが使えます。";
        }

        if (BadEmail().Match(message) is { Success: true } d)
        {
            return $"メールアドレス「{d.Groups[1].Value}」の形式が正しくありません。";
        }

        return message;
    }
}
