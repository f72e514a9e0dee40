using System.Globalization;
using System.Net;
using System.Text;

namespace OpenGov.Dashboards;

/// <summary>
/// Server-rendered charts: accessible SVG (role="img", title and desc) for bar, stacked bar, line and bar+line;
/// HTML for the number tile and the table. The SVG scales to its container (viewBox 360 wide, text 12 units), so it
/// stays readable on a 390-px phone. No script.
/// </summary>
public static class ChartRenderer
{
    private const double Width = 360, Height = 220, Left = 48, Right = 8, Top = 10, Bottom = 30;

    /// <summary>Colours with at least 4.5:1 contrast on white, distinguishable in grey scale order.</summary>
    public static IReadOnlyList<string> Palette { get; } =
        ["#1a6b3c", "#2f5fa3", "#a34f00", "#7b3fa0", "#a3213f", "#00707a", "#5c5c5c", "#6b5d00", "#8a3b6b", "#2b4f2b", "#3b3b8a", "#7a4a2b"];

    private const string LineColour = "#a34f00";

    public static string Render(ChartModel m)
    {
        if (m.Result.MissingColumn is { } col)
        {
            var msg = m.English ? $"This card cannot be shown: the column \"{col}\" is missing from its source." : $"このカードを表示できません。元データに列「{col}」がありません。";
            return $"<p class=\"og-card-error\" role=\"alert\">{E(msg)}</p>";
        }
        if (m.Result.IsEmpty)
        {
            return $"<p class=\"og-card-empty\">{E(m.English ? "No data." : "データがありません。")}</p>";
        }
        return m.Kind switch
        {
            ChartKind.Number => NumberTile(m),
            ChartKind.Table => Table(m),
            ChartKind.Box when m.Result.Categories.Count > 0 => BoxDiagram(m),
            _ when m.Result.Categories.Count > 0 => CategoryBars(m),
            _ => TimeChart(m),
        };
    }

    /// <summary>The numbers plotted, as an HTML table (the table alternative and the table chart).</summary>
    public static string Table(ChartModel m)
    {
        var sb = new StringBuilder();
        // tabindex: the table scrolls inside its card (dashboards.css), so keyboards must reach it (axe scrollable-region-focusable)
        sb.Append("<table class=\"og-chart-table\" tabindex=\"0\"><caption>").Append(E(m.Title)).Append("</caption><thead><tr>");
        if (m.Result.Categories.Count > 0)
        {
            sb.Append("<th scope=\"col\">").Append(E(m.English ? "Category" : "区分")).Append("</th><th scope=\"col\">")
              .Append(E(m.English ? "Value" : "値")).Append("</th></tr></thead><tbody>");
            foreach (var (label, value) in TableRows(m.Result))
            {
                sb.Append("<tr><th scope=\"row\">").Append(E(label)).Append("</th><td>").Append(ChartModel.Format(value)).Append("</td></tr>");
            }
            return sb.Append("</tbody></table>").ToString();
        }
        sb.Append("<th scope=\"col\">").Append(E(m.English ? "Date" : "日付")).Append("</th>");
        foreach (var s in m.Result.Series)
        {
            sb.Append("<th scope=\"col\">").Append(E(s.Name)).Append("</th>");
        }
        sb.Append("</tr></thead><tbody>");
        var rows = m.Result.Series[0].Points.Count;
        for (var i = rows - 1; i >= 0; i--)
        {
            sb.Append("<tr><th scope=\"row\">").Append(ChartModel.Date(m.Result.Series[0].Points[i].Date)).Append("</th>");
            foreach (var s in m.Result.Series)
            {
                sb.Append("<td>").Append(ChartModel.Format(i < s.Points.Count ? s.Points[i].Value : null)).Append("</td>");
            }
            sb.Append("</tr>");
        }
        return sb.Append("</tbody></table>").ToString();
    }

    /// <summary>The rows of a category table and CSV: the total a column gives (if any), then the categories with their parts.</summary>
    public static IEnumerable<(string Label, double Value)> TableRows(CardResult r) =>
        (r.Total is { } t ? [(t.Label, t.Value)] : Array.Empty<(string, double)>()).Concat(CategoryCount.Rows(r.Categories));

    /// <summary>
    /// The box diagram: the total over its parts, as nested lists (a screen reader reads "total, then n items"),
    /// each part with its count and its share of the total. HTML and CSS only; wraps on a phone.
    /// </summary>
    private static string BoxDiagram(ChartModel m)
    {
        var total = m.Result.Total?.Value ?? m.Result.Categories.Sum(c => c.Value);
        var label = m.Result.Total?.Label ?? (m.English ? "Total" : "合計");
        var sb = new StringBuilder("<div class=\"og-box\">");
        if (m.Result.AsOf is { } day)
        {
            sb.Append("<p class=\"og-box-date\">").Append(E(m.English ? "As of " : "")).Append(ChartModel.Date(day)).Append(E(m.English ? "" : " 時点")).Append("</p>");
        }
        sb.Append("<ul class=\"og-box-tree\"><li><p class=\"og-box-node og-box-total\"><span class=\"og-box-label\">")
            .Append(E(label)).Append("</span> <span class=\"og-box-value\">").Append(ChartModel.Format(total)).Append("</span></p>");
        Parts(sb, m.Result.Categories, total);
        return sb.Append("</li></ul></div>").ToString();
    }

