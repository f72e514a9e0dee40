using Microsoft.Extensions.Localization;
using OpenGov.Tabular;

namespace OpenGov.Council.Pages;

/// <summary>/council/timeline: every member's fiscal years of membership as a table.</summary>
public sealed class TimelineModel(CouncilRegistry registry, IStringLocalizer<CouncilText> text) : CouncilPageModel(text)
{
    public RegistrySnapshot Registry { get; private set; } = null!;

    public IReadOnlyList<FiscalYear> Years { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Registry = await registry.LoadAsync(ct);
        Years = Registry.FiscalYears(CouncilApi.Today());
    }
}
