using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OpenGov.Ckan;

namespace OpenGov.Catalog.Editing;

/// <summary>
/// The <c>id</c> a caller supplies to package_create, organization_create, group_create and resource_create: kept
/// when it is free, as CKAN keeps it (so that <c>ckanapi dump</c> from one site and <c>ckanapi load</c> into this one
/// keep every id). CKAN's schemas: datasets, organizations and groups take it from sysadmins only
/// (<c>empty_if_not_sysadmin</c>, otherwise ignored); resources from whoever may add them. A taken id is a validation
/// error on "id". Ids are also table names (DataStore) and file names (uploads), so only letters, digits, "-" and "_"
/// (up to 63, PostgreSQL's identifier length) are taken.
/// </summary>
internal static partial class SuppliedIds
{
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$")]
    private static partial Regex Shape();

    /// <summary>Whether an id has the shape this site keeps.</summary>
    public static bool IsValid(string id) => Shape().IsMatch(id);

    /// <summary>The free id the caller supplied, or null (absent, or not a sysadmin where that is required).</summary>
    public static async Task<string?> ReadAsync(JsonObject data, bool allowed, Func<string, Task<bool>> taken, string takenMessage, ValidationErrors errors)
    {
        if (!allowed)
        {
            return null;
        }

        var id = DictReader.Str(data, "id", errors)?.Trim();
        if (string.IsNullOrEmpty(id))
        {
            return null;
        }

        if (!IsValid(id))
        {
            errors.Report("id", "Invalid id: letters, digits, '-' and '_' only, at most 63 characters");
            return null;
        }

        if (await taken(id))
        {
            errors.Report("id", takenMessage);
            return null;
        }

        return id;
    }
}
