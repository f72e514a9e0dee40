using System.Globalization;
using System.Text;
using OpenGov.Shared;
using static OpenGov.Dashboards.DashboardExporter;

namespace OpenGov.Dashboards;

/// <summary>The exported dashboard's page in one language: the same cards as the live page, with relative links only and no script.</summary>
internal sealed class ExportPage(StoredDashboard d, ComputedDashboard computed, IReadOnlyDictionary<string, ExportSource> sources, bool hasDataJson)
{
    public string Html(string language)
    {
        var en = language == "en";
        string T(string ja, string english) => E(en ? english : ja);
        var def = d.Definition;
        var title = def.Title.For(language);
        var org = en && !string.IsNullOrWhiteSpace(d.Organization.TitleEn) ? d.Organization.TitleEn : d.Organization.Title;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"""
            <!DOCTYPE html>
            <html lang="{language}">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{E(title)}</title>
            <link rel="stylesheet" href="style.css">
            </head>
            <body>
            <a class="skip" href="#main">{T("本文へ移動", "Skip to content")}</a>
            <header class="site-header"><span class="brand">{E(org)}</span>
            <nav aria-label="{T("言語", "Language")}"><ul><li><a href="{(en ? "index.html" : "index.en.html")}" lang="{(en ? "ja" : "en")}" hreflang="{(en ? "ja" : "en")}">{(en ? "日本語" : "English")}</a></li></ul></nav>
            </header>
            <main id="main" tabindex="-1">
            <div class="og-dash">
            <h1>{E(title)}</h1>
            <p class="og-dash-meta">{E(org)}
            """);
        if (computed.LastLoaded is { } last)
        {
            var jst = JapanTime.From(last).ToString("yyyy/MM/dd HH:mm", CultureInfo.InvariantCulture);
            sb.Append(CultureInfo.InvariantCulture, $" · {T("最終更新", "Last updated")} <time datetime=\"{JapanTime.Iso(last)}\">{jst}</time> (JST)");
        }
        if (hasDataJson)
        {
            sb.Append(" · <a href=\"data.json\">data.json</a>");
        }
        sb.Append("</p>\n<div class=\"og-cards\">\n");
        foreach (var card in def.Cards)
        {
            var result = computed.Cards[card.Id];
            var model = Model(card, result, language);
            sb.Append(CultureInfo.InvariantCulture, $"<section class=\"og-card\" id=\"{E(card.Id)}\" aria-labelledby=\"h-{E(card.Id)}\"><h2 id=\"h-{E(card.Id)}\">{E(card.Title.For(language))}</h2>");
            if (card.Notes is not null)
            {
                sb.Append("<div class=\"og-card-notes\">").Append(SafeMarkdown.ToHtml(card.Notes.For(language)).Value).Append("</div>");
            }
            sb.Append(ChartRenderer.Render(model));
            if (result.MissingColumn is null && !result.IsEmpty && card.Chart != ChartKind.Table)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<details class=\"og-card-table\"><summary>{T("表で見る", "Show as a table")}</summary>{ChartRenderer.Table(model)}</details>");
            }
            sb.Append(CultureInfo.InvariantCulture, $"<ul class=\"og-card-links\"><li><a href=\"cards/{E(card.Id)}.csv\" download>{T("CSV をダウンロード", "Download CSV")}</a></li>");
            if (sources.TryGetValue(card.Source, out var src))
            {
                var name = Uri.TryCreate(src.Url, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"
                    ? $"<a href=\"{E(u.ToString())}\">{E(src.Title)}</a>" : E(src.Title);
                var licence = src.License.Length > 0 ? $" ({E(src.License)})" : "";
                sb.Append(CultureInfo.InvariantCulture, $"<li>{T("出典", "Source")}: {name}{licence}</li>");
            }
            sb.Append(CultureInfo.InvariantCulture, $"<li><a href=\"#{E(card.Id)}\">{T("このカードへのリンク", "Link to this card")}</a></li></ul></section>\n");
        }
        sb.Append(CultureInfo.InvariantCulture, $"""
            </div>
            </div>
            </main>
            <footer class="site-footer"><p>{T("OpenGov のダッシュボードから書き出した静的な版です。", "A static copy exported from an OpenGov dashboard.")}</p></footer>
            </body>
            </html>

            """);
        return sb.ToString();
    }
}
