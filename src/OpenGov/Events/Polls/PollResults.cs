using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OpenGov.Storage;

namespace OpenGov.Events.Polls;

/// <summary>
/// A poll's results, counted in the database: the answers grouped by round and content (one row per distinct
/// answer, not per participant), so a poll with thousands of answers reads a few rows.
/// </summary>
public static class PollResults
{
    /// <summary>One poll with its results, or null when there is no such poll.</summary>
    public static async Task<PollView?> LoadAsync(OpenGovDb db, long pollId, CancellationToken ct = default)
    {
        var poll = await db.Set<Poll>().AsNoTracking().Include(p => p.Options).FirstOrDefaultAsync(p => p.Id == pollId, ct);
        return poll is null ? null : (await OfAsync(db, [poll], ct))[0];
    }

    /// <summary>The results of several polls (loaded with their options) in one query.</summary>
    public static async Task<List<PollView>> OfAsync(OpenGovDb db, IReadOnlyList<Poll> polls, CancellationToken ct = default)
    {
        var ids = polls.Select(p => p.Id).ToList();
        var groups = (await db.Set<PollResponse>().AsNoTracking().Where(r => ids.Contains(r.PollId))
            .GroupBy(r => new { r.PollId, r.Round, r.Choices, r.Rating, r.Text })
            .Select(g => new { g.Key.PollId, g.Key.Round, g.Key.Choices, g.Key.Rating, g.Key.Text, Count = g.Count() })
            .ToListAsync(ct)).ToLookup(g => g.PollId);
        return polls.Select(poll =>
        {
            var all = groups[poll.Id].ToList();
            var current = all.Where(g => g.Round == poll.Round).ToList();
            var options = poll.Options.OrderBy(o => o.Order).ThenBy(o => o.Id).ToList();
            var counts = new List<PollCount>();
            if (PollKinds.HasOptions(poll.Kind))
            {
                var perRound = Tally(current.Select(g => (g.Choices, g.Count)));
                var total = Tally(all.Select(g => (g.Choices, g.Count)));
                counts = options.Select(o => new PollCount(o.Id, perRound.GetValueOrDefault(o.Id), total.GetValueOrDefault(o.Id))).ToList();
            }

            double? average = null;
            var distribution = new List<int>();
            if (poll.Kind == PollKinds.Rating)
            {
                var ratings = current.Where(g => g.Rating is not null).Select(g => (Value: g.Rating!.Value, g.Count)).ToList();
                var n = ratings.Sum(r => r.Count);
                average = n == 0 ? null : Math.Round((double)ratings.Sum(r => (long)r.Value * r.Count) / n, 2);
                distribution = Enumerable.Range(1, poll.MaxRating).Select(v => ratings.Where(r => r.Value == v).Sum(r => r.Count)).ToList();
            }

            var words = poll.Kind == PollKinds.Words ? WordCloud.Count(current.Select(g => (g.Text ?? "", g.Count)), 50) : [];
            return new PollView(poll.Id, poll.Kind, poll.Question, poll.QuestionEn, poll.State, poll.Round, poll.MaxRating,
                options.Select(o => new PollOptionView(o.Id, o.Label, o.LabelEn)).ToList(), current.Sum(g => g.Count), counts, average, distribution, words);
        }).ToList();
    }

    private static Dictionary<long, int> Tally(IEnumerable<(string Choices, int Count)> responses)
    {
        var d = new Dictionary<long, int>();
        foreach (var (choices, count) in responses)
        {
            foreach (var part in choices.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                if (long.TryParse(part, CultureInfo.InvariantCulture, out var id))
                {
                    d[id] = d.GetValueOrDefault(id) + count;
                }
            }
        }

        return d;
    }
}
