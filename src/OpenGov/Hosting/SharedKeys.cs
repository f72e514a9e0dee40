using Microsoft.AspNetCore.DataProtection;
using OpenGov.Storage;

namespace OpenGov.Hosting;

/// <summary>
/// One data-protection key ring for every node: a login cookie or an antiforgery token issued by one node is read by
/// the others without a sticky balancer. The ring lives in the platform's database (the data directory's SQLite file,
/// or the shared PostgreSQL database), which every node has; Redis, when configured, only carries live messages.
/// </summary>
public static class SharedKeys
{
    /// <summary>The same on every node: the default would be the content root path, which may differ between nodes.</summary>
    public const string ApplicationName = "OpenGov";

    public static IServiceCollection AddSharedKeys(this IServiceCollection services)
    {
        services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .PersistKeysToDbContext<OpenGovDb>();
        return services;
    }
}
