using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenGov.Storage.Migrations.Sqlite
{
    /// <summary>
    /// Membership (a user's capacity in an organization) becomes OrganizationRole with a Role column, so that
    /// "member" is free for the council's member municipalities. A rename: the rows are kept. (Scaffolded as a drop
    /// and create; written by hand as renames. On SQLite the key and foreign-key renames rebuild the table, copying
    /// its rows.)
    /// </summary>
    public partial class OrganizationRoles : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) =>
            Rename(migrationBuilder, "memberships", "organization_roles", "capacity", "role");

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) =>
            Rename(migrationBuilder, "organization_roles", "memberships", "role", "capacity");

        private static void Rename(MigrationBuilder m, string from, string to, string fromColumn, string toColumn)
        {
            m.DropForeignKey(name: $"fk_{from}_organizations_organization_id", table: from);
            m.DropForeignKey(name: $"fk_{from}_users_user_id", table: from);
            m.DropPrimaryKey(name: $"pk_{from}", table: from);
            m.RenameTable(name: from, newName: to);
            m.RenameColumn(name: fromColumn, table: to, newName: toColumn);
            m.RenameIndex(name: $"ix_{from}_organization_id", table: to, newName: $"ix_{to}_organization_id");
            m.AddPrimaryKey(name: $"pk_{to}", table: to, columns: ["user_id", "organization_id"]);
            m.AddForeignKey(
                name: $"fk_{to}_organizations_organization_id",
                table: to,
                column: "organization_id",
                principalTable: "organizations",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
            m.AddForeignKey(
                name: $"fk_{to}_users_user_id",
                table: to,
                column: "user_id",
                principalTable: "users",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
