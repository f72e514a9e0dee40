using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OpenGov.Ckan;
using OpenGov.Storage;

namespace OpenGov.Accounts;

/// <summary>
/// user_create, user_update, user_patch and user_delete with CKAN's default_user_schema and
/// default_update_user_schema messages, and api_token_list/api_token_revoke. Each checks <see cref="UserAuth"/>
/// first. Passwords are stored hashed by <see cref="AccountService"/>; CKAN's password_hash import is not taken
/// (its passlib hashes are not this site's).
/// </summary>
public sealed class UserEditor(OpenGovDb db, CurrentUser current, UserAuth auth, AccountService accounts, SecurityStamps stamps)
{
    /// <summary>user_create (sysadmins); with_apitoken adds a "token" made for the new user.</summary>
    public async Task<JsonObject> CreateAsync(JsonObject data, CancellationToken ct)
    {
        auth.CreateUser();
        var errors = new ValidationErrors();
        var user = new User { Name = "" };
        var id = DictReader.Str(data, "id", errors)?.Trim();
        if (!string.IsNullOrEmpty(id) && current.IsSysadmin && OpenGov.Catalog.Editing.SuppliedIds.IsValid(id) && !await db.Users.AnyAsync(u => u.Id == id, ct))
        {
            user.Id = id; // CKAN keeps a sysadmin's id when free and drops it otherwise
        }

        await ApplyAsync(user, data, isNew: true, errors, ct);
        errors.ThrowIfAny();
        db.Users.Add(user);
        await SaveAsync(ct);

        var dict = UserQueries.ToDict(user, 0, withEmail: true);
        if (DictReader.Bool(data, "with_apitoken", new ValidationErrors()) == true)
        {
            dict["token"] = await accounts.CreateTokenAsync(user.Id, "default", ct: ct);
        }

        return dict;
    }

    /// <summary>user_update (only the keys given change; email is required, as in CKAN) or user_patch (email kept).</summary>
    public async Task<JsonObject> UpdateAsync(JsonObject data, bool patch, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var id = DictReader.Str(data, "id", errors)?.Trim();
        if (string.IsNullOrEmpty(id))
        {
            throw CkanException.Missing("id");
        }

        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id || u.Name == id, ct) ?? throw CkanException.NotFound("User was not found.");
        auth.UpdateUser(user);
        if (patch && !data.ContainsKey("email"))
        {
            data["email"] = user.Email;
        }

        var before = (user.Sysadmin, user.State, user.PasswordHash);
        await ApplyAsync(user, data, isNew: false, errors, ct);
        errors.ThrowIfAny();
        if (before != (user.Sysadmin, user.State, user.PasswordHash))
        {
            await stamps.RenewAsync(user, SaveAsync, ct); // a new password, a lost sysadmin flag or a deletion ends every session
        }
        else
        {
            await SaveAsync(ct);
        }

