namespace OpenGov.Catalog;

/// <summary>A licence as CKAN's license_list shows it.</summary>
public sealed record License(
    string Id,
    string Title,
    string TitleEn,
    string Url,
    bool OdConformance,
    bool OsdConformance,
    bool IsOpen,
    string Family);

/// <summary>The licences a dataset may carry; Japanese public-sector terms first.</summary>
public static class Licenses
{
    public static readonly IReadOnlyList<License> All =
    [
        new("cc-by-4.0", "クリエイティブ・コモンズ 表示 4.0 国際", "Creative Commons Attribution 4.0", "https://creativecommons.org/licenses/by/4.0/", true, false, true, "cc"),
        new("pdl-1.0", "公共データ利用規約 第1.0版 (PDL1.0)", "Public Data License (Japan) 1.0", "https://www.digital.go.jp/resources/open_data/public_data_license_v1.0", true, false, true, "jp-gov"),
        new("gsl-2.0", "政府標準利用規約 第2.0版", "Government of Japan Standard Terms of Use 2.0", "https://www.digital.go.jp/resources/open_data/", true, false, true, "jp-gov"),
        new("cc-zero", "クリエイティブ・コモンズ CC0", "Creative Commons CCZero", "https://creativecommons.org/publicdomain/zero/1.0/", true, false, true, "cc"),
        new("cc-by-sa-4.0", "クリエイティブ・コモンズ 表示-継承 4.0 国際", "Creative Commons Attribution Share-Alike 4.0", "https://creativecommons.org/licenses/by-sa/4.0/", true, false, true, "cc"),
        new("odc-by", "Open Data Commons Attribution License", "Open Data Commons Attribution License", "https://opendatacommons.org/licenses/by/", true, false, true, "odc"),
        new("other-closed", "その他 (非オープン)", "Other (Not Open)", "", false, false, false, "other"),
        new("notspecified", "ライセンス未指定", "License not specified", "", false, false, false, "other"),
    ];

    private static readonly Dictionary<string, License> ById = All.ToDictionary(l => l.Id, StringComparer.OrdinalIgnoreCase);

    public static License? Find(string? id) => id is null ? null : ById.GetValueOrDefault(id);
}
