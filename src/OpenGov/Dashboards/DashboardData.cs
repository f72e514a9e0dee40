using Microsoft.Extensions.Caching.Memory;
using OpenGov.DataStore.Api;

namespace OpenGov.Dashboards;

/// <summary>A dashboard's computed cards, the stamp they were computed for, and the source tables' last load.</summary>
public sealed record ComputedDashboard(IReadOnlyDictionary<string, CardResult> Cards, DateTime? LastLoaded);

/// <summary>
/// Computes cards from the DataStore through <see cref="DataStoreAggregates"/>. The grouped rows of each query are
/// cached under the source table's last-load time, read from the shared metadata table on every request, so a reload
/// on any node gives a new key and the next request recomputes.
/// </summary>
public sealed class DashboardData(DataStoreAggregates aggregates, IMemoryCache cache)
{
    private static readonly TimeSpan Keep = TimeSpan.FromMinutes(30);

    /// <summary>Patients listed in data.json, at most (Tokyo listed every one).</summary>
    public const int MaxPatients = 2_000_000;

    public async Task<ComputedDashboard> ComputeAsync(DashboardDefinition d, IReadOnlySet<string> readable, CancellationToken ct)
    {
        var queries = d.Cards.Where(c => Readable(c, readable)).SelectMany(SourceQueries.Of).Distinct().ToList();
        var (source, last) = await FetchAsync(queries, ct);
        var results = new Dictionary<string, CardResult>(StringComparer.Ordinal);
        foreach (var card in d.Cards)
        {
            results[card.Id] = Readable(card, readable) ? CardComputer.Compute(card, source) : new CardResult();
        }
        return new ComputedDashboard(results, last);
    }

    private static bool Readable(CardDefinition c, IReadOnlySet<string> readable) =>
        SourceQueries.Of(c).All(q => readable.Contains(q.Resource));

    /// <summary>
    /// A short stamp that changes when the dashboard's definition or any of its source tables changes (a reload, an
    /// upsert): the definition's version and every source's last load, read from the shared metadata table. Cheap
    /// enough for open pages to poll.
    /// </summary>
    public async Task<(string Stamp, DateTime? LastLoaded)> StampAsync(DashboardDefinition d, int version, CancellationToken ct)
    {
        var ids = DashboardSources.Of(d).Order(StringComparer.Ordinal).ToList();
        var stamps = await aggregates.LastLoadedAsync(ids, ct);
        var text = string.Join('|', ids.Select(i => i + "@" + (stamps.TryGetValue(i, out var s) ? s.Ticks : 0)));
        return ($"{version}-{ShortHash(text, 16)}", stamps.Count == 0 ? null : stamps.Values.Max());
    }

