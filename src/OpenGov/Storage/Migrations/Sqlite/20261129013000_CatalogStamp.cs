using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenGov.Storage.Migrations.Sqlite
{
    /// <summary>
    /// catalog_stamp: one number that every committed change of what the catalog shows moves forward (triggers on the
    /// catalog tables, in the writing transaction). Cached answers of read actions are keyed by it.
    /// </summary>
    [DbContext(typeof(SqliteOpenGovDb))]
    [Migration("20261129013000_CatalogStamp")]
    public partial class CatalogStamp : Migration
    {
        private static readonly string[] Tables =
            ["organizations", "theme_group", "datasets", "resources", "tags", "dataset_tags", "dataset_groups", "dataset_extras"];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("CREATE TABLE catalog_stamp (id INTEGER PRIMARY KEY, version INTEGER NOT NULL); INSERT INTO catalog_stamp (id, version) VALUES (1, 0);");
            foreach (var t in Tables)
            {
                foreach (var op in new[] { "INSERT", "UPDATE", "DELETE" })
                {
                    migrationBuilder.Sql($"CREATE TRIGGER tr_{t}_stamp_{op.ToLowerInvariant()} AFTER {op} ON {t} BEGIN UPDATE catalog_stamp SET version = version + 1 WHERE id = 1; END;");
                }
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var t in Tables)
            {
                foreach (var op in new[] { "insert", "update", "delete" })
                {
                    migrationBuilder.Sql($"DROP TRIGGER IF EXISTS tr_{t}_stamp_{op};");
                }
            }

            migrationBuilder.Sql("DROP TABLE catalog_stamp;");
        }
    }
}
