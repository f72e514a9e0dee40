using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenGov.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DataStoreOneRunningJobPerResource : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ux_datastore_job_one_running",
                table: "datastore_job",
                column: "resource_id",
                unique: true,
                filter: "state = 'running'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ux_datastore_job_one_running",
                table: "datastore_job");
        }
    }
}
