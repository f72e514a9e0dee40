using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using OpenGov.Storage;
using OpenGov.Tabular;

namespace OpenGov.DataStore;

/// <summary>A standard-dataset badge: the standard's schema, and whether the resource's last load conformed (null: declared only).</summary>
public sealed record StandardBadge(TableSchema Schema, bool? Conforms);

/// <summary>
/// The badge 「標準: AED設置箇所一覧」 linking to the standard's definition page (<c>/standard/{name}</c>), for a
/// resource whose last DataStore load was validated against a national standard dataset (recognised from the
/// dataset's <c>standard</c> extra, the file name or the load options), or for a standard named directly (the
/// dataset's <c>standard</c> extra, shown as this badge instead of the raw key and value). Nothing otherwise.
/// </summary>
public sealed class StandardBadgeViewComponent(OpenGovDb db) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(string? resourceId = null, string? standard = null)
    {
        bool? conforms = null;
        if (resourceId is not null)
        {
            var state = await db.Set<DataStoreResource>().AsNoTracking()
                .Where(s => s.ResourceId == resourceId)
                .Select(s => new { s.Standard, s.Conforms })
                .FirstOrDefaultAsync(HttpContext.RequestAborted);
            standard = state?.Standard;
            conforms = state?.Conforms;
        }

        return string.IsNullOrWhiteSpace(standard) || StandardSchemas.Find(standard.Trim()) is not { } schema
            ? Content("")
            : View("/DataStore/StandardBadge.cshtml", new StandardBadge(schema, conforms));
    }
}
