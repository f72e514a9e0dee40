namespace OpenGov.Tabular;

/// <summary>
/// Two layouts of tables made for print: section rows (a row holding only a section title, 「都心地域」, in its first or
/// second cell, across a wide table, with the section's rows below it) and separator columns (a column with no header and
/// no value between two blocks of a statistics sheet).
/// </summary>
public static partial class TableReader
{
    /// <summary>Column added for the section titles, named so in Japanese like the tables that use them.</summary>
    internal const string SectionColumnName = "区分";

    /// <summary>Tables narrower than this do not have section rows (a two-column list's row with only a name is data).</summary>
    private const int SectionMinWidth = 4;

    /// <summary>Rows read ahead below the header to find section rows in the middle of a table (stacked blocks).</summary>
    internal const int SectionLookAhead = 500;

    /// <summary>Data rows that must have been seen in the first rows before an empty column is taken for a separator.</summary>
    private const int SeparatorMinRows = 5;

    /// <summary>
    /// A section title: the only non-empty cell is the first or second, short, and not a number, a date or a note
    /// (notes and running numbers are handled before).
    /// </summary>
    internal static bool IsSection(string[] cells, int width, out string text)
    {
        text = "";
        if (width < SectionMinWidth)
        {
            return false;
        }
        var idx = -1;
        for (var i = 0; i < cells.Length; i++)
        {
            if (TextNormalizer.Trim(cells[i]).Length > 0)
            {
                if (idx >= 0)
                {
                    return false;
                }
                idx = i;
            }
        }
        if (idx is < 0 or > 1)
        {
            return false;
        }
        var value = TextNormalizer.Trim(cells[idx]);
        var normalized = TextNormalizer.Normalize(value) ?? "";
        if (value.Length > 40 || JapaneseNumber.TryParseDecimal(normalized, out _) || JapaneseDate.TryParseDate(normalized, out _))
        {
            return false;
        }
        text = value;
        return true;
    }

    /// <summary>
    /// Whether the table is divided into sections: its first row below the header (past blank and note rows) is a section
    /// title and a data row follows in the rows already read. Only then are later single-title rows taken for sections:
    /// a table whose first row is data keeps a later row holding only a name as data.
    /// </summary>
    private static bool StartsWithSection(List<(long Row, string[] Cells)> below, int lead, int width)
    {
        var sawSection = false;
        foreach (var (_, raw) in below)
        {
            var cells = raw.Length > lead ? raw[lead..] : [];
            if (!AnyNonEmpty(cells) || HeaderDetector.MetaKeyword(raw) is not null || IsNote(cells, out _) || IsUnitRow(cells, out _))
            {
                continue;
            }
            if (IsSection(cells, width, out _))
            {
                sawSection = true;
                continue;
            }
            return sawSection && !IsPlaceholder(cells);
        }
        return false;
    }

    /// <summary>
    /// Whether section rows divide the table further down although its first rows are data (神戸市's statistics sheets
    /// stack blocks: 「（２）金融機関」 alone in a row, the header repeated, the block's rows). In the rows read ahead:
    /// a section row followed by a repeated header, or at least two section rows each followed by a data row, in a table
    /// whose data rows are filled (the median row has at least half its columns, and 3) and outnumber the sections five
    /// to one. A single row holding only a name in a sparse list stays data.
    /// </summary>
    private static bool HasMidTableSections(List<(long Row, string[] Cells)> below, int lead, string[] header, int width)
    {
        int sections = 0, withHeader = 0;
        var pending = false;
        var filled = new List<int>();
        foreach (var (_, raw) in below)
        {
            var cells = raw.Length > lead ? raw[lead..] : [];
            if (!AnyNonEmpty(cells) || HeaderDetector.MetaKeyword(raw) is not null || IsNote(cells, out _) || IsUnitRow(cells, out _))
            {
                continue;
            }
            if (IsRepeatedHeader(cells, header))
            {
                withHeader += pending ? 1 : 0;
                sections += pending ? 1 : 0;
                pending = false;
                continue;
            }
            if (IsSection(cells, width, out _))
            {
                pending = true;
                continue;
            }
            sections += pending ? 1 : 0;
            pending = false;
            filled.Add(cells.Count(c => TextNormalizer.Trim(c).Length > 0));
        }
        if (withHeader > 0)
        {
            return true;
        }
        if (sections < 2 || filled.Count < sections * 5)
        {
            return false;
        }
        filled.Sort();
        return filled[filled.Count / 2] >= Math.Max(3, width / 2);
    }

