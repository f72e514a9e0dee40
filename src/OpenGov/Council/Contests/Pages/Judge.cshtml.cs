using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace OpenGov.Council.Contests.Pages;

/// <summary>/council/contests/{slug}/judge: a judge's assigned entries, each with its scoring form (own scores only).</summary>
public sealed class JudgeModel(ContestQueries queries, Judging judging, EntryFiles files, CouncilAccess access, IStringLocalizer<CouncilText> text) : ContestsPageModel(text)
{
    public Contest Contest { get; private set; } = null!;

    public List<Judging.Assigned> Assigned { get; private set; } = [];

    /// <summary>The entry whose form was refused, and what was typed in it.</summary>
    public long? FailedEntry { get; private set; }

    public IFormCollection? Typed { get; private set; }

    public long? Saved { get; private set; }

    /// <summary>The assigned entries' attached files.</summary>
    public Dictionary<long, List<ContestEntryFile>> Files { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string slug, long? saved, CancellationToken ct)
    {
        if (!access.User.IsAuthenticated)
        {
            return Challenge();
        }

        Saved = saved;
        return await LoadAsync(slug, ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostAsync(string slug, long entryId, string? comment, CancellationToken ct)
    {
        if (!access.User.IsAuthenticated)
        {
            return Challenge();
        }

        var scores = new Dictionary<string, int?>();
        foreach (var (key, value) in Request.Form.Where(f => f.Key.StartsWith("score-", StringComparison.Ordinal)))
        {
            var v = Tabular.TextNormalizer.ToHalfWidthDigits(value.ToString().Trim());
            scores[key["score-".Length..]] = int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;
        }

        FailedEntry = entryId;
        Typed = Request.Form;
        return await TryWriteAsync(
            async () =>
            {
                await judging.ScoreAsync(slug, entryId, new ScoreInput(scores, comment), ct);
                return Redirect($"/council/contests/{slug}/judge?saved={entryId}#entry-{entryId}");
            },
            async () => await LoadAsync(slug, ct));
    }

    /// <summary>The value to show in a score field: what was typed in a refused form, else the judge's saved score.</summary>
    public string? ScoreValue(Judging.Assigned a, ContestCriterion k) =>
        FailedEntry == a.Entry.Id && Typed is not null ? Typed["score-" + k.Id.ToString(CultureInfo.InvariantCulture)].ToString()
        : a.Scores.TryGetValue(k.Id, out var s) ? s.ToString(CultureInfo.InvariantCulture) : null;

    public string CommentValue(Judging.Assigned a) => FailedEntry == a.Entry.Id && Typed is not null ? Typed["comment"].ToString() : a.Assignment.Comment;

    private async Task<bool> LoadAsync(string slug, CancellationToken ct)
    {
        var c = await queries.FindAsync(slug, ct);
        if (c is null)
        {
            return false;
        }

        Contest = c;
        Assigned = await judging.AssignedAsync(c, ct);
        Files = await files.VisibleFilesAsync(c, Assigned.Select(a => a.Entry), ct);
        return true;
    }
}
