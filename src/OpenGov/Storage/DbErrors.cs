using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace OpenGov.Storage;

/// <summary>What a database error means, the same way on SQLite and PostgreSQL.</summary>
public static class DbErrors
{
    /// <summary>
    /// A unique index or primary key refused a row: SQLite's SQLITE_CONSTRAINT_UNIQUE (2067) or
    /// SQLITE_CONSTRAINT_PRIMARYKEY (1555), PostgreSQL's 23505. Takes the provider's exception or EF Core's
    /// <see cref="DbUpdateException"/> around it.
    /// </summary>
    public static bool IsUniqueViolation(Exception e) => (e is DbUpdateException { InnerException: DbException inner } ? inner : e) switch
    {
        Microsoft.Data.Sqlite.SqliteException s => s.SqliteExtendedErrorCode is 2067 or 1555,
        Npgsql.PostgresException p => p.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation,
        _ => false,
    };
}
