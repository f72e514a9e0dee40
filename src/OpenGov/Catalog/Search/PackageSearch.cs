#pragma warning disable EF1002 // identifiers come from the model, values are always parameters
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using OpenGov.Accounts;
using OpenGov.Ckan;
using OpenGov.Storage;

namespace OpenGov.Catalog.Search;

/// <summary>What package_search (and the browse pages) ask for.</summary>
public sealed record SearchQuery
{
    public string? Q { get; init; }

    public IReadOnlyList<string> Fq { get; init; } = [];

    public int Rows { get; init; } = 10;

    public int Start { get; init; }

    public string? Sort { get; init; }

    public IReadOnlyList<string> FacetFields { get; init; } = [];

    public int FacetLimit { get; init; } = 50;

    public int FacetMinCount { get; init; } = 1;

    public bool IncludePrivate { get; init; }

    public bool IncludeDrafts { get; init; }
}

/// <summary>One facet value with its count and the name to show.</summary>
public sealed record FacetItem(string Name, string DisplayName, long Count);

public sealed record SearchOutcome(long Count, IReadOnlyList<string> Ids, string Sort, IReadOnlyDictionary<string, IReadOnlyList<FacetItem>> Facets);

/// <summary>
/// Runs a search on the database's own full-text index and the catalog tables, with the same results on SQLite
/// (FTS5, bm25) and PostgreSQL (tsvector, ts_rank): filters, visibility, counts and facets are plain SQL over the same
/// rows; only the relevance score differs between engines.
/// </summary>
public sealed class PackageSearch(OpenGovDb db, CurrentUser user, Synonyms.SynonymStore synonyms)
{
    public const string DefaultSort = "score desc, metadata_modified desc";
    public const int MaxRows = 1000;

    public static readonly string[] FacetFieldNames = ["organization", "groups", "tags", "res_format", "license_id", "owner_org"];

    private sealed class PageRow
    {
        public string Id { get; set; } = "";

        public long Total { get; set; }
    }

    private sealed class FacetRow
    {
        public string Field { get; set; } = "";

        public string? Name { get; set; }

        public long Count { get; set; }
    }

