using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenGov.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ContestPublished : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "published",
                table: "contest",
                type: "INTEGER",
                nullable: false,
                defaultValue: true); // contests made before drafts existed were public
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "published",
                table: "contest");
        }
    }
}
