using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenGov.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Showcases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "showcase_admins",
                columns: table => new
                {
                    user_id = table.Column<string>(type: "text", nullable: false),
                    created = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_showcase_admins", x => x.user_id);
                    table.ForeignKey(
                        name: "fk_showcase_admins_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "showcases",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    title = table.Column<string>(type: "text", nullable: false),
                    notes = table.Column<string>(type: "text", nullable: false),
                    url = table.Column<string>(type: "text", nullable: false),
                    image_url = table.Column<string>(type: "text", nullable: false),
                    author = table.Column<string>(type: "text", nullable: false),
                    author_email = table.Column<string>(type: "text", nullable: false),
                    tags = table.Column<string>(type: "text", nullable: false),
                    creator_user_id = table.Column<string>(type: "text", nullable: true),
                    metadata_created = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    metadata_modified = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_showcases", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "showcase_datasets",
                columns: table => new
                {
                    showcase_id = table.Column<string>(type: "text", nullable: false),
                    dataset_id = table.Column<string>(type: "text", nullable: false),
                    created = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_showcase_datasets", x => new { x.showcase_id, x.dataset_id });
                    table.ForeignKey(
                        name: "fk_showcase_datasets_datasets_dataset_id",
                        column: x => x.dataset_id,
                        principalTable: "datasets",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_showcase_datasets_showcases_showcase_id",
                        column: x => x.showcase_id,
                        principalTable: "showcases",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_showcase_datasets_dataset_id",
                table: "showcase_datasets",
                column: "dataset_id");

            migrationBuilder.CreateIndex(
                name: "ix_showcases_metadata_modified",
                table: "showcases",
                column: "metadata_modified");

            migrationBuilder.CreateIndex(
                name: "ix_showcases_name",
                table: "showcases",
                column: "name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "showcase_admins");

            migrationBuilder.DropTable(
                name: "showcase_datasets");

            migrationBuilder.DropTable(
                name: "showcases");
        }
    }
}
