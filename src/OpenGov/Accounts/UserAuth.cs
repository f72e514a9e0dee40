using OpenGov.Ckan;

namespace OpenGov.Accounts;

/// <summary>Who may see and act on user accounts through the Action API.</summary>
public sealed class UserAuth(CurrentUser user)
{
    /// <summary>user_show's private details (e-mail, private datasets): the user themself and sysadmins.</summary>
    public bool SeesPrivateDetails(User u) => user.Id == u.Id || user.IsSysadmin;

    /// <summary>
    /// api_token_create: for oneself, or anyone by a sysadmin. An unknown user is 404 to a sysadmin and 403 to
    /// others (who may not learn which names exist).
    /// </summary>
    public void CreateApiToken(string userRef, User? target)
    {
        if (target is null)
        {
            throw user.IsSysadmin ? CkanException.NotFound("User not found") : CkanException.Forbidden($"User {user.Label} not authorized to create API tokens for {userRef}");
        }

        if (!user.IsSysadmin && user.Id != target.Id)
        {
            throw CkanException.Forbidden($"User {user.Label} not authorized to create API tokens for {target.Name}");
        }
    }

    /// <summary>
    /// user_create through the API: sysadmins (CKAN's <c>ckan.auth.create_user_via_api</c> is off by default; the
    /// council's users are registered by its secretariat).
    /// </summary>
    public void CreateUser()
    {
        if (!user.IsSysadmin)
        {
            throw CkanException.Forbidden($"User {user.Label} not authorized to create users via the API");
        }
    }

    /// <summary>user_update and user_patch: the user themself, or a sysadmin.</summary>
    public void UpdateUser(User target)
    {
        if (!user.IsAuthenticated)
        {
            throw CkanException.Forbidden("Have to be logged in to edit user");
        }

        if (!user.IsSysadmin && user.Id != target.Id)
        {
            throw CkanException.Forbidden($"User {user.Label} not authorized to edit user {target.Id}");
        }
    }

    /// <summary>user_delete: sysadmins (CKAN's bare "Access denied").</summary>
    public void DeleteUser() => RequireSysadmin();

    /// <summary>user_list and user_autocomplete: anyone (public user details); the <c>email</c> filter only sysadmins.</summary>
    public void ListUsers(bool byEmail)
    {
        if (byEmail)
        {
            RequireSysadmin();
        }
    }

    /// <summary>Whether the caller may set the sysadmin flag or the state of a user (CKAN's ignore_not_sysadmin).</summary>
    public bool SetsPrivilegedFields => user.IsSysadmin;

    /// <summary>api_token_list: one's own tokens; a sysadmin anyone's. Unknown users are refused alike (403).</summary>
    public void ListApiTokens(User? target)
    {
        if (!user.IsSysadmin && (target is null || target.Id != user.Id))
        {
            throw CkanException.Forbidden();
        }
    }

    /// <summary>api_token_revoke: one's own token; a sysadmin any (no distinction between unknown and not owned).</summary>
    public void RevokeApiToken(ApiToken? token)
    {
        if (!user.IsSysadmin && (token is null || token.UserId != user.Id))
        {
            throw CkanException.Forbidden();
        }
    }

    private void RequireSysadmin()
    {
        if (!user.IsSysadmin)
        {
            throw CkanException.Forbidden();
        }
    }
}
