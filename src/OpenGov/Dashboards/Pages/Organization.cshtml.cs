using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenGov.Catalog;
using OpenGov.Storage;

namespace OpenGov.Dashboards.Pages;

/// <summary>An organization's dashboards; its editors are offered the COVID-19 dashboard when the standard datasets are there.</summary>
public sealed class OrganizationModel(DashboardStore store, OpenGovDb db) : PageModel
{
    public Organization Org { get; private set; } = null!;

    public IReadOnlyList<(string Slug, DashboardDefinition Definition)> Dashboards { get; private set; } = [];

    public CovidResources? Template { get; private set; }

    public string? Error { get; private set; }

    public bool English => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    public async Task<IActionResult> OnGetAsync(string org, CancellationToken ct) => await LoadAsync(org, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostTemplateAsync(string org, CancellationToken ct)
    {
        if (!await LoadAsync(org, ct))
        {
            return NotFound();
        }
        if (Template is not { Any: true } found)
        {
            Error = English ? "No standard COVID-19 dataset was found." : "標準の新型コロナウイルス感染症データセットが見つかりません。";
            return Page();
        }
        try
        {
            var rec = await store.SaveAsync(Org, CovidTemplate.Build(Org.Name, Org.Title, found), "テンプレートから作成", ct);
            return Redirect($"/dashboards/{Org.Name}/{rec.Slug}");
        }
        catch (DashboardWriteException e)
        {
            if (e.Status == 403)
            {
                return Forbid();
            }
            Error = English ? e.MessageEn : e.Message;
            return Page();
        }
    }

    private async Task<bool> LoadAsync(string org, CancellationToken ct)
    {
        var o = await store.OrganizationAsync(org, ct);
        if (o is null)
        {
            return false;
        }
        Org = o;
        Dashboards = await store.ListAsync(o.Id, ct);
        if (await store.CanEditAsync(o, ct) && Dashboards.All(d => d.Slug != CovidTemplate.Slug))
        {
            Template = await CovidTemplate.FindAsync(db, o.Id, ct);
        }
        return true;
    }
}
