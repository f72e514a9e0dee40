using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OpenGov.Catalog;
using OpenGov.Ckan;
using OpenGov.Storage;

namespace OpenGov.Accounts;

/// <summary>user_show, user_list and user_autocomplete, and CKAN's user dict (user_dictize).</summary>
public sealed class UserQueries(OpenGovDb db, UserAuth auth, CatalogReader reader)
{
    /// <summary>user_show: e-mail only to the user themself and sysadmins.</summary>
    public async Task<JsonObject> UserShowAsync(string idOrName, bool includeDatasets, CancellationToken ct)
    {
        var u = await db.Users.AsNoTracking().FirstOrDefaultAsync(x => x.Id == idOrName || x.Name == idOrName, ct)
            ?? throw CkanException.NotFound("User not found");
        var privileged = auth.SeesPrivateDetails(u);
        var created = db.Datasets.AsNoTracking().Active().Where(d => d.CreatorUserId == u.Id && (privileged || !d.Private));
        var dict = ToDict(u, await created.CountAsync(ct), privileged);
        if (includeDatasets)
        {
            var list = await created.OrderByDescending(d => d.MetadataModified).Take(CatalogQueries.RowsMax).WithFullPackage().ToListAsync(ct);
            dict["datasets"] = JsonSerializer.SerializeToNode(await reader.ToDictsAsync(list, ct), CkanApi.Json);
        }

        return dict;
    }

    /// <summary>
    /// user_list: users that are not deleted, as dicts (all_fields, the default) or names; q (name or full name
    /// containing it), email (sysadmins only), order_by (display_name default; id, name, fullname, created, about,
    /// sysadmin, number_created_packages). number_created_packages counts active public datasets.
    /// </summary>
    public async Task<JsonArray> UserListAsync(string? q, string? email, string? orderBy, bool allFields, CancellationToken ct)
    {
        auth.ListUsers(!string.IsNullOrEmpty(email));
        orderBy = string.IsNullOrEmpty(orderBy) ? "display_name" : orderBy;
        if (orderBy == "edits")
        {
            throw new CkanException(409, "Validation Error", "order_by=edits is no longer supported");
        }

        var users = await Search(q).Where(u => string.IsNullOrEmpty(email) || u.Email == email).ToListAsync(ct);
        var counts = await db.Datasets.AsNoTracking().Public().Where(d => d.CreatorUserId != null)
            .GroupBy(d => d.CreatorUserId!).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        int Count(User u) => counts.GetValueOrDefault(u.Id);
        IOrderedEnumerable<User> ordered = orderBy switch
        {
            "id" => users.OrderBy(u => u.Id, StringComparer.Ordinal),
            "name" => users.OrderBy(u => u.Name, StringComparer.Ordinal),
            "created" => users.OrderBy(u => u.Created),
            "fullname" => users.OrderBy(u => u.FullName, StringComparer.Ordinal).ThenBy(u => u.Name, StringComparer.Ordinal),
            "about" => users.OrderBy(u => u.About, StringComparer.Ordinal).ThenBy(u => u.Name, StringComparer.Ordinal),
            "sysadmin" => users.OrderBy(u => u.Sysadmin).ThenBy(u => u.Name, StringComparer.Ordinal),
            "number_created_packages" => users.OrderBy(Count).ThenBy(u => u.Name, StringComparer.Ordinal),
            _ => users.OrderBy(DisplayName, StringComparer.Ordinal),
        };
        return new JsonArray([.. ordered.Select(u => allFields ? ToDict(u, Count(u), auth.SeesPrivateDetails(u)) : (JsonNode?)JsonValue.Create(u.Name))]);
    }

    /// <summary>user_autocomplete: id, name and fullname of users whose name or full name contains q (limit 20).</summary>
    public async Task<JsonArray> UserAutocompleteAsync(string q, int limit, bool ignoreSelf, string? selfId, CancellationToken ct)
    {
        auth.ListUsers(byEmail: false);
        var users = await Search(q).Where(u => !ignoreSelf || u.Id != selfId).OrderBy(u => u.Name).Take(limit).ToListAsync(ct);
        return new JsonArray([.. users.Select(u => (JsonNode?)new JsonObject { ["id"] = u.Id, ["name"] = u.Name, ["fullname"] = u.FullName })]);
    }

    /// <summary>CKAN's User.search: users not deleted whose name or full name contains q (case-insensitively).</summary>
    private IQueryable<User> Search(string? q)
    {
        var users = db.Users.AsNoTracking().Where(u => u.State != RecordState.Deleted);
        if (string.IsNullOrWhiteSpace(q))
        {
            return users;
        }

        var pattern = "%" + q.Trim().ToLowerInvariant().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
        return users.Where(u => EF.Functions.Like(u.Name.ToLower(), pattern, "\\") || EF.Functions.Like(u.FullName.ToLower(), pattern, "\\"));
    }

    private static string DisplayName(User u) => string.IsNullOrEmpty(u.FullName) ? u.Name : u.FullName;

    /// <summary>CKAN's user_dictize: never a password hash or key; e-mail only when <paramref name="withEmail"/>.</summary>
    public static JsonObject ToDict(User u, int createdPackages, bool withEmail)
    {
        var dict = new JsonObject
        {
            ["id"] = u.Id,
            ["name"] = u.Name,
            ["fullname"] = u.FullName,
            ["display_name"] = DisplayName(u),
            ["about"] = u.About,
            ["created"] = CkanTime.Format(u.Created),
            ["sysadmin"] = u.Sysadmin,
            ["state"] = u.State,
            ["image_url"] = "",
            ["image_display_url"] = "",
            ["email_hash"] = EmailHash(u.Email),
            ["number_created_packages"] = createdPackages,
            ["activity_streams_email_notifications"] = false,
        };
        if (withEmail)
        {
            dict["email"] = u.Email;
        }

        return dict;
    }

    /// <summary>CKAN's email_hash (Gravatar's MD5 of the lower-cased address); not a security use.</summary>
#pragma warning disable CA5351
    private static string EmailHash(string email) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant())));
#pragma warning restore CA5351
}