        var created = await db.Datasets.AsNoTracking().CountAsync(d => d.CreatorUserId == user.Id && d.State == RecordState.Active, ct);
        return UserQueries.ToDict(user, created, withEmail: true);
    }

    /// <summary>user_delete (sysadmins): marked deleted and removed from its organizations and groups; its tokens stop working.</summary>
    public async Task DeleteAsync(string? idOrName, CancellationToken ct)
    {
        auth.DeleteUser();
        if (string.IsNullOrWhiteSpace(idOrName))
        {
            throw CkanException.Missing("id");
        }

        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == idOrName || u.Name == idOrName, ct)
            ?? throw CkanException.NotFound($"User \"{idOrName}\" was not found.");
        user.State = RecordState.Deleted;
        db.OrganizationRoles.RemoveRange(await db.OrganizationRoles.Where(r => r.UserId == user.Id).ToListAsync(ct));
        db.GroupRoles.RemoveRange(await db.GroupRoles.Where(r => r.UserId == user.Id).ToListAsync(ct));
        await stamps.RenewAsync(user, db.SaveChangesAsync, ct); // one write (SaveChanges is a transaction); every login session ends, on every node
    }

    /// <summary>api_token_list: the user's tokens (id, name, user_id, created_at, last_access), never their value.</summary>
    public async Task<JsonArray> ApiTokenListAsync(string userRef, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userRef || u.Name == userRef, ct);
        auth.ListApiTokens(user);
        if (user is null)
        {
            throw CkanException.NotFound("User not found");
        }

        var tokens = await db.ApiTokens.AsNoTracking().Where(t => t.UserId == user.Id).OrderBy(t => t.Created).ToListAsync(ct);
        return new JsonArray([.. tokens.Select(t => (JsonNode?)new JsonObject
        {
            ["id"] = t.Id,
            ["name"] = t.Name,
            ["user_id"] = t.UserId,
            ["created_at"] = OpenGov.Catalog.CkanTime.Format(t.Created),
            ["last_access"] = t.LastAccess is { } last ? OpenGov.Catalog.CkanTime.Format(last) : null,
        })]);
    }

    /// <summary>api_token_revoke: by <c>jti</c> (the token's id) or the <c>token</c> itself.</summary>
    public async Task ApiTokenRevokeAsync(string? jti, string? token, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(jti) && string.IsNullOrEmpty(token))
        {
            throw CkanException.Missing("token");
        }

        var hash = string.IsNullOrEmpty(jti) ? Tokens.Hash(token!) : null;
        var found = await db.ApiTokens.FirstOrDefaultAsync(t => hash == null ? t.Id == jti : t.TokenHash == hash, ct);
        auth.RevokeApiToken(found);
        if (found is not null)
        {
            db.ApiTokens.Remove(found);
            await db.SaveChangesAsync(ct);
        }
    }

    private async Task ApplyAsync(User user, JsonObject data, bool isNew, ValidationErrors errors, CancellationToken ct)
    {
        var name = DictReader.Str(data, "name", errors)?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            if (isNew && !errors.Has("name"))
            {
                errors.Report("name", "Missing value");
            }
        }
        else if (DictReader.NameError(name) is { } message)
        {
            errors.Report("name", message);
        }
        else if (await db.Users.AnyAsync(u => u.Name == name && u.Id != user.Id, ct))
        {
            errors.Report("name", "That login name is not available.");
        }
        else if (!isNew && name != user.Name && !current.IsSysadmin)
        {
            errors.Report("name", "That login name can not be modified.");
        }
        else
        {
            user.Name = name;
        }

        var email = DictReader.Str(data, "email", errors)?.Trim();
        if (string.IsNullOrEmpty(email))
        {
            if (!errors.Has("email"))
            {
                errors.Report("email", "Missing value");
            }
        }
        else if (!DictReader.IsEmail(email))
        {
            errors.Report("email", $"Email {email} is not a valid format");
        }
        else if (await EmailTakenAsync(email.ToLowerInvariant(), user.Id, ct))
        {
            errors.Report("email", $"The email address '{email}' belongs to a registered user.");
        }
        else
        {
            user.Email = email;
        }

        var passwordNode = data["password"];
        if (passwordNode is not null && !(passwordNode is JsonValue pv && pv.GetValueKind() == System.Text.Json.JsonValueKind.String))
        {
            errors.Report("password", "Passwords must be strings");
        }
        else if (passwordNode?.GetValue<string>() is { Length: > 0 } password)
        {
            if (password.Length < 8)
            {
                errors.Report("password", "Your password must be 8 characters or longer");
            }
            else
            {
                accounts.SetPassword(user, password);
            }
        }
        else if (isNew)
        {
            errors.Report("password", "Missing value");
        }

        if (DictReader.Str(data, "fullname", errors) is { } fullName)
        {
            user.FullName = fullName.Trim();
        }

        if (DictReader.Str(data, "about", errors) is { } about)
        {
            user.About = about;
        }

        if (auth.SetsPrivilegedFields)
        {
            if (DictReader.Bool(data, "sysadmin", errors) is { } sysadmin)
            {
                user.Sysadmin = sysadmin;
            }

            if (DictReader.Str(data, "state", errors)?.Trim() is { Length: > 0 } state)
            {
                if (state is not (RecordState.Active or RecordState.Deleted or "pending"))
                {
                    errors.Report("state", "Invalid state");
                }
                else
                {
                    user.State = state;
                }
            }
        }
    }

    /// <summary>CKAN's email_is_unique: no other active user has the address, whatever its case.</summary>
#pragma warning disable CA1862 // string.Equals with a StringComparison is not translated to SQL; lower() on both databases is
    private Task<bool> EmailTakenAsync(string lowerEmail, string selfId, CancellationToken ct) =>
        db.Users.AnyAsync(u => u.Email.ToLower() == lowerEmail && u.State == RecordState.Active && u.Id != selfId, ct);
#pragma warning restore CA1862

    /// <summary>Saves; a name taken meanwhile by another request is CKAN's message on name.</summary>
    private async Task SaveAsync(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            db.ChangeTracker.Clear();
            throw CkanException.Validation("name", "That login name is not available.");
        }
    }
}
