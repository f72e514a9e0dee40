using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace OpenGov.Shared;

/// <summary>The site's error page (see <see cref="ErrorPages"/>); keeps the status code it was reached with.</summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public int Code { get; private set; }

    /// <summary>The question code when an unknown /q/{code} was asked for, else null.</summary>
    public string? QuestionCode { get; private set; }

    public void OnGet(int code) => Set(code);

    public void OnPost(int code) => Set(code);

    private void Set(int code)
    {
        Code = code is >= 400 and <= 599 ? code : 404;
        Response.StatusCode = Code;
        var original = HttpContext.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalPath
            ?? HttpContext.Features.Get<IExceptionHandlerPathFeature>()?.Path;
        var segments = (original ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (Code == 404 && segments is ["q", var q, ..])
        {
            QuestionCode = Uri.UnescapeDataString(q);
        }
    }
}
