using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace OpenGov.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ContestCallFormAndEntryFiles : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "description",
                table: "contest_criterion",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "description_en",
                table: "contest_criterion",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "eligibility",
                table: "contest",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "eligibility_en",
                table: "contest",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "prizes",
                table: "contest",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "prizes_en",
                table: "contest",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<bool>(
                name: "publish_results",
                table: "contest",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "contest_entry_file",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    entry_id = table.Column<long>(type: "bigint", nullable: false),
                    contest_id = table.Column<string>(type: "text", nullable: false),
                    file_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    storage_path = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    content_type = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    size = table.Column<long>(type: "bigint", nullable: false),
                    hash = table.Column<string>(type: "text", nullable: false),
                    uploaded_by_user_id = table.Column<string>(type: "text", nullable: true),
                    created = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_contest_entry_file", x => x.id);
                    table.ForeignKey(
                        name: "fk_contest_entry_file_contest_entry_entry_id",
                        column: x => x.entry_id,
                        principalTable: "contest_entry",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "contest_judge",
                columns: table => new
                {
                    contest_id = table.Column<string>(type: "text", nullable: false),
                    user_id = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_contest_judge", x => new { x.contest_id, x.user_id });
                    table.ForeignKey(
                        name: "fk_contest_judge_contest_contest_id",
                        column: x => x.contest_id,
                        principalTable: "contest",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_contest_judge_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_contest_entry_file_entry_id",
                table: "contest_entry_file",
                column: "entry_id");

            migrationBuilder.CreateIndex(
                name: "ix_contest_judge_user_id",
                table: "contest_judge",
                column: "user_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "contest_entry_file");

            migrationBuilder.DropTable(
                name: "contest_judge");

            migrationBuilder.DropColumn(
                name: "description",
                table: "contest_criterion");

            migrationBuilder.DropColumn(
                name: "description_en",
                table: "contest_criterion");

            migrationBuilder.DropColumn(
                name: "eligibility",
                table: "contest");

            migrationBuilder.DropColumn(
                name: "eligibility_en",
                table: "contest");

            migrationBuilder.DropColumn(
                name: "prizes",
                table: "contest");

            migrationBuilder.DropColumn(
                name: "prizes_en",
                table: "contest");

            migrationBuilder.DropColumn(
                name: "publish_results",
                table: "contest");
        }
    }
}
