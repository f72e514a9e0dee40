using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace OpenGov.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class UsageCountsAndSearchSynonyms : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "search_synonyms",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    terms = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    updated_by = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_search_synonyms", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "usage_counts",
                columns: table => new
                {
                    target_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    views = table.Column<long>(type: "bigint", nullable: false),
                    downloads = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_usage_counts", x => x.target_id);
                });

            // the first synonym group (the secretariat edits the list at /search/synonyms)
            migrationBuilder.InsertData(
                table: "search_synonyms",
                columns: ["terms", "updated_by", "updated_at"],
                values: new object[] { "陽性者, 陽性患者, 感染者", null, new DateTime(2026, 12, 6, 0, 0, 0, DateTimeKind.Utc) });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "search_synonyms");

            migrationBuilder.DropTable(
                name: "usage_counts");
        }
    }
}
