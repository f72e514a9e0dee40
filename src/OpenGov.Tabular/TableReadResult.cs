using System.Text;

namespace OpenGov.Tabular;

/// <summary>A header name that was changed to make it unique or non-empty.</summary>
/// <param name="ColumnIndex">0-based column index.</param>
/// <param name="Original">Name as found in the file ("" when empty).</param>
/// <param name="Name">Name used in <see cref="TableReadResult.Columns"/>.</param>
/// <param name="Reason"><c>empty</c> or <c>duplicate</c>.</param>
public sealed record HeaderRename(int ColumnIndex, string Original, string Name, string Reason);

/// <summary>A data row whose cell count differs from the header's.</summary>
/// <param name="Row">1-based record number in the file.</param>
/// <param name="CellCount">Cells found (trailing empty cells beyond the header are ignored).</param>
/// <param name="Expected">Header width.</param>
public sealed record RaggedRow(long Row, int CellCount, int Expected);

/// <summary>A row below the header that was left out (a note such as 「※…」「出典：…」, a units row, blank, a template's placeholder, a 「#」 metadata row).</summary>
/// <param name="Row">1-based row number in the publisher's file (record number; sheet row for Excel).</param>
/// <param name="Kind"><c>note</c>, <c>blank</c>, <c>placeholder</c> (only a running number), <c>metadata</c> (#property_context ...) or <c>section</c> (a section title, kept as the value of <see cref="TableReadResult.SectionColumn"/>).</param>
/// <param name="Text">The note's text, the running number or the keyword ("" for blank rows).</param>
public sealed record SkippedRow(long Row, string Kind, string Text);

/// <summary>Something the reader decided that the publisher should be told, in Japanese and English.</summary>
/// <param name="Code"><c>sheet</c>, <c>header-row</c>, <c>two-row-header</c>, <c>metadata-rows</c>, <c>leading-columns</c>.</param>
/// <param name="MessageJa">Message in Japanese.</param>
/// <param name="MessageEn">Message in English.</param>
public sealed record ReadNote(string Code, string MessageJa, string MessageEn);

/// <summary>
/// An opened table: what was detected, the header, and the data rows as a one-shot stream.
/// Lists such as <see cref="RaggedRows"/> fill while <see cref="Rows"/> is enumerated.
/// Dispose it to release the underlying reader (the caller's stream is not closed unless asked).
/// </summary>
public sealed class TableReadResult : IDisposable
{
    private readonly IEnumerable<string[]> _rows;
    private readonly Action _dispose;
    private bool _enumerated;

    internal TableReadResult(IEnumerable<string[]> rows, Action dispose)
    {
        _rows = rows;
        _dispose = dispose;
    }

    /// <summary>Format read (never <see cref="TableFormat.Auto"/>).</summary>
    public TableFormat Format { get; internal set; }

    /// <summary>Encoding used for CSV/TSV (null for Excel).</summary>
    public Encoding? DetectedEncoding { get; internal set; }

    /// <summary>Short encoding name: utf-8, utf-8-bom, utf-16le, utf-16be, shift_jis (CP932), euc-jp, or the override's WebName.</summary>
    public string EncodingName { get; internal set; } = "";

    /// <summary>Why this encoding was chosen (e.g. "bom", "valid utf-8", "cp932 score 120 > euc-jp 3").</summary>
    public string EncodingReason { get; internal set; } = "";

    /// <summary>Delimiter used for CSV/TSV (null for Excel).</summary>
    public char? Delimiter { get; internal set; }

    /// <summary>Sheet read, for Excel.</summary>
    public string? SheetName { get; internal set; }

    /// <summary>0-based index of the sheet read, for Excel.</summary>
    public int? SheetIndex { get; internal set; }

    /// <summary>Every sheet of the workbook with its size and kind guess (empty for CSV/TSV).</summary>
    public IReadOnlyList<SheetInfo> Sheets { get; internal set; } = [];

    /// <summary>Which sheets exist and which was read, in Japanese (null for CSV/TSV); also the first of <see cref="Notes"/>.</summary>
    public string? SheetChoiceJa { get; internal set; }

    /// <summary>The same in English.</summary>
    public string? SheetChoiceEn { get; internal set; }

    /// <summary>
    /// 0-based index of the header record (-1 when <see cref="TableReadOptions.HasHeader"/> is false); for a two-row header,
    /// the lower row. The header's 1-based row number in the file is <c>HeaderRowIndex + 1</c>.
    /// </summary>
    public int HeaderRowIndex { get; internal set; }

