using Microsoft.EntityFrameworkCore;
using OpenGov.Events;
using OpenGov.Events.Polls;
using OpenGov.Storage;

namespace OpenGov.Council.Contests;

/// <summary>
/// The audience vote runs on the events feature's polls: a single-choice poll in the ceremony event with one option
/// per accepted entry, created, opened and closed through <see cref="PollService"/> (so the participants answer on the
/// event's question page, one vote each, and the presenter screen shows the results). The contest keeps the poll's id
/// and each entry its option's id; the council writes no event table itself.
/// </summary>
public sealed class AudienceVote(OpenGovDb db, ContestEditor editor, PollService polls, CouncilAccess access)
{
    public async Task<Contest> ActAsync(string slug, string? action, CancellationToken ct)
    {
        await editor.RequireSecretariatAsync(ct);
        var contest = await editor.FindAsync(slug, ct);
        if (action is not ("create" or "open" or "close"))
        {
            throw CouncilException.Invalid("action", "観客投票の操作は create、open、close のいずれかです。");
        }

        var ev = contest.CeremonyEventId is null ? null : await db.Set<Event>().AsNoTracking().FirstOrDefaultAsync(e => e.Id == contest.CeremonyEventId, ct);
        if (ev is null)
        {
            throw CouncilException.Invalid("ceremony", "観客投票には表彰式のイベントを指定してください。");
        }

        if (action == "create")
        {
            await CreateAsync(contest, ev, ct);
        }
        else
        {
            if (contest.AudiencePollId is not { } pollId)
            {
                throw CouncilException.Invalid("action", "観客投票はまだ作成されていません。");
            }

            await polls.ActAsync(ev, pollId, action, ct);
        }

        db.Add(new CouncilAuditEntry
        {
            UserId = access.User.Id,
            UserName = access.User.Name ?? "",
            EntityType = "ContestAudienceVote",
            EntityId = contest.Id,
            Action = action,
            Changes = System.Text.Json.JsonSerializer.Serialize(new { poll = contest.AudiencePollId, @event = ev.Slug }),
        });
        await editor.SaveAsync(ct);
        return contest;
    }

    private async Task CreateAsync(Contest contest, Event ev, CancellationToken ct)
    {
        if (contest.AudiencePollId is not null)
        {
            throw CouncilException.Invalid("action", "観客投票はすでに作成されています。");
        }

        var entries = await db.Set<ContestEntry>().Where(e => e.ContestId == contest.Id && e.State == EntryStates.Accepted).OrderBy(e => e.Id).ToListAsync(ct);
        if (entries.Count is < 2 or > 50)
        {
            throw CouncilException.Invalid("action", "観客投票には受理した応募が2～50件必要です。");
        }

        var labels = entries.Select(e => Label(e.Title, e.TeamName)).ToList();
        if (labels.Distinct().Count() != labels.Count)
        {
            labels = [.. entries.Select((e, i) => $"{i + 1}. {Label(e.Title, e.TeamName)}")];
        }

        // The poll is written by the events feature in its own transaction, before any contest change is tracked here.
        var result = await polls.CreateAsync(ev, new PollInput(PollKinds.Single, "観客投票：" + contest.Title,
            contest.TitleEn.Length > 0 ? "Audience vote: " + contest.TitleEn : "", labels, null, null), ct);
        var pollId = System.Text.Json.JsonDocument.Parse(result.Json).RootElement.GetProperty("poll").GetInt64();
        var options = await db.Set<PollOption>().AsNoTracking().Where(o => o.PollId == pollId).OrderBy(o => o.Order).ToListAsync(ct);
        contest.AudiencePollId = pollId;
        foreach (var (e, o) in entries.Zip(options))
        {
            e.AudienceOptionId = o.Id;
        }
    }

    private static string Label(string title, string team)
    {
        var s = team.Length > 0 ? $"{title}（{team}）" : title;
        return s.Length <= 200 ? s : s[..200];
    }
}
