using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Retail.Modules.Ordering.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OrderCustomerEmail : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CustomerEmail",
                table: "ordering_Orders",
                type: "TEXT",
                maxLength: 256,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CustomerEmail",
                table: "ordering_Orders");
        }
    }
}
