using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OpenGov.Storage;

namespace OpenGov.Showcases;

/// <summary>
/// Another room whose users may read showcase histories (the council's secretariat, whose awarded entries become
/// showcases). Registered by that room, so this room does not call back into it.
/// </summary>
public interface IShowcaseHistoryReader
{
    Task<bool> MayReadHistoryAsync(CancellationToken ct);
}

/// <summary>
/// The read side of <see cref="ShowcaseAudit"/>: who changed what when, for the showcase's editors (sysadmins,
/// showcase admins) and the readers other rooms register; as the ckanext_showcase_activity_list action and the
/// 「変更履歴」 section of the showcase page, times in Japan time and the changes in readable sentences.
/// </summary>
public sealed class ShowcaseHistory(OpenGovDb db, ShowcaseAuth auth, IEnumerable<IShowcaseHistoryReader> readers, IStringLocalizer<ShowcasesText> t)
{
    /// <summary>One entry as shown: when (UTC and Japan time), who, what, and a readable line per changed field.</summary>
    public sealed record Line(long Id, DateTime At, string AtJst, string UserName, string Action, string EntityType, string EntityId, string Summary, IReadOnlyList<string> Changes, JsonElement Raw);

    private static readonly string[] Fields = ["Name", "Title", "Notes", "Url", "ImageUrl", "Author", "AuthorEmail", "Tags"];

    public async Task<bool> MayReadAsync(CancellationToken ct)
    {
        if (await auth.CanManageAsync(ct))
        {
            return true;
        }

        foreach (var r in readers)
        {
            if (await r.MayReadHistoryAsync(ct))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Entries per page of the showcase page's 「変更履歴」.</summary>
    public const int PageSize = 20;

    /// <summary>How many entries the showcase's history has.</summary>
    public Task<int> CountAsync(Showcase s, CancellationToken ct) => ShowcaseAudit.CountAsync(db, s.Id, ct);

    /// <summary>One page of the showcase's history, newest first: skip <paramref name="offset"/> writes, then at most <paramref name="limit"/>.</summary>
    public Task<List<Line>> LinesAsync(Showcase s, int offset, int limit, CancellationToken ct) => LinesAsync(s.Id, offset, limit, ct);

    /// <summary>
    /// The history of the showcase admin list (who made whom an admin or took them off, when): sysadmins only, as the
    /// list itself (ckanext_showcase_admin_list). The page /showcase/admins.
    /// </summary>
    public bool MayReadAdminHistory => auth.User.IsSysadmin;

    /// <summary>How many changes of the showcase admins there are.</summary>
    public Task<int> CountAdminChangesAsync(CancellationToken ct) => ShowcaseAudit.CountAsync(db, ShowcaseAudit.SiteWide, ct);

    /// <summary>One page of the changes of the showcase admins, newest first.</summary>
    public Task<List<Line>> AdminChangesAsync(int offset, int limit, CancellationToken ct) => LinesAsync(ShowcaseAudit.SiteWide, offset, limit, ct);

    private async Task<List<Line>> LinesAsync(string showcaseId, int offset, int limit, CancellationToken ct)
    {
        var entries = await ShowcaseAudit.HistoryAsync(db, showcaseId, offset, limit, ct);
        var datasetIds = entries.Where(e => e.EntityType == nameof(ShowcaseDataset)).Select(e => DatasetOf(e)).Where(d => d.Length > 0).Distinct().ToList();
        var names = await db.Datasets.AsNoTracking().Where(d => datasetIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Name, ct);
        return [.. entries.Select(e => Describe(e, names))];
    }

    /// <summary>Japan time as the pages write it: 2026年12月6日 12:34 (ja) or 2026-12-06 12:34 JST (en).</summary>
    public static string Jst(DateTime utc, bool english)
    {
        var jst = Shared.JapanTime.From(utc);
        return english ? jst.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " JST" : jst.ToString("yyyy年M月d日 HH:mm", CultureInfo.InvariantCulture);
    }

    private Line Describe(ShowcaseAuditEntry e, Dictionary<string, string> datasetNames)
    {
        var english = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";
        using var doc = JsonDocument.Parse(string.IsNullOrEmpty(e.Changes) ? "{}" : e.Changes);
        var raw = doc.RootElement.Clone();
        var changes = new List<string>();
        string summary;
        if (e.EntityType == nameof(ShowcaseAdmin))
        {
            var name = raw.TryGetProperty("UserName", out var pair) && pair.ValueKind == JsonValueKind.Array && pair.GetArrayLength() == 2
                ? Text(e.Action == "delete" ? pair[0] : pair[1]) : e.EntityId;
            summary = e.Action == "delete" ? t["「{0}」を活用事例の管理者から外しました", name] : t["「{0}」を活用事例の管理者にしました", name];
        }
        else if (e.EntityType == nameof(ShowcaseDataset))
        {
            var id = DatasetOf(e);
            var name = datasetNames.GetValueOrDefault(id, id);
            summary = e.Action == "delete" ? t["データセット「{0}」との関連を外しました", name] : t["データセット「{0}」を関連付けました", name];
        }
        else
        {
            summary = e.Action switch
            {
                "create" => t["活用事例を作成しました"],
                "delete" => t["活用事例を削除しました"],
                _ => t["活用事例を変更しました"],
            };
            foreach (var field in Fields)
            {
                if (!raw.TryGetProperty(field, out var pair) || pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2)
                {
                    continue;
                }

                var (old, now) = (Text(pair[0]), Text(pair[1]));
                var label = t[Label(field)];
                changes.Add(e.Action switch
                {
                    "create" => t["{0}：「{1}」", label, now],
                    "delete" => t["{0}：「{1}」", label, old],
                    _ when old.Length == 0 => t["{0}：「{1}」を設定", label, now],
                    _ when now.Length == 0 => t["{0}：「{1}」を削除", label, old],
                    _ => t["{0}：「{1}」→「{2}」", label, old, now],
                });
            }
        }

        return new Line(e.Id, e.At, Jst(e.At, english), e.UserName, e.Action, e.EntityType, e.EntityId, summary, changes, raw);
    }

    private static string Label(string field) => field switch
    {
        "Name" => "URL名",
        "Title" => "タイトル",
        "Notes" => "説明",
        "Url" => "アプリ・サイトのURL",
        "ImageUrl" => "画像のURL",
        "Author" => "作成者",
        "AuthorEmail" => "作成者のメールアドレス",
        _ => "タグ",
    };

    /// <summary>A value as one short line: line breaks as spaces, at most 80 characters.</summary>
    private static string Text(JsonElement v)
    {
        var s = v.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => "",
            JsonValueKind.String => v.GetString() ?? "",
            _ => v.GetRawText(),
        };
        s = s.Replace("\r\n", " ", StringComparison.Ordinal).Replace('\n', ' ').Trim();
        return s.Length > 80 ? s[..79] + "…" : s;
    }

    /// <summary>The dataset of a link's entry: its key is "{showcase}/{dataset}".</summary>
    private static string DatasetOf(ShowcaseAuditEntry e) => e.EntityId.Split('/') is [_, var d] ? d : "";
}
