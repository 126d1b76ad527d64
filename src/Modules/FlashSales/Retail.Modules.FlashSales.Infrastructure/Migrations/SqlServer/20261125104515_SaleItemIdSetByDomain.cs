using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Retail.Modules.FlashSales.Infrastructure.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class SaleItemIdSetByDomain : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
