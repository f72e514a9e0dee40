using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace OpenGov.Accounts;

/// <summary>/user/login: name or e-mail and password; signs in with the "Cookies" scheme.</summary>
[EnableRateLimiting(OpenGov.Catalog.Editing.CatalogEditingModule.LoginRateLimit)]
public sealed class LoginModel(AccountService accounts) : PageModel
{
    [BindProperty]
    public string? Login { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public bool Failed { get; private set; }

    public bool Missing { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(Login) || string.IsNullOrEmpty(Password))
        {
            Missing = true;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var user = await accounts.CheckPasswordAsync(Login.Trim(), Password, ct);
        if (user is null)
        {
            Failed = true;
            Password = null;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await accounts.EnsureStampAsync(user, ct);
        await SignInAsync(HttpContext, user);
        return LocalRedirect(SafeReturnUrl(ReturnUrl));
    }

    /// <summary>Issues the login cookie, carrying the user's current security stamp.</summary>
    public static Task SignInAsync(HttpContext http, User user)
    {
        var identity = new ClaimsIdentity(CurrentUser.Claims(user.Id, user.Name, user.Sysadmin, user.SecurityStamp), CookieAuthenticationDefaults.AuthenticationScheme);
        return http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
    }

    /// <summary>Only local paths; anything else goes to the dashboard.</summary>
    public static string SafeReturnUrl(string? url) => OpenGov.Shared.LocalUrls.Or(url, "/dashboard/datasets");
}
