using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Retail.Modules.Returns.Infrastructure.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class ReturnLineReceivedQuantity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ReceivedQuantity",
                schema: "returns",
                table: "ReturnLines",
                type: "int",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ReceivedQuantity",
                schema: "returns",
                table: "ReturnLines");
        }
    }
}