    public async Task<SearchOutcome> RunAsync(SearchQuery query, CancellationToken ct)
    {
        var sql = new SearchSql(db);
        var b = new SqlBuilder(sql);

        var qNode = Synonyms.SynonymStore.Expand(ParseQ(query.Q), await synonyms.MapAsync(db, ct));
        var nodes = new List<SolrNode> { qNode };
        nodes.AddRange(query.Fq.Where(f => !string.IsNullOrWhiteSpace(f)).Select(SolrQueryParser.Parse));
        var root = Flatten(new SolrAnd(nodes));

        // Positive free-text terms at the top level are matched (and ranked) through one join on the index.
        // A word with synonyms is one term whose alternatives any may match.
        var rankPhrases = root.Parts
            .Select(p => p switch { SolrText t => [t], SolrSynonyms s => s.Alternatives, _ => null })
            .OfType<IReadOnlyList<SolrText>>()
            .Select(alts => alts.Select(t => (Text: t, Phrase: SqlBuilder.Phrase(t))).Where(a => a.Phrase.Count > 0).ToList())
            .Where(alts => alts.Count > 0)
            .ToList();
        var rest = root.Parts.Where(p => p is not (SolrText or SolrSynonyms)).ToList();
        var sort = ParseSort(query.Sort);

        var where = new StringBuilder();
        where.Append(VisibilitySql(b, query, await VisibilityAsync(ct)));
        foreach (var part in rest)
        {
            where.Append(" AND ").Append(b.Predicate(part));
        }

        string join = "", score = "0.0";
        if (rankPhrases.Count > 0)
        {
            var match = b.Param(sql.Pg
                ? string.Join(" & ", rankPhrases.Select(alts => "(" + string.Join(" | ", alts.Select(t => "(" + SqlBuilder.TsQuery(t.Phrase, t.Text.Field) + ")")) + ")"))
                : string.Join(" AND ", rankPhrases.Select(alts => alts.Count == 1
                    ? SqlBuilder.FtsQuery(alts[0].Phrase, alts[0].Text.Field)
                    : "(" + string.Join(" OR ", alts.Select(t => SqlBuilder.FtsQuery(t.Phrase, t.Text.Field))) + ")")));
            join = sql.Pg
                ? $" JOIN (SELECT s.dataset_id, ts_rank(s.tsv, CAST({match} AS tsquery)) AS score FROM {SearchSql.DocTable} s WHERE s.tsv @@ CAST({match} AS tsquery)) r ON r.dataset_id = d.\"id\""
                : $" JOIN (SELECT dataset_id, -bm25({SearchSql.FtsTable}, 0.0, 10.0, 4.0, 2.0, 2.0, 1.0, 1.0) AS score FROM {SearchSql.FtsTable} WHERE {SearchSql.FtsTable} MATCH {match}) r ON r.dataset_id = d.\"id\"";
            score = "r.score";
        }

        var matched = $"SELECT d.\"id\" AS id, {score} AS score, d.\"metadata_modified\" AS mm, d.\"metadata_created\" AS mc, d.\"title\" AS title, d.\"name\" AS name, d.\"owner_org_id\" AS org, d.\"license_id\" AS lic FROM {sql.Dataset} d{join} WHERE {where}";

        // Count and facets in one statement over the matched rows.
        var facetFields = query.FacetFields.Distinct(StringComparer.Ordinal).ToList();
        foreach (var f in facetFields.Where(f => !FacetFieldNames.Contains(f)))
        {
            throw CkanException.SearchQuery($"Search Query is invalid: ('undefined field {f}',)");
        }

        var rows = new List<FacetRow>();
        var ids = new List<string>();
        long count = -1;
        var order = string.Join(", ", sort.Where(s => s.Column is not null).Select(s => s.Sql(sql.Pg)).Append("m.id"));
        if (facetFields.Count == 0 && query.Rows > 0)
        {
            // The common case: one statement gives the page and the total (a window count), matching the index once.
            var page = $"SELECT m.id AS \"Id\", COUNT(*) OVER () AS \"Total\" FROM ({matched}) m ORDER BY {order} LIMIT {b.Param(query.Rows)} OFFSET {b.Param(query.Start)}";
            var hits = await db.Database.SqlQueryRaw<PageRow>(page, [.. b.Parameters]).ToListAsync(ct);
            ids = [.. hits.Select(h => h.Id)];
            count = hits.Count > 0 ? hits[0].Total : query.Start == 0 ? 0 : -1;
        }

        if (count < 0)
        {
            // Count and facets in one statement over the matched rows.
            var stats = new StringBuilder($"WITH m AS ({matched}) SELECT '' AS \"Field\", '' AS \"Name\", COUNT(*) AS \"Count\" FROM m");
            foreach (var f in facetFields)
            {
                stats.Append(" UNION ALL ").Append(FacetSql(sql, f));
            }

            rows = await db.Database.SqlQueryRaw<FacetRow>(stats.ToString(), [.. b.Parameters]).ToListAsync(ct);
            count = rows.First(r => r.Field.Length == 0).Count;
            if (query.Rows > 0 && query.Start < count)
            {
                var page = $"SELECT m.id AS \"Value\" FROM ({matched}) m ORDER BY {order} LIMIT {b.Param(query.Rows)} OFFSET {b.Param(query.Start)}";
                ids = await db.Database.SqlQueryRaw<string>(page, [.. b.Parameters]).ToListAsync(ct);
            }
        }

        var facets = new Dictionary<string, IReadOnlyList<FacetItem>>(StringComparer.Ordinal);
        foreach (var f in facetFields)
        {
            var items = rows.Where(r => r.Field == f && !string.IsNullOrEmpty(r.Name) && r.Count >= query.FacetMinCount)
                .OrderByDescending(r => r.Count).ThenBy(r => r.Name, StringComparer.Ordinal)
                .Take(query.FacetLimit < 0 ? int.MaxValue : query.FacetLimit)
                .ToList();
            facets[f] = await DisplayAsync(f, items, ct);
        }

        return new SearchOutcome(count, ids, string.Join(", ", sort.Select(s => s.Text)), facets);
    }

