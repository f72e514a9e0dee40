using Microsoft.EntityFrameworkCore;
using OpenGov.Notifications;
using OpenGov.Storage;

namespace OpenGov.Catalog.Search.Synonyms;

/// <summary>
/// The synonym list as the search uses it: each word (folded, so ころな = コロナ, ＡＢＣ = abc) to the words of its
/// group. Read once from search_synonyms and kept until the catalog's stamp moves (a save bumps it, on every node
/// through <see cref="CatalogChanged"/>).
/// </summary>
public sealed class SynonymStore
{
    private volatile IReadOnlyDictionary<string, IReadOnlyList<string>>? _map;

    public SynonymStore(IChangeNotifications notifications) =>
        notifications.Subscribe<CatalogChanged>((_, _) =>
        {
            Invalidate();
            return Task.CompletedTask;
        });

    public void Invalidate() => _map = null;

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> MapAsync(OpenGovDb db, CancellationToken ct)
    {
        if (_map is { } map)
        {
            return map;
        }

        var rows = await db.Set<SearchSynonym>().AsNoTracking().OrderBy(s => s.Id).Select(s => s.Terms).ToListAsync(ct);
        var built = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var group in rows.Select(SynonymText.Split).Where(g => g.Count > 1))
        {
            foreach (var word in group)
            {
                var key = JapaneseTokenizer.Normalize(word);
                built[key] = built.TryGetValue(key, out var existing) ? [.. existing.Union(group, StringComparer.Ordinal)] : group;
            }
        }

        _map = built;
        return built;
    }

    /// <summary>q's free-text words that have synonyms become a choice of their group's words (fields kept).</summary>
    public static SolrNode Expand(SolrNode node, IReadOnlyDictionary<string, IReadOnlyList<string>> map) => map.Count == 0 ? node : node switch
    {
        SolrAnd a => new SolrAnd([.. a.Parts.Select(p => Expand(p, map))]),
        SolrOr o => new SolrOr([.. o.Parts.Select(p => Expand(p, map))]),
        SolrNot n => new SolrNot(Expand(n.Inner, map)),
        SolrText t when map.TryGetValue(JapaneseTokenizer.Normalize(t.Text), out var group) =>
            new SolrSynonyms([t, .. group.Where(w => JapaneseTokenizer.Normalize(w) != JapaneseTokenizer.Normalize(t.Text)).Select(w => new SolrText(w, t.Field))]),
        _ => node,
    };
}

/// <summary>How a group of words is written on the editing page: separated by commas (、，,) or slashes.</summary>
public static class SynonymText
{
    public const int MaxWordLength = 50;
    public const int MaxGroups = 500;

    public static IReadOnlyList<string> Split(string line) =>
        [.. line.Split([',', '、', '，', '/', '／'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .DistinctBy(JapaneseTokenizer.Normalize, StringComparer.Ordinal)];

    public static string Join(IEnumerable<string> words) => string.Join(", ", words);
}
