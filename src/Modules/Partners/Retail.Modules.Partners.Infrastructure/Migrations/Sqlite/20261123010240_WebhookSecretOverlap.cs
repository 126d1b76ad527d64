using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Retail.Modules.Partners.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class WebhookSecretOverlap : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "PreviousProtectedWebhookSecret",
                table: "partners_Partners",
                type: "TEXT",
                maxLength: 512,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "PreviousWebhookSecretValidUntil",
                table: "partners_Partners",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "PreviousProtectedWebhookSecret",
                table: "partners_Partners");

            migrationBuilder.DropColumn(
                name: "PreviousWebhookSecretValidUntil",
                table: "partners_Partners");
        }
    }
}