    /// <summary>Rows making up the header: 1, or 2 when a group row was combined with the row below (属性 + 年代 → 属性_年代).</summary>
    public int HeaderRowCount { get; internal set; }

    /// <summary>Rows of the 「#」 metadata layout (#property, #object_type_xsd, #property_context, ...), as text; never data.</summary>
    public IReadOnlyList<string> MetadataRows { get; internal set; } = [];

    /// <summary>Column types declared by the file (#object_type_xsd), by column name; pass as <see cref="InferenceOptions.Hints"/>.</summary>
    public IReadOnlyDictionary<string, ColumnType> TypeHints { get; internal set; } = new Dictionary<string, ColumnType>();

    /// <summary>Blank leading columns (no header, no value in the first rows) left out of every row.</summary>
    public int LeadingColumnsDropped { get; internal set; }

    /// <summary>
    /// Separator columns left out (column letters in the file, e.g. AM): no header and no value in the first rows, between two
    /// blocks of a statistics sheet. A value found in one further down is counted in <see cref="DroppedColumnValueCount"/>.
    /// </summary>
    public IReadOnlyList<string> SeparatorColumnsDropped { get; internal set; } = [];

    /// <summary>Values found further down in a column left out as a separator (0 when the column was empty throughout).</summary>
    public long DroppedColumnValueCount { get; internal set; }

    /// <summary>
    /// Name of the column added for section titles (区分), when the table is divided by rows holding only a title
    /// (「都心地域」) across a wide table; those rows are skipped (kind <c>section</c>) and their title is this column's value
    /// for the rows below. Null when the table has no sections.
    /// </summary>
    public string? SectionColumn { get; internal set; }

    /// <summary>Decisions to tell the publisher (sheet chosen, header rows, metadata rows, dropped columns), bilingual.</summary>
    public List<ReadNote> Notes { get; } = [];

    /// <summary>Rows skipped so far because they held only a running number (a template's empty lines); also in <see cref="SkippedRows"/>.</summary>
    public long PlaceholderRowCount { get; internal set; }

    /// <summary>Text of the non-empty rows above the header (titles such as 「新型コロナウイルス感染症 陽性患者一覧」).</summary>
    public IReadOnlyList<string> TitleRows { get; internal set; } = [];

    /// <summary>Unique, non-empty column names, in file order.</summary>
    public IReadOnlyList<string> Columns { get; internal set; } = [];

    /// <summary>Header cells as found in the file.</summary>
    public IReadOnlyList<string> RawHeader { get; internal set; } = [];

    /// <summary>Columns renamed because they were empty or duplicated.</summary>
    public IReadOnlyList<HeaderRename> HeaderRenames { get; internal set; } = [];

    /// <summary>Ragged rows seen so far (capped at <see cref="TableReadOptions.MaxReportedIssues"/>).</summary>
    public List<RaggedRow> RaggedRows { get; } = [];

    /// <summary>Exact number of ragged rows seen so far.</summary>
    public long RaggedRowCount { get; internal set; }

    /// <summary>Note, units, blank, placeholder and metadata rows left out so far (capped).</summary>
    public List<SkippedRow> SkippedRows { get; } = [];

    /// <summary>Exact number of rows left out so far.</summary>
    public long SkippedRowCount { get; internal set; }

    /// <summary>
    /// Cells that contained NUL characters (U+0000), which were removed: no database text type holds them the same way
    /// (PostgreSQL refuses them), so every engine stores the same text.
    /// </summary>
    public long NulCellCount { get; internal set; }

    /// <summary>Row (1-based record number) and column (1-based) of the first cell counted in <see cref="NulCellCount"/>.</summary>
    public (long Row, int Column)? FirstNulCell { get; internal set; }

    /// <summary>Data rows yielded so far.</summary>
    public long RowCount { get; internal set; }

    /// <summary>
    /// 1-based row number in the publisher's file of the last row yielded (CSV record number, Excel sheet row, counting title,
    /// header and skipped rows); use it to report problems.
    /// </summary>
    public long CurrentRowNumber { get; internal set; }

    /// <summary>
    /// Data rows (cells as strings, "" when empty), streamed in constant memory. Can be enumerated once.
    /// Bad input surfaces as <see cref="TableReadException"/> during enumeration.
    /// </summary>
    public IEnumerable<string[]> Rows
    {
        get
        {
            if (_enumerated)
            {
                throw new InvalidOperationException("Rows can be enumerated only once.");
            }
            _enumerated = true;
            return _rows;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _dispose();
}
