namespace OpenGov.Dashboards;

/// <summary>
/// A group of rows fed to a computation: a date cell, a category cell, and a weight (1 per row to count, the value
/// to sum). A database can hand groups already counted (<see cref="Rows"/> &gt; 1); a file reader hands single rows.
/// </summary>
public readonly record struct Observation(string? Date, string? Category, double Weight, long Rows = 1);

/// <summary>What a computation asks of a source table.</summary>
/// <param name="DateColumn">Group by this date column (null when not grouped by date).</param>
/// <param name="CategoryColumn">Group by this column (null when not grouped by category).</param>
/// <param name="ValueColumn">Sum this column (null to count rows).</param>
public sealed record ObservationQuery(string? DateColumn, string? CategoryColumn, string? ValueColumn);

/// <summary>Where the rows of a card's source come from: a file in tests and exports, the DataStore in the site.</summary>
public interface IObservationSource
{
    /// <summary>
    /// The observations of <paramref name="resource"/>; values that are blank or not numbers are counted in
    /// <paramref name="issues"/> and left out. Throws <see cref="MissingColumnException"/> for an unknown column.
    /// </summary>
    IEnumerable<Observation> Read(string resource, ObservationQuery query, AggregateIssues issues);
}

/// <summary>A column a card needs is not in its source table (removed or renamed by a reload).</summary>
public sealed class MissingColumnException : Exception
{
    public MissingColumnException(string column) : base($"列「{column}」がありません。") => Column = column;

    public MissingColumnException() : this("") { }

    public MissingColumnException(string message, Exception inner) : base(message, inner) => Column = "";

    public string Column { get; } = "";
}
