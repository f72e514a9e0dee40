using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using OpenGov.Storage;

namespace OpenGov.Accounts;

/// <summary>
/// /user/password: a logged-in user changes their password. The change gives the user a new security stamp, so every
/// other session (other browsers, a stolen cookie) ends on every node; this browser is signed in again.
/// </summary>
[Authorize]
[EnableRateLimiting(OpenGov.Catalog.Editing.CatalogEditingModule.LoginRateLimit)]
public sealed class PasswordModel(OpenGovDb db, CurrentUser current, AccountService accounts) : PageModel
{
    public const int MinimumLength = 8;

    [BindProperty]
    public string? CurrentPassword { get; set; }

    [BindProperty]
    public string? NewPassword { get; set; }

    [BindProperty]
    public string? ConfirmPassword { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Done { get; set; }

    /// <summary>The problem with the last post: "missing", "wrong", "short" or "mismatch"; null when none.</summary>
    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == current.Id && u.State == RecordState.Active, ct);
        if (user is null)
        {
            return Challenge();
        }

        Error = string.IsNullOrEmpty(CurrentPassword) || string.IsNullOrEmpty(NewPassword) ? "missing"
            : await accounts.CheckPasswordAsync(user.Name, CurrentPassword, ct) is null ? "wrong"
            : NewPassword.Length < MinimumLength ? "short"
            : NewPassword != ConfirmPassword ? "mismatch"
            : null;
        if (Error is not null)
        {
            CurrentPassword = NewPassword = ConfirmPassword = null;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await accounts.ChangePasswordAsync(user, NewPassword!, ct);
        await LoginModel.SignInAsync(HttpContext, user);
        return LocalRedirect("/user/password?done=true");
    }
}
