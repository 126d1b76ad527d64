using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Retail.Modules.Ordering.Infrastructure.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class OrderCustomerEmail : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CustomerEmail",
                schema: "ordering",
                table: "Orders",
                type: "nvarchar(256)",
                maxLength: 256,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CustomerEmail",
                schema: "ordering",
                table: "Orders");
        }
    }
}
