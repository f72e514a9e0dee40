using System.Text.Json.Serialization;
using OpenGov.Notifications;

namespace OpenGov.DataStore;

/// <summary>What happened to a DataStore table.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DataStoreChangeKind>))]
public enum DataStoreChangeKind
{
    /// <summary>datastore_create made the table.</summary>
    Created,

    /// <summary>A load (a job, or bench/datastore.sh) replaced the table with a new version.</summary>
    Loaded,

    /// <summary>Records or fields changed in place: datastore_create on an existing table, datastore_upsert, datastore_delete with filters.</summary>
    Records,

    /// <summary>datastore_delete without filters, or the resource was deleted.</summary>
    Dropped,
}

/// <summary>A DataStore table changed (published after the commit, on every node with Redis).</summary>
public sealed record DataStoreTableChanged(string ResourceId, DataStoreChangeKind Kind) : IChange
{
    public static string Topic => "datastore.table";

    /// <summary>True when a table appeared, was replaced or disappeared (the catalog's datastore_active may differ).</summary>
    [JsonIgnore]
    public bool TableReplaced => Kind != DataStoreChangeKind.Records;
}
