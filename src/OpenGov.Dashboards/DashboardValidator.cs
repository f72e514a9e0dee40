using System.Text.RegularExpressions;

namespace OpenGov.Dashboards;

/// <summary>Checks a definition: slugs, unique card ids, and the columns each computation needs.</summary>
public static partial class DashboardValidator
{
    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,99}$")]
    private static partial Regex SlugPattern();

    /// <summary>Problems found, in Japanese, each naming the card and field; empty when the definition is usable.</summary>
    public static IReadOnlyList<string> Validate(DashboardDefinition d)
    {
        var errors = new List<string>();
        if (d.Slug is null || !SlugPattern().IsMatch(d.Slug))
        {
            errors.Add("slug は英小文字・数字・-・_ で指定してください。");
        }
        if (d.Title is null || string.IsNullOrWhiteSpace(d.Title.Ja))
        {
            errors.Add("title.ja は必須です。");
        }
        if (string.IsNullOrWhiteSpace(d.Organization))
        {
            errors.Add("organization は必須です。");
        }
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var card in d.Cards ?? [])
        {
            if (card.Id is null || !SlugPattern().IsMatch(card.Id))
            {
                errors.Add($"カード「{card.Id}」: id は英小文字・数字・-・_ で指定してください。");
                continue;
            }
            if (!ids.Add(card.Id))
            {
                errors.Add($"カード「{card.Id}」: id が重複しています。");
            }
            if (card.Title is null || string.IsNullOrWhiteSpace(card.Title.Ja))
            {
                errors.Add($"カード「{card.Id}」: title.ja は必須です。");
            }
            if (string.IsNullOrWhiteSpace(card.Source))
            {
                errors.Add($"カード「{card.Id}」: source は必須です。");
            }
            if (card.DefaultRangeDays is <= 0)
            {
                errors.Add($"カード「{card.Id}」: defaultRangeDays は 1 以上にしてください。");
            }
            if (card.Computation is null)
            {
                errors.Add($"カード「{card.Id}」: computation は必須です。");
                continue;
            }
            CheckComputation(card.Id, card.Computation, errors, depth: 0);
            if (card.Chart == ChartKind.Box && card.Computation.Kind is not (ComputationKind.CountByCategory or ComputationKind.LatestColumns))
            {
                errors.Add($"カード「{card.Id}」: box は countByCategory と latestColumns にだけ使えます。");
            }
        }
        return errors;
    }

    private static void CheckColumns(string card, ComputationDefinition c, List<string> errors)
    {
        var columns = c.Columns ?? [];
        if (columns.Count == 0 || columns.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add($"カード「{card}」: latestColumns には columns（列名の並び）が必要です。");
            return;
        }
        var parts = c.Parts ?? new Dictionary<string, IReadOnlyList<string>>();
        foreach (var whole in parts.Keys.Where(k => !columns.Contains(k, StringComparer.Ordinal)))
        {
            errors.Add($"カード「{card}」: parts の「{whole}」が columns にありません。");
        }
        var all = columns.Concat(parts.Values.SelectMany(p => p ?? [])).Append(c.ValueColumn).Where(x => !string.IsNullOrWhiteSpace(x)).ToList();
        foreach (var twice in all.GroupBy(x => x, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add($"カード「{card}」: 列「{twice.Key}」が 2 回指定されています。");
        }
    }

    public static void ThrowIfInvalid(DashboardDefinition d)
    {
        var errors = Validate(d);
        if (errors.Count > 0)
        {
            throw new DashboardDefinitionException(string.Join(" ", errors));
        }
    }

    private static void CheckComputation(string card, ComputationDefinition c, List<string> errors, int depth)
    {
        void Need(string? value, string field)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                errors.Add($"カード「{card}」: {c.Kind} には {field} が必要です。");
            }
        }
        switch (c.Kind)
        {
            case ComputationKind.CountPerDay:
                Need(c.DateColumn, "dateColumn");
                break;
            case ComputationKind.SumPerDay:
                Need(c.DateColumn, "dateColumn");
                Need(c.ValueColumn, "valueColumn");
                break;
            case ComputationKind.CountByCategory:
                Need(c.CategoryColumn, "categoryColumn");
                break;
            case ComputationKind.CountPerDayByCategory:
                Need(c.DateColumn, "dateColumn");
                Need(c.CategoryColumn, "categoryColumn");
                break;
            case ComputationKind.LatestColumns:
                Need(c.DateColumn, "dateColumn");
                CheckColumns(card, c, errors);
                break;
            case ComputationKind.Ratio:
                if (depth > 0 || c.Numerator is null || c.Denominator is null
                    || c.Numerator.Kind is not (ComputationKind.CountPerDay or ComputationKind.SumPerDay)
                    || c.Denominator.Kind is not (ComputationKind.CountPerDay or ComputationKind.SumPerDay))
                {
                    errors.Add($"カード「{card}」: ratio には日別の numerator と denominator が必要です。");
                    break;
                }
                CheckComputation(card, c.Numerator, errors, depth + 1);
                CheckComputation(card, c.Denominator, errors, depth + 1);
                break;
            default:
                errors.Add($"カード「{card}」: 不明な computation です。");
                break;
        }
        if (double.IsNaN(c.Scale) || double.IsInfinity(c.Scale) || c.Scale == 0)
        {
            errors.Add($"カード「{card}」: scale が正しくありません。");
        }
    }
}
