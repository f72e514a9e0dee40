using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenGov.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Harvest : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "harvest_source_id",
                table: "datasets",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "harvest_sources",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    title = table.Column<string>(type: "TEXT", nullable: false),
                    url = table.Column<string>(type: "TEXT", nullable: false),
                    source_type = table.Column<string>(type: "TEXT", nullable: false),
                    frequency = table.Column<string>(type: "TEXT", nullable: false),
                    config = table.Column<string>(type: "TEXT", nullable: false),
                    organization_id = table.Column<string>(type: "TEXT", nullable: false),
                    notes = table.Column<string>(type: "TEXT", nullable: false),
                    active = table.Column<bool>(type: "INTEGER", nullable: false),
                    state = table.Column<string>(type: "TEXT", nullable: false),
                    creator_user_id = table.Column<string>(type: "TEXT", nullable: true),
                    created = table.Column<DateTime>(type: "TEXT", nullable: false),
                    modified = table.Column<DateTime>(type: "TEXT", nullable: false),
                    next_run_at = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_harvest_sources", x => x.id);
                    table.ForeignKey(
                        name: "fk_harvest_sources_organizations_organization_id",
                        column: x => x.organization_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "harvest_jobs",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    source_id = table.Column<string>(type: "TEXT", nullable: false),
                    status = table.Column<string>(type: "TEXT", nullable: false),
                    full = table.Column<bool>(type: "INTEGER", nullable: false),
                    creator_user_id = table.Column<string>(type: "TEXT", nullable: true),
                    created = table.Column<DateTime>(type: "TEXT", nullable: false),
                    gather_started = table.Column<DateTime>(type: "TEXT", nullable: true),
                    gather_finished = table.Column<DateTime>(type: "TEXT", nullable: true),
                    finished = table.Column<DateTime>(type: "TEXT", nullable: true),
                    heartbeat = table.Column<DateTime>(type: "TEXT", nullable: true),
                    node = table.Column<string>(type: "TEXT", nullable: true),
                    added = table.Column<int>(type: "INTEGER", nullable: false),
                    updated = table.Column<int>(type: "INTEGER", nullable: false),
                    not_modified = table.Column<int>(type: "INTEGER", nullable: false),
                    deleted = table.Column<int>(type: "INTEGER", nullable: false),
                    errored = table.Column<int>(type: "INTEGER", nullable: false),
                    error = table.Column<string>(type: "TEXT", nullable: true),
                    error_ja = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_harvest_jobs", x => x.id);
                    table.ForeignKey(
                        name: "fk_harvest_jobs_harvest_sources_source_id",
                        column: x => x.source_id,
                        principalTable: "harvest_sources",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "harvest_objects",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    job_id = table.Column<string>(type: "TEXT", nullable: false),
                    source_id = table.Column<string>(type: "TEXT", nullable: false),
                    guid = table.Column<string>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", nullable: false),
                    remote_modified = table.Column<string>(type: "TEXT", nullable: false),
                    report = table.Column<string>(type: "TEXT", nullable: false),
                    error = table.Column<string>(type: "TEXT", nullable: true),
                    current = table.Column<bool>(type: "INTEGER", nullable: false),
                    created = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_harvest_objects", x => x.id);
                    table.ForeignKey(
                        name: "fk_harvest_objects_harvest_jobs_job_id",
                        column: x => x.job_id,
                        principalTable: "harvest_jobs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_datasets_harvest_source_id",
                table: "datasets",
                column: "harvest_source_id");

            migrationBuilder.CreateIndex(
                name: "ix_harvest_jobs_source_id_created",
                table: "harvest_jobs",
                columns: new[] { "source_id", "created" });

            migrationBuilder.CreateIndex(
                name: "ix_harvest_jobs_status",
                table: "harvest_jobs",
                column: "status");

            migrationBuilder.CreateIndex(
                name: "ix_harvest_objects_job_id",
                table: "harvest_objects",
                column: "job_id");

            migrationBuilder.CreateIndex(
                name: "ix_harvest_objects_source_id_guid_current",
                table: "harvest_objects",
                columns: new[] { "source_id", "guid", "current" });

            migrationBuilder.CreateIndex(
                name: "ix_harvest_sources_name",
                table: "harvest_sources",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_harvest_sources_next_run_at",
                table: "harvest_sources",
                column: "next_run_at");

            migrationBuilder.CreateIndex(
                name: "ix_harvest_sources_organization_id",
                table: "harvest_sources",
                column: "organization_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "harvest_objects");

            migrationBuilder.DropTable(
                name: "harvest_jobs");

            migrationBuilder.DropTable(
                name: "harvest_sources");

            migrationBuilder.DropIndex(
                name: "ix_datasets_harvest_source_id",
                table: "datasets");

            migrationBuilder.DropColumn(
                name: "harvest_source_id",
                table: "datasets");
        }
    }
}
