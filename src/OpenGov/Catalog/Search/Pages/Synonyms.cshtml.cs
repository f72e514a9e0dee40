using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using OpenGov.Catalog.Editing.Pages;
using OpenGov.Catalog.Search.Synonyms;

namespace OpenGov.Catalog.Search.Pages;

/// <summary>
/// /search/synonyms: the words the dataset search treats as the same, one group a line, edited by sysadmins and the
/// council secretariat (<see cref="ISynonymEditor"/>); others get the login or 403 before anything is read.
/// </summary>
public sealed class SynonymsModel(SynonymEditing editing, IStringLocalizer<SearchResource> s) : PageModel
{
    [BindProperty]
    public string Text { get; set; } = "";

    public FormErrors Errors { get; } = new();

    public bool Saved { get; private set; }

    public int GroupCount { get; private set; }

    public async Task<IActionResult> OnGetAsync(bool saved, CancellationToken ct)
    {
        if (await RefuseAsync(ct) is { } refused)
        {
            return refused;
        }

        var rows = await editing.ListAsync(ct);
        GroupCount = rows.Count;
        Text = string.Join("\n", rows.Select(r => r.Terms));
        Saved = saved;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await RefuseAsync(ct) is { } refused)
        {
            return refused;
        }

        var (groups, errors) = SynonymEditing.Parse(Text ?? "");
        foreach (var (line, error, arg) in errors)
        {
            Errors.Add("text", "synonyms", error switch
            {
                "long" => s["{0} 行目: 言葉は {1} 文字までです（{2}）。", line, SynonymText.MaxWordLength, arg],
                "single" => s["{0} 行目: 同じ意味の言葉を 2 つ以上、読点（、）かカンマで区切って書いてください（{1}）。", line, arg],
                _ => s["同義語のまとまりは {0} 行までです。", arg],
            });
        }

        if (Errors.Any)
        {
            GroupCount = groups.Count;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await editing.SaveAsync(groups, ct);
        return Redirect("/search/synonyms?saved=true");
    }

    private async Task<IActionResult?> RefuseAsync(CancellationToken ct) =>
        !editing.User.IsAuthenticated ? Challenge()
        : !await editing.MayEditAsync(ct) ? StatusCode(StatusCodes.Status403Forbidden)
        : null;
}
