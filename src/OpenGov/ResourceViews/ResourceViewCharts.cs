using System.Globalization;
using System.Text.Json.Nodes;
using OpenGov.Dashboards;

namespace OpenGov.ResourceViews;

/// <summary>A chart view drawn: the SVG (or a message), its table alternative, and the rows left out.</summary>
public sealed record RenderedChart(string Html, string? Table, AggregateIssues Issues);

/// <summary>
/// Draws a chart view with the dashboards' machinery: the view becomes a one-card dashboard over the resource's
/// table, computed by <see cref="DashboardData"/> (through the DataStore's aggregate API, cached per table load) and
/// drawn by <see cref="ChartRenderer"/> (SVG readable on a phone, and an HTML table).
/// </summary>
public sealed class ResourceViewCharts(DashboardData data)
{
    public async Task<RenderedChart> RenderAsync(ResourceView view, CancellationToken ct)
    {
        var config = ChartConfig.From(JsonNode.Parse(view.ConfigJson) as JsonObject ?? []);
        var computation = config.ChartType switch
        {
            ChartConfig.SumPerDay => new ComputationDefinition { Kind = ComputationKind.SumPerDay, DateColumn = config.DateColumn, ValueColumn = config.ValueColumn },
            ChartConfig.CountPerCategory => new ComputationDefinition { Kind = ComputationKind.CountByCategory, CategoryColumn = config.CategoryColumn },
            _ => new ComputationDefinition { Kind = ComputationKind.CountPerDay, DateColumn = config.DateColumn },
        };
        var card = new CardDefinition
        {
            Id = "view-" + view.Id,
            Title = new LocalizedText(view.Title),
            Source = view.ResourceId,
            Computation = computation,
            Chart = ChartKind.Bar,
        };
        var dashboard = new DashboardDefinition { Slug = card.Id, Title = card.Title, Organization = "", Cards = [card] };
        var computed = await data.ComputeAsync(dashboard, new HashSet<string>(StringComparer.Ordinal) { view.ResourceId }, ct);
        var result = computed.Cards[card.Id];
        var model = new ChartModel(card.Id, view.Title, ChartKind.Bar, result, CultureInfo.CurrentUICulture.Name);
        var table = result.MissingColumn is null && !result.IsEmpty ? ChartRenderer.Table(model) : null;
        return new RenderedChart(ChartRenderer.Render(model), table, result.Issues);
    }
}