    /// <summary>One level of boxes, each with its count, its share of the whole diagram's total and its own parts.</summary>
    private static void Parts(StringBuilder sb, IReadOnlyList<CategoryCount> parts, double total)
    {
        if (parts.Count == 0)
        {
            return;
        }
        sb.Append("<ul class=\"og-box-parts\">");
        foreach (var c in parts)
        {
            var share = total > 0 ? c.Value / total * 100 : 0;
            sb.Append("<li><p class=\"og-box-node\"><span class=\"og-box-label\">").Append(E(c.Label)).Append("</span> <span class=\"og-box-value\">")
              .Append(ChartModel.Format(c.Value)).Append("</span> <span class=\"og-box-share\">")
              .Append(share.ToString("0.0", CultureInfo.InvariantCulture)).Append("%</span></p>");
            Parts(sb, c.Parts, total);
            sb.Append("</li>");
        }
        sb.Append("</ul>");
    }

    private static string NumberTile(ChartModel m)
    {
        var latest = m.Result.Latest;
        var sb = new StringBuilder("<p class=\"og-number\">");
        sb.Append("<span class=\"og-number-value\">").Append(ChartModel.Format(latest?.Value)).Append("</span>");
        if (latest is not null)
        {
            if (latest.Change is { } c)
            {
                var sign = c > 0 ? "+" : c < 0 ? "−" : "±";
                sb.Append(" <span class=\"og-number-change\">").Append(E(m.English ? "vs previous day " : "前日比 "))
                  .Append(sign).Append(ChartModel.Format(Math.Abs(c))).Append("</span>");
            }
            sb.Append(" <span class=\"og-number-date\">").Append(E(m.English ? "as of " : "")).Append(ChartModel.Date(latest.Date))
              .Append(E(m.English ? "" : " 時点")).Append("</span>");
        }
        return sb.Append("</p>").ToString();
    }

