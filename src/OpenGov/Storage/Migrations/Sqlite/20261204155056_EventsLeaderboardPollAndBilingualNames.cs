using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenGov.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class EventsLeaderboardPollAndBilingualNames : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(
                name: "name_ja",
                table: "event_speaker",
                newName: "name");

            migrationBuilder.RenameColumn(
                name: "affiliation_ja",
                table: "event_speaker",
                newName: "affiliation");

            migrationBuilder.RenameColumn(
                name: "title_ja",
                table: "event_programme_item",
                newName: "title");

            migrationBuilder.RenameColumn(
                name: "label_ja",
                table: "event_poll_option",
                newName: "label");

            migrationBuilder.RenameColumn(
                name: "question_ja",
                table: "event_poll",
                newName: "question");

            migrationBuilder.RenameColumn(
                name: "title_ja",
                table: "event",
                newName: "title");

            migrationBuilder.RenameColumn(
                name: "theme_ja",
                table: "event",
                newName: "theme");

            migrationBuilder.RenameColumn(
                name: "summary_ja",
                table: "event",
                newName: "summary");

            migrationBuilder.RenameColumn(
                name: "format_ja",
                table: "event",
                newName: "format");

            // The poll kind "contest" is now "leaderboard" (the word is left to the council's contests): stored polls,
            // and the poll snapshots in the change log that live pages replay on reconnect.
            migrationBuilder.Sql("UPDATE event_poll SET kind = 'leaderboard' WHERE kind = 'contest';");
            migrationBuilder.Sql("""UPDATE event_log SET payload = REPLACE(payload, '"kind":"contest"', '"kind":"leaderboard"'), public_payload = REPLACE(public_payload, '"kind":"contest"', '"kind":"leaderboard"') WHERE payload LIKE '%"kind":"contest"%';""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("UPDATE event_poll SET kind = 'contest' WHERE kind = 'leaderboard';");
            migrationBuilder.Sql("""UPDATE event_log SET payload = REPLACE(payload, '"kind":"leaderboard"', '"kind":"contest"'), public_payload = REPLACE(public_payload, '"kind":"leaderboard"', '"kind":"contest"') WHERE payload LIKE '%"kind":"leaderboard"%';""");

            migrationBuilder.RenameColumn(
                name: "name",
                table: "event_speaker",
                newName: "name_ja");

            migrationBuilder.RenameColumn(
                name: "affiliation",
                table: "event_speaker",
                newName: "affiliation_ja");

            migrationBuilder.RenameColumn(
                name: "title",
                table: "event_programme_item",
                newName: "title_ja");

            migrationBuilder.RenameColumn(
                name: "label",
                table: "event_poll_option",
                newName: "label_ja");

            migrationBuilder.RenameColumn(
                name: "question",
                table: "event_poll",
                newName: "question_ja");

            migrationBuilder.RenameColumn(
                name: "title",
                table: "event",
                newName: "title_ja");

            migrationBuilder.RenameColumn(
                name: "theme",
                table: "event",
                newName: "theme_ja");

            migrationBuilder.RenameColumn(
                name: "summary",
                table: "event",
                newName: "summary_ja");

            migrationBuilder.RenameColumn(
                name: "format",
                table: "event",
                newName: "format_ja");
        }
    }
}