    /// <summary>q is lenient like Solr's dismax: if it does not parse, its words are searched as plain text.</summary>
    private static SolrNode ParseQ(string? q)
    {
        if (string.IsNullOrWhiteSpace(q) || q.Trim() == "*:*")
        {
            return new SolrAll();
        }

        try
        {
            return SolrQueryParser.Parse(q);
        }
        catch (CkanException) when (!q.Contains(':', StringComparison.Ordinal))
        {
            var words = q.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(w => (SolrNode)new SolrText(w, null)).ToList();
            return new SolrAnd(words);
        }
    }

    private static SolrAnd Flatten(SolrNode node)
    {
        var parts = new List<SolrNode>();
        Walk(node);
        return new SolrAnd(parts);

        void Walk(SolrNode n)
        {
            switch (n)
            {
                case SolrAnd a:
                    foreach (var p in a.Parts)
                    {
                        Walk(p);
                    }

                    break;
                case SolrAll:
                    break;
                default:
                    parts.Add(n);
                    break;
            }
        }
    }

    private sealed record SortKey(string Text, string? Column, bool Desc, bool Binary = false)
    {
        public string Sql(bool pg) => (Binary && pg ? Column + " COLLATE \"C\"" : Column) + (Desc ? " DESC" : " ASC");
    }

    private static List<SortKey> ParseSort(string? sort)
    {
        if (string.IsNullOrWhiteSpace(sort) || sort.Trim() == "rank")
        {
            sort = DefaultSort;
        }

        var keys = new List<SortKey>();
        foreach (var part in sort.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var bits = part.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (bits.Length != 2 || bits[1] is not ("asc" or "desc"))
            {
                throw InvalidSort();
            }

            var desc = bits[1] == "desc";
            var text = bits[0] + " " + bits[1];
            switch (bits[0])
            {
                case "score": keys.Add(new SortKey(text, "m.score", desc)); break;
                case "metadata_modified": keys.Add(new SortKey(text, "m.mm", desc)); break;
                case "metadata_created": keys.Add(new SortKey(text, "m.mc", desc)); break;
                case "title_string": keys.Add(new SortKey(text, "m.title", desc, true)); break;
                case "name": keys.Add(new SortKey(text, "m.name", desc, true)); break;
                case "id": keys.Add(new SortKey(text, "m.id", desc, true)); break; // ckanext-harvest pages with "id asc"
                case "views_recent" or "views_total": keys.Add(new SortKey(text, null, desc)); break; // no page-view tracking: accepted, orders nothing
                default: throw InvalidSort();
            }
        }

        return keys.Count == 0 ? throw InvalidSort() : keys;

        static CkanException InvalidSort() => CkanException.SearchQuery("Search Query is invalid: ('Invalid \"sort\" parameter',)");
    }

    private sealed record Visibility(bool Sysadmin, string? UserId, IReadOnlyList<string> OrgIds);

    private async Task<Visibility> VisibilityAsync(CancellationToken ct) =>
        user.IsSysadmin ? new Visibility(true, user.Id, []) : new Visibility(false, user.Id, [.. (await user.OrganizationRolesAsync(ct)).Keys]);

    /// <summary>CKAN's permission labels: public active datasets, plus the user's organizations' and own datasets.</summary>
    private static string VisibilitySql(SqlBuilder b, SearchQuery q, Visibility v)
    {
        var sb = new StringBuilder(q.IncludeDrafts ? "d.\"state\" IN ('active', 'draft')" : "d.\"state\" = 'active'");
        if (!q.IncludePrivate)
        {
            sb.Append(" AND d.\"private\" = FALSE");
        }

        if (!v.Sysadmin)
        {
            sb.Append(" AND ((d.\"private\" = FALSE AND d.\"state\" = 'active')");
            if (v.OrgIds.Count > 0)
            {
                sb.Append(" OR d.\"owner_org_id\" IN (").Append(string.Join(", ", v.OrgIds.Select(b.Param))).Append(')');
            }

            if (v.UserId is not null)
            {
                sb.Append(" OR d.\"creator_user_id\" = ").Append(b.Param(v.UserId));
            }

            sb.Append(')');
        }

        return sb.ToString();
    }

