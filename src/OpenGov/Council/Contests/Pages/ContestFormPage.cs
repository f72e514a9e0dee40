using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Localization;

namespace OpenGov.Council.Contests.Pages;

/// <summary>
/// What the call forms share (/council/contests/new, /council/contests/{slug}/edit): only the secretariat (or a
/// sysadmin) reaches them, others get 403 and anonymous users the login, before anything is read or written.
/// </summary>
public abstract class ContestFormPage(CouncilAccess access, IStringLocalizer<CouncilText> text) : ContestsPageModel(text)
{
    [BindProperty]
    public ContestForm Input { get; set; } = new();

    /// <summary>A judge has scored: the rubric's lines and max scores are fixed (the form says so and locks them).</summary>
    public bool RubricFixed { get; protected set; }

    /// <summary>The refusal's text when it concerns <paramref name="field"/>, to show beside that input.</summary>
    public string? FieldError(string field) => ErrorField == field ? Error : null;

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        await access.SecretariatOnlyAsync(context, next);
    }
}
