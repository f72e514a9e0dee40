using System.IO.Compression;
using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using OpenGov.Shared;
using OpenGov.Storage;

namespace OpenGov.Dashboards;

/// <summary>What an export wrote: the folder, its files (relative paths) and the first page's size gzipped.</summary>
public sealed record DashboardExport(string Directory, IReadOnlyList<string> Files, long IndexBytes, long IndexGzipBytes);

/// <summary>
/// Writes a dashboard as a self-contained static folder that nginx or a CDN serves with no OpenGov behind it:
/// index.html (ja) and index.en.html, style.css, charts/CARD.svg, cards/CARD.csv and data.json (Tokyo's shape, when
/// the dashboard has one). Every link inside is relative; source datasets are named, with their own external page
/// when they have one. Only public data is exported (the export has no reader).
/// </summary>
public sealed class DashboardExporter(DashboardStore store, DashboardData data, OpenGovDb db, IWebHostEnvironment env)
{
    public async Task<DashboardExport?> ExportAsync(string org, string slug, string directory, CancellationToken ct)
    {
        var d = await store.GetAsync(org, slug, ct);
        if (d is null)
        {
            return null;
        }
        var ids = d.Definition.Cards.SelectMany(SourceQueries.Of).Select(q => q.Resource).Distinct().ToList();
        var publicIds = await PublicAsync(ids, ct);
        var computed = await data.ComputeAsync(d.Definition, publicIds, ct);
        var sources = await db.Resources.AsNoTracking().Where(r => ids.Contains(r.Id))
            .Join(db.Datasets, r => r.DatasetId, x => x.Id, (r, x) => new { r.Id, x.Title, x.Url, x.LicenseId })
            .ToDictionaryAsync(x => x.Id, x => new ExportSource(x.Title, x.Url, x.LicenseId), ct);

        Directory.CreateDirectory(directory);
        Directory.CreateDirectory(Path.Combine(directory, "charts"));
        Directory.CreateDirectory(Path.Combine(directory, "cards"));
        var files = new List<string>();
        async Task Write(string relative, string text)
        {
            await File.WriteAllTextAsync(Path.Combine(directory, relative), text, new UTF8Encoding(false), ct);
            files.Add(relative);
        }

        await Write("style.css", await CssAsync(ct));
        foreach (var card in d.Definition.Cards)
        {
            var result = computed.Cards[card.Id];
            await Write($"cards/{card.Id}.csv", DashboardData.Csv(result, english: false));
            var svg = Svg(ChartRenderer.Render(Model(card, result, "ja")));
            if (svg is not null)
            {
                await Write($"charts/{card.Id}.svg", svg);
            }
        }
        if (d.Definition.TokyoData is { } tokyo && SourceQueries.Of(tokyo).All(q => publicIds.Contains(q.Resource))
            && await data.DataJsonAsync(d.Definition, ct) is { } json)
        {
            await Write("data.json", json);
        }
        var page = new ExportPage(d, computed, sources, files.Contains("data.json"));
        var index = page.Html("ja");
        await Write("index.html", index);
        await Write("index.en.html", page.Html("en"));
        var bytes = Encoding.UTF8.GetBytes(index);
        return new DashboardExport(directory, files, bytes.Length, Gzipped(bytes));
    }

    internal sealed record ExportSource(string Title, string Url, string License);

    internal static ChartModel Model(CardDefinition card, CardResult result, string language) =>
        new("card-" + card.Id, card.Title.For(language), card.Chart, Pages.ViewModel.Cut(card, result, null), language);

    /// <summary>The chart's SVG as a standalone file (null for the number tile, the table and error states).</summary>
    private static string? Svg(string html)
    {
        var start = html.IndexOf("<svg", StringComparison.Ordinal);
        var end = html.LastIndexOf("</svg>", StringComparison.Ordinal);
        return start < 0 || end < 0 ? null : "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + html[start..(end + 6)] + "\n";
    }

    private async Task<IReadOnlySet<string>> PublicAsync(IReadOnlyCollection<string> ids, CancellationToken ct) =>
        (await db.Resources.AsNoTracking().Where(r => ids.Contains(r.Id) && r.State == "active")
            .Join(db.Datasets.Where(x => x.State == "active" && !x.Private), r => r.DatasetId, x => x.Id, (r, _) => r.Id)
            .ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);

    private async Task<string> CssAsync(CancellationToken ct)
    {
        var sb = new StringBuilder("/* OpenGov dashboard export: the site's base styles and the dashboards' styles. */\n");
        foreach (var name in new[] { "css/site.css", "css/dashboards.css" })
        {
            var file = env.WebRootFileProvider.GetFileInfo(name);
            if (file.Exists)
            {
                await using var s = file.CreateReadStream();
                using var reader = new StreamReader(s);
                sb.Append(await reader.ReadToEndAsync(ct)).Append('\n');
            }
        }
        return sb.ToString();
    }

    private static long Gzipped(byte[] bytes)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true))
        {
            gz.Write(bytes);
        }
        return ms.Length;
    }

    internal static string E(string s) => WebUtility.HtmlEncode(s);
}
