namespace OpenGov.Catalog;

/// <summary>
/// A licence as CKAN's license_list shows it. <see cref="Title"/> is the Japanese title on the pages,
/// <see cref="TitleEn"/> the English one; the API answers <see cref="ApiTitle"/>: CKAN's own title for CKAN's
/// default ids (what a CKAN site answers), the Japanese title for the Japanese licences (no CKAN counterpart).
/// </summary>
public sealed record License(
    string Id,
    string Title,
    string TitleEn,
    string Url,
    bool OdConformance,
    bool OsdConformance,
    string Family,
    bool DomainContent = false,
    bool DomainData = false,
    bool DomainSoftware = false,
    bool IsGeneric = false,
    bool IsCkanDefault = false)
{
    /// <summary>CKAN's License.isopen(): approved by the Open Definition or the Open Source Definition.</summary>
    public bool IsOpen => OdConformance || OsdConformance;

    public string ApiTitle => IsCkanDefault ? TitleEn : Title;
}

/// <summary>
/// The licences a dataset may carry: the Japanese public-sector terms first, then CKAN's default licence register
/// (ckan/model/license.py: the same ids, titles, urls, domains and conformance), so that datasets migrated from a
/// CKAN site keep their license_title, license_url and isopen.
/// </summary>
public static class Licenses
{
    public static readonly IReadOnlyList<License> All =
    [
        new("cc-by-4.0", "クリエイティブ・コモンズ 表示 4.0 国際", "Creative Commons Attribution 4.0", "https://creativecommons.org/licenses/by/4.0/", true, false, "cc", DomainContent: true, DomainData: true),
        new("pdl-1.0", "公共データ利用規約 第1.0版 (PDL1.0)", "Public Data License (Japan) 1.0", "https://www.digital.go.jp/resources/open_data/public_data_license_v1.0", true, false, "jp-gov", DomainContent: true, DomainData: true),
        new("gsl-2.0", "政府標準利用規約 第2.0版", "Government of Japan Standard Terms of Use 2.0", "https://www.digital.go.jp/resources/open_data/", true, false, "jp-gov", DomainContent: true, DomainData: true),
        new("cc-by-sa-4.0", "クリエイティブ・コモンズ 表示-継承 4.0 国際", "Creative Commons Attribution Share-Alike 4.0", "https://creativecommons.org/licenses/by-sa/4.0/", true, false, "cc", DomainContent: true, DomainData: true),

        // CKAN's default register, in its order
        Ckan("notspecified", "ライセンス未指定", "License not specified", "", od: false, IsGeneric: true),
        Ckan("odc-pddl", "Open Data Commons パブリック・ドメイン提供・ライセンス (PDDL)", "Open Data Commons Public Domain Dedication and License (PDDL)", "http://www.opendefinition.org/licenses/odc-pddl", od: true, DomainData: true),
        Ckan("odc-odbl", "Open Data Commons オープンデータベース・ライセンス (ODbL)", "Open Data Commons Open Database License (ODbL)", "http://www.opendefinition.org/licenses/odc-odbl", od: true, DomainData: true),
        Ckan("odc-by", "Open Data Commons 表示ライセンス", "Open Data Commons Attribution License", "http://www.opendefinition.org/licenses/odc-by", od: true, DomainData: true),
        Ckan("cc-zero", "クリエイティブ・コモンズ CC0", "Creative Commons CCZero", "http://www.opendefinition.org/licenses/cc-zero", od: true, DomainContent: true, DomainData: true),
        Ckan("cc-by", "クリエイティブ・コモンズ 表示", "Creative Commons Attribution", "http://www.opendefinition.org/licenses/cc-by", od: true),
        Ckan("cc-by-sa", "クリエイティブ・コモンズ 表示-継承", "Creative Commons Attribution Share-Alike", "http://www.opendefinition.org/licenses/cc-by-sa", od: true, DomainContent: true),
        Ckan("gfdl", "GNU フリー文書利用許諾契約書", "GNU Free Documentation License", "http://www.opendefinition.org/licenses/gfdl", od: true, DomainContent: true),
        Ckan("other-open", "その他 (オープン)", "Other (Open)", "", od: true, DomainContent: true, IsGeneric: true),
        Ckan("other-pd", "その他 (パブリック・ドメイン)", "Other (Public Domain)", "", od: true, DomainContent: true, IsGeneric: true),
        Ckan("other-at", "その他 (表示)", "Other (Attribution)", "", od: true, DomainContent: true, IsGeneric: true),
        Ckan("uk-ogl", "英国オープンガバメント・ライセンス (OGL)", "UK Open Government Licence (OGL)", "http://reference.data.gov.uk/id/open-government-licence", od: true, DomainContent: true),
        Ckan("cc-nc", "クリエイティブ・コモンズ 非営利", "Creative Commons Non-Commercial (Any)", "http://creativecommons.org/licenses/by-nc/2.0/", od: false),
        Ckan("other-nc", "その他 (非営利)", "Other (Non-Commercial)", "", od: false, IsGeneric: true),
        Ckan("other-closed", "その他 (非オープン)", "Other (Not Open)", "", od: false, IsGeneric: true),
    ];

    private static readonly Dictionary<string, License> ById = All.ToDictionary(l => l.Id, StringComparer.OrdinalIgnoreCase);

    public static License? Find(string? id) => id is null ? null : ById.GetValueOrDefault(id);

    /// <summary>One of CKAN's default licences: family "", maintainer "", status "active", never OSD-approved.</summary>
    private static License Ckan(string id, string title, string titleEn, string url, bool od, bool DomainContent = false, bool DomainData = false, bool IsGeneric = false) =>
        new(id, title, titleEn, url, od, false, "", DomainContent, DomainData, false, IsGeneric, IsCkanDefault: true);
}
