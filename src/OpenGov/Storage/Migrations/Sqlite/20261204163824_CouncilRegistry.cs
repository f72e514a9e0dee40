using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenGov.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CouncilRegistry : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "council_activity",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    on = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    precision = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    title = table.Column<string>(type: "TEXT", nullable: false),
                    title_en = table.Column<string>(type: "TEXT", nullable: false),
                    event_id = table.Column<string>(type: "TEXT", nullable: true),
                    url = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_council_activity", x => x.id);
                    table.ForeignKey(
                        name: "fk_council_activity_event_event_id",
                        column: x => x.event_id,
                        principalTable: "event",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "council_audit_entry",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    user_id = table.Column<string>(type: "TEXT", nullable: true),
                    user_name = table.Column<string>(type: "TEXT", nullable: false),
                    entity_type = table.Column<string>(type: "TEXT", nullable: false),
                    entity_id = table.Column<string>(type: "TEXT", nullable: false),
                    member_id = table.Column<string>(type: "TEXT", nullable: true),
                    action = table.Column<string>(type: "TEXT", nullable: false),
                    changes = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_council_audit_entry", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "council_charter",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    valid_from = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", nullable: false),
                    name_en = table.Column<string>(type: "TEXT", nullable: false),
                    purpose = table.Column<string>(type: "TEXT", nullable: false),
                    business = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_council_charter", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "council_member",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    name_en = table.Column<string>(type: "TEXT", nullable: false),
                    local_gov_code = table.Column<string>(type: "TEXT", maxLength: 6, nullable: true),
                    prefecture = table.Column<string>(type: "TEXT", nullable: false),
                    population = table.Column<int>(type: "INTEGER", nullable: true),
                    organization_id = table.Column<string>(type: "TEXT", nullable: true),
                    display_order = table.Column<int>(type: "INTEGER", nullable: false),
                    notes = table.Column<string>(type: "TEXT", nullable: false),
                    created = table.Column<DateTime>(type: "TEXT", nullable: false),
                    modified = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_council_member", x => x.id);
                    table.ForeignKey(
                        name: "fk_council_member_organizations_organization_id",
                        column: x => x.organization_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "council_secretary",
                columns: table => new
                {
                    user_id = table.Column<string>(type: "TEXT", nullable: false),
                    created = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_council_secretary", x => x.user_id);
                    table.ForeignKey(
                        name: "fk_council_secretary_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "council_member_role",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    member_id = table.Column<string>(type: "TEXT", nullable: false),
                    role = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    starts_on = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    start_precision = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    ends_on = table.Column<DateOnly>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_council_member_role", x => x.id);
                    table.ForeignKey(
                        name: "fk_council_member_role_council_member_member_id",
                        column: x => x.member_id,
                        principalTable: "council_member",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "council_membership_period",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    member_id = table.Column<string>(type: "TEXT", nullable: false),
                    joined_on = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    joined_precision = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    left_on = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    left_precision = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_council_membership_period", x => x.id);
                    table.ForeignKey(
                        name: "fk_council_membership_period_council_member_member_id",
                        column: x => x.member_id,
                        principalTable: "council_member",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_council_activity_event_id",
                table: "council_activity",
                column: "event_id");

            migrationBuilder.CreateIndex(
                name: "ix_council_activity_on",
                table: "council_activity",
                column: "on");

            migrationBuilder.CreateIndex(
                name: "ix_council_audit_entry_at",
                table: "council_audit_entry",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "ix_council_audit_entry_entity_type_entity_id",
                table: "council_audit_entry",
                columns: new[] { "entity_type", "entity_id" });

            migrationBuilder.CreateIndex(
                name: "ix_council_audit_entry_member_id",
                table: "council_audit_entry",
                column: "member_id");

            migrationBuilder.CreateIndex(
                name: "ix_council_charter_valid_from",
                table: "council_charter",
                column: "valid_from",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_council_member_local_gov_code",
                table: "council_member",
                column: "local_gov_code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_council_member_organization_id",
                table: "council_member",
                column: "organization_id");

            migrationBuilder.CreateIndex(
                name: "ix_council_member_role_member_id",
                table: "council_member_role",
                column: "member_id");

            migrationBuilder.CreateIndex(
                name: "ix_council_membership_period_member_id",
                table: "council_membership_period",
                column: "member_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "council_activity");

            migrationBuilder.DropTable(
                name: "council_audit_entry");

            migrationBuilder.DropTable(
                name: "council_charter");

            migrationBuilder.DropTable(
                name: "council_member_role");

            migrationBuilder.DropTable(
                name: "council_membership_period");

            migrationBuilder.DropTable(
                name: "council_secretary");

            migrationBuilder.DropTable(
                name: "council_member");
        }
    }
}
