using OpenGov.Tabular;

namespace OpenGov.Dashboards;

/// <summary>A table held in memory: column names and rows of cells.</summary>
public sealed record RowTable(IReadOnlyList<string> Columns, IReadOnlyList<string[]> Rows)
{
    /// <summary>Reads a whole file with <see cref="TableReader"/> (encoding, BOM, header detection as for a load).</summary>
    public static RowTable Read(string path)
    {
        using var r = TableReader.Open(path);
        var rows = r.Rows.ToList();
        return new RowTable(r.Columns, rows);
    }

    /// <summary>Index of <paramref name="column"/>; throws <see cref="MissingColumnException"/> when absent.</summary>
    public int IndexOf(string column)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (string.Equals(Columns[i], column, StringComparison.Ordinal))
            {
                return i;
            }
        }
        throw new MissingColumnException(column);
    }

    /// <summary>The cell, or null for a short (ragged) row.</summary>
    public static string? Cell(string[] row, int index) => index >= 0 && index < row.Length ? row[index] : null;
}

/// <summary>Observations from in-memory tables keyed by resource id: one per row.</summary>
public sealed class RowTableSource(IReadOnlyDictionary<string, RowTable> tables) : IObservationSource
{
    public IEnumerable<Observation> Read(string resource, ObservationQuery query, AggregateIssues issues)
    {
        if (!tables.TryGetValue(resource, out var table))
        {
            return [];
        }
        // Resolve columns before enumerating so a missing one fails at once.
        var date = query.DateColumn is null ? -1 : table.IndexOf(query.DateColumn);
        var category = query.CategoryColumn is null ? -1 : table.IndexOf(query.CategoryColumn);
        var value = query.ValueColumn is null ? -1 : table.IndexOf(query.ValueColumn);
        return Rows(table, date, category, value, issues);
    }

    private static IEnumerable<Observation> Rows(RowTable table, int date, int category, int value, AggregateIssues issues)
    {
        foreach (var row in table.Rows)
        {
            double weight = 1;
            if (value >= 0 && !TryValue(RowTable.Cell(row, value), issues, out weight))
            {
                continue;
            }
            yield return new Observation(RowTable.Cell(row, date), RowTable.Cell(row, category), weight);
        }
    }

    /// <summary>Parses a number to sum; blanks and non-numbers are counted and left out.</summary>
    public static bool TryValue(string? cell, AggregateIssues issues, out double value)
    {
        value = 0;
        if (TextNormalizer.IsEmpty(cell))
        {
            issues.BlankValues++;
            return false;
        }
        if (!JapaneseNumber.TryParseDecimal(cell, out var d))
        {
            issues.UnparsableValues++;
            AggregateIssues.AddExample(issues.ValueExamples, cell!);
            return false;
        }
        value = (double)d;
        return true;
    }
}
