using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenGov.Catalog;
using OpenGov.Storage;

namespace OpenGov.Dashboards.Pages;

/// <summary>An organization's dashboards; its editors are offered the COVID-19 dashboard when the standard datasets are there.</summary>
public sealed class OrganizationModel(DashboardStore store, OpenGovDb db, DataStore.Api.DataStoreAggregates aggregates) : PageModel
{
    public Organization Org { get; private set; } = null!;

    public IReadOnlyList<(string Slug, DashboardDefinition Definition)> Dashboards { get; private set; } = [];

    public CovidResources? Template { get; private set; }

    public string? Error { get; private set; }

    /// <summary>The user may edit the organization's dashboards (the card editor is linked).</summary>
    public bool CanEdit { get; private set; }

    public string? NewSlug { get; private set; }

    public string? NewSlugError { get; private set; }

    public bool English => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    public async Task<IActionResult> OnGetAsync(string org, CancellationToken ct) => await LoadAsync(org, ct) ? Page() : NotFound();

    /// <summary>"New dashboard": a valid, unused URL name opens the card editor for it.</summary>
    public async Task<IActionResult> OnGetNewAsync(string org, [FromQuery] string? slug, CancellationToken ct)
    {
        if (!await LoadAsync(org, ct))
        {
            return NotFound();
        }
        if (!CanEdit)
        {
            return User.Identity?.IsAuthenticated == true ? StatusCode(StatusCodes.Status403Forbidden) : Challenge();
        }
        NewSlug = slug?.Trim() ?? "";
        if (!System.Text.RegularExpressions.Regex.IsMatch(NewSlug, "^[a-z0-9][a-z0-9_-]{0,99}$"))
        {
            NewSlugError = English ? "Use lower-case letters, digits, - and _ for the URL name." : "URL名は半角の英小文字・数字・-・_ で入力してください。";
        }
        else if (Dashboards.Any(d => d.Slug == NewSlug))
        {
            NewSlugError = English ? "A dashboard with this URL name already exists." : "このURL名のダッシュボードはすでにあります。";
        }
        if (NewSlugError is not null)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
        return Redirect($"/dashboards/{Org.Name}/{NewSlug}/edit");
    }

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
        CanEdit = await store.CanEditAsync(o, ct);
        if (CanEdit && Dashboards.All(d => d.Slug != CovidTemplate.Slug))
        {
            Template = await CovidTemplate.FindAsync(db, aggregates, o.Id, ct);
        }
        return true;
    }
}
