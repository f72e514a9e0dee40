using System.Text;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using OpenGov.Accounts;
using OpenGov.Catalog;

namespace OpenGov.Storage;

/// <summary>
/// The platform's database. Each feature keeps its entities and their <see cref="IEntityTypeConfiguration{TEntity}"/>
/// in its own folder; they are picked up from the assembly. Provider-specific subclasses exist only so that each
/// provider has its own migrations (Storage/Migrations/Sqlite, Storage/Migrations/Postgres).
/// </summary>
public abstract class OpenGovDb(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<User> Users => Set<User>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<OrganizationRole> OrganizationRoles => Set<OrganizationRole>();
    public DbSet<GroupRole> GroupRoles => Set<GroupRole>();
    public DbSet<Organization> Organizations => Set<Organization>();
    public DbSet<Group> Groups => Set<Group>();
    public DbSet<Dataset> Datasets => Set<Dataset>();
    public DbSet<Resource> Resources => Set<Resource>();
    public DbSet<Tag> Tags => Set<Tag>();
    public DbSet<DatasetTag> DatasetTags => Set<DatasetTag>();
    public DbSet<DatasetGroup> DatasetGroups => Set<DatasetGroup>();
    public DbSet<DatasetExtra> DatasetExtras => Set<DatasetExtra>();
    public DbSet<Activity> Activities => Set<Activity>();

    /// <summary>The data-protection key ring every node shares (see Hosting/SharedKeys).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>True on PostgreSQL, false on SQLite.</summary>
    public abstract bool IsPostgres { get; }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(OpenGovDb).Assembly);
        ApplySnakeCase(modelBuilder);
    }

    /// <summary>snake_case tables and columns, so hand-written SQL (search, DataStore) reads the same on both providers.</summary>
    private static void ApplySnakeCase(ModelBuilder modelBuilder)
    {
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            if (entity.GetTableName() is { } table)
            {
                entity.SetTableName(ToSnake(table));
            }

            var storeObject = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(ToSnake(property.GetColumnName(storeObject) ?? property.Name));
            }

            foreach (var key in entity.GetKeys())
            {
                key.SetName(ToSnake(key.GetName()!));
            }

            foreach (var fk in entity.GetForeignKeys())
            {
                fk.SetConstraintName(ToSnake(fk.GetConstraintName()!));
            }

            foreach (var index in entity.GetIndexes())
            {
                index.SetDatabaseName(ToSnake(index.GetDatabaseName()!));
            }
        }
    }

    internal static string ToSnake(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && name[i - 1] != '_' && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
                {
                    sb.Append('_');
                }

                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}

/// <summary>SQLite flavour (the default, in the data directory).</summary>
public sealed class SqliteOpenGovDb(DbContextOptions<SqliteOpenGovDb> options) : OpenGovDb(options)
{
    public override bool IsPostgres => false;
}

/// <summary>PostgreSQL flavour (when ConnectionStrings:Default is an Npgsql connection string).</summary>
public sealed class PostgresOpenGovDb(DbContextOptions<PostgresOpenGovDb> options) : OpenGovDb(options)
{
    public override bool IsPostgres => true;
}
