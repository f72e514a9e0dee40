using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OpenGov.Events;
using OpenGov.Shared;
using OpenGov.Storage;

namespace OpenGov.Council;

/// <summary>One programme item as the release prints it: 「（１）基調講演」 and its lines (speakers by role).</summary>
public sealed record PressProgrammeItem(string Title, IReadOnlyList<(string? Role, IReadOnlyList<string> Lines)> Groups);

/// <summary>The council overview as of the 発信日, from the registry.</summary>
public sealed record CouncilOverview(
    string Name, string PurposeLead, IReadOnlyList<string> PurposeItems, string Founded, IReadOnlyList<string> LocalGovernments,
    IReadOnlyList<string> SpecialMembers, IReadOnlyList<string> Business, IReadOnlyList<(string Year, IReadOnlyList<string> Lines)> Activities);

/// <summary>A 記者発表資料 for an event, in the members' usual form.</summary>
public sealed record PressRelease(
    string Slug, string IssuedOn, string Addressee, IReadOnlyList<(string Kind, bool Checked)> Kinds, string Sender, string Title,
    IReadOnlyList<string> Purpose, string When, string Format, string? VideoUrl, string? PrVideoUrl, string Theme,
    IReadOnlyList<PressProgrammeItem> Programme, CouncilOverview Overview)
{
    public static readonly string[] AllKinds = ["取材依頼", "周知依頼", "募集告知", "その他"];

    /// <summary>■取材依頼 ■周知依頼 ■募集告知 □その他.</summary>
    public string KindBoxes => string.Join(" ", Kinds.Select(k => (k.Checked ? "■" : "□") + k.Kind));
}

/// <summary>Builds the press release of an event from the event (events feature) and the registry on its 発信日.</summary>
public sealed class PressReleaseBuilder(OpenGovDb db, CouncilRegistry registry)
{
    private static readonly string[] Numerals = ["１", "２", "３", "４", "５", "６", "７", "８", "９"];
    private static readonly string[] Kana = ["ア", "イ", "ウ", "エ", "オ"];

    public async Task<PressRelease?> BuildAsync(string slug, CancellationToken ct)
    {
        var ev = await db.Set<Event>().AsNoTracking().Include(e => e.Programme).ThenInclude(p => p.Speakers).FirstOrDefaultAsync(e => e.Slug == slug, ct);
        if (ev is null)
        {
            return null;
        }

        var starts = JapanTime.From(ev.StartsAt).DateTime;
        var ends = JapanTime.From(ev.EndsAt).DateTime;
        var issued = ev.PressIssuedOn ?? DateOnly.FromDateTime(starts);
        var kinds = ev.PressKinds.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var s = await registry.LoadAsync(ct);
        return new PressRelease(
            ev.Slug,
            CouncilFormat.WarekiWithWestern(issued),
            ev.PressAddressee,
            [.. PressRelease.AllKinds.Select(k => (k, kinds.Contains(k)))],
            ev.PressSender,
            ev.Title + "を開催します",
            [.. ev.Summary.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
            $"{CouncilFormat.WarekiWithWestern(DateOnly.FromDateTime(starts))}{starts:HH:mm}～{ends:HH:mm}",
            ev.Format,
            ev.YouTubeVideoId is { Length: > 0 } v ? "https://youtu.be/" + v : null,
            ev.PrVideoId is { Length: > 0 } pr ? "https://youtu.be/" + pr : null,
            ev.Theme,
            [.. ev.Programme.OrderBy(p => p.Order).Select((p, i) => Item(p, i))],
            Overview(s, issued));
    }

    private static PressProgrammeItem Item(ProgrammeItem p, int index)
    {
        var speakers = p.Speakers.OrderBy(x => x.Order).ToList();
        static string Person(Speaker x) => string.Join(" ", x.Affiliation.Split('\n', StringSplitOptions.TrimEntries).Where(a => a.Length > 0 && a != x.Name)) is { Length: > 0 } aff ? $"{aff} {x.Name} 氏" : $"{x.Name} 氏";
        var title = $"（{Numerals[Math.Min(index, Numerals.Length - 1)]}）{p.Title}";
        if (p.Kind != "panel")
        {
            return new PressProgrammeItem(title, [(null, [.. speakers.Select(Person)])]);
        }

        var groups = new List<(string?, IReadOnlyList<string>)>();
        var moderators = speakers.Where(x => x.Role == "moderator").ToList();
        var panelists = speakers.Where(x => x.Role != "moderator").ToList();
        if (moderators.Count > 0)
        {
            groups.Add(($"{Kana[groups.Count]} モデレータ", [.. moderators.Select(Person)]));
        }

        if (panelists.Count > 0)
        {
            // mayors are named by office (郡山市長): listed on one line; other panelists with their affiliation
            var byOffice = panelists.Where(x => x.Name == x.Affiliation + "長").Select(x => x.Name).ToList();
            var lines = new List<string>();
            if (byOffice.Count > 0)
            {
                lines.Add(string.Join("、", byOffice));
            }

            lines.AddRange(panelists.Where(x => x.Name != x.Affiliation + "長").Select(Person));
            groups.Add(($"{Kana[groups.Count]} パネリスト", lines));
        }

        return new PressProgrammeItem(title, groups);
    }

    /// <summary>オープンガバメント推進協議会概要 as of <paramref name="asOf"/>.</summary>
    public static CouncilOverview Overview(RegistrySnapshot s, DateOnly asOf)
    {
        var charter = s.CharterOn(asOf);
        var founding = s.Founding;
        var founded = founding is null ? "" : CouncilFormat.Wareki(founding.ValidFrom);
        var renames = s.Charters.Skip(1).Where(c => c.ValidFrom <= asOf).ToList();
        if (founding is not null && renames.Count > 0)
        {
            founded += $"（「{founding.Name}」として設立。" + string.Join("、", renames.Select(r => $"{CouncilFormat.Wareki(r.ValidFrom)}付で「{r.Name}」に名称変更")) + "）";
        }

        var purpose = (charter?.Purpose ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var members = s.MembersOn(asOf);
        return new CouncilOverview(
            charter?.Name ?? "",
            purpose.FirstOrDefault() ?? "",
            [.. purpose.Skip(1)],
            founded,
            [.. members.Where(m => m.Member.Kind == MemberKinds.LocalGovernment).Select(m => m.IsChair ? m.Member.Name + "（会長市）" : m.Member.Name)],
            [.. members.Where(m => m.Member.Kind == MemberKinds.Special).Select(m => m.Member.Name)],
            [.. (charter?.Business ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
            [.. s.ActivityLines(asOf).Select(l => (l.Year.WarekiName, l.Lines))]);
    }

    /// <summary>（１）, （２）: the numbering of the release's lists.</summary>
    public static string Numbered(int index) => "（" + (index < Numerals.Length ? Numerals[index] : (index + 1).ToString(CultureInfo.InvariantCulture)) + "）";
}
