using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using OpenGov.Hosting;

namespace OpenGov.Storage;

/// <summary>Which database a node uses, decided once from configuration.</summary>
public sealed record StorageInfo(bool IsPostgres, string ConnectionString);

public static class StorageSetup
{
    /// <summary>
    /// SQLite in the data directory unless ConnectionStrings:Default holds an Npgsql connection string
    /// (anything with Host= or Server= in it).
    /// </summary>
    public static StorageInfo Resolve(IConfiguration configuration, OpenGovOptions options)
    {
        var cs = configuration.GetConnectionString("Default");
        if (!string.IsNullOrWhiteSpace(cs) && (cs.Contains("Host=", StringComparison.OrdinalIgnoreCase) || cs.Contains("Server=", StringComparison.OrdinalIgnoreCase)))
        {
            return new StorageInfo(true, cs);
        }

        if (!string.IsNullOrWhiteSpace(cs))
        {
            return new StorageInfo(false, cs);
        }

        Directory.CreateDirectory(options.DataDirectory);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(options.DataDirectory, "opengov.db"),
            Pooling = true,
            DefaultTimeout = 30,
        };
        return new StorageInfo(false, builder.ToString());
    }

    /// <summary>The DbContext, with the interceptors the rooms register as <see cref="IInterceptor"/> singletons.</summary>
    public static IServiceCollection AddOpenGovStorage(this IServiceCollection services, StorageInfo storage)
    {
        services.AddSingleton(storage);
        if (storage.IsPostgres)
        {
            services.AddDbContextPool<OpenGovDb, PostgresOpenGovDb>((sp, o) => ConfigurePostgres(o, storage.ConnectionString).AddInterceptors(sp.GetServices<IInterceptor>()));
        }
        else
        {
            services.AddDbContextPool<OpenGovDb, SqliteOpenGovDb>((sp, o) => ConfigureSqlite(o, storage.ConnectionString).AddInterceptors(sp.GetServices<IInterceptor>()));
        }

        return services;
    }

    internal static DbContextOptionsBuilder ConfigurePostgres(DbContextOptionsBuilder o, string cs) =>
        o.UseNpgsql(cs, n => n.MigrationsHistoryTable("__ef_migrations_history"))
            .ConfigureWarnings(w => w.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.PendingModelChangesWarning));

    internal static DbContextOptionsBuilder ConfigureSqlite(DbContextOptionsBuilder o, string cs) =>
        o.UseSqlite(cs, s => s.MigrationsHistoryTable("__ef_migrations_history"))
            .ConfigureWarnings(w => w.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.PendingModelChangesWarning));

    /// <summary>Applies pending migrations of the configured provider, then the features' raw-SQL objects.</summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken ct = default)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
        if (!db.IsPostgres)
        {
            await db.Database.OpenConnectionAsync(ct);
            try
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }

        // a database that has every migration skips MigrateAsync, which would also compare the model with the
        // migrations' snapshot on every start
        if ((await db.Database.GetPendingMigrationsAsync(ct)).Any())
        {
            await db.Database.MigrateAsync(ct);
        }

        foreach (var initializer in scope.ServiceProvider.GetServices<IStorageInitializer>())
        {
            await initializer.InitializeAsync(db, ct);
        }
    }
}

/// <summary>
/// Raw-SQL objects a feature needs beside the EF model (full-text tables, triggers), created idempotently after
/// migrations on every start.
/// </summary>
public interface IStorageInitializer
{
    Task InitializeAsync(OpenGovDb db, CancellationToken ct);
}

/// <summary>Used by `dotnet ef` to build each provider's migrations.</summary>
public sealed class SqliteDesignTimeFactory : Microsoft.EntityFrameworkCore.Design.IDesignTimeDbContextFactory<SqliteOpenGovDb>
{
    public SqliteOpenGovDb CreateDbContext(string[] args)
    {
        var b = new DbContextOptionsBuilder<SqliteOpenGovDb>();
        StorageSetup.ConfigureSqlite(b, "Data Source=design.db");
        return new SqliteOpenGovDb(b.Options);
    }
}

/// <summary>Used by `dotnet ef` to build each provider's migrations.</summary>
public sealed class PostgresDesignTimeFactory : Microsoft.EntityFrameworkCore.Design.IDesignTimeDbContextFactory<PostgresOpenGovDb>
{
    public PostgresOpenGovDb CreateDbContext(string[] args)
    {
        var b = new DbContextOptionsBuilder<PostgresOpenGovDb>();
        StorageSetup.ConfigurePostgres(b, "Host=localhost;Database=design");
        return new PostgresOpenGovDb(b.Options);
    }
}
