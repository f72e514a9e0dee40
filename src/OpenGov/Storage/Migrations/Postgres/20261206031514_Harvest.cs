using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenGov.Storage.Migrations.Postgres
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
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "harvest_sources",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    title = table.Column<string>(type: "text", nullable: false),
                    url = table.Column<string>(type: "text", nullable: false),
                    source_type = table.Column<string>(type: "text", nullable: false),
                    frequency = table.Column<string>(type: "text", nullable: false),
                    config = table.Column<string>(type: "text", nullable: false),
                    organization_id = table.Column<string>(type: "text", nullable: false),
                    notes = table.Column<string>(type: "text", nullable: false),
                    active = table.Column<bool>(type: "boolean", nullable: false),
                    state = table.Column<string>(type: "text", nullable: false),
                    creator_user_id = table.Column<string>(type: "text", nullable: true),
                    created = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    modified = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    next_run_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
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
                    id = table.Column<string>(type: "text", nullable: false),
                    source_id = table.Column<string>(type: "character varying(64)", nullable: false),
                    status = table.Column<string>(type: "text", nullable: false),
                    full = table.Column<bool>(type: "boolean", nullable: false),
                    creator_user_id = table.Column<string>(type: "text", nullable: true),
                    created = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    gather_started = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    gather_finished = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    finished = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    heartbeat = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    node = table.Column<string>(type: "text", nullable: true),
                    added = table.Column<int>(type: "integer", nullable: false),
                    updated = table.Column<int>(type: "integer", nullable: false),
                    not_modified = table.Column<int>(type: "integer", nullable: false),
                    deleted = table.Column<int>(type: "integer", nullable: false),
                    errored = table.Column<int>(type: "integer", nullable: false),
                    error = table.Column<string>(type: "text", nullable: true),
                    error_ja = table.Column<string>(type: "text", nullable: true)
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
                    id = table.Column<string>(type: "text", nullable: false),
                    job_id = table.Column<string>(type: "text", nullable: false),
                    source_id = table.Column<string>(type: "text", nullable: false),
                    guid = table.Column<string>(type: "text", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    remote_modified = table.Column<string>(type: "text", nullable: false),
                    report = table.Column<string>(type: "text", nullable: false),
                    error = table.Column<string>(type: "text", nullable: true),
                    current = table.Column<bool>(type: "boolean", nullable: false),
                    created = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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
