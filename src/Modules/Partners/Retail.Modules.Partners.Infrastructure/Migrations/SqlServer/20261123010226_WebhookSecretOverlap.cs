using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Retail.Modules.Partners.Infrastructure.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class WebhookSecretOverlap : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "PreviousProtectedWebhookSecret",
                schema: "partners",
                table: "Partners",
                type: "nvarchar(512)",
                maxLength: 512,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "PreviousWebhookSecretValidUntil",
                schema: "partners",
                table: "Partners",
                type: "datetimeoffset",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "PreviousProtectedWebhookSecret",
                schema: "partners",
                table: "Partners");

            migrationBuilder.DropColumn(
                name: "PreviousWebhookSecretValidUntil",
                schema: "partners",
                table: "Partners");
        }
    }
}
