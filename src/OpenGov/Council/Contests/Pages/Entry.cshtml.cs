using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace OpenGov.Council.Contests.Pages;

/// <summary>/council/contests/{slug}/entry[/{id}]: a team's entry form (new, or its own until the deadline).</summary>
public sealed class EntryModel(ContestQueries queries, EntryEditor editor, EntryFiles files, CouncilAccess access, IStringLocalizer<CouncilText> text) : ContestsPageModel(text)
{
    /// <summary>The entry's attached files (an existing entry).</summary>
    public List<ContestEntryFile> Files { get; private set; } = [];

    public long FileLimitMegabytes => files.Limit / 1024 / 1024;

    public long TotalLimitMegabytes => files.TotalLimit / 1024 / 1024;

    public Contest Contest { get; private set; } = null!;

    public ContestEntry? Existing { get; private set; }

    [BindProperty]
    public EntryForm Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(string slug, long? id, CancellationToken ct)
    {
        if (!access.User.IsAuthenticated)
        {
            return Challenge();
        }

        if (!await LoadAsync(slug, id, ct))
        {
            return NotFound();
        }

        if (Existing is not null)
        {
            Input = EntryForm.From(Existing);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string slug, long? id, string? submit, CancellationToken ct)
    {
        if (!access.User.IsAuthenticated)
        {
            return Challenge();
        }

        Input.Submit = submit == "submit";
        return await TryWriteAsync(
            async () =>
            {
                var e = id is { } i ? await editor.UpdateAsync(slug, i, Input.ToInput(), ct) : await editor.CreateAsync(slug, Input.ToInput(), ct);
                return Redirect($"/council/contests/mine?saved={e.Id}");
            },
            async () => await LoadAsync(slug, id, ct));
    }

    /// <summary>Attaches a file to the entry (multipart form, no JavaScript).</summary>
    public Task<IActionResult> OnPostUploadAsync(string slug, long id, IFormFile? file, CancellationToken ct) =>
        WriteFilesAsync(slug, id, () => files.AddAsync(Contest, id, file, ct), ct);

    public Task<IActionResult> OnPostDeleteFileAsync(string slug, long id, long fileId, CancellationToken ct) =>
        WriteFilesAsync(slug, id, () => files.RemoveAsync(Contest, id, fileId, ct), ct);

    /// <summary>A change to the entry's files by its team: the entry shown again with the refusal, or back at its files.</summary>
    private async Task<IActionResult> WriteFilesAsync(string slug, long id, Func<Task> write, CancellationToken ct)
    {
        if (!access.User.IsAuthenticated)
        {
            return Challenge();
        }

        if (!await LoadAsync(slug, id, ct))
        {
            return NotFound();
        }

        Input = EntryForm.From(Existing!);
        return await TryWriteAsync(
            async () =>
            {
                await write();
                return Redirect($"/council/contests/{slug}/entry/{id}#files");
            },
            async () => await LoadAsync(slug, id, ct));
    }

    private async Task<bool> LoadAsync(string slug, long? id, CancellationToken ct)
    {
        var c = await queries.FindAsync(slug, ct);
        if (c is null)
        {
            return false;
        }

        Contest = c;
        if (id is { } entryId)
        {
            try
            {
                var e = await queries.EntryAsync(c, entryId, ct);
                if (e.OwnerUserId != access.User.Id)
                {
                    return false;
                }

                Existing = e;
                Files = (await files.ListAsync(c, e.Id, ct)).Files;
            }
            catch (CouncilException)
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>The entry form's fields (bound as Input.*).</summary>
public sealed class EntryForm
{
    public string? Title { get; set; }
    public string? TeamName { get; set; }
    public string? Category { get; set; }
    public string? Summary { get; set; }
    public string? Datasets { get; set; }
    public string? Links { get; set; }
    public string? Members { get; set; }
    public bool Submit { get; set; }

    public EntryInput ToInput() => new(Title, Summary, Category, TeamName, Datasets, Links, Members, Submit);

    public static EntryForm From(ContestEntry e) => new()
    {
        Title = e.Title,
        TeamName = e.TeamName,
        Category = e.Category,
        Summary = e.Summary,
        Datasets = e.Datasets,
        Links = e.Links,
        Members = e.Members,
    };
}
