using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Localization;

namespace OpenGov.Council.Contests.Pages;

/// <summary>
/// /council/contests/{slug}/console: the secretariat screens entries, assigns judges, follows the scores, gives awards,
/// runs the audience vote and exports.
/// </summary>
public sealed class ConsoleModel(ContestQueries queries, ContestEditor editor, AudienceVote vote, ContestShowcases showcases, CouncilAccess access, IStringLocalizer<CouncilText> text)
    : ContestsPageModel(text)
{
    public Contest Contest { get; private set; } = null!;

    public List<ContestEntry> Entries { get; private set; } = [];

    public Dictionary<long, List<(ContestAssignment Assignment, string JudgeName, Dictionary<long, int> Scores)>> Scores { get; private set; } = [];

    public ContestQueries.Results Results { get; private set; } = null!;

    /// <summary>Every handler is the secretariat's: others get 403 (anonymous users the login) before anything is read.</summary>
    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        await access.SecretariatOnlyAsync(context, next);
    }

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct) => await LoadAsync(slug, ct) ? Page() : NotFound();

    public Task<IActionResult> OnPostScreenAsync(string slug, long entryId, string? state, CancellationToken ct) =>
        Write(slug, () => editor.ScreenAsync(slug, entryId, state, ct), $"entry-{entryId}", ct);

    public Task<IActionResult> OnPostAssignAsync(string slug, long entryId, string? user, CancellationToken ct) =>
        Write(slug, () => editor.AssignJudgeAsync(slug, entryId, user, ct), $"entry-{entryId}", ct);

    public Task<IActionResult> OnPostUnassignAsync(string slug, long entryId, string user, CancellationToken ct) =>
        Write(slug, () => editor.UnassignJudgeAsync(slug, entryId, user, ct), $"entry-{entryId}", ct);

    public Task<IActionResult> OnPostAwardAsync(string slug, long? entry, string? name, string? nameEn, CancellationToken ct) =>
        Write(slug, () => editor.AddAwardAsync(slug, new AwardInput(entry, name, nameEn), ct), "awards", ct);

    public Task<IActionResult> OnPostDeleteAwardAsync(string slug, long awardId, CancellationToken ct) =>
        Write(slug, () => editor.DeleteAwardAsync(slug, awardId, ct), "awards", ct);

    /// <summary>A notice after a write that changed nothing (the showcase exists already).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Exists { get; set; }

    public Task<IActionResult> OnPostShowcaseAsync(string slug, long entryId, CancellationToken ct) => TryWriteAsync(
        async () =>
        {
            var made = await showcases.CreateAsync(slug, entryId, ct);
            return Redirect(made.Created ? $"/council/contests/{slug}/console#entry-{entryId}" : $"/council/contests/{slug}/console?exists={Uri.EscapeDataString(made.Showcase.Name)}#entry-{entryId}");
        },
        async () => await LoadAsync(slug, ct));

    public Task<IActionResult> OnPostAudienceAsync(string slug, string? action, CancellationToken ct) =>
        Write(slug, () => vote.ActAsync(slug, action, ct), "audience", ct);

    private Task<IActionResult> Write(string slug, Func<Task> write, string anchor, CancellationToken ct) => TryWriteAsync(
        async () =>
        {
            await write();
            return Redirect($"/council/contests/{slug}/console#{anchor}");
        },
        async () => await LoadAsync(slug, ct));

    private async Task<bool> LoadAsync(string slug, CancellationToken ct)
    {
        var c = await queries.FindAsync(slug, ct);
        if (c is null)
        {
            return false;
        }

        Contest = c;
        Entries = await queries.EntriesAsync(c, ct);
        Scores = await queries.ScoresAsync(c, ct);
        Results = await queries.ResultsAsync(c, ct);
        return true;
    }
}
