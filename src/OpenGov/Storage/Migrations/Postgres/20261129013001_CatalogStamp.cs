using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenGov.Storage.Migrations.Postgres
{
    /// <summary>
    /// catalog_stamp: one number that every committed change of what the catalog shows moves forward. The triggers are
    /// deferred to commit and bump once per transaction, so the stamp row is locked only in the last moment of a
    /// write (no lock-order deadlocks between writers) and the new number becomes visible together with the data.
    /// </summary>
    [DbContext(typeof(PostgresOpenGovDb))]
    [Migration("20261129013001_CatalogStamp")]
    public partial class CatalogStamp : Migration
    {
        private static readonly string[] Tables =
            ["organizations", "theme_group", "datasets", "resources", "tags", "dataset_tags", "dataset_groups", "dataset_extras"];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("CREATE TABLE catalog_stamp (id integer PRIMARY KEY, version bigint NOT NULL); INSERT INTO catalog_stamp (id, version) VALUES (1, 0);");
            migrationBuilder.Sql(
                """
                CREATE FUNCTION catalog_stamp_bump() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF current_setting('opengov.catalog_stamped', true) IS DISTINCT FROM txid_current()::text THEN
                    UPDATE catalog_stamp SET version = version + 1 WHERE id = 1;
                    PERFORM set_config('opengov.catalog_stamped', txid_current()::text, true);
                  END IF;
                  RETURN NULL;
                END $$;
                """);
            foreach (var t in Tables)
            {
                migrationBuilder.Sql($"CREATE CONSTRAINT TRIGGER tr_{t}_stamp AFTER INSERT OR UPDATE OR DELETE ON {t} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION catalog_stamp_bump();");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var t in Tables)
            {
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS tr_{t}_stamp ON {t};");
            }

            migrationBuilder.Sql("DROP FUNCTION IF EXISTS catalog_stamp_bump(); DROP TABLE catalog_stamp;");
        }
    }
}
