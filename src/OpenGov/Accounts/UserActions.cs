using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using OpenGov.Catalog;
using OpenGov.Ckan;
using OpenGov.Storage;

namespace OpenGov.Accounts;

/// <summary>
/// The CKAN actions about users: user_show, api_token_create and user_delete. Their authorisation is <see cref="UserAuth"/>,
/// called at the top of each.
/// </summary>
public static class UserActions
{
    public static void Map(CkanActionMapper api)
    {
        api.Read("user_show", UserShow, "One user; e-mail only for themself and sysadmins.");
        api.Write("api_token_create", ApiTokenCreate, "Create an API token for a user (themself, or any user by a sysadmin).");
        api.Write("user_delete", UserDelete, "Disable a user (sysadmins only): state deleted; their logins and API tokens stop working on every node.");
    }

    public sealed record TokenResult(string Token);

    private static async Task<JsonHttpResult<CkanEnvelope<JsonObject>>> UserShow(CkanRequest req, UserQueries q, CancellationToken ct) =>
        CkanApi.Ok(req, await q.UserShowAsync(req.IdOrName(), req.Bool("include_datasets", false), ct));

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

    private static async Task<JsonHttpResult<CkanEnvelope<object?>>> UserDelete(CkanRequest req, OpenGovDb db, UserAuth auth, AccountService accounts, CancellationToken ct)
    {
        var userRef = req.IdOrName();
        auth.Delete(userRef);
        var target = await db.Users.FirstOrDefaultAsync(u => u.Id == userRef || u.Name == userRef, ct) ?? throw CkanException.NotFound("User not found");
        await accounts.DisableAsync(target, ct);
        return CkanApi.Ok<object?>(req, null);
    }
}

/// <summary>user_show.</summary>
public sealed class UserQueries(OpenGovDb db, UserAuth auth, CatalogReader reader)
{
    /// <summary>user_show: e-mail only to the user themself and sysadmins.</summary>
    public async Task<JsonObject> UserShowAsync(string idOrName, bool includeDatasets, CancellationToken ct)
    {
        var u = await db.Users.AsNoTracking().FirstOrDefaultAsync(x => x.Id == idOrName || x.Name == idOrName, ct)
            ?? throw CkanException.NotFound("User not found");
        var privileged = auth.SeesPrivateDetails(u);
        var created = db.Datasets.AsNoTracking().Active().Where(d => d.CreatorUserId == u.Id && (privileged || !d.Private));
        var dict = new JsonObject
        {
            ["id"] = u.Id,
            ["name"] = u.Name,
            ["fullname"] = u.FullName,
            ["display_name"] = string.IsNullOrEmpty(u.FullName) ? u.Name : u.FullName,
            ["about"] = u.About,
            ["created"] = CkanTime.Format(u.Created),
            ["sysadmin"] = u.Sysadmin,
            ["state"] = u.State,
            ["image_url"] = "",
            ["image_display_url"] = "",
            ["email_hash"] = EmailHash(u.Email),
            ["number_created_packages"] = await created.CountAsync(ct),
            ["activity_streams_email_notifications"] = false,
        };
        if (privileged)
        {
            dict["email"] = u.Email;
        }

        if (includeDatasets)
        {
            var list = await created.OrderByDescending(d => d.MetadataModified).Take(CatalogQueries.RowsMax).WithFullPackage().ToListAsync(ct);
            dict["datasets"] = JsonSerializer.SerializeToNode(await reader.ToDictsAsync(list, ct), CkanApi.Json);
        }

        return dict;
    }

    /// <summary>CKAN's email_hash (Gravatar's MD5 of the lower-cased address); not a security use.</summary>
#pragma warning disable CA5351
    private static string EmailHash(string email) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant())));
#pragma warning restore CA5351
}
