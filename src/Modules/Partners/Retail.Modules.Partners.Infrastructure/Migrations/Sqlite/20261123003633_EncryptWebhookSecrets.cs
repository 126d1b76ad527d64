using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Retail.Modules.Partners.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class EncryptWebhookSecrets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // A rename, not drop + add: existing secrets survive as legacy plain values (no "dp1:" marker). A migration
            // cannot call Data Protection; the app re-protects them at start and on first use (WebhookSecrets).
            // SQLite does not enforce the new maximum length (512), so no table rebuild is needed for it.
            migrationBuilder.RenameColumn(
                name: "WebhookSecret",
                table: "partners_Partners",
                newName: "ProtectedWebhookSecret");

            migrationBuilder.AddColumn<long>(
                name: "WebhookSecretIssuedAt",
                table: "partners_Partners",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "WebhookSecretIssuedAt",
                table: "partners_Partners");

            // An older build cannot read protected values (its webhook signatures fail closed) until each secret is issued again.
            migrationBuilder.RenameColumn(
                name: "ProtectedWebhookSecret",
                table: "partners_Partners",
                newName: "WebhookSecret");
        }
    }
}
