namespace OpenGov.Dashboards;

/// <summary>The resources a dashboard reads: every card's sources and its data.json's, each once.</summary>
public static class DashboardSources
{
    public static IEnumerable<string> Of(DashboardDefinition d) =>
        d.Cards.SelectMany(SourceQueries.Of).Select(q => q.Resource)
            .Concat(d.TokyoData is { } t ? SourceQueries.Of(t).Select(q => q.Resource) : [])
            .Distinct(StringComparer.Ordinal);
}
