using System.Text.RegularExpressions;

namespace OpenGov.Tabular;

/// <summary>A merged cell range of a sheet (0-based, inclusive), used to spread a group label over the columns it spans.</summary>
internal readonly record struct MergedRange(int FromRow, int ToRow, int FromColumn, int ToColumn);

/// <summary>The header found among the first records.</summary>
/// <param name="Index">0-based index (in the scanned rows) of the header row; for a two-row header, the lower (question) row.</param>
/// <param name="RowCount">1, or 2 for a group row combined with the row below it (属性 + 年代 → 属性_年代).</param>
/// <param name="Names">Header names as combined, before the leading blank columns are dropped.</param>
/// <param name="Metadata">True for the 「#」 metadata layout (#property, #object_type_xsd, #property_context rows).</param>
/// <param name="Hints">Type hints per column index, from #object_type_xsd.</param>
/// <param name="Score">The winning score (see <see cref="HeaderDetector"/>).</param>
internal sealed record HeaderChoice(int Index, int RowCount, string[] Names, bool Metadata, IReadOnlyDictionary<int, ColumnType> Hints, int Score);

/// <summary>
/// Chooses the header among the first records: the row that best explains the columns below it. Score of a candidate
/// (one row, or a group row combined with the row below): 2 × columns named and holding data below, + 1 per label cell,
/// + 1 per label over a mostly numeric/date column, − 2 per numeric/date header cell, − 1 per unnamed column holding
/// data, − 1 per duplicate name. The highest score wins; ties go to the upper row. Rows below a row holding at least
/// 3 values and 60% as many as their own are not candidates (that row is the header or data; titles are short). Rows whose first cell is a 「#」
/// keyword (#property, #object_type_xsd, ...) are metadata: with a #property row, it is the header.
/// </summary>
internal static partial class HeaderDetector
{
    private const int RowsExamined = 15;