    /// <summary>The first <paramref name="chars"/> hex digits of the text's SHA-256: the dashboards' stamps.</summary>
    internal static string ShortHash(string text, int chars) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..chars];

    /// <summary>Tokyo's data.json for the dashboard's <see cref="DashboardDefinition.TokyoData"/> (null when it has none).</summary>
    public async Task<string?> DataJsonAsync(DashboardDefinition d, CancellationToken ct)
    {
        if (d.TokyoData is not { } sources)
        {
            return null;
        }
        var queries = SourceQueries.Of(sources).ToList();
        var ids = queries.Select(q => q.Resource).Distinct().ToList();
        var stamps = await aggregates.LastLoadedAsync(ids, ct);
        var key = "dash:json:" + string.Join('|', ids.Select(i => i + "@" + stamps.GetValueOrDefault(i).Ticks)) + "|" + sources;
        if (cache.TryGetValue(key, out string? cached) && cached is not null)
        {
            return cached;
        }
        var (source, last) = await FetchAsync(queries, ct);
        var patients = sources.Patients is { } p ? await PatientsAsync(p, ct) : null;
        var json = TokyoDataJson.Serialize(TokyoDataJson.Build(sources, source, patients, last is { } t ? new DateTimeOffset(t, TimeSpan.Zero) : DateTimeOffset.UtcNow));
        cache.Set(key, json, new MemoryCacheEntryOptions { SlidingExpiration = Keep, Size = json.Length });
        return json;
    }

    private async Task<List<TokyoPatient>?> PatientsAsync(string resource, CancellationToken ct)
    {
        var fields = await aggregates.FieldsAsync(resource, ct);
        if (fields is null)
        {
            return null;
        }
        var names = fields.Select(f => f.Id).ToHashSet(StringComparer.Ordinal);
        string? Col(params string[] options) => options.FirstOrDefault(names.Contains);
        var wanted = new[]
        {
            Col(TokyoColumns.ReleaseDate), Col(TokyoColumns.Residence), Col(TokyoColumns.Age), Col(TokyoColumns.Sex),
            Col(TokyoColumns.Discharged, TokyoColumns.DischargedTokyo), Col(TokyoColumns.Status),
        };
        if (wanted[0] is null)
        {
            return null;
        }
        var present = wanted.Where(w => w is not null).Select(w => w!).ToList();
        var rows = await aggregates.ReadColumnsAsync(resource, present, null, MaxPatients, ct);
        if (rows is null)
        {
            return null;
        }
        var index = wanted.Select(w => w is null ? -1 : present.IndexOf(w)).ToArray();
        string? At(string?[] row, int i) => index[i] < 0 ? null : row[index[i]];
        return rows.Rows.Select(r => new TokyoPatient(At(r, 0), At(r, 1), At(r, 2), At(r, 3), At(r, 4), At(r, 5))).ToList();
    }

    /// <summary>Fetches the grouped rows of every query (cached per table load) into a source the computations read.</summary>
    private async Task<(PrefetchedSource Source, DateTime? LastLoaded)> FetchAsync(IReadOnlyList<SourceQuery> queries, CancellationToken ct)
    {
        var stamps = await aggregates.LastLoadedAsync(queries.Select(q => q.Resource).Distinct().ToList(), ct);
        var source = new PrefetchedSource();
        foreach (var q in queries)
        {
            if (!stamps.TryGetValue(q.Resource, out var stamp))
            {
                continue; // no table (yet): the card is empty
            }
            var key = $"dash:q:{q.Resource}@{stamp.Ticks}|{q.Query.DateColumn}|{q.Query.CategoryColumn}|{q.Query.ValueColumn}";
            if (!cache.TryGetValue(key, out Fetched? fetched) || fetched is null)
            {
                fetched = await FetchAsync(q, ct);
                cache.Set(key, fetched, new MemoryCacheEntryOptions { SlidingExpiration = Keep, Size = fetched.Observations.Count + 1 });
            }
            if (fetched.MissingColumn is { } col)
            {
                source.AddMissingColumn(q, col);
            }
            else
            {
                source.Add(q, fetched.Observations, fetched.Issues);
            }
        }
        return (source, stamps.Count == 0 ? null : stamps.Values.Max());
    }

    private sealed record Fetched(IReadOnlyList<Observation> Observations, AggregateIssues Issues, string? MissingColumn);

    private async Task<Fetched> FetchAsync(SourceQuery q, CancellationToken ct)
    {
        var groupBy = new[] { q.Query.DateColumn, q.Query.CategoryColumn }.Where(c => c is not null).Select(c => c!).ToList();
        var issues = new AggregateIssues();
        try
        {
            var result = await aggregates.GroupAsync(q.Resource, new AggregateRequest(groupBy, q.Query.ValueColumn), ct);
            if (result is null)
            {
                return new Fetched([], issues, null);
            }
            var list = new List<Observation>(result.Rows.Count);
            foreach (var row in result.Rows)
            {
                var k = 0;
                var date = q.Query.DateColumn is null ? null : row.Keys[k++];
                var category = q.Query.CategoryColumn is null ? null : row.Keys[k];
                issues.BlankValues += row.BlankValues;
                issues.UnparsableValues += row.UnparsableValues;
                if (q.Query.ValueColumn is not null && row.BlankValues + row.UnparsableValues == row.Count)
                {
                    continue;
                }
                list.Add(new Observation(date, category, row.Sum ?? row.Count, row.Count));
            }
            return new Fetched(list, issues, null);
        }
        catch (AggregateRequestException e) when (e.Column.Length > 0)
        {
            return new Fetched([], issues, e.Column);
        }
    }

    /// <summary>The numbers of a card as CSV (UTF-8 with BOM for Excel): date and one column per series, or category and value.</summary>
    public static string Csv(CardResult r, bool english)
    {
        var sb = new System.Text.StringBuilder("\uFEFF");
        static string Q(string s) => s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
        static string N(double? v) => v is { } x ? x.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture) : "";
        if (r.Categories.Count > 0)
        {
            sb.Append(english ? "category,value" : "区分,値").Append("\r\n");
            foreach (var (label, value) in ChartRenderer.TableRows(r))
            {
                sb.Append(Q(label)).Append(',').Append(N(value)).Append("\r\n");
            }
            return sb.ToString();
        }
        sb.Append(english ? "date" : "日付");
        foreach (var s in r.Series)
        {
            sb.Append(',').Append(Q(s.Name));
        }
        sb.Append("\r\n");
        var days = r.Series.Count == 0 ? 0 : r.Series[0].Points.Count;
        for (var i = 0; i < days; i++)
        {
            sb.Append(ChartModel.Date(r.Series[0].Points[i].Date));
            foreach (var s in r.Series)
            {
                sb.Append(',').Append(N(i < s.Points.Count ? s.Points[i].Value : null));
            }
            sb.Append("\r\n");
        }
        return sb.ToString();
    }

}