    /// <summary>
    /// The header written again in a data row (a stacked block's own header, a concatenated file): every named column's
    /// cell holds its name (spaces ignored: 「区　　　別」 repeats 区別), at least two of them.
    /// </summary>
    internal static bool IsRepeatedHeader(string[] cells, string[] header)
    {
        var named = 0;
        for (var c = 0; c < header.Length; c++)
        {
            if (header[c].Length == 0)
            {
                continue;
            }
            // runs on every data row: most fail at the first named cell's first character, before anything is allocated
            if (c >= cells.Length || !(string.Equals(cells[c], header[c], StringComparison.Ordinal)
                || (FirstNonSpace(cells[c]) == header[c][0] && Squash(cells[c]) == Squash(header[c]))))
            {
                return false;
            }
            named++;
        }
        return named >= 2;
    }

    private static char FirstNonSpace(string cell)
    {
        foreach (var ch in cell)
        {
            if (!char.IsWhiteSpace(ch))
            {
                return ch;
            }
        }
        return '\0';
    }

    private static string Squash(string cell) =>
        string.Concat(ColumnNames.Tidy(cell).Where(ch => !char.IsWhiteSpace(ch)));

    /// <summary>
    /// The first block's section when the later ones are numbered (「（２）金融機関」): the nearest title row above the
    /// header that is a section title numbered the same way (「（１）非金融法人企業」); else none.
    /// </summary>
    private static string FirstSection(List<string[]> above, List<(long Row, string[] Cells)> below, int lead, int width)
    {
        var later = below.Select(b => b.Cells.Length > lead ? b.Cells[lead..] : [])
            .Where(c => AnyNonEmpty(c) && !IsNote(c, out _) && IsSection(c, width, out _))
            .Select(c => TextNormalizer.Trim(c.First(v => TextNormalizer.Trim(v).Length > 0)))
            .FirstOrDefault();
        if (later is null || !IsNumbered(later))
        {
            return "";
        }
        for (var i = above.Count - 1; i >= 0; i--)
        {
            var cells = above[i].Length > lead ? above[i][lead..] : [];
            if (!AnyNonEmpty(cells) || IsNote(cells, out _) || IsUnitRow(cells, out _))
            {
                continue;
            }
            if (IsSection(cells, width, out var title))
            {
                return IsNumbered(title) ? title : "";
            }
        }
        return "";
    }

    /// <summary>A numbered heading: 「(2)」「（２）」「2.」「２．」 followed by the title.</summary>
    private static bool IsNumbered(string title)
    {
        var t = TextNormalizer.Normalize(title) ?? "";
        var i = t.Length > 0 && t[0] == '(' ? 1 : 0;
        var start = i;
        while (i < t.Length && char.IsAsciiDigit(t[i]))
        {
            i++;
        }
        return i > start && i < t.Length && (start == 1 ? t[i] == ')' : t[i] is '.' or ')');
    }

    /// <summary>
    /// Inner columns with no header and no value in any of the rows read below the header (at least
    /// <see cref="SeparatorMinRows"/> data rows): a separator between two blocks. Indexes are after the leading columns.
    /// </summary>
    private static int[] SeparatorColumns(string[] names, List<(long Row, string[] Cells)> below, int lead)
    {
        var rows = below.Where(b => HeaderDetector.MetaKeyword(b.Cells) is null && AnyNonEmpty(b.Cells)).ToList();
        if (rows.Count < SeparatorMinRows)
        {
            return [];
        }
        var result = new List<int>();
        for (var c = 0; c < names.Length; c++)
        {
            if (names[c].Length == 0 && rows.All(b => b.Cells.Length <= c + lead || TextNormalizer.Trim(b.Cells[c + lead]).Length == 0))
            {
                result.Add(c);
            }
        }
        return [.. result];
    }

    /// <summary>The cells without the separator columns; counts values later found in them (they are lost, and reported).</summary>
    private static string[] WithoutColumns(string[] cells, int[] drop, TableReadResult r)
    {
        var kept = new List<string>(cells.Length);
        var d = 0;
        for (var c = 0; c < cells.Length; c++)
        {
            if (d < drop.Length && drop[d] == c)
            {
                d++;
                if (TextNormalizer.Trim(cells[c]).Length > 0)
                {
                    r.DroppedColumnValueCount++;
                }
                continue;
            }
            kept.Add(cells[c]);
        }
        return [.. kept];
    }

    private static string ColumnLetter(int index)
    {
        var s = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            s = (char)('A' + ((n - 1) % 26)) + s;
        }
        return s;
    }
}