    private static string FacetSql(SearchSql sql, string field)
    {
        var lit = "'" + field + "' AS \"Field\"";
        return field switch
        {
            "organization" => $"SELECT {lit}, o.\"name\" AS \"Name\", COUNT(*) AS \"Count\" FROM m JOIN {sql.Organization} o ON o.\"id\" = m.org GROUP BY o.\"name\"",
            "owner_org" => $"SELECT {lit}, m.org AS \"Name\", COUNT(*) AS \"Count\" FROM m GROUP BY m.org",
            "license_id" => $"SELECT {lit}, m.lic AS \"Name\", COUNT(*) AS \"Count\" FROM m GROUP BY m.lic",
            "tags" => $"SELECT {lit}, t.\"name\" AS \"Name\", COUNT(*) AS \"Count\" FROM m JOIN {sql.DatasetTag} dt ON dt.\"dataset_id\" = m.id JOIN {sql.Tag} t ON t.\"id\" = dt.\"tag_id\" GROUP BY t.\"name\"",
            "groups" => $"SELECT {lit}, g.\"name\" AS \"Name\", COUNT(*) AS \"Count\" FROM m JOIN {sql.DatasetGroup} dg ON dg.\"dataset_id\" = m.id JOIN {sql.Group} g ON g.\"id\" = dg.\"group_id\" GROUP BY g.\"name\"",
            "res_format" => $"SELECT {lit}, r.\"format\" AS \"Name\", COUNT(DISTINCT r.\"dataset_id\") AS \"Count\" FROM m JOIN {sql.Resource} r ON r.\"dataset_id\" = m.id WHERE r.\"state\" = 'active' GROUP BY r.\"format\"",
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };
    }

    private async Task<IReadOnlyList<FacetItem>> DisplayAsync(string field, List<FacetRow> rows, CancellationToken ct)
    {
        var names = rows.Select(r => r.Name!).ToList();
        Dictionary<string, string> titles = field switch
        {
            "organization" => await db.Organizations.AsNoTracking().Where(o => names.Contains(o.Name)).ToDictionaryAsync(o => o.Name, o => o.Title, ct),
            "groups" => await db.Groups.AsNoTracking().Where(g => names.Contains(g.Name)).ToDictionaryAsync(g => g.Name, g => g.Title, ct),
            "license_id" => names.ToDictionary(n => n, n => Licenses.Find(n)?.Title ?? n),
            _ => [],
        };
        return [.. rows.Select(r => new FacetItem(r.Name!, titles.GetValueOrDefault(r.Name!) is { Length: > 0 } t && !string.IsNullOrWhiteSpace(t) ? t : r.Name!, r.Count))];
    }

    /// <summary>Builds SQL text with {n} placeholders for EF's raw SQL methods.</summary>
    private sealed class SqlBuilder(SearchSql sql)
    {
        public List<object> Parameters { get; } = [];

        public string Param(object value)
        {
            Parameters.Add(value);
            return "{" + (Parameters.Count - 1).ToString(CultureInfo.InvariantCulture) + "}";
        }

        public string Predicate(SolrNode node) => node switch
        {
            SolrAll => "1=1",
            SolrAnd a => a.Parts.Count == 0 ? "1=1" : "(" + string.Join(" AND ", a.Parts.Select(Predicate)) + ")",
            SolrOr o => "(" + string.Join(" OR ", o.Parts.Select(Predicate)) + ")",
            SolrNot n => "NOT " + Predicate(n.Inner),
            SolrText t => TextPredicate(t),
            SolrSynonyms s => "(" + string.Join(" OR ", s.Alternatives.Select(TextPredicate)) + ")",
            SolrField f => FieldPredicate(f),
            SolrRange r => RangePredicate(r),
            SolrNumberRange r => NumberPredicate(r),
            SolrWildcard w => WildcardPredicate(w),
            _ => throw new ArgumentOutOfRangeException(nameof(node)),
        };

        /// <summary>The index tokens a text term looks for; in extras_KEY, the tokens marked with KEY.</summary>
        public static List<JapaneseTokenizer.QueryToken> Phrase(SolrText t)
        {
            var phrase = JapaneseTokenizer.QueryPhrase(t.Text, t.Prefix);
            return ExtraKey(t.Field) is { } key
                ? [.. phrase.Select(p => p with { Text = JapaneseTokenizer.ExtraToken(key, p.Text) })]
                : phrase;
        }

        /// <summary>KEY of an extras_KEY field, else null.</summary>
        private static string? ExtraKey(string? field) =>
            field is not null && field.StartsWith(SolrQueryParser.ExtrasPrefix, StringComparison.Ordinal) && field.Length > SolrQueryParser.ExtrasPrefix.Length
                ? field[SolrQueryParser.ExtrasPrefix.Length..]
                : null;

