using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using OpenGov.Events;

namespace OpenGov.Council.Contests.Pages;

/// <summary>/council/contests/{slug}: the call (dates, rules, categories, rubric), the entries the user may see, the way in.</summary>
public sealed class ContestModel(ContestQueries queries, EntryFiles files, CouncilAccess access, IStringLocalizer<CouncilText> text) : ContestsPageModel(text)
{
    public Contest Contest { get; private set; } = null!;

    public Event? Ceremony { get; private set; }

    public List<ContestEntry> Entries { get; private set; } = [];

    public bool LoggedIn => access.User.IsAuthenticated;

    public string? Me => access.User.Id;

    public bool IsSecretariat { get; private set; }

    public bool IsJudge { get; private set; }

    /// <summary>The judging panel's user names.</summary>
    public List<string> Judges { get; private set; } = [];

    /// <summary>The attached files of the entries whose files the user may download.</summary>
    public Dictionary<long, List<ContestEntryFile>> Files { get; private set; } = [];

    /// <summary>Just saved by the call form.</summary>
    public bool Saved { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, int? saved, CancellationToken ct)
    {
        Saved = saved == 1;
        var c = await queries.FindAsync(slug, ct);
        if (c is null)
        {
            return NotFound();
        }

        Contest = c;
        Ceremony = await queries.CeremonyAsync(c, ct);
        Entries = await queries.EntriesAsync(c, ct);
        IsSecretariat = await access.IsSecretariatAsync(ct);
        IsJudge = await queries.IsJudgeAsync(c, ct);
        Judges = await queries.JudgeNamesAsync(c, ct);
        Files = await files.VisibleFilesAsync(c, Entries, ct);
        return Page();
    }
}
