namespace OpenGov.Notifications;

/// <summary>Change notifications between features, on every node (see <see cref="IChangeNotifications"/>).</summary>
public static class NotificationsModule
{
    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        services.AddSingleton<ChangeNotifications>();
        services.AddSingleton<IChangeNotifications>(sp => sp.GetRequiredService<ChangeNotifications>());
        services.AddHostedService(sp => sp.GetRequiredService<ChangeNotifications>());
        services.AddHostedService<CatalogChangeWatcher>();
        return services;
    }
}
