using System.Collections.Frozen;
using System.Globalization;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using OpenGov.Ckan;
using OpenGov.Hosting;
using OpenGov.Shared;
using OpenGov.Storage;

namespace OpenGov.Catalog;

/// <summary>
/// The catalog's change number (table catalog_stamp). Triggers on the catalog tables move it forward in the writing
/// transaction (deferred to commit on PostgreSQL), so a reader that sees a number also sees every change before it;
/// writes the triggers cannot see (the SQLite full-text index, DataStore tables) move it after they commit.
/// </summary>
public static class CatalogStamp
{
    public static Task<long> ReadAsync(OpenGovDb db, CancellationToken ct) =>
        db.Database.SqlQueryRaw<long>("SELECT version AS \"Value\" FROM catalog_stamp WHERE id = 1").SingleAsync(ct);

    /// <summary>Moves the stamp forward; also appended to statements that must move it in their own transaction.</summary>
    public const string BumpSql = "UPDATE catalog_stamp SET version = version + 1 WHERE id = 1;";

    public static Task BumpAsync(OpenGovDb db, CancellationToken ct) => db.Database.ExecuteSqlRawAsync(BumpSql, ct);
}

/// <summary>
/// Caches the answers of anonymous GET read actions (package_search, package_show, lists) in ASP.NET Core's output
/// cache, keyed by the whole query string, the host, the language and the catalog stamp: any committed change of the
/// catalog makes every older answer unreachable, on every node, because each request reads the stamp from the shared
/// database. Requests with a token or a login are never cached (they may see private datasets); only 200 answers
/// without cookies are stored. This plays the part of Solr's query result cache behind CKAN.
/// </summary>
public sealed class CatalogReadCachePolicy : IOutputCachePolicy
{
    public const string Name = "catalog-read";

    /// <summary>Read actions whose answers depend only on the tables the stamp covers.</summary>
    public static readonly FrozenSet<string> Actions = new[]
    {
        "package_show", "package_search", "package_list", "current_package_list_with_resources", "resource_show",
        "organization_list", "group_list", "tag_list", "license_list",
    }.ToFrozenSet(StringComparer.Ordinal);

    public async ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var http = context.HttpContext;
        var request = http.Request;
        var cacheable = OutputCacheRules.IsAnonymousRead(http)
            && !Usage.UsageTracking.InQuery(request)
            && StringValues.IsNullOrEmpty(request.Headers["X-CKAN-API-Key"])
            && http.RequestServices.GetRequiredService<IOptions<OpenGovOptions>>().Value.CacheCatalogReads;
        context.EnableOutputCaching = cacheable;
        context.AllowCacheLookup = cacheable;
        context.AllowCacheStorage = cacheable;
        context.AllowLocking = true;
        if (!cacheable)
        {
            return;
        }

        var db = http.RequestServices.GetRequiredService<OpenGovDb>();
        OutputCacheRules.VaryBySiteAndLanguage(context);
        context.CacheVaryByRules.VaryByValues["stamp"] = (await CatalogStamp.ReadAsync(db, cancellation)).ToString(CultureInfo.InvariantCulture);
        context.ResponseExpirationTimeSpan = TimeSpan.FromMinutes(10);
    }

    public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

    public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation) => OutputCacheRules.StoreOnlyOkWithoutCookies(context);
}

/// <summary>Maps catalog read actions with the read cache (<see cref="CatalogReadCachePolicy"/>) where it applies.</summary>
public static class CatalogReadCache
{
    /// <summary>A read action of the catalog: cached when its name is one of <see cref="CatalogReadCachePolicy.Actions"/>.</summary>
    public static RouteHandlerBuilder CachedRead(this CkanActionMapper api, string name, RouteHandlerBuilder endpoint, string summary)
    {
        var builder = api.Read(name, endpoint, summary);
        return CatalogReadCachePolicy.Actions.Contains(name) ? builder.CacheOutput(CatalogReadCachePolicy.Name) : builder;
    }
}
