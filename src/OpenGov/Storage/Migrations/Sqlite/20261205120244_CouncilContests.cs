using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenGov.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CouncilContests : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "contest",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    slug = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    title_en = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    rules = table.Column<string>(type: "TEXT", nullable: false),
                    rules_en = table.Column<string>(type: "TEXT", nullable: false),
                    categories = table.Column<string>(type: "TEXT", nullable: false),
                    opens_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    deadline = table.Column<DateTime>(type: "TEXT", nullable: false),
                    judging_closes_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ceremony_event_id = table.Column<string>(type: "TEXT", nullable: true),
                    audience_poll_id = table.Column<long>(type: "INTEGER", nullable: true),
                    created = table.Column<DateTime>(type: "TEXT", nullable: false),
                    modified = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_contest", x => x.id);
                    table.ForeignKey(
                        name: "fk_contest_event_ceremony_event_id",
                        column: x => x.ceremony_event_id,
                        principalTable: "event",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "contest_criterion",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    contest_id = table.Column<string>(type: "TEXT", nullable: false),
                    order = table.Column<int>(type: "INTEGER", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    name_en = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    weight = table.Column<double>(type: "REAL", nullable: false),
                    max_score = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_contest_criterion", x => x.id);
                    table.ForeignKey(
                        name: "fk_contest_criterion_contest_contest_id",
                        column: x => x.contest_id,
                        principalTable: "contest",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "contest_entry",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    contest_id = table.Column<string>(type: "TEXT", nullable: false),
                    owner_user_id = table.Column<string>(type: "TEXT", nullable: false),
                    title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    summary = table.Column<string>(type: "TEXT", nullable: false),
                    category = table.Column<string>(type: "TEXT", nullable: false),
                    team_name = table.Column<string>(type: "TEXT", nullable: false),
                    datasets = table.Column<string>(type: "TEXT", nullable: false),
                    links = table.Column<string>(type: "TEXT", nullable: false),
                    members = table.Column<string>(type: "TEXT", nullable: false),
                    state = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    audience_option_id = table.Column<long>(type: "INTEGER", nullable: true),
                    created = table.Column<DateTime>(type: "TEXT", nullable: false),
                    modified = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_contest_entry", x => x.id);
                    table.ForeignKey(
                        name: "fk_contest_entry_contest_contest_id",
                        column: x => x.contest_id,
                        principalTable: "contest",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_contest_entry_users_owner_user_id",
                        column: x => x.owner_user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "contest_assignment",
                columns: table => new
                {
                    entry_id = table.Column<long>(type: "INTEGER", nullable: false),
                    judge_user_id = table.Column<string>(type: "TEXT", nullable: false),
                    contest_id = table.Column<string>(type: "TEXT", nullable: false),
                    comment = table.Column<string>(type: "TEXT", nullable: false),
                    scored_at = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_contest_assignment", x => new { x.entry_id, x.judge_user_id });
                    table.ForeignKey(
                        name: "fk_contest_assignment_contest_entry_entry_id",
                        column: x => x.entry_id,
                        principalTable: "contest_entry",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_contest_assignment_users_judge_user_id",
                        column: x => x.judge_user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "contest_award",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    contest_id = table.Column<string>(type: "TEXT", nullable: false),
                    entry_id = table.Column<long>(type: "INTEGER", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    name_en = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    order = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_contest_award", x => x.id);
                    table.ForeignKey(
                        name: "fk_contest_award_contest_contest_id",
                        column: x => x.contest_id,
                        principalTable: "contest",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_contest_award_contest_entry_entry_id",
                        column: x => x.entry_id,
                        principalTable: "contest_entry",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "contest_score",
                columns: table => new
                {
                    entry_id = table.Column<long>(type: "INTEGER", nullable: false),
                    judge_user_id = table.Column<string>(type: "TEXT", nullable: false),
                    criterion_id = table.Column<long>(type: "INTEGER", nullable: false),
                    score = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_contest_score", x => new { x.entry_id, x.judge_user_id, x.criterion_id });
                    table.ForeignKey(
                        name: "fk_contest_score_contest_assignment_entry_id_judge_user_id",
                        columns: x => new { x.entry_id, x.judge_user_id },
                        principalTable: "contest_assignment",
                        principalColumns: new[] { "entry_id", "judge_user_id" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_contest_score_contest_criterion_criterion_id",
                        column: x => x.criterion_id,
                        principalTable: "contest_criterion",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_contest_ceremony_event_id",
                table: "contest",
                column: "ceremony_event_id");

            migrationBuilder.CreateIndex(
                name: "ix_contest_slug",
                table: "contest",
                column: "slug",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_contest_assignment_contest_id_judge_user_id",
                table: "contest_assignment",
                columns: new[] { "contest_id", "judge_user_id" });

            migrationBuilder.CreateIndex(
                name: "ix_contest_assignment_judge_user_id",
                table: "contest_assignment",
                column: "judge_user_id");

            migrationBuilder.CreateIndex(
                name: "ix_contest_award_contest_id",
                table: "contest_award",
                column: "contest_id");

            migrationBuilder.CreateIndex(
                name: "ix_contest_award_entry_id",
                table: "contest_award",
                column: "entry_id");

            migrationBuilder.CreateIndex(
                name: "ix_contest_criterion_contest_id",
                table: "contest_criterion",
                column: "contest_id");

            migrationBuilder.CreateIndex(
                name: "ix_contest_entry_contest_id",
                table: "contest_entry",
                column: "contest_id");

            migrationBuilder.CreateIndex(
                name: "ix_contest_entry_owner_user_id",
                table: "contest_entry",
                column: "owner_user_id");

            migrationBuilder.CreateIndex(
                name: "ix_contest_score_criterion_id",
                table: "contest_score",
                column: "criterion_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "contest_award");

            migrationBuilder.DropTable(
                name: "contest_score");

            migrationBuilder.DropTable(
                name: "contest_assignment");

            migrationBuilder.DropTable(
                name: "contest_criterion");

            migrationBuilder.DropTable(
                name: "contest_entry");

            migrationBuilder.DropTable(
                name: "contest");
        }
    }
}
