using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using OpenGov.Catalog;
using OpenGov.Ckan;
using OpenGov.Storage;

namespace OpenGov.Accounts;

/// <summary>
/// The CKAN actions about users: user_show, user_list, user_autocomplete, user_create/update/patch/delete and
/// api_token_create/list/revoke (reads: <see cref="UserQueries"/>; writes: <see cref="UserEditor"/>). Their authorisation is <see cref="UserAuth"/>,
/// called at the top of each.
/// </summary>
public static class UserActions
{
    public static void Map(CkanActionMapper api)
    {
        api.Read("user_show", api.Group.MapMethods("/user_show", CkanActionMapper.ReadMethods, UserShow), "One user; e-mail only for themself and sysadmins.");
        api.Write("api_token_create", api.Group.MapPost("/api_token_create", ApiTokenCreate), "Create an API token for a user (themself, or any user by a sysadmin).");
        api.Read("user_list", api.Group.MapMethods("/user_list", CkanActionMapper.ReadMethods, UserList), "Users that are not deleted (q, email for sysadmins, order_by, all_fields).");
        api.Read("user_autocomplete", api.Group.MapMethods("/user_autocomplete", CkanActionMapper.ReadMethods, UserAutocomplete), "Users whose name or full name contains q (limit 20, ignore_self).");
        api.Write("user_create", api.Group.MapPost("/user_create", UserCreate), "Create a user (sysadmins): name, email, password (8+), fullname, about; with_apitoken.");
        api.Write("user_update", api.Group.MapPost("/user_update", UserUpdate), "Change a user (themself, or a sysadmin); email is required, as in CKAN.");
        api.Write("user_patch", api.Group.MapPost("/user_patch", UserPatch), "Change only the given keys of a user.");
        api.Write("user_delete", api.Group.MapPost("/user_delete", UserDelete), "Mark a user deleted and remove them from their organizations (sysadmins).");
        api.Read("api_token_list", api.Group.MapMethods("/api_token_list", CkanActionMapper.ReadMethods, ApiTokenList), "A user's API tokens, without their values (user_id; oneself, or a sysadmin).");
        api.Write("api_token_revoke", api.Group.MapPost("/api_token_revoke", ApiTokenRevoke), "Revoke an API token (token, or jti: its id).");
    }

    public sealed record TokenResult(string Token);

    private static async Task<JsonHttpResult<CkanEnvelope<JsonObject>>> UserShow(CkanRequest req, UserQueries q, CancellationToken ct) =>
        CkanApi.Ok(req, await q.UserShowAsync(req.IdOrName(), req.Bool("include_datasets", false), ct));

    private static async Task<JsonHttpResult<CkanEnvelope<JsonArray>>> UserList(CkanRequest req, UserQueries q, CancellationToken ct) =>
        CkanApi.Ok(req, await q.UserListAsync(req.String("q"), req.String("email"), req.String("order_by"), req.Bool("all_fields", true), ct));

    private static async Task<JsonHttpResult<CkanEnvelope<JsonArray>>> UserAutocomplete(CkanRequest req, UserQueries q, CurrentUser user, CancellationToken ct) =>
        CkanApi.Ok(req, await q.UserAutocompleteAsync(req.RequiredString("q"), req.Int("limit", 20, 0, 1000), req.Bool("ignore_self", false), user.Id, ct));

    private static async Task<JsonHttpResult<CkanEnvelope<JsonObject>>> UserCreate(CkanRequest req, UserEditor editor, CancellationToken ct) =>
        CkanApi.Ok(req, await editor.CreateAsync(req.Data, ct));

    private static async Task<JsonHttpResult<CkanEnvelope<JsonObject>>> UserUpdate(CkanRequest req, UserEditor editor, CancellationToken ct) =>
        CkanApi.Ok(req, await editor.UpdateAsync(req.Data, patch: false, ct));

    private static async Task<JsonHttpResult<CkanEnvelope<JsonObject>>> UserPatch(CkanRequest req, UserEditor editor, CancellationToken ct) =>
        CkanApi.Ok(req, await editor.UpdateAsync(req.Data, patch: true, ct));

    private static async Task<JsonHttpResult<CkanEnvelope<object?>>> UserDelete(CkanRequest req, UserEditor editor, CancellationToken ct)
    {
        await editor.DeleteAsync(req.String("id"), ct);
        return CkanApi.Ok<object?>(req, null);
    }

    private static async Task<JsonHttpResult<CkanEnvelope<JsonArray>>> ApiTokenList(CkanRequest req, UserEditor editor, CancellationToken ct)
    {
        var userRef = req.String("user_id") is { Length: > 0 } id ? id : req.String("user");
        return CkanApi.Ok(req, await editor.ApiTokenListAsync(string.IsNullOrWhiteSpace(userRef) ? throw CkanException.Missing("user_id") : userRef, ct));
    }

    private static async Task<JsonHttpResult<CkanEnvelope<object?>>> ApiTokenRevoke(CkanRequest req, UserEditor editor, CancellationToken ct)
    {
        await editor.ApiTokenRevokeAsync(req.String("jti"), req.String("token"), ct);
        return CkanApi.Ok<object?>(req, null);
    }

    private static async Task<JsonHttpResult<CkanEnvelope<TokenResult>>> ApiTokenCreate(CkanRequest req, OpenGovDb db, UserAuth auth, AccountService accounts, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var userRef = DictReader.Str(req.Data, "user", errors);
        var name = DictReader.Str(req.Data, "name", errors);
        if (string.IsNullOrWhiteSpace(userRef))
        {
            errors.Report("user", "Missing value");
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            errors.Report("name", "Missing value");
        }

        errors.ThrowIfAny();
        var target = await db.Users.FirstOrDefaultAsync(u => (u.Id == userRef || u.Name == userRef) && u.State == RecordState.Active, ct);
        auth.CreateApiToken(userRef!, target);
        return CkanApi.Ok(req, new TokenResult(await accounts.CreateTokenAsync(target!.Id, name!.Trim(), ct: ct)));
    }
}