    public static bool IsBlank(string[] cells)
    {
        foreach (var c in cells)
        {
            if (TextNormalizer.Trim(c).Length > 0)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The metadata keyword of a row (「#property」), or null: the first non-empty cell is # followed by letters.</summary>
    public static string? MetaKeyword(string[] cells)
    {
        foreach (var c in cells)
        {
            var t = TextNormalizer.Trim(c);
            if (t.Length > 0)
            {
                return MetaRegex().IsMatch(t) ? t.ToLowerInvariant() : null;
            }
        }
        return null;
    }

    public static HeaderChoice? Detect(IReadOnlyList<string[]> rows, IReadOnlyList<MergedRange> merges)
    {
        if (rows.Count == 0)
        {
            return null;
        }
        var meta = rows.Select(MetaKeyword).ToArray();
        var property = Array.IndexOf(meta, "#property");
        if (property >= 0)
        {
            return FromMetadata(rows, meta, property);
        }
        HeaderChoice? best = null;
        var widestAbove = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            if (meta[i] is not null || IsBlank(rows[i]))
            {
                continue;
            }
            var single = Trimmed(rows[i]);
            var filled = single.Count(c => c.Length > 0);
            // a row as full as this one further up means the header was there and this is data (titles are short)
            if (widestAbove >= Math.Max(3, filled * 0.6))
            {
                break;
            }
            Consider(ref best, new HeaderChoice(i, 1, single, false, NoHints, Score(single, rows, i + 1, meta)));
            if (i + 1 < rows.Count && meta[i + 1] is null && Combine(rows[i], rows[i + 1], i, merges) is { } combined)
            {
                Consider(ref best, new HeaderChoice(i + 1, 2, combined, false, NoHints, Score(combined, rows, i + 2, meta)));
            }
            widestAbove = Math.Max(widestAbove, filled);
        }
        return best is { RowCount: 1 } ? best with { Names = SpreadMerged(best.Names, best.Index, merges) } : best;
    }

    /// <summary>
    /// A one-row header whose label cell is merged across several columns (「施設名」 over a mark column and a name column)
    /// names each column it covers (施設名, 施設名_2 once made unique) instead of leaving the others unnamed.
    /// </summary>
    private static string[] SpreadMerged(string[] names, int row, IReadOnlyList<MergedRange> merges)
    {
        string[]? spread = null;
        foreach (var m in merges)
        {
            if (m.FromRow != row || m.ToColumn <= m.FromColumn || m.FromColumn >= names.Length || names[m.FromColumn].Length == 0)
            {
                continue;
            }
            for (var c = m.FromColumn + 1; c <= m.ToColumn && c < names.Length; c++)
            {
                if (names[c].Length == 0)
                {
                    spread ??= (string[])names.Clone();
                    spread[c] = names[m.FromColumn];
                }
            }
        }
        return spread ?? names;
    }

    private static readonly IReadOnlyDictionary<int, ColumnType> NoHints = new Dictionary<int, ColumnType>();

    private static void Consider(ref HeaderChoice? best, HeaderChoice candidate)
    {
        if (best is null || candidate.Score > best.Score)
        {
            best = candidate;
        }
    }

    private static string[] Trimmed(string[] cells) => [.. cells.Select(ColumnNames.Tidy)];

    private static HeaderChoice FromMetadata(IReadOnlyList<string[]> rows, string?[] meta, int property)
    {
        var names = Trimmed(rows[property]);
        var first = Array.FindIndex(rows[property], c => TextNormalizer.Trim(c).Length > 0);
        names[first] = "";
        for (var c = 0; c < names.Length; c++)
        {
            // a property given as a URI is named by its last segment
            if (names[c].StartsWith("http", StringComparison.OrdinalIgnoreCase))
            {
                names[c] = names[c].TrimEnd('/', '#').Split('/', '#')[^1];
            }
        }
        var hints = new Dictionary<int, ColumnType>();
        var xsd = Array.IndexOf(meta, "#object_type_xsd");
        if (xsd >= 0)
        {
            var cells = rows[xsd];
            for (var c = first + 1; c < cells.Length && c < names.Length; c++)
            {
                if (FromXsd(TextNormalizer.Trim(cells[c])) is { } t)
                {
                    hints[c] = t;
                }
            }
        }
        return new HeaderChoice(property, 1, names, true, hints, int.MaxValue);
    }

    /// <summary>Maps an XML Schema type name (xsd:integer, xsd:date, ...) to a column type.</summary>
    internal static ColumnType? FromXsd(string type)
    {
        var t = type.Contains(':', StringComparison.Ordinal) ? type[(type.LastIndexOf(':') + 1)..] : type;
        t = t.Contains('#', StringComparison.Ordinal) ? t[(t.LastIndexOf('#') + 1)..] : t;
        return t.ToLowerInvariant() switch
        {
            "integer" or "int" or "long" or "short" or "nonnegativeinteger" or "positiveinteger" => ColumnType.Integer,
            "decimal" or "double" or "float" => ColumnType.Decimal,
            "date" => ColumnType.Date,
            "datetime" => ColumnType.Timestamp,
            "time" => ColumnType.Time,
            "boolean" => ColumnType.Boolean,
            "string" or "anyuri" or "normalizedstring" or "token" => ColumnType.Text,
            _ => null,
        };
    }

    private static bool IsLabel(string cell) =>
        !JapaneseNumber.TryParseDecimal(TextNormalizer.Normalize(cell) ?? "", out _) && !JapaneseDate.TryParseDate(cell, out _)
        && !JapaneseDate.TryParseTimestamp(cell, out _);

    private static int Score(string[] header, IReadOnlyList<string[]> rows, int below, string?[] meta)
    {
        var width = header.Length;
        // every row that may be examined: blank and metadata rows are passed over, so more than RowsExamined rows are read
        // (a wider row after blank ones overran the counts: 神戸市's access-log workbook)
        foreach (var r in rows.Skip(below))
        {
            width = Math.Max(width, r.Length);
        }
        var data = new int[width];
        var numeric = new int[width];
        var examined = 0;
        for (var i = below; i < rows.Count && examined < RowsExamined; i++)
        {
            if (meta[i] is not null || IsBlank(rows[i]))
            {
                continue;
            }
            examined++;
            for (var c = 0; c < rows[i].Length; c++)
            {
                var v = TextNormalizer.Trim(rows[i][c]);
                if (v.Length > 0)
                {
                    data[c]++;
                    numeric[c] += IsLabel(v) ? 0 : 1;
                }
            }
        }
        var score = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var c = 0; c < width; c++)
        {
            var h = c < header.Length ? header[c] : "";
            if (h.Length == 0)
            {
                score -= data[c] > 0 ? 1 : 0;
                continue;
            }
            var label = IsLabel(h);
            score += label ? 1 : -2;
            score += data[c] > 0 ? 2 : 0;
            score += label && data[c] > 0 && numeric[c] * 2 > data[c] ? 1 : 0;
            score -= seen.Add(h) ? 0 : 1;
        }
        return score;
    }

    /// <summary>
    /// Combines a group row with the row below (属性 over 年代 → 属性_年代) when the group row spans columns: a merged range,
    /// or (without merges) a group cell followed by empty cells over named columns, or the same group label repeated in
    /// adjacent cells over different names. Null when the pair is not a two-row header.
    /// </summary>
    private static string[]? Combine(string[] groupRow, string[] questionRow, int groupIndex, IReadOnlyList<MergedRange> merges)
    {
        var g = Trimmed(groupRow);
        var q = Trimmed(questionRow);
        var width = Math.Max(g.Length, q.Length);
        Array.Resize(ref g, width);
        Array.Resize(ref q, width);
        for (var c = 0; c < width; c++)
        {
            g[c] ??= "";
            q[c] ??= "";
        }
        if (g.Count(x => x.Length > 0) < 2 || q.Count(x => x.Length > 0) < 2 || !g.Concat(q).Where(x => x.Length > 0).All(IsLabel))
        {
            return null;
        }
        var filled = (string[])g.Clone();
        var spans = false;
        var horizontal = merges.Where(m => m.FromRow <= groupIndex && m.ToRow >= groupIndex && m.ToColumn > m.FromColumn).ToList();
        if (horizontal.Count > 0)
        {
            foreach (var m in horizontal)
            {
                var v = g[Math.Min(m.FromColumn, width - 1)];
                for (var c = m.FromColumn; c <= m.ToColumn && c < width; c++)
                {
                    filled[c] = v;
                }
                spans |= Enumerable.Range(m.FromColumn, Math.Min(m.ToColumn, width - 1) - m.FromColumn + 1).Count(c => q[c].Length > 0) > 1;
            }
        }
        else
        {
            var carry = "";
            for (var c = 0; c < width; c++)
            {
                if (g[c].Length > 0)
                {
                    carry = q[c].Length > 0 ? g[c] : "";
                }
                else if (q[c].Length > 0 && carry.Length > 0)
                {
                    filled[c] = carry;
                    spans = true;
                }
                else
                {
                    carry = "";
                }
            }
        }
        // A group label written out again in every column it covers (属性 | 属性 | 属性 over 性別 | 年代 | 住所: a merged
        // range unmerged, or a questionnaire export) spans those columns too.
        for (var c = 1; c < width && !spans; c++)
        {
            spans = g[c].Length > 0 && g[c] == g[c - 1] && q[c].Length > 0 && q[c - 1].Length > 0 && q[c] != q[c - 1];
        }
        if (!spans)
        {
            return null;
        }
        var names = new string[width];
        for (var c = 0; c < width; c++)
        {
            names[c] = q[c].Length == 0 ? filled[c]
                : filled[c].Length == 0 || filled[c] == q[c] ? q[c]
                : filled[c] + "_" + q[c];
        }
        return names;
    }

    [GeneratedRegex(@"^#[A-Za-z][A-Za-z_]*$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex MetaRegex();
}
