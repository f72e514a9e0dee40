using System.Globalization;

namespace OpenGov.Dashboards;

/// <summary>Everything a chart needs to be drawn, in the reader's language.</summary>
/// <param name="Id">Prefix for element ids (unique on the page), e.g. the card id.</param>
public sealed record ChartModel(string Id, string Title, ChartKind Kind, CardResult Result, string Language)
{
    public bool English => Language.StartsWith("en", StringComparison.OrdinalIgnoreCase);

    /// <summary>The least top of the y axis (charts compared side by side share one scale).</summary>
    public double? YMax { get; init; }

    /// <summary>A number as shown: integers with separators, others with one decimal.</summary>
    public static string Format(double? v) => v is not { } x ? "–"
        : Math.Abs(x - Math.Round(x)) < 1e-9 ? x.ToString("#,0", CultureInfo.InvariantCulture)
        : x.ToString("#,0.0", CultureInfo.InvariantCulture);

    public static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A sentence describing the data, for the SVG's desc and screen readers.</summary>
    public string Describe()
    {
        if (Result.Categories.Count > 0)
        {
            var top = Result.Categories.MaxBy(c => c.Value)!;
            return English
                ? $"{Result.Categories.Count} categories; largest {top.Label} ({Format(top.Value)})."
                : $"{Result.Categories.Count} 区分。最多は {top.Label}（{Format(top.Value)}）。";
        }
        var main = Result.Series.Count > 0 ? Result.Series[0] : null;
        if (main is null || main.Points.Count == 0)
        {
            return English ? "No data." : "データがありません。";
        }
        var max = main.Points.Where(p => p.Value is not null).DefaultIfEmpty(main.Points[0]).MaxBy(p => p.Value);
        var latest = main.Latest();
        return English
            ? $"{Date(main.First!.Value)} to {Date(main.Last!.Value)}, {main.Points.Count} days. Highest {Format(max.Value)} on {Date(max.Date)}. Latest {Format(latest?.Value)} on {(latest is null ? "" : Date(latest.Date))}."
            : $"{Date(main.First!.Value)} から {Date(main.Last!.Value)} まで {main.Points.Count} 日。最大 {Format(max.Value)}（{Date(max.Date)}）。最新 {Format(latest?.Value)}（{(latest is null ? "" : Date(latest.Date))}）。";
    }
}
