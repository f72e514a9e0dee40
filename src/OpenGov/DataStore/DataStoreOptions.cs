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

    /// <summary>datastore_search_sql statements one caller (user, or address when anonymous) may run at once.</summary>
    public int SearchSqlConcurrentPerCaller { get; set; } = 1;

    /// <summary>datastore_search_sql statements this node runs at once, for all callers together.</summary>
    public int SearchSqlConcurrentTotal { get; set; } = 4;

    /// <summary>Seconds between polls for new or changed tabular uploads (0 turns polling off).</summary>
    public int PollSeconds { get; set; } = 10;

    /// <summary>Run load jobs on this node.</summary>
    public bool RunJobs { get; set; } = true;
}
