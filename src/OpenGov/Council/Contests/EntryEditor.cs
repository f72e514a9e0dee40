using Microsoft.EntityFrameworkCore;
using OpenGov.Storage;

namespace OpenGov.Council.Contests;

/// <summary>
/// The teams' writes: an entry is made and edited by its owner while the call is open (drafts stay the owner's);
/// the datasets it names must be public datasets of the catalog. Saved with the audit entries.
/// </summary>
public sealed class EntryEditor(OpenGovDb db, CouncilAccess access, ContestQueries contests)
{
    public const int MaxLinks = 10;
    public const int MaxMembers = 20;
    public const int MaxDatasets = 30;

    public async Task<ContestEntry> CreateAsync(string slug, EntryInput input, CancellationToken ct)
    {
        var userId = access.User.Id ?? throw CouncilException.LoginRequired();
        var contest = await OpenContestAsync(slug, ct);
        var entry = new ContestEntry { ContestId = contest.Id, OwnerUserId = userId, Title = "" };
        await ApplyAsync(contest, entry, input, ct);
        db.Add(entry);
        await SaveAsync(ct);
        return entry;
    }

    public async Task<ContestEntry> UpdateAsync(string slug, long id, EntryInput input, CancellationToken ct)
    {
        var userId = access.User.Id ?? throw CouncilException.LoginRequired();
        var contest = await contests.FindAsync(slug, ct) ?? throw CouncilException.NotFound();
        var entry = await db.Set<ContestEntry>().FirstOrDefaultAsync(e => e.Id == id && e.ContestId == contest.Id, ct) ?? throw CouncilException.NotFound();
        if (entry.OwnerUserId != userId)
        {
            throw await access.IsSecretariatAsync(ct) ? new CouncilException(403, "応募を編集できるのは応募者だけです。") : CouncilException.NotFound();
        }

        RequireOpen(contest);
        await ApplyAsync(contest, entry, input, ct);
        entry.Modified = DateTime.UtcNow;
        await SaveAsync(ct);
        return entry;
    }

    private async Task<Contest> OpenContestAsync(string slug, CancellationToken ct)
    {
        var contest = await contests.FindAsync(slug, ct) ?? throw CouncilException.NotFound();
        RequireOpen(contest);
        return contest;
    }

    internal static void RequireOpen(Contest contest)
    {
        var now = DateTime.UtcNow;
        if (now < contest.OpensAt)
        {
            throw CouncilException.Invalid("deadline", "応募の受付は{0}からです。", ContestText.Format(contest.OpensAt, false));
        }

        if (now >= contest.Deadline)
        {
            throw CouncilException.Invalid("deadline", "応募の締切（{0}）を過ぎているため、応募・編集できません。", ContestText.Format(contest.Deadline, false));
        }
    }

    private async Task ApplyAsync(Contest contest, ContestEntry entry, EntryInput input, CancellationToken ct)
    {
        var title = ContestText.Limit(input.Title, 200, "title", required: true);
        var summary = ContestText.Limit(input.Summary, 4000, "summary");
        var category = (input.Category ?? "").Trim();
        var categories = contest.CategoryList;
        if (categories.Count > 0 && !categories.Contains(category))
        {
            throw CouncilException.Invalid("category", "部門を選んでください（{0}）。", string.Join("、", categories));
        }

        if (categories.Count == 0)
        {
            category = "";
        }

        var links = ContestText.Items(input.Links);
        if (links.Count > MaxLinks)
        {
            throw CouncilException.Invalid("links", "リンクは{0}個までです。", MaxLinks);
        }

        foreach (var l in links)
        {
            if (l.Length > 2000 || !(Uri.TryCreate(l, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"))
            {
                throw CouncilException.Invalid("links", "リンク「{0}」は http:// か https:// で始まるURLではありません。", l.Length > 100 ? l[..100] : l);
            }
        }

        var members = ContestText.Items(input.Members);
        if (members.Count > MaxMembers || members.Any(m => m.Length > 100))
        {
            throw CouncilException.Invalid("members", "メンバーは100文字以内で{0}人までです。", MaxMembers);
        }

        var datasets = ContestText.Items(input.Datasets);
        if (datasets.Count > MaxDatasets)
        {
            throw CouncilException.Invalid("datasets", "データセットは{0}件までです。", MaxDatasets);
        }

        var known = await db.Datasets.Where(d => datasets.Contains(d.Name) && d.State == "active" && !d.Private).Select(d => d.Name).ToListAsync(ct);
        var unknown = datasets.Where(d => !known.Contains(d)).ToList();
        if (unknown.Count > 0)
        {
            throw CouncilException.Invalid("datasets", "データセット「{0}」はカタログにありません（データセットのURL名で入力してください）。", string.Join("、", unknown));
        }

        entry.Title = title;
        entry.Summary = summary;
        entry.Category = category;
        entry.TeamName = ContestText.Limit(input.TeamName, 100, "teamName");
        entry.Links = string.Join('\n', links);
        entry.Members = string.Join('\n', members);
        entry.Datasets = string.Join('\n', datasets);
        if (input.Submit == true)
        {
            entry.State = EntryStates.Submitted;
        }
    }

    private Task SaveAsync(CancellationToken ct) => CouncilAudit.SaveAsync(db, access.User.Id, access.User.Name ?? "", ct);
}
