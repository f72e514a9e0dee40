using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using OpenGov.Tabular;

namespace OpenGov.Council.Pages;

/// <summary>What every council page shares: the language, bilingual picks, and refusals shown in the form.</summary>
public abstract class CouncilPageModel(IStringLocalizer<CouncilText> text) : PageModel
{
    public bool English => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    public string Pick(string ja, string en) => English && !string.IsNullOrWhiteSpace(en) ? en : ja;

    public string YearLabel(FiscalYear fy) => fy.Label(English);

    /// <summary>The refusal of the last write, in the user's language, and the input at fault.</summary>
    public string? Error { get; private set; }

    public string? ErrorField { get; private set; }

    public string? Invalid(string field) => ErrorField == field ? "true" : null;

    protected void ShowError(CouncilException e)
    {
        Error = text.Explain(e);
        ErrorField = e.Field;
    }

    /// <summary>Runs a write; on a refusal shows the page again with the error (nothing was changed).</summary>
    protected async Task<IActionResult> TryWriteAsync(Func<Task<IActionResult>> write, Func<Task> reload)
    {
        try
        {
            return await write();
        }
        catch (CouncilException e) when (e.Status != 404)
        {
            ShowError(e);
            await reload();
            var page = Page();
            Response.StatusCode = e.Status;
            return page;
        }
        catch (CouncilException)
        {
            return NotFound();
        }
    }
}
