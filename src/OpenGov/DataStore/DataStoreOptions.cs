namespace OpenGov.DataStore;

/// <summary>Settings of the DataStore (configuration section OpenGov:DataStore).</summary>
public sealed class DataStoreOptions
{
    /// <summary>datastore_search_sql is off unless this is true.</summary>
    public bool SearchSqlEnabled { get; set; }

    /// <summary>Statement time limit of datastore_search_sql.</summary>
    public int SearchSqlTimeoutMs { get; set; } = 5000;

    /// <summary>Most rows datastore_search_sql returns.</summary>
    public int SearchSqlMaxRows { get; set; } = 32000;

    /// <summary>Seconds between polls for new or changed tabular uploads (0 turns polling off).</summary>
    public int PollSeconds { get; set; } = 10;

    /// <summary>Run load jobs on this node.</summary>
    public bool RunJobs { get; set; } = true;
}