        private string TextPredicate(SolrText t)
        {
            var phrase = Phrase(t);
            if (phrase.Count == 0)
            {
                return "1=1";
            }

            return sql.Pg
                ? $"d.\"id\" IN (SELECT dataset_id FROM {SearchSql.DocTable} WHERE tsv @@ CAST({Param(TsQuery(phrase, t.Field))} AS tsquery))"
                : $"d.\"id\" IN (SELECT dataset_id FROM {SearchSql.FtsTable} WHERE {SearchSql.FtsTable} MATCH {Param(FtsQuery(phrase, t.Field))})";
        }

        /// <summary>A string field's value (exact, or a wildcard pattern when <paramref name="glob"/> is given) on a column.</summary>
        private string Match(string column, string value, string? glob) => glob is null
            ? $"{column} = {Param(value)}"
            : sql.Pg ? $"{column} LIKE {Param(LikePattern(glob))}" : $"{column} GLOB {Param(GlobPattern(glob))}";

        /// <summary>The parser's glob (\ escapes) as a PostgreSQL LIKE pattern (case-sensitive, \ escapes).</summary>
        internal static string LikePattern(string glob)
        {
            var sb = new StringBuilder();
            for (var i = 0; i < glob.Length; i++)
            {
                var c = glob[i];
                if (c == '\\' && i + 1 < glob.Length)
                {
                    c = glob[++i];
                    sb.Append(c is '%' or '_' or '\\' ? "\\" + c : c.ToString());
                    continue;
                }

                sb.Append(c switch { '*' => "%", '?' => "_", '%' => "\\%", '_' => "\\_", _ => c.ToString() });
            }

            return sb.ToString();
        }

        /// <summary>The parser's glob as an SQLite GLOB pattern (case-sensitive; [x] makes a character literal).</summary>
        internal static string GlobPattern(string glob)
        {
            var sb = new StringBuilder();
            for (var i = 0; i < glob.Length; i++)
            {
                var c = glob[i];
                if (c == '\\' && i + 1 < glob.Length)
                {
                    c = glob[++i];
                    sb.Append(c is '*' or '?' or '[' ? "[" + c + "]" : c.ToString());
                    continue;
                }

                sb.Append(c == '[' ? "[[]" : c.ToString());
            }

            return sb.ToString();
        }

        private string FieldPredicate(SolrField f) => StringPredicate(f.Field, f.Value, null);

