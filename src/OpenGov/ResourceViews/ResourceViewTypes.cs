namespace OpenGov.ResourceViews;

/// <summary>
/// The view types this site shows (CKAN's view plugins) and the extra keys each keeps, as the plugins' schemas
/// declare them. <c>chart_view</c> is OpenGov's own (ckanext-charts' <c>charts_view</c> keeps another configuration,
/// so its name would mislead clients that read the keys).
/// </summary>
public static class ResourceViewTypes
{
    public const string DataTables = "datatables_view";
    public const string Image = "image_view";
    public const string WebPage = "webpage_view";
    public const string Chart = "chart_view";

    /// <summary>CKAN's map of a DataStore table's latitude and longitude columns (recline_map_view, its schema's keys).</summary>
    public const string Map = "recline_map_view";

    /// <summary>view type → its extra keys.</summary>
    public static IReadOnlyDictionary<string, string[]> Keys { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        [DataTables] = ["responsive", "ellipsis_length", "date_format", "show_fields", "filterable"],
        [Image] = ["image_url"],
        [WebPage] = ["page_url"],
        [Chart] = [ChartConfig.TypeKey, ChartConfig.DateKey, ChartConfig.ValueKey, ChartConfig.CategoryKey],
        [Map] = ["offset", "limit", MapConfig.FieldTypeKey, MapConfig.LatitudeKey, MapConfig.LongitudeKey, "geojson_field", "auto_zoom", "cluster_markers"],
    };

    /// <summary>The title a default view gets (CKAN's plugin default_title).</summary>
    public const string DataTablesTitle = "表";

    /// <summary>The title of the default map view.</summary>
    public const string MapTitle = "地図";
}

/// <summary>What a chart view draws: its kind and columns (the extra keys of a chart_view dict).</summary>
public sealed record ChartConfig(string ChartType, string? DateColumn, string? ValueColumn, string? CategoryColumn)
{
    public const string TypeKey = "chart_type";
    public const string DateKey = "date_column";
    public const string ValueKey = "value_column";
    public const string CategoryKey = "category_column";

    /// <summary>Rows per day of the date column.</summary>
    public const string CountPerDay = "count_per_day";

    /// <summary>Sum of the value column per day of the date column.</summary>
    public const string SumPerDay = "sum_per_day";

    /// <summary>Rows per value of the category column.</summary>
    public const string CountPerCategory = "count_per_category";

    public static IReadOnlyList<string> Types { get; } = [CountPerDay, SumPerDay, CountPerCategory];

    /// <summary>The columns a chart type needs, in the order a form asks for them.</summary>
    public static IReadOnlyList<string> Needs(string chartType) => chartType switch
    {
        CountPerDay => [DateKey],
        SumPerDay => [DateKey, ValueKey],
        CountPerCategory => [CategoryKey],
        _ => [],
    };

    public static ChartConfig From(System.Text.Json.Nodes.JsonObject config)
    {
        string? S(string key) => config[key] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue(out string? s) && s.Length > 0 ? s : null;
        var type = S(TypeKey) ?? "";
        var needs = Needs(type);
        return new ChartConfig(type, needs.Contains(DateKey) ? S(DateKey) : null, needs.Contains(ValueKey) ? S(ValueKey) : null, needs.Contains(CategoryKey) ? S(CategoryKey) : null);
    }
}
