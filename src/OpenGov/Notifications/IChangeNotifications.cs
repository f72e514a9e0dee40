namespace OpenGov.Notifications;

/// <summary>
/// A change that other features may react to (a DataStore table reloaded, the catalog changed). Each kind names its
/// topic; changes cross nodes as JSON, so keep them small (ids, not data) and serialisable.
/// </summary>
public interface IChange
{
    /// <summary>The topic of this kind of change, e.g. "datastore.table".</summary>
    static abstract string Topic { get; }
}

/// <summary>A change as a subscriber receives it.</summary>
/// <param name="Local">True on the node where it happened (right after its commit); false when it came from another node.</param>
public sealed record Notification<T>(T Change, bool Local)
    where T : IChange;

/// <summary>
/// Change notifications on every node. Publishing delivers to this node's subscribers (awaited in turn, right after
/// the commit that made the change) and, when ConnectionStrings:Redis is set, to the subscribers of the other nodes
/// (fire and forget, in order per node). A subscriber's failure is logged and never fails the change. Subscribers
/// that do heavy work (recomputing a dashboard) should queue it rather than hold up the write that published.
/// Without Redis, other nodes learn nothing: features that must stay right without it keep their own check (the
/// catalog's answers carry the database's stamp).
/// </summary>
public interface IChangeNotifications
{
    Task PublishAsync<T>(T change, CancellationToken ct = default)
        where T : IChange;

    /// <summary>Calls <paramref name="handler"/> for every change of type <typeparamref name="T"/> until disposed.</summary>
    IDisposable Subscribe<T>(Func<Notification<T>, CancellationToken, Task> handler)
        where T : IChange;
}