        private string StringPredicate(string field, string value, string? glob)
        {
            var any = value == "*" && glob is null;
            switch (field)
            {
                case "organization":
                    return any ? "d.\"owner_org_id\" IS NOT NULL" : $"d.\"owner_org_id\" IN (SELECT o.\"id\" FROM {sql.Organization} o WHERE {Match("o.\"name\"", value, glob)})";
                case "owner_org":
                    return any ? "d.\"owner_org_id\" IS NOT NULL" : Match("d.\"owner_org_id\"", value, glob);
                case "tags":
                    return $"EXISTS (SELECT 1 FROM {sql.DatasetTag} dt JOIN {sql.Tag} t ON t.\"id\" = dt.\"tag_id\" WHERE dt.\"dataset_id\" = d.\"id\"{(any ? "" : " AND " + Match("t.\"name\"", value, glob))})";
                case "groups":
                    return $"EXISTS (SELECT 1 FROM {sql.DatasetGroup} dg JOIN {sql.Group} g ON g.\"id\" = dg.\"group_id\" WHERE dg.\"dataset_id\" = d.\"id\"{(any ? "" : " AND " + Match("g.\"name\"", value, glob))})";
                case "res_format":
                    return $"EXISTS (SELECT 1 FROM {sql.Resource} r WHERE r.\"dataset_id\" = d.\"id\" AND r.\"state\" = 'active' AND {(any ? "r.\"format\" <> ''" : Match("r.\"format\"", value, glob))})";
                case "license_id":
                    return any ? "d.\"license_id\" <> ''" : Match("d.\"license_id\"", value, glob);
                case "url" or "version":
                    return any ? $"d.\"{field}\" <> ''" : Match($"d.\"{field}\"", value, glob);
                case "name" or "id" or "state" or "creator_user_id":
                    return any ? $"d.\"{field}\" IS NOT NULL" : Match($"d.\"{field}\"", value, glob);
                case "dataset_type" or "type":
                    return any ? "1=1" : Match("d.\"type\"", value, glob);
                case "private":
                    return any ? "1=1" : value.StartsWith('t') || value == "1" ? "d.\"private\" = TRUE" : "d.\"private\" = FALSE";
                case "capacity":
                    return any ? "1=1" : value == "private" ? "d.\"private\" = TRUE" : value == "public" ? "d.\"private\" = FALSE" : "1=0";
                case "site_id" or "entity_type":
                    return any || value is "package" || field == "site_id" ? "1=1" : "1=0";
                default:
                    // CKAN indexes each extra as extras_KEY (text) and, unless KEY is a field of its own, as KEY
                    // (Solr's dynamic "*" string field): extras_KEY:* and KEY:value come here.
                    var key = ExtraKey(field) is { } k && any ? k : field;
                    var extra = $"EXISTS (SELECT 1 FROM {sql.DatasetExtra} e WHERE e.\"dataset_id\" = d.\"id\" AND e.\"key\" = {Param(key)}";
                    return extra + (any ? ")" : " AND " + Match("e.\"value\"", value, glob) + ")");
            }
        }

        private string WildcardPredicate(SolrWildcard w) => StringPredicate(w.Field, "", w.Pattern);

        private string NumberPredicate(SolrNumberRange r)
        {
            var count = r.Field == "num_tags"
                ? $"(SELECT COUNT(*) FROM {sql.DatasetTag} nt WHERE nt.\"dataset_id\" = d.\"id\")"
                : $"(SELECT COUNT(*) FROM {sql.Resource} nr WHERE nr.\"dataset_id\" = d.\"id\" AND nr.\"state\" = 'active')";
            var parts = new List<string>();
            if (r.From is { } from)
            {
                parts.Add($"{count} {(r.FromInclusive ? ">=" : ">")} {Param(from)}");
            }

            if (r.To is { } to)
            {
                parts.Add($"{count} {(r.ToInclusive ? "<=" : "<")} {Param(to)}");
            }

            return parts.Count == 0 ? "1=1" : "(" + string.Join(" AND ", parts) + ")";
        }

        private string RangePredicate(SolrRange r)
        {
            var column = r.Field == "metadata_created" ? "d.\"metadata_created\"" : "d.\"metadata_modified\"";
            var parts = new List<string>();
            if (r.From is { } from)
            {
                parts.Add($"{column} {(r.FromInclusive ? ">=" : ">")} {Param(from)}");
            }

            if (r.To is { } to)
            {
                parts.Add($"{column} {(r.ToInclusive ? "<=" : "<")} {Param(to)}");
            }

            return parts.Count == 0 ? "1=1" : "(" + string.Join(" AND ", parts) + ")";
        }

        private static readonly Dictionary<string, string> FtsColumns = new(StringComparer.Ordinal) { ["title"] = "title", ["notes"] = "notes" };

        /// <summary>FTS5: a quoted phrase of the tokens, '*' after a final prefix token, optionally limited to a column.</summary>
        public static string FtsQuery(IReadOnlyList<JapaneseTokenizer.QueryToken> phrase, string? field)
        {
            var text = "\"" + string.Join(' ', phrase.Select(t => t.Text)) + "\"" + (phrase[^1].Prefix ? " *" : "");
            return field is not null && FtsColumns.TryGetValue(field, out var column) ? column + " : " + text
                : ExtraKey(field) is not null ? "extras : " + text
                : text;
        }

        /// <summary>PostgreSQL: lexemes joined by &lt;-&gt; (followed by), ':*' for a prefix, weight A for title, D for notes.</summary>
        public static string TsQuery(IReadOnlyList<JapaneseTokenizer.QueryToken> phrase, string? field)
        {
            var weight = field switch { "title" => "A", "notes" => "D", _ => "" };
            return string.Join(" <-> ", phrase.Select(t =>
            {
                var label = (t.Prefix ? "*" : "") + weight;
                return "'" + t.Text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal) + "'" + (label.Length > 0 ? ":" + label : "");
            }));
        }
    }
}
