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

    /// <summary>user_delete: sysadmins only (as in CKAN).</summary>
    public void Delete(string userRef)
    {
        if (!user.IsSysadmin)
        {
            throw CkanException.Forbidden($"User {user.Label} not authorized to delete user {userRef}");
        }
    }
}
