using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;
using OpenGov.Ckan;

namespace OpenGov.Catalog.Editing.Pages;

/// <summary>One error of a form: the field's element id (for the summary's link) and the message to show.</summary>
public sealed record FormError(string FieldId, string Message);

/// <summary>The errors of one form post, by field, for the error summary and aria-invalid.</summary>
public sealed class FormErrors
{
    private readonly List<(string Key, FormError Error)> _errors = [];

    public bool Any => _errors.Count > 0;

    public IEnumerable<FormError> All => _errors.Select(e => e.Error);

    public void Add(string key, string fieldId, string message) => _errors.Add((key, new FormError(fieldId, message)));

    public bool Has(string key) => _errors.Any(e => e.Key == key);

    public IEnumerable<string> For(string key) => _errors.Where(e => e.Key == key).Select(e => e.Error.Message);

    /// <summary>The inline message of a field (id "FIELD-error", referenced by its aria-describedby), or nothing.</summary>
    public IHtmlContent Render(string key, string fieldId)
    {
        if (!Has(key))
        {
            return HtmlString.Empty;
        }

        var b = new HtmlContentBuilder();
        b.AppendHtml("<p class=\"field-error\" id=\"" + HtmlEncoder.Default.Encode(fieldId) + "-error\">");
        foreach (var m in For(key))
        {
            b.AppendHtml("<span>");
            b.Append(m);
            b.AppendHtml("</span>");
        }

        b.AppendHtml("</p>");
        return b;
    }

    /// <summary>Turns the service's CKAN validation error into form errors (in the user's language).</summary>
    public void AddFrom(CkanException e, IReadOnlyDictionary<string, string> fieldIds, string fallbackFieldId)
    {
        if (e.Fields is null)
        {
            Add("", fallbackFieldId, EditingText.Localize(e.Message));
            return;
        }

        foreach (var (field, messages) in e.Fields)
        {
            var id = fieldIds.GetValueOrDefault(field, fallbackFieldId);
            foreach (var m in messages)
            {
                Add(fieldIds.ContainsKey(field) ? field : "", id, EditingText.Localize(m));
            }
        }
    }
}
