using Microsoft.EntityFrameworkCore;
using OpenGov.Storage;

namespace OpenGov.Tests;

/// <summary>The model and each provider's migrations agree: a model change without a migration fails here.</summary>
public class StorageMigrationTests
{
    [Fact]
    public void Sqlite_migrations_cover_the_whole_model()
    {
        using var db = new SqliteDesignTimeFactory().CreateDbContext([]);
        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges(), "run scripts/add-migration.sh NAME");
    }

    [Fact]
    public void Postgres_migrations_cover_the_whole_model()
    {
        using var db = new PostgresDesignTimeFactory().CreateDbContext([]);
        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges(), "run scripts/add-migration.sh NAME");
    }

    [Fact]
    public void Each_provider_sees_only_its_own_migrations()
    {
        using var sqlite = new SqliteDesignTimeFactory().CreateDbContext([]);
        using var pg = new PostgresDesignTimeFactory().CreateDbContext([]);
        Assert.Empty(sqlite.Database.GetMigrations().Intersect(pg.Database.GetMigrations()));
    }
}
