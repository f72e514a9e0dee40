using OpenGov.Notifications;

namespace OpenGov.DataStore;

/// <summary>
/// datastore_active shows in package_show: when a table appears, is replaced or disappears, the node that did it
/// moves the catalog's stamp forward, so that no cached catalog answer outlives the change (on any node: the stamp is
/// in the shared database).
/// </summary>
public static class DataStoreCatalogStamp
{
    public static IDisposable Subscribe(IChangeNotifications notifications, IServiceScopeFactory scopes) =>
        notifications.Subscribe<DataStoreTableChanged>(async (n, ct) =>
        {
            if (n.Local && n.Change.TableReplaced)
            {
                await using var scope = scopes.CreateAsyncScope();
                await Catalog.CatalogStamp.BumpAsync(scope.ServiceProvider.GetRequiredService<Storage.OpenGovDb>(), ct);
            }
        });
}
