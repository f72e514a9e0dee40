using OpenGov.Accounts;
using OpenGov.Storage;

namespace OpenGov.Catalog;

/// <summary>
/// The one rule for who may see a dataset (and so its resources, files, history and DataStore table): anyone when
/// it is active and public; otherwise (private, draft or deleted) the members of its organization and sysadmins.
/// Callers that must not reveal a hidden dataset answer 404; package_show answers 403, as CKAN does.
/// </summary>
public sealed class DatasetVisibility(CurrentUser user)
{
    /// <summary>Whether the dataset is shown to everyone, without asking who is looking.</summary>
    public static bool IsPublic(string state, bool isPrivate) => state == RecordState.Active && !isPrivate;

    public Task<bool> CanSeeAsync(Dataset d, CancellationToken ct) => CanSeeAsync(d.State, d.Private, d.OwnerOrgId, ct);

    /// <summary>The rule on a dataset's three deciding columns (for queries that read only those).</summary>
    public async Task<bool> CanSeeAsync(string state, bool isPrivate, string ownerOrgId, CancellationToken ct) =>
        IsPublic(state, isPrivate) || await user.CanReadPrivateAsync(ownerOrgId, ct);
}
