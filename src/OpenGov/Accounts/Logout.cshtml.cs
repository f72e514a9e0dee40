using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace OpenGov.Accounts;

/// <summary>
/// /user/logout: POST signs out (GET shows a button, so that a link cannot log anyone out). It also gives the user a
/// new security stamp, so that every copy of the login cookie (another browser, or a stolen one) stops working on
/// every node.
/// </summary>
public sealed class LogoutModel(CurrentUser user, AccountService accounts) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (user.Id is { } id && User.Identity?.AuthenticationType == CookieAuthenticationDefaults.AuthenticationScheme)
        {
            await accounts.EndSessionsAsync(id, ct);
        }

        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return LocalRedirect("/");
    }
}
