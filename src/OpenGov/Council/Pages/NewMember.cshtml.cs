using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace OpenGov.Council.Pages;

/// <summary>/council/member/new: the secretariat adds a member.</summary>
public sealed class NewMemberModel(CouncilAccess access, CouncilEditor editor, IStringLocalizer<CouncilText> text) : CouncilPageModel(text)
{
    [BindProperty]
    public MemberForm Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) =>
        !access.User.IsAuthenticated ? Challenge() : await access.IsSecretariatAsync(ct) ? Page() : Forbid();

    public Task<IActionResult> OnPostAsync(CancellationToken ct) => TryWriteAsync(
        async () =>
        {
            var m = await editor.CreateMemberAsync(Input.ToInput(), ct);
            return Redirect("/council/member/" + m.Id);
        },
        () => Task.CompletedTask);
}
