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

            await polls.ActAsync(ev, pollId, action, _ => AuditAsync(contest, ev, action, ct), ct);
        }

        return contest;
    }

    /// <summary>
    /// The poll, the contest's link to it, the entries' options and the audit entry are saved in one transaction (the
    /// events' write, which runs the council's save alongside): a failure anywhere leaves neither a poll nor a link, and
    /// the secretariat can simply try again.
    /// </summary>
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

        await polls.CreateAsync(ev, new PollInput(PollKinds.Single, "観客投票：" + contest.Title,
            contest.TitleEn.Length > 0 ? "Audience vote: " + contest.TitleEn : "", labels, null, null), async poll =>
            {
                // Writes of one event are serialised (its lock): a concurrent create committed first is seen here.
                if (await db.Set<Contest>().AsNoTracking().Where(c => c.Id == contest.Id).Select(c => c.AudiencePollId).FirstAsync(ct) is not null)
                {
                    throw CouncilException.Invalid("action", "観客投票はすでに作成されています。");
                }

                contest.AudiencePollId = poll.Id;
                foreach (var (e, o) in entries.Zip(poll.Options.OrderBy(o => o.Order)))
                {
                    e.AudienceOptionId = o.Id;
                }

                await AuditAsync(contest, ev, "create", ct);
            }, ct);
    }

    /// <summary>The council's side of an audience-vote action, saved inside the events' transaction.</summary>
    private Task AuditAsync(Contest contest, Event ev, string action, CancellationToken ct)
    {
        db.Add(new CouncilAuditEntry
        {
            UserId = access.User.Id,
            UserName = access.User.Name ?? "",
            EntityType = "ContestAudienceVote",
            EntityId = contest.Id,
            Action = action,
            Changes = System.Text.Json.JsonSerializer.Serialize(new { poll = contest.AudiencePollId, @event = ev.Slug }),
        });
        return editor.SaveAsync(ct);
    }

    private static string Label(string title, string team)
    {
        var s = team.Length > 0 ? $"{title}（{team}）" : title;
        return s.Length <= 200 ? s : s[..200];
    }
}
