using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenGov.Dashboards;

/// <summary>Text in Japanese with an optional English version.</summary>
public sealed record LocalizedText(string Ja, string? En = null)
{
    /// <summary>The English text when <paramref name="language"/> is "en" and one exists, otherwise the Japanese.</summary>
    public string For(string language) =>
        language.StartsWith("en", StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(En) ? En : Ja;
}

/// <summary>How a card is drawn.</summary>
public enum ChartKind
{
    Bar,
    StackedBar,
    Line,
    BarLine,
    Number,
    Table,
    /// <summary>
    /// The 検査陽性者の状況 box diagram of Tokyo's site: the total of a count by category in one box, each category
    /// (e.g. 入院中, 宿泊療養, 退院, 死亡) in a box of its own beneath it with its share. Only for
    /// <see cref="ComputationKind.CountByCategory"/> and <see cref="ComputationKind.LatestColumns"/>.
    /// </summary>
    Box,
}

/// <summary>What a card computes from its source table.</summary>
public enum ComputationKind
{
    /// <summary>Rows per day of <see cref="ComputationDefinition.DateColumn"/>.</summary>
    CountPerDay,
    /// <summary>Sum of <see cref="ComputationDefinition.ValueColumn"/> per day.</summary>
    SumPerDay,
    /// <summary>Rows per value of <see cref="ComputationDefinition.CategoryColumn"/> (e.g. 年代).</summary>
    CountByCategory,
    /// <summary>Rows per day and per value of <see cref="ComputationDefinition.CategoryColumn"/> (stacked bars).</summary>
    CountPerDayByCategory,
    /// <summary><see cref="ComputationDefinition.Numerator"/> divided by <see cref="ComputationDefinition.Denominator"/> day by day (e.g. 陽性率).</summary>
    Ratio,
    /// <summary>
    /// The latest day's values of <see cref="ComputationDefinition.Columns"/> in a status table (one row per day, a
    /// column per category, e.g. Tokyo's 入院中, 宿泊療養, 自宅療養, 死亡, 退院): the latest day on which every listed
    /// column has a value. <see cref="ComputationDefinition.ValueColumn"/>, when set, is the total they are parts of
    /// (陽性者数（累計）); <see cref="ComputationDefinition.Parts"/> breaks a column down (入院中: 軽症・中等症, 重症).
    /// </summary>
    LatestColumns,
}

/// <summary>A transformation applied to a daily series after it is computed.</summary>
public enum SeriesTransform
{
    None,
    Cumulative,
    MovingAverage7,
}

/// <summary>A computation over one source table (or two, for a ratio).</summary>
public sealed record ComputationDefinition
{
    public ComputationKind Kind { get; init; }

    /// <summary>Resource the rows come from when it differs from the card's (the two sides of a ratio).</summary>
    public string? Source { get; init; }

    public string? DateColumn { get; init; }

    public string? ValueColumn { get; init; }

    public string? CategoryColumn { get; init; }

    /// <summary>Expected category values in display order; any other value is counted as non-standard.</summary>
    public IReadOnlyList<string>? Categories { get; init; }

    public SeriesTransform Transform { get; init; }

    /// <summary>For <see cref="ComputationKind.LatestColumns"/>: the columns shown as parts of the total, in order.</summary>
    public IReadOnlyList<string>? Columns { get; init; }

    /// <summary>For <see cref="ComputationKind.LatestColumns"/>: a listed column's own parts (入院中: 軽症・中等症, 重症).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Parts { get; init; }

    /// <summary>Also compute the 7-day moving average (the line of a bar+line chart).</summary>
    public bool WithMovingAverage { get; init; }

    /// <summary>Multiply a ratio by this (100 for a percentage).</summary>
    public double Scale { get; init; } = 1;

    public ComputationDefinition? Numerator { get; init; }

    public ComputationDefinition? Denominator { get; init; }
}

/// <summary>One card of a dashboard.</summary>
public sealed record CardDefinition
{
    /// <summary>Stable identifier within the dashboard (used in URLs), e.g. "patients-per-day".</summary>
    public required string Id { get; init; }

    public required LocalizedText Title { get; init; }

    /// <summary>Notes in Markdown.</summary>
    public LocalizedText? Notes { get; init; }

    /// <summary>Source resource id.</summary>
    public required string Source { get; init; }

    public required ComputationDefinition Computation { get; init; }

    public ChartKind Chart { get; init; } = ChartKind.Bar;

    /// <summary>Days shown by default counting back from the last day (null = the whole series).</summary>
    public int? DefaultRangeDays { get; init; }
}

/// <summary>A dashboard: title, organization and cards in order.</summary>
public sealed record DashboardDefinition
{
    public required string Slug { get; init; }

    public required LocalizedText Title { get; init; }

    /// <summary>Organization name (slug).</summary>
    public required string Organization { get; init; }

    public IReadOnlyList<CardDefinition> Cards { get; init; } = [];

    /// <summary>Resources behind the Tokyo-shaped data.json (null: the dashboard has no data.json).</summary>
    public TokyoDataSources? TokyoData { get; init; }
}

/// <summary>JSON form of dashboard definitions (camelCase, enums as camelCase strings).</summary>
public static class DashboardJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize(DashboardDefinition definition) => JsonSerializer.Serialize(definition, Options);

    /// <summary>Parses and checks a definition; throws <see cref="DashboardDefinitionException"/> naming the problem.</summary>
    public static DashboardDefinition Deserialize(string json)
    {
        DashboardDefinition? d;
        try
        {
            d = JsonSerializer.Deserialize<DashboardDefinition>(json, Options);
        }
        catch (JsonException e)
        {
            throw new DashboardDefinitionException($"JSON が正しくありません: {e.Message}", e);
        }
        if (d is null)
        {
            throw new DashboardDefinitionException("定義が空です。");
        }
        DashboardValidator.ThrowIfInvalid(d);
        return d;
    }
}

/// <summary>A definition that cannot be used; the message is Japanese and names the field.</summary>
public sealed class DashboardDefinitionException : Exception
{
    public DashboardDefinitionException(string message) : base(message) { }

    public DashboardDefinitionException(string message, Exception inner) : base(message, inner) { }

    public DashboardDefinitionException() { }
}