    private static string TimeChart(ChartModel m)
    {
        var series = m.Result.Series;
        var days = series[0].Points.Count;
        var stacked = m.Kind == ChartKind.StackedBar;
        var bars = m.Kind switch
        {
            ChartKind.Line => [],
            ChartKind.BarLine => series.Take(1).ToList(),
            _ => series.ToList(),
        };
        var lines = m.Kind switch
        {
            ChartKind.Line => series.ToList(),
            ChartKind.BarLine => series.Skip(1).ToList(),
            _ => [],
        };
        double max = 0;
        for (var i = 0; i < days; i++)
        {
            var barTotal = stacked ? bars.Sum(s => s.Points[i].Value ?? 0) : bars.Select(s => s.Points[i].Value ?? 0).DefaultIfEmpty(0).Max();
            var lineMax = lines.Select(s => i < s.Points.Count ? s.Points[i].Value ?? 0 : 0).DefaultIfEmpty(0).Max();
            max = Math.Max(max, Math.Max(barTotal, lineMax));
        }
        var top = NiceMax(Math.Max(max, m.YMax ?? 0));
        var plotW = Width - Left - Right;
        var plotH = Height - Top - Bottom;
        double X(int i) => Left + plotW * i / days;
        double Y(double v) => Top + plotH * (1 - v / top);
        var sb = Open(m);
        Axes(sb, top, series[0], X, Y);
        var slot = plotW / days;
        var barWidth = Math.Max(slot * (bars.Count > 1 && !stacked ? 0.9 / bars.Count : 0.8), 0.5);
        for (var b = 0; b < bars.Count; b++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<g fill=\"{Palette[b % Palette.Count]}\">");
            for (var i = 0; i < days; i++)
            {
                var v = bars[b].Points[i].Value ?? 0;
                if (v <= 0)
                {
                    continue;
                }
                var below = stacked ? bars.Take(b).Sum(s => s.Points[i].Value ?? 0) : 0;
                var x = X(i) + slot * 0.1 + (stacked || bars.Count == 1 ? 0 : b * barWidth);
                sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:0.##}\" y=\"{Y(below + v):0.##}\" width=\"{barWidth:0.###}\" height=\"{Y(below) - Y(below + v):0.##}\"><title>{ChartModel.Date(bars[b].Points[i].Date)} {E(bars[b].Name)}: {ChartModel.Format(v)}</title></rect>");
            }
            sb.Append("</g>");
        }
        for (var l = 0; l < lines.Count; l++)
        {
            var colour = m.Kind == ChartKind.BarLine ? LineColour : Palette[l % Palette.Count];
            sb.Append(CultureInfo.InvariantCulture, $"<path fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" d=\"");
            var pen = false;
            for (var i = 0; i < lines[l].Points.Count && i < days; i++)
            {
                if (lines[l].Points[i].Value is not { } v)
                {
                    pen = false;
                    continue;
                }
                sb.Append(CultureInfo.InvariantCulture, $"{(pen ? "L" : "M")}{X(i) + slot / 2:0.##} {Y(v):0.##} ");
                pen = true;
            }
            sb.Append("\"/>");
        }
        sb.Append("</svg>");
        Legend(sb, m, bars, lines);
        return sb.Append("</figure>").ToString();
    }

    private static string CategoryBars(ChartModel m)
    {
        var cats = m.Result.Categories;
        const double labelW = 80, rowH = 20;
        var height = Top + rowH * cats.Count + 4;
        var top = NiceMax(cats.Max(c => c.Value));
        var plotW = Width - labelW - 56;
        var sb = Open(m, height);
        for (var i = 0; i < cats.Count; i++)
        {
            var c = cats[i];
            var y = Top + rowH * i;
            var w = plotW * c.Value / top;
            var fill = c.IsStandard ? Palette[0] : Palette[6];
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelW - 4}\" y=\"{y + 14:0.##}\" text-anchor=\"end\" font-size=\"12\">{E(c.Label)}</text>");
            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{labelW}\" y=\"{y + 3:0.##}\" width=\"{Math.Max(w, 0):0.##}\" height=\"{rowH - 6}\" fill=\"{fill}\"><title>{E(c.Label)}: {ChartModel.Format(c.Value)}</title></rect>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelW + Math.Max(w, 0) + 4:0.##}\" y=\"{y + 14:0.##}\" font-size=\"12\">{ChartModel.Format(c.Value)}</text>");
        }
        return sb.Append("</svg></figure>").ToString();
    }

    private static StringBuilder Open(ChartModel m, double height = Height)
    {
        var t = $"{m.Id}-title";
        var d = $"{m.Id}-desc";
        var sb = new StringBuilder();
        sb.Append("<figure class=\"og-chart\">");
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {height:0.##}\" width=\"100%\" role=\"img\" aria-labelledby=\"{E(t)} {E(d)}\" font-family=\"sans-serif\">");
        sb.Append(CultureInfo.InvariantCulture, $"<title id=\"{E(t)}\">{E(m.Title)}</title><desc id=\"{E(d)}\">{E(m.Describe())}</desc>");
        return sb;
    }

    private static void Axes(StringBuilder sb, double top, DailySeries first, Func<int, double> x, Func<double, double> y)
    {
        sb.Append("<g font-size=\"12\" fill=\"#333\">");
        for (var k = 0; k <= 4; k++)
        {
            var v = top * k / 4;
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y(v):0.##}\" y2=\"{y(v):0.##}\" stroke=\"#ccc\" stroke-width=\"0.5\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 4}\" y=\"{y(v) + 4:0.##}\" text-anchor=\"end\">{ChartModel.Format(v)}</text>");
        }
        var n = first.Points.Count;
        var ticks = n <= 1 ? new[] { 0 } : new[] { 0, n / 2, n - 1 }.Distinct().ToArray();
        foreach (var i in ticks)
        {
            var d = first.Points[i].Date;
            var anchor = i == 0 ? "start" : i == n - 1 ? "end" : "middle";
            var px = i == 0 ? x(0) : i == n - 1 ? Width - Right : x(i);
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{px:0.##}\" y=\"{Height - 10}\" text-anchor=\"{anchor}\">{d.Year}/{d.Month}/{d.Day}</text>");
        }
        sb.Append("</g>");
    }

    private static void Legend(StringBuilder sb, ChartModel m, List<DailySeries> bars, List<DailySeries> lines)
    {
        if (bars.Count + lines.Count <= 1)
        {
            return;
        }
        sb.Append("<figcaption class=\"og-legend\"><ul>");
        for (var b = 0; b < bars.Count; b++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<li><span class=\"og-swatch\" style=\"background:{Palette[b % Palette.Count]}\" aria-hidden=\"true\"></span>{E(bars[b].Name)}</li>");
        }
        for (var l = 0; l < lines.Count; l++)
        {
            var colour = m.Kind == ChartKind.BarLine ? LineColour : Palette[l % Palette.Count];
            sb.Append(CultureInfo.InvariantCulture, $"<li><span class=\"og-swatch og-swatch-line\" style=\"background:{colour}\" aria-hidden=\"true\"></span>{E(lines[l].Name)}</li>");
        }
        sb.Append("</ul></figcaption>");
    }

    /// <summary>A round upper bound for the y axis (1, 2, 2.5 or 5 times a power of ten).</summary>
    public static double NiceMax(double max)
    {
        if (max <= 0 || double.IsNaN(max))
        {
            return 1;
        }
        var p = Math.Pow(10, Math.Floor(Math.Log10(max)));
        foreach (var f in new[] { 1, 2, 2.5, 5, 10 })
        {
            if (f * p >= max)
            {
                return f * p;
            }
        }
        return 10 * p;
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
