using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenGov.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class EventVoteOwnQuestionSetting : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "vote_own_question",
                table: "event",
                type: "boolean",
                nullable: false,
                defaultValue: true); // existing events keep what they allowed: voting for one's own question
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "vote_own_question",
                table: "event");
        }
    }
}
