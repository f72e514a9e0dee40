using System.Text.Json.Nodes;

namespace OpenGov.Dashboards;

/// <summary>
/// data.json's main_summary breakdown of 陽性患者数 from a status table (<see cref="TokyoDataSources.Status"/>), in the
/// order and with the names of Tokyo's data.json of 2020-08-06: 入院中 (軽症・中等症, 重症), 退院, 死亡, 宿泊療養,
/// 自宅療養, 調査中 (the CSV's 調整中).
/// </summary>
public static class TokyoStatusSummary
{
    /// <summary>What data.json reads of the status table: its latest day with every column filled.</summary>
    public static ComputationDefinition Computation { get; } = new()
    {
        Kind = ComputationKind.LatestColumns,
        DateColumn = TokyoColumns.StatusDate,
        Columns = [TokyoColumns.Hospitalized, TokyoColumns.Recovered, TokyoColumns.Died, TokyoColumns.Hotel, TokyoColumns.Home, TokyoColumns.Adjusting],
        Parts = new Dictionary<string, IReadOnlyList<string>> { [TokyoColumns.Hospitalized] = [TokyoColumns.MildModerate, TokyoColumns.Severe] },
    };

    private static string Attr(string column) => column == TokyoColumns.Adjusting ? "調査中" : column;

    /// <summary>The children of 陽性患者数, or null when the table lacks a column or has no complete day.</summary>
    public static JsonArray? Children(string resource, IObservationSource observations)
    {
        CardResult r;
        try
        {
            r = StatusColumns.Latest(resource, Computation, observations, new AggregateIssues(), null);
        }
        catch (MissingColumnException)
        {
            return null;
        }
        if (r.Categories.Count == 0)
        {
            return null;
        }
        static JsonObject Node(CategoryCount c)
        {
            var o = new JsonObject { ["attr"] = Attr(c.Label), ["value"] = (long)Math.Round(c.Value, MidpointRounding.AwayFromZero) };
            if (c.Parts.Count > 0)
            {
                o["children"] = new JsonArray(c.Parts.Select(p => (JsonNode)Node(p)).ToArray());
            }
            return o;
        }
        return new JsonArray(r.Categories.Select(c => (JsonNode)Node(c)).ToArray());
    }
}
