using System.Globalization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace OpenGov.Dashboards.Pages;

/// <summary>Every published dashboard, by member (organization), with the way to the members-compared page.</summary>
public sealed class IndexModel(DashboardStore store) : PageModel
{
    public IReadOnlyList<IGrouping<string, StoredDashboard>> ByMember { get; private set; } = [];

    public bool English => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    public string Language => English ? "en" : "ja";

    public string OrgTitle(Catalog.Organization o) => English && !string.IsNullOrWhiteSpace(o.TitleEn) ? o.TitleEn : o.Title;

    public async Task OnGetAsync(CancellationToken ct) =>
        ByMember = (await store.AllAsync(ct)).GroupBy(d => d.Organization.Name).ToList();
}
