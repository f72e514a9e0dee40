using System.Text;

namespace OpenGov.Tabular;

/// <summary>File formats understood by <see cref="TableReader"/>.</summary>
public enum TableFormat
{
    /// <summary>Detect from the first bytes (zip → XLSX, OLE2 → XLS, otherwise delimited text).</summary>
    Auto,
    /// <summary>Delimited text; the delimiter is detected unless <see cref="TableReadOptions.Delimiter"/> is set.</summary>
    Csv,
    /// <summary>Tab-separated text.</summary>
    Tsv,
    /// <summary>Office Open XML workbook.</summary>
    Xlsx,
    /// <summary>Legacy binary workbook (BIFF).</summary>
    Xls,
}

/// <summary>What to do with a data row whose cell count differs from the header's.</summary>
public enum RaggedRowPolicy
{
    /// <summary>Yield the row as it is (its own length) and record it in <see cref="TableReadResult.RaggedRows"/>.</summary>
    Report,
    /// <summary>Pad with "" or cut to the header width, and record it in <see cref="TableReadResult.RaggedRows"/>.</summary>
    PadOrTruncate,
    /// <summary>Throw <see cref="TableReadException"/> (code <c>ragged-row</c>).</summary>
    Error,
}

/// <summary>Options for <see cref="TableReader.Open(Stream, TableReadOptions?, bool)"/>. Every detection can be overridden.</summary>
public sealed record TableReadOptions
{
    /// <summary>File format; <see cref="TableFormat.Auto"/> by default.</summary>
    public TableFormat Format { get; init; } = TableFormat.Auto;

    /// <summary>Text encoding override for CSV/TSV (otherwise detected from the first <see cref="EncodingSampleBytes"/>).</summary>
    public Encoding? Encoding { get; init; }

    /// <summary>Delimiter override for CSV (otherwise detected among , tab ; |).</summary>
    public char? Delimiter { get; init; }

    /// <summary>0-based index of the header record (counting every record, blank ones too). Null = detect.</summary>
    public int? HeaderRowIndex { get; init; }

    /// <summary>False when the file has no header: every record is data and columns are named column_1, column_2, ...</summary>
    public bool HasHeader { get; init; } = true;

    /// <summary>
    /// Excel sheet by name (takes precedence over <see cref="SheetIndex"/>); when no sheet has this name and it is a number
    /// n from 1 to the sheet count, the n-th sheet (as numbered in <see cref="TableReadResult.Sheets"/>, 1-based).
    /// </summary>
    public string? SheetName { get; init; }

    /// <summary>Excel sheet by 0-based index. Null (default) = choose the sheet holding the table (see <see cref="TableReadResult.Sheets"/>).</summary>
    public int? SheetIndex { get; init; }

    /// <summary>Maximum number of columns in any record (default 4096).</summary>
    public int MaxColumns { get; init; } = 4096;

    /// <summary>Maximum characters in one field (default 1,048,576).</summary>
    public int MaxFieldChars { get; init; } = 1024 * 1024;

    /// <summary>Maximum total uncompressed size of the entries of an XLSX (default 512 MiB), against zip bombs.</summary>
    public long MaxExcelUncompressedBytes { get; init; } = 512L * 1024 * 1024;

    /// <summary>Maximum size of a workbook read from a non-seekable stream, which must be buffered (default 256 MiB).</summary>
    public long MaxExcelBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>What to do with ragged rows (default <see cref="RaggedRowPolicy.Report"/>).</summary>
    public RaggedRowPolicy RaggedRows { get; init; } = RaggedRowPolicy.Report;

    /// <summary>Number of leading records examined to find the header (default 30).</summary>
    public int HeaderScanRows { get; init; } = 30;

    /// <summary>Bytes sampled for encoding and delimiter detection (default 65,536).</summary>
    public int EncodingSampleBytes { get; init; } = 64 * 1024;

    /// <summary>Skip rows below the header that hold a single note cell such as 「※注記…」 or 「出典：…」 (default true).</summary>
    public bool SkipNoteRows { get; init; } = true;

    /// <summary>Skip blank rows below the header (default true).</summary>
    public bool SkipBlankRows { get; init; } = true;

    /// <summary>
    /// Skip rows holding only a running number in the first column, a template's empty lines (default true; tables of at
    /// least 3 columns). Counted in <see cref="TableReadResult.PlaceholderRowCount"/>.
    /// </summary>
    public bool SkipPlaceholderRows { get; init; } = true;

    /// <summary>Cap on the entries kept in <see cref="TableReadResult.RaggedRows"/> and <see cref="TableReadResult.SkippedRows"/> (default 1000); counts are exact.</summary>
    public int MaxReportedIssues { get; init; } = 1000;
}
