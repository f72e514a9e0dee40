using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OpenGov.Storage;

namespace OpenGov.Accounts;

/// <summary>Users, passwords and tokens; used by the admin verbs, the login page and api_token_create.</summary>
public sealed class AccountService(OpenGovDb db, SecurityStamps stamps)
{
    private static readonly PasswordHasher<User> Hasher = new();

    public async Task<User> CreateUserAsync(string name, string? password, bool sysadmin, string fullName = "", string email = "", CancellationToken ct = default)
    {
        var user = new User { Name = name, FullName = fullName, Email = email, Sysadmin = sysadmin };
        if (!string.IsNullOrEmpty(password))
        {
            user.PasswordHash = Hasher.HashPassword(user, password);
        }

        db.Users.Add(user);
        await db.SaveChangesAsync(ct);
        return user;
    }

    public void SetPassword(User user, string password) => user.PasswordHash = Hasher.HashPassword(user, password);

    /// <summary>Sets a new password and ends every session of the user (a new security stamp, which is returned).</summary>
    public async Task<string> ChangePasswordAsync(User user, string password, CancellationToken ct = default)
    {
        SetPassword(user, password);
        return await stamps.RenewAsync(user, db.SaveChangesAsync, ct);
    }

    /// <summary>Ends every login session of the user on every node (logout, "log out everywhere").</summary>
    public Task<string> EndSessionsAsync(string userId, CancellationToken ct = default) => stamps.RotateAsync(db, userId, ct);

    /// <summary>
    /// Disables (state deleted, as CKAN's user_delete, but keeping the user's memberships) or enables a user; disabling
    /// ends every session on every node and stops the user's API tokens (token authentication needs an active user).
    /// Enabling gives a new stamp too, so no cookie from before the user was disabled comes back.
    /// </summary>
    public Task SetActiveAsync(User user, bool active, CancellationToken ct = default)
    {
        user.State = active ? RecordState.Active : RecordState.Deleted;
        return stamps.RenewAsync(user, db.SaveChangesAsync, ct);
    }

    /// <summary>A user created before security stamps gets one at their next login.</summary>
    public async Task EnsureStampAsync(User user, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(user.SecurityStamp))
        {
            await stamps.RenewAsync(user, db.SaveChangesAsync, ct);
        }
    }

    public async Task<User?> CheckPasswordAsync(string nameOrEmail, string password, CancellationToken ct = default)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => (u.Name == nameOrEmail || u.Email == nameOrEmail) && u.State == RecordState.Active, ct);
        if (user?.PasswordHash is null)
        {
            return null;
        }

        var result = Hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        return result == PasswordVerificationResult.Failed ? null : user;
    }

    /// <summary>Creates a token and returns its raw value (shown once).</summary>
    public async Task<string> CreateTokenAsync(string userId, string name, string? rawToken = null, CancellationToken ct = default)
    {
        var token = rawToken ?? Tokens.NewToken();
        db.ApiTokens.Add(new ApiToken { UserId = userId, Name = name, TokenHash = Tokens.Hash(token) });
        await db.SaveChangesAsync(ct);
        return token;
    }

    /// <summary>
    /// On a start where no sysadmin exists and a bootstrap token is configured, creates sysadmin "admin" with that
    /// API token (for automation and tests).
    /// </summary>
    public async Task BootstrapAsync(string? bootstrapToken, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(bootstrapToken) || await db.Users.AnyAsync(u => u.Sysadmin, ct))
        {
            return;
        }

        var admin = await db.Users.FirstOrDefaultAsync(u => u.Name == "admin", ct);
        if (admin is null)
        {
            admin = await CreateUserAsync("admin", null, sysadmin: true, fullName: "Administrator", ct: ct);
        }
        else
        {
            admin.Sysadmin = true;
            await db.SaveChangesAsync(ct);
        }

        await CreateTokenAsync(admin.Id, "bootstrap", bootstrapToken, ct);
    }
}
