using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenGov.Storage;

namespace OpenGov.Accounts;

/// <summary>
/// CKAN-style API token authentication: the raw token in the Authorization header (CKAN's way), or
/// "Bearer TOKEN", or the legacy X-CKAN-API-Key header. A missing or unknown token leaves the request anonymous,
/// as CKAN does; actions then refuse writes with 403.
/// </summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    OpenGovDb db) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";

    public static string? ReadToken(HttpRequest request)
    {
        string? raw = request.Headers.Authorization;
        if (string.IsNullOrWhiteSpace(raw))
        {
            raw = request.Headers["X-CKAN-API-Key"];
        }

        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        raw = raw.Trim();
        if (raw.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            raw = raw[7..].Trim();
        }

        return raw.Length is > 0 and <= 512 ? raw : null;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = ReadToken(Request);
        if (token is null)
        {
            return AuthenticateResult.NoResult();
        }

        var hash = Tokens.Hash(token);
        var now = DateTime.UtcNow;
        var found = await db.ApiTokens.AsNoTracking()
            .Where(t => t.TokenHash == hash && (t.ExpiresAt == null || t.ExpiresAt > now))
            .Join(db.Users.Where(u => u.State == RecordState.Active), t => t.UserId, u => u.Id, (t, u) => new { u.Id, u.Name, u.Sysadmin })
            .FirstOrDefaultAsync(Context.RequestAborted);
        if (found is null)
        {
            return AuthenticateResult.NoResult();
        }

        var identity = new ClaimsIdentity(CurrentUser.Claims(found.Id, found.Name, found.Sysadmin), SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
