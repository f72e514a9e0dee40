namespace OpenGov.Tabular;

/// <summary>What a workbook sheet looks like it holds.</summary>
public enum SheetKind
{
    /// <summary>A table: a header over rows of records.</summary>
    Data,
    /// <summary>A pivot or summary table (行ラベル, 総計, Grand Total, 「集計」「ピボット」 in the name).</summary>
    Pivot,
    /// <summary>A cover, explanation or definitions page (表紙, 説明, 凡例, 項目定義; or at most two cells a row).</summary>
    Cover,
    /// <summary>A filled-in example of a template (入力例, 記入例, 記載例, サンプル).</summary>
    Example,
    /// <summary>No values.</summary>
    Empty,
}

/// <summary>One sheet of a workbook, as listed in <see cref="TableReadResult.Sheets"/>.</summary>
/// <param name="Index">0-based position in the workbook.</param>
/// <param name="Name">Sheet name.</param>
/// <param name="RowCount">Rows holding at least one value.</param>
/// <param name="ColumnCount">Columns up to the last one holding a value.</param>
/// <param name="Kind">Kind guess.</param>
/// <param name="Score">Choice score: for a data sheet, data rows below the header × named columns; 0 for other kinds.</param>
/// <param name="Hidden">True when the sheet is hidden in Excel.</param>
public sealed record SheetInfo(int Index, string Name, long RowCount, int ColumnCount, SheetKind Kind, long Score, bool Hidden)
{
    /// <summary>Kind in Japanese: データ表, ピボット・集計表, 表紙・説明, 入力例, 空.</summary>
    public string KindJa => Kind switch
    {
        SheetKind.Data => "データ表",
        SheetKind.Pivot => "ピボット・集計表",
        SheetKind.Cover => "表紙・説明",
        SheetKind.Example => "入力例",
        _ => "空",
    };

    /// <summary>Kind in English: data table, pivot/summary, cover/notes, example, empty.</summary>
    public string KindEn => Kind switch
    {
        SheetKind.Data => "data table",
        SheetKind.Pivot => "pivot/summary",
        SheetKind.Cover => "cover/notes",
        SheetKind.Example => "example",
        _ => "empty",
    };

    /// <summary>「陽性患者一覧」（7,288行×15列、データ表）</summary>
    public string DescriptionJa => $"「{Name}」（{RowCount:N0}行×{ColumnCount}列、{KindJa}{(Hidden ? "、非表示" : "")}）";

    /// <summary>'陽性患者一覧' (7,288 rows × 15 columns, data table)</summary>
    public string DescriptionEn => $"'{Name}' ({RowCount:N0} rows × {ColumnCount} columns, {KindEn}{(Hidden ? ", hidden" : "")})";
}

/// <summary>Guesses a sheet's kind from its name and first rows, and chooses the sheet that holds the table.</summary>
internal static class SheetClassifier
{
    private static readonly string[] ExampleNames = ["入力例", "記入例", "記載例", "作成例", "サンプル", "sample", "example"];
    private static readonly string[] CoverNames = ["表紙", "説明", "注意事項", "凡例", "readme", "目次", "項目定義", "定義書", "更新履歴", "利用規約", "ライセンス", "使い方"];
    private static readonly string[] PivotNames = ["ピボット", "pivot", "集計", "グラフ"];
    private static readonly string[] PivotCells = ["行ラベル", "列ラベル", "総計", "Row Labels", "Column Labels", "Grand Total"];
    private static readonly string[] PivotPrefixes = ["合計 / ", "個数 / ", "データの個数 / ", "平均 / ", "Sum of ", "Count of "];

    public static SheetInfo Classify(int index, string name, bool hidden, IReadOnlyList<string[]> sample, long rows, int columns, IReadOnlyList<MergedRange> merges)
    {
        var kind = Kind(name, sample, rows);
        long score = 0;
        if (kind == SheetKind.Data && HeaderDetector.Detect(sample, merges) is { } header)
        {
            var above = sample.Take(header.Index + 1).Count(r => !HeaderDetector.IsBlank(r));
            score = Math.Max(0, rows - above) * header.Names.Count(n => n.Length > 0);
        }
        return new SheetInfo(index, name, rows, columns, kind, score, hidden);
    }

    private static SheetKind Kind(string name, IReadOnlyList<string[]> sample, long rows)
    {
        if (rows == 0)
        {
            return SheetKind.Empty;
        }
        if (ExampleNames.Any(n => name.Contains(n, StringComparison.OrdinalIgnoreCase)))
        {
            return SheetKind.Example;
        }
        var cells = sample.SelectMany(r => r).Select(TextNormalizer.Trim).Where(c => c.Length > 0).ToList();
        if (PivotNames.Any(n => name.Contains(n, StringComparison.OrdinalIgnoreCase))
            || cells.Any(c => PivotCells.Contains(c, StringComparer.OrdinalIgnoreCase) || PivotPrefixes.Any(p => c.StartsWith(p, StringComparison.OrdinalIgnoreCase))))
        {
            return SheetKind.Pivot;
        }
        if (CoverNames.Any(n => name.Contains(n, StringComparison.OrdinalIgnoreCase))
            || sample.All(r => r.Count(c => TextNormalizer.Trim(c).Length > 0) <= 2))
        {
            return SheetKind.Cover;
        }
        return SheetKind.Data;
    }

    /// <summary>
    /// The sheet to read when none is named: the visible data sheet with the highest score (ties: the first); else the first
    /// visible non-empty sheet; else the first sheet.
    /// </summary>
    public static int Choose(IReadOnlyList<SheetInfo> sheets)
    {
        var data = sheets.Where(s => s.Kind == SheetKind.Data).OrderBy(s => s.Hidden).ThenByDescending(s => s.Score).ThenBy(s => s.Index).FirstOrDefault();
        return data?.Index ?? sheets.Where(s => s.Kind != SheetKind.Empty).OrderBy(s => s.Hidden).ThenBy(s => s.Index).FirstOrDefault()?.Index ?? 0;
    }

    public static (string Ja, string En) Describe(IReadOnlyList<SheetInfo> sheets, int chosen, bool explicitChoice)
    {
        var taken = sheets[chosen];
        var others = sheets.Where(s => s.Index != chosen).ToList();
        var why = explicitChoice ? ("指定された", "the requested") : ("表を含むと判断した", "the sheet judged to hold the table,");
        var ja = $"{sheets.Count}シートのうち、{why.Item1}{taken.DescriptionJa}を読み込みました"
            + (others.Count > 0 ? "。ほかのシート: " + string.Join("、", others.Select(s => s.DescriptionJa)) : "");
        var en = $"Read {why.Item2} {taken.DescriptionEn}, of {sheets.Count} sheet{(sheets.Count == 1 ? "" : "s")}"
            + (others.Count > 0 ? ". Other sheets: " + string.Join(", ", others.Select(s => s.DescriptionEn)) : "");
        return (ja, en);
    }
}
