using OpenGov.Hosting;
using OpenGov.Storage;

namespace OpenGov.DataStore;

/// <summary>Chooses the DataStore's engine: the one of the platform's database (ConnectionStrings:Default).</summary>
public static class DataStoreBackends
{
    public static IDataStoreBackend Create(StorageInfo storage, OpenGovOptions options) =>
        storage.IsPostgres ? new PostgresBackend(storage.ConnectionString) : new SqliteBackend(options.DataDirectory);
}
