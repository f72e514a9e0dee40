using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using OpenGov.Accounts;
using OpenGov.Ckan;

namespace OpenGov.DataStore;

/// <summary>The server-rendered preview of a DataStore table: paged, sortable, filterable; and the re-load form's target.</summary>
public sealed class DataPreviewModel(DataStoreAccess access, DataStoreStorage storage, IDataStoreLoader loader, CurrentUser user, IStringLocalizer<DataStoreText> t) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    [BindProperty(SupportsGet = true, Name = "sort")]
    public string? Sort { get; set; }

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true, Name = "col")]
    public string? FilterColumn { get; set; }

    [BindProperty(SupportsGet = true, Name = "val")]
    public string? FilterValue { get; set; }

    public string DatasetName { get; private set; } = "";

    public string ResourceId { get; private set; } = "";

    public string ResourceName { get; private set; } = "";

    public List<DsField> Fields { get; } = [];

    public List<object?[]> Rows { get; } = [];

    public long Total { get; private set; }

    public string? Error { get; private set; }

    public bool HasTable { get; private set; }

    public int PageCount => (int)Math.Max(1, (Total + PageSize - 1) / PageSize);

    public async Task<IActionResult> OnGetAsync(string id, string resourceId, CancellationToken ct)
    {
        var found = await access.FindAsync(resourceId, ct);
        if (found is not { } f || !await access.CanReadAsync(f.Dataset, ct) || (f.Dataset.Name != id && f.Dataset.Id != id))
        {
            return NotFound();
        }

        DatasetName = f.Dataset.Name;
        ResourceId = resourceId;
        ResourceName = f.Resource.Name is { Length: > 0 } n ? n : resourceId;
        PageNumber = Math.Max(1, PageNumber);
        var data = new JsonObject
        {
            ["limit"] = PageSize,
            ["offset"] = (int)Math.Min(int.MaxValue, (long)(PageNumber - 1) * PageSize),
        };
        if (!string.IsNullOrWhiteSpace(Sort))
        {
            data["sort"] = Sort;
        }

        if (!string.IsNullOrWhiteSpace(Q))
        {
            data["q"] = Q.Trim();
        }

        if (!string.IsNullOrWhiteSpace(FilterColumn) && FilterValue is not null)
        {
            data["filters"] = new JsonObject { [FilterColumn] = FilterValue };
        }

        try
        {
            HasTable = await storage.ReadAsync(resourceId, async (c, tx, table) =>
            {
                SearchSpec spec;
                try
                {
                    spec = DataStoreQuery.Parse(table, data);
                }
                catch (DataStoreValidationException e)
                {
                    Error = t["検索条件が正しくありません"] + " (" + e.Field + ": " + e.Message + ")";
                    spec = DataStoreQuery.Parse(table, new JsonObject { ["limit"] = PageSize });
                }

                storage.Indexes.Want(table, spec.Filters.Keys, spec.Sort.Select(s => s.Field));
                Fields.AddRange(spec.Fields);
                await using (var cmd = c.CreateCommand())
                {
                    cmd.Transaction = tx;
                    cmd.CommandText = DataStoreQuery.Select(spec, table, cmd, storage.Backend);
                    await using var r = await cmd.ExecuteReaderAsync(ct);
                    while (await r.ReadAsync(ct))
                    {
                        var row = new object?[spec.Fields.Count];
                        for (var i = 0; i < row.Length; i++)
                        {
                            row[i] = storage.Backend.ReadValue(r, i, spec.Fields[i].Type);
                        }

                        Rows.Add(row);
                    }
                }

                await using (var cmd = c.CreateCommand())
                {
                    cmd.Transaction = tx;
                    cmd.CommandText = DataStoreQuery.Count(spec, table, cmd, storage.Backend);
                    Total = Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
                }

                return true;
            }, ct);
        }
        catch (DataStoreValidationException e)
        {
            Error = e.Message;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostLoadAsync(string id, string resourceId, CancellationToken ct)
    {
        var found = await access.FindAsync(resourceId, ct);
        if (found is not { } f || !await access.CanReadAsync(f.Dataset, ct))
        {
            return NotFound();
        }

        if (!await user.CanEditDatasetsAsync(f.Dataset.OwnerOrgId, ct))
        {
            return user.IsAuthenticated ? StatusCode(403) : Challenge();
        }

        if (!DataStoreLoader.IsTabular(f.Resource))
        {
            return BadRequest();
        }

        var form = new JsonObject();
        foreach (var key in new[] { "encoding", "delimiter", "header_row", "sheet", "standard", "empty_markers" })
        {
            form[key] = Request.Form[key].ToString();
        }

        // per-column types: pairs of type_column (hidden) and type_value (select); "auto" keeps the inferred type.
        // Without the pairs (the form leaves them out for very wide tables) the stored types are kept.
        var typeColumns = Request.Form["type_column"];
        var typeValues = Request.Form["type_value"];
        if (typeColumns.Count != typeValues.Count)
        {
            return BadRequest(t["設定が正しくありません"].Value);
        }

        var types = new JsonObject();
        if (typeColumns.Count == 0)
        {
            foreach (var (k, v) in (await loader.GetOptionsAsync(resourceId, ct)).Types ?? [])
            {
                types[k] = v;
            }
        }

        for (var i = 0; i < typeColumns.Count; i++)
        {
            if (typeColumns[i] is { Length: > 0 } col && typeValues[i] is { Length: > 0 } type && type != "auto")
            {
                types[col] = type;
            }
        }

        if (types.Count > 0)
        {
            form["types"] = types;
        }

        try
        {
            await loader.SetOptionsAsync(resourceId, LoadOverrides.FromRequest(form) ?? new LoadOverrides(), ct);
        }
        catch (CkanException e)
        {
            return BadRequest(t["設定が正しくありません"] + ": " + e.Message);
        }

        await loader.EnqueueAsync(resourceId, ct);
        var back = Request.Headers.Referer.ToString();
        return Uri.TryCreate(back, UriKind.Absolute, out var u) && u.Host == Request.Host.Host && u.AbsolutePath.StartsWith("/dataset/", StringComparison.Ordinal)
            ? LocalRedirect(u.PathAndQuery)
            : LocalRedirect($"/dataset/{Uri.EscapeDataString(f.Dataset.Name)}/resource/{resourceId}/data");
    }

    /// <summary>The URL of this page with some parameters changed.</summary>
    public string Link(int? page = null, string? sort = null)
    {
        var q = new List<string>();
        void Add(string k, string? v)
        {
            if (!string.IsNullOrEmpty(v))
            {
                q.Add(k + "=" + Uri.EscapeDataString(v));
            }
        }

        Add("q", Q);
        Add("col", FilterColumn);
        Add("val", FilterColumn is null ? null : FilterValue);
        Add("sort", sort ?? Sort);
        if ((page ?? 1) > 1)
        {
            q.Add("page=" + page);
        }

        return $"/dataset/{Uri.EscapeDataString(DatasetName)}/resource/{ResourceId}/data" + (q.Count > 0 ? "?" + string.Join("&", q) : "");
    }

    /// <summary>Current sort direction of a field: "ascending", "descending" or null.</summary>
    public string? SortOf(string field)
    {
        if (string.IsNullOrWhiteSpace(Sort))
        {
            return null;
        }

        var first = Sort.Split(',')[0].Trim();
        var desc = first.EndsWith(" desc", StringComparison.OrdinalIgnoreCase);
        var name = first.Split(' ')[0].Trim('"');
        return name == field ? (desc ? "descending" : "ascending") : null;
    }
}
