using Microsoft.Extensions.Localization;

namespace OpenGov.Council.Contests.Pages;

/// <summary>/council/contests: every contest, newest deadline first.</summary>
public sealed class ListModel(ContestQueries queries, CouncilAccess access, IStringLocalizer<CouncilText> text) : ContestsPageModel(text)
{
    public List<Contest> Contests { get; private set; } = [];

    public bool LoggedIn => access.User.IsAuthenticated;

    /// <summary>The secretariat sees the way to open a new contest.</summary>
    public bool IsSecretariat { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Contests = await queries.ListAsync(ct);
        IsSecretariat = await access.IsSecretariatAsync(ct);
    }
}
