using Microsoft.Extensions.Localization;

namespace OpenGov.Council.Pages;

/// <summary>/council: the council's name and members on a date (today by default).</summary>
public sealed class IndexModel(CouncilRegistry registry, CouncilAccess access, IStringLocalizer<CouncilText> text) : CouncilPageModel(text)
{
    public DateOnly Date { get; private set; }

    public string? DateInput { get; private set; }

    public RegistrySnapshot Registry { get; private set; } = null!;

    public IReadOnlyList<MemberOnDate> Members { get; private set; } = [];

    public bool IsSecretariat { get; private set; }

    public async Task OnGetAsync(string? date, CancellationToken ct)
    {
        DateInput = date;
        Registry = await registry.LoadAsync(ct);
        IsSecretariat = await access.IsSecretariatAsync(ct);
        try
        {
            Date = CouncilApi.DateOrToday(date);
        }
        catch (CouncilException e)
        {
            Response.StatusCode = 400;
            ShowError(e);
            Date = CouncilApi.Today();
        }

        Members = Registry.MembersOn(Date);
    }
}
