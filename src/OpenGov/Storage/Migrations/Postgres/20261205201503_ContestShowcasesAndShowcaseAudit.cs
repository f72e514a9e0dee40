using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace OpenGov.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ContestShowcasesAndShowcaseAudit : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "showcase_id",
                table: "contest_entry",
                type: "text",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "showcase_audit",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    user_id = table.Column<string>(type: "text", nullable: true),
                    user_name = table.Column<string>(type: "text", nullable: false),
                    showcase_id = table.Column<string>(type: "text", nullable: false),
                    entity_type = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    entity_id = table.Column<string>(type: "text", nullable: false),
                    action = table.Column<string>(type: "text", nullable: false),
                    changes = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_showcase_audit", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_contest_entry_showcase_id",
                table: "contest_entry",
                column: "showcase_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_showcase_audit_showcase_id_at",
                table: "showcase_audit",
                columns: new[] { "showcase_id", "at" });

            migrationBuilder.AddForeignKey(
                name: "fk_contest_entry_showcases_showcase_id",
                table: "contest_entry",
                column: "showcase_id",
                principalTable: "showcases",
                principalColumn: "id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_contest_entry_showcases_showcase_id",
                table: "contest_entry");

            migrationBuilder.DropTable(
                name: "showcase_audit");

            migrationBuilder.DropIndex(
                name: "ix_contest_entry_showcase_id",
                table: "contest_entry");

            migrationBuilder.DropColumn(
                name: "showcase_id",
                table: "contest_entry");
        }
    }
}
