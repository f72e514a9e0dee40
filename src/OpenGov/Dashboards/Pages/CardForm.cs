using Microsoft.Extensions.Localization;
using OpenGov.Catalog.Editing.Pages;
using OpenGov.DataStore;

namespace OpenGov.Dashboards.Pages;

/// <summary>
/// The card editor's fields for one card (what data staff choose from selects: table, computation, columns, chart,
/// range) and their conversion to and from <see cref="CardDefinition"/>. The columns are the "column mapping": a table
/// whose columns differ from the standard still gets cards by picking its columns here.
/// </summary>
public sealed class CardForm
{
    /// <summary>Id of the card being edited; empty for a new card.</summary>
    public string EditingId { get; set => field = value ?? ""; } = "";

    public string TitleJa { get; set => field = value ?? ""; } = "";

    public string TitleEn { get; set => field = value ?? ""; } = "";

    public string NotesJa { get; set => field = value ?? ""; } = "";

    public string NotesEn { get; set => field = value ?? ""; } = "";

    public string Source { get; set => field = value ?? ""; } = "";

    public ComputationKind Kind { get; set; } = ComputationKind.CountPerDay;

    public string DateColumn { get; set => field = value ?? ""; } = "";

    public string CategoryColumn { get; set => field = value ?? ""; } = "";

    public string ValueColumn { get; set => field = value ?? ""; } = "";

    /// <summary>For daily counts and sums: none, cumulative, or the 7-day average drawn with the bars.</summary>
    public string Series { get; set => field = value ?? ""; } = SeriesNone;

    /// <summary>The ratio's second series (the denominator): its table, date column and value column (empty: rows per day).</summary>
    public string SecondSource { get; set => field = value ?? ""; } = "";

    public string SecondDateColumn { get; set => field = value ?? ""; } = "";

    public string SecondValueColumn { get; set => field = value ?? ""; } = "";

    public ChartKind Chart { get; set; } = ChartKind.Bar;

    /// <summary>Days shown by default counting back from the last day; null = the whole series.</summary>
    public int? RangeDays { get; set; }

    /// <summary>What the card's table feeds in data.json (<see cref="DataJsonRoles"/>); empty: nothing.</summary>
    public string DataJsonRole { get; set => field = value ?? ""; } = "";

    /// <summary>Expected categories of a count by category, one a line in display order (others are counted apart).</summary>
    public string Categories { get; set => field = value ?? ""; } = "";

    /// <summary>
    /// A status box's columns, one a line in display order; a line "入院中: 軽症・中等症, 重症" also names a column's
    /// own parts (':' or '：', parts split by ',' or '、').
    /// </summary>
    public string StatusColumns { get; set => field = value ?? ""; } = "";

    /// <summary>A ratio's scale: "100" (percent) or "1" (a plain ratio); another number set through the API is kept.</summary>
    public string Scale { get; set => field = value ?? ""; } = "100";

    /// <summary>At most this many expected categories.</summary>
    public const int MaxCategories = 200;

    public const string SeriesNone = "none", SeriesCumulative = "cumulative", SeriesAverage = "average";

    public static readonly int[] Ranges = [30, 90, 180, 365];

    public static readonly ComputationKind[] Kinds =
        [ComputationKind.CountPerDay, ComputationKind.SumPerDay, ComputationKind.CountByCategory, ComputationKind.CountPerDayByCategory, ComputationKind.Ratio, ComputationKind.LatestColumns];

    public bool UsesDate => Kind != ComputationKind.CountByCategory;

    public bool UsesCategory => Kind is ComputationKind.CountByCategory or ComputationKind.CountPerDayByCategory;

    /// <summary>
    /// Sum per day needs the value; a ratio may use one (sum) or not (rows per day); a status box may name its total;
    /// the others ignore it.
    /// </summary>
    public bool UsesValue => Kind is ComputationKind.SumPerDay or ComputationKind.Ratio or ComputationKind.LatestColumns;

