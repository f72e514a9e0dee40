using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenGov.Tabular;

namespace OpenGov.DataStore;

/// <summary>
/// A national standard dataset's definition (<c>/standard/{name}</c>, the target of the standard badges): its columns
/// in order with their types and checks, and where the definition comes from; the schema as JSON at <c>?format=json</c>.
/// </summary>
public sealed class StandardDefinitionModel : PageModel
{
    public TableSchema Schema { get; private set; } = null!;

    public IActionResult OnGet(string name, string? format)
    {
        if (StandardSchemas.Find(name) is not { } schema)
        {
            return NotFound();
        }

        if (format == "json")
        {
            return Content(schema.Json, "application/json; charset=utf-8");
        }

        Schema = schema;
        return Page();
    }
}
