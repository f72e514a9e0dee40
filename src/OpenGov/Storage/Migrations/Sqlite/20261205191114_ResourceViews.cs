using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenGov.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ResourceViews : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "resource_views",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    resource_id = table.Column<string>(type: "TEXT", nullable: false),
                    title = table.Column<string>(type: "TEXT", nullable: false),
                    description = table.Column<string>(type: "TEXT", nullable: false),
                    view_type = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    order = table.Column<int>(type: "INTEGER", nullable: false),
                    config_json = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_resource_views", x => x.id);
                    table.ForeignKey(
                        name: "fk_resource_views_resources_resource_id",
                        column: x => x.resource_id,
                        principalTable: "resources",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_resource_views_resource_id_order",
                table: "resource_views",
                columns: new[] { "resource_id", "order" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "resource_views");
        }
    }
}