    /// <summary>The status box's columns typed (<see cref="StatusColumns"/>), each with its own parts (none: empty).</summary>
    public IReadOnlyList<(string Column, IReadOnlyList<string> Parts)> StatusColumnList =>
        StatusColumns.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).Select(line =>
        {
            var colon = line.IndexOfAny([':', '：']);
            if (colon < 0)
            {
                return (line, (IReadOnlyList<string>)[]);
            }
            var parts = line[(colon + 1)..].Split([',', '、'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return (line[..colon].Trim(), (IReadOnlyList<string>)parts);
        }).ToList();

    /// <summary>The expected categories typed, one a line, blanks dropped.</summary>
    public IReadOnlyList<string> CategoryList =>
        Categories.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();

    public static CardForm From(CardDefinition card, TokyoDataSources? dataJson = null)
    {
        var c = card.Computation;
        var f = new CardForm
        {
            EditingId = card.Id,
            TitleJa = card.Title.Ja,
            TitleEn = card.Title.En ?? "",
            NotesJa = card.Notes?.Ja ?? "",
            NotesEn = card.Notes?.En ?? "",
            Source = c.Source ?? card.Source,
            Kind = c.Kind,
            Chart = card.Chart,
            RangeDays = card.DefaultRangeDays,
            DataJsonRole = DataJsonRoles.Of(dataJson, card.Source),
            Categories = string.Join("\n", c.Categories ?? []),
            Scale = c.Scale.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (c.Kind == ComputationKind.Ratio && c.Numerator is { } n && c.Denominator is { } d)
        {
            f.Source = n.Source ?? f.Source;
            f.DateColumn = n.DateColumn ?? "";
            f.ValueColumn = n.Kind == ComputationKind.SumPerDay ? n.ValueColumn ?? "" : "";
            f.SecondSource = d.Source ?? card.Source;
            f.SecondDateColumn = d.DateColumn ?? "";
            f.SecondValueColumn = d.Kind == ComputationKind.SumPerDay ? d.ValueColumn ?? "" : "";
            return f;
        }
        f.DateColumn = c.DateColumn ?? "";
        f.StatusColumns = string.Join("\n", (c.Columns ?? []).Select(col =>
            c.Parts?.GetValueOrDefault(col) is { Count: > 0 } parts ? $"{col}: {string.Join(", ", parts)}" : col));
        f.CategoryColumn = c.CategoryColumn ?? "";
        f.ValueColumn = c.ValueColumn ?? "";
        f.Series = c.WithMovingAverage ? SeriesAverage : c.Transform == SeriesTransform.Cumulative ? SeriesCumulative : SeriesNone;
        return f;
    }

    /// <summary>The card these fields describe (checked by <see cref="CheckAsync"/> first).</summary>
    public CardDefinition ToCard(string id)
    {
        static string? Opt(string s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
        ComputationDefinition computation;
        if (Kind == ComputationKind.Ratio)
        {
            ComputationDefinition Daily(string? source, string date, string value) => Opt(value) is { } v
                ? new() { Kind = ComputationKind.SumPerDay, Source = source, DateColumn = Opt(date), ValueColumn = v }
                : new() { Kind = ComputationKind.CountPerDay, Source = source, DateColumn = Opt(date) };
            computation = new()
            {
                Kind = ComputationKind.Ratio,
                Scale = ParsedScale ?? 100,
                Numerator = Daily(null, DateColumn, ValueColumn),
                Denominator = Daily(SecondSource == Source ? null : Opt(SecondSource), SecondDateColumn, SecondValueColumn),
            };
        }
        else
        {
            var daily = Kind is ComputationKind.CountPerDay or ComputationKind.SumPerDay;
            computation = new()
            {
                Kind = Kind,
                DateColumn = UsesDate ? Opt(DateColumn) : null,
                CategoryColumn = UsesCategory ? Opt(CategoryColumn) : null,
                ValueColumn = Kind is ComputationKind.SumPerDay or ComputationKind.LatestColumns ? Opt(ValueColumn) : null,
                Categories = UsesCategory && CategoryList.Count > 0 ? CategoryList : null,
                Columns = Kind == ComputationKind.LatestColumns ? StatusColumnList.Select(x => x.Column).ToList() : null,
                Parts = Kind == ComputationKind.LatestColumns && StatusColumnList.Any(x => x.Parts.Count > 0)
                    ? StatusColumnList.Where(x => x.Parts.Count > 0).ToDictionary(x => x.Column, x => x.Parts, StringComparer.Ordinal)
                    : null,
                Transform = daily && Series == SeriesCumulative ? SeriesTransform.Cumulative : SeriesTransform.None,
                WithMovingAverage = daily && Series == SeriesAverage,
            };
        }
        return new CardDefinition
        {
            Id = id,
            Title = new(TitleJa.Trim(), Opt(TitleEn)),
            Notes = Opt(NotesJa) is { } nj ? new LocalizedText(nj, Opt(NotesEn)) : null,
            Source = Source.Trim(),
            Computation = computation,
            Chart = Chart,
            DefaultRangeDays = RangeDays is > 0 ? RangeDays : null,
        };
    }

    /// <summary>
    /// Checks the choices against the tables the user may use and their columns; adds each problem next to its field
    /// (in the user's language). <paramref name="fields"/> gives a table's columns (null: no table).
    /// </summary>
    public async Task CheckAsync(IReadOnlyList<SourceTable> tables, Func<string, Task<IReadOnlyList<DsField>?>> fields, FormErrors errors, IStringLocalizer T)
    {
        if (string.IsNullOrWhiteSpace(TitleJa))
        {
            errors.Add("TitleJa", "field-title-ja", T["タイトル（日本語）を入力してください。"]);
        }
        if (!Enum.IsDefined(Kind) || !Kinds.Contains(Kind))
        {
            errors.Add("Kind", "field-kind", T["集計の方法を選んでください。"]);
            return;
        }
        var main = await TableAsync(Source, "Source", "field-source", tables, fields, errors, T);
        CheckExtras(main, errors, T);
        if (main is not null)
        {
            if (UsesDate)
            {
                Column(main, DateColumn, "DateColumn", "field-date", IsDate, T["日付の列"], T["日付または文字の列を選んでください。"], errors, T);
            }
            if (UsesCategory)
            {
                Column(main, CategoryColumn, "CategoryColumn", "field-category", t => t != DsTypes.Json, T["区分の列"], T["この列は区分に使えません。"], errors, T);
            }
            if (Kind == ComputationKind.SumPerDay || (Kind is ComputationKind.Ratio or ComputationKind.LatestColumns && !string.IsNullOrWhiteSpace(ValueColumn)))
            {
                Column(main, ValueColumn, "ValueColumn", "field-value", IsNumber, T["値の列"], T["数値の列を選んでください。"], errors, T);
            }
            if (Kind == ComputationKind.LatestColumns)
            {
                CheckStatusColumns(main, errors, T);
            }
        }
        if (Kind == ComputationKind.Ratio)
        {
            var second = await TableAsync(SecondSource, "SecondSource", "field-second-source", tables, fields, errors, T);
            if (second is not null)
            {
                Column(second, SecondDateColumn, "SecondDateColumn", "field-second-date", IsDate, T["日付の列"], T["日付または文字の列を選んでください。"], errors, T);
                if (!string.IsNullOrWhiteSpace(SecondValueColumn))
                {
                    Column(second, SecondValueColumn, "SecondValueColumn", "field-second-value", IsNumber, T["値の列"], T["数値の列を選んでください。"], errors, T);
                }
            }
        }
        if (!Enum.IsDefined(Chart))
        {
            errors.Add("Chart", "field-chart", T["グラフの種類を選んでください。"]);
        }
        else if (Chart == ChartKind.Number && (UsesCategory || Kind == ComputationKind.LatestColumns))
        {
            errors.Add("Chart", "field-chart", T["区分ごとの集計は数値タイルでは表示できません。棒グラフか表を選んでください。"]);
        }
        else if (Chart == ChartKind.Box && Kind is not (ComputationKind.CountByCategory or ComputationKind.LatestColumns))
        {
            errors.Add("Chart", "field-chart", T["内訳の図は「区分別の件数」と「最新日の列の値」にだけ使えます。"]);
        }
        else if (Chart == ChartKind.StackedBar && Kind != ComputationKind.CountPerDayByCategory)
        {
            errors.Add("Chart", "field-chart", T["積み上げ棒グラフは「日別・区分別の件数」にだけ使えます。"]);
        }
        if (RangeDays is < 0)
        {
            errors.Add("RangeDays", "field-range", T["表示期間を選んでください。"]);
        }
    }

    private double? ParsedScale =>
        double.TryParse(Scale, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v)
        && double.IsFinite(v) && v > 0 ? v : null;

    /// <summary>The checks of the fields this form adds to the column mapping: data.json role, expected categories, a ratio's scale.</summary>
    private void CheckExtras(IReadOnlyList<DsField>? main, FormErrors errors, IStringLocalizer T)
    {
        if (DataJsonRole.Length > 0)
        {
            if (DataJsonRoles.Find(DataJsonRole) is not { } role)
            {
                errors.Add("DataJsonRole", "field-datajson", T["data.json での役割を選んでください。"]);
            }
            else if (main is not null && role.Columns.FirstOrDefault(col => main.All(f => f.Id != col)) is { } missing)
            {
                errors.Add("DataJsonRole", "field-datajson", T["data.json の「{0}」には列「{1}」のある表が必要です（標準データセットの列名）。", T[role.LabelJa], missing]);
            }
        }
        if (UsesCategory)
        {
            var list = CategoryList;
            if (list.Count > MaxCategories)
            {
                errors.Add("Categories", "field-categories", T["想定する区分は{0}個までです。", MaxCategories]);
            }
            else if (list.GroupBy(x => x, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            {
                errors.Add("Categories", "field-categories", T["区分「{0}」が2回書かれています。", twice.Key]);
            }
        }
        if (Kind == ComputationKind.Ratio && ParsedScale is null)
        {
            errors.Add("Scale", "field-scale", T["割合の表し方を選んでください。"]);
        }
    }

    /// <summary>A status box's columns and parts: at least one, each a numeric column of the table, none twice.</summary>
    private void CheckStatusColumns(IReadOnlyList<DsField> table, FormErrors errors, IStringLocalizer T)
    {
        var list = StatusColumnList;
        if (list.Count == 0)
        {
            errors.Add("StatusColumns", "field-status-columns", T["内訳に表示する列を1行に1つ書いてください。"]);
            return;
        }
        var named = list.SelectMany(x => x.Parts.Prepend(x.Column)).Append(ValueColumn).Where(x => x.Length > 0).ToList();
        if (named.GroupBy(x => x, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            errors.Add("StatusColumns", "field-status-columns", T["列「{0}」が2回書かれています。", twice.Key]);
        }
        else if (named.FirstOrDefault(x => table.All(f => f.Id != x)) is { } missing)
        {
            errors.Add("StatusColumns", "field-status-columns", T["列「{0}」はこの表にありません。", missing]);
        }
        else if (named.Select(x => table.First(f => f.Id == x)).FirstOrDefault(f => !IsNumber(f.Type)) is { } text)
        {
            errors.Add("StatusColumns", "field-status-columns", T["列「{0}」の型（{1}）はここに使えません。{2}", text.Id, TypeName(text.Type, T), T["数値の列を選んでください。"]]);
        }
    }

    private static bool IsDate(string type) => type is DsTypes.Date or DsTypes.Timestamp or DsTypes.Text;

    private static bool IsNumber(string type) => type is DsTypes.Int or DsTypes.Numeric or DsTypes.Float;

    private static async Task<IReadOnlyList<DsField>?> TableAsync(string id, string key, string fieldId, IReadOnlyList<SourceTable> tables,
        Func<string, Task<IReadOnlyList<DsField>?>> fields, FormErrors errors, IStringLocalizer T)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            errors.Add(key, fieldId, T["元データの表を選んでください。"]);
            return null;
        }
        if (tables.All(t => t.ResourceId != id))
        {
            errors.Add(key, fieldId, T["この表は選べません（この組織のデータストアの表で、あなたが読めるものだけが使えます）。"]);
            return null;
        }
        var f = await fields(id);
        if (f is null)
        {
            errors.Add(key, fieldId, T["この表は選べません（この組織のデータストアの表で、あなたが読めるものだけが使えます）。"]);
        }
        return f;
    }

    private static void Column(IReadOnlyList<DsField> table, string column, string key, string fieldId, Func<string, bool> typeOk, string label, string wrongType, FormErrors errors, IStringLocalizer T)
    {
        if (string.IsNullOrWhiteSpace(column))
        {
            errors.Add(key, fieldId, T["{0}を選んでください。", label]);
            return;
        }
        var field = table.FirstOrDefault(f => f.Id == column);
        if (field is null)
        {
            errors.Add(key, fieldId, T["列「{0}」はこの表にありません。", column]);
        }
        else if (!typeOk(field.Type))
        {
            errors.Add(key, fieldId, T["列「{0}」の型（{1}）はここに使えません。{2}", column, TypeName(field.Type, T), wrongType]);
        }
    }

    /// <summary>A column type as data staff read it.</summary>
    public static string TypeName(string type, IStringLocalizer T) => type switch
    {
        DsTypes.Int or DsTypes.Numeric or DsTypes.Float => T["数値"],
        DsTypes.Date => T["日付"],
        DsTypes.Timestamp => T["日時"],
        DsTypes.Bool => T["真偽"],
        DsTypes.Time => T["時刻"],
        DsTypes.Json => "JSON",
        _ => T["文字"],
    };
}
