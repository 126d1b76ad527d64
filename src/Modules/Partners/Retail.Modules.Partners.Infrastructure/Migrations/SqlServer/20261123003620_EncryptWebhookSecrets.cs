using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Retail.Modules.Partners.Infrastructure.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class EncryptWebhookSecrets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // A rename, not drop + add: existing secrets survive as legacy plain values (no "dp1:" marker). A migration
            // cannot call Data Protection; the app re-protects them at start and on first use (WebhookSecrets).
            migrationBuilder.RenameColumn(
                name: "WebhookSecret",
                schema: "partners",
                table: "Partners",
                newName: "ProtectedWebhookSecret");

            migrationBuilder.AlterColumn<string>(
                name: "ProtectedWebhookSecret",
                schema: "partners",
                table: "Partners",
                type: "nvarchar(512)",
                maxLength: 512,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "nvarchar(128)",
                oldMaxLength: 128);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "WebhookSecretIssuedAt",
                schema: "partners",
                table: "Partners",
                type: "datetimeoffset",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "WebhookSecretIssuedAt",
                schema: "partners",
                table: "Partners");

            // The width stays 512: protected values do not fit 128 characters. An older build cannot read them (its
            // webhook signatures fail closed) until each secret is issued again.
            migrationBuilder.RenameColumn(
                name: "ProtectedWebhookSecret",
                schema: "partners",
                table: "Partners",
                newName: "WebhookSecret");
        }
    }
}
