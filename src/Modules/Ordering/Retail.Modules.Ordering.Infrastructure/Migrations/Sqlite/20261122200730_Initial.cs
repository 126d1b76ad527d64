using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Retail.Modules.Ordering.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ordering_Carts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CustomerId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ordering_Carts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ordering_IdempotencyRecords",
                columns: table => new
                {
                    Caller = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    RequestHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ResponseStatus = table.Column<int>(type: "INTEGER", nullable: true),
                    ResponseBody = table.Column<string>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CompletedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ordering_IdempotencyRecords", x => new { x.Caller, x.Key });
                });

            migrationBuilder.CreateTable(
                name: "ordering_InboxMessages",
                columns: table => new
                {
                    EventId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Handler = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ProcessedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ordering_InboxMessages", x => new { x.EventId, x.Handler });
                });

            migrationBuilder.CreateTable(
                name: "ordering_Orders",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Number = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    CustomerId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    PaymentMethod = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    PaymentKey = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    ProtectedPaymentDetails = table.Column<string>(type: "TEXT", nullable: true),
                    StoreCreditAmount = table.Column<long>(type: "INTEGER", nullable: false),
                    StoreCreditPaymentId = table.Column<Guid>(type: "TEXT", nullable: true),
                    PaymentId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Subtotal = table.Column<long>(type: "INTEGER", nullable: false),
                    Total = table.Column<long>(type: "INTEGER", nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    PlacedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    PaymentDeadline = table.Column<long>(type: "INTEGER", nullable: true),
                    PaymentAttempts = table.Column<int>(type: "INTEGER", nullable: false),
                    PaidAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ShippedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DeliveredAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CancelledAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CancelReason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    StockReleasedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    ShipCity = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ShipCountry = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ShipLine1 = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ShipLine2 = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ShipName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ShipPostalCode = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ordering_Orders", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ordering_OutboxMessages",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Payload = table.Column<string>(type: "TEXT", nullable: false),
                    OccurredAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ProcessedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    LockedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    LockedUntil = table.Column<long>(type: "INTEGER", nullable: true),
                    NextAttemptAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    DeadLetteredAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ordering_OutboxMessages", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ordering_CartLines",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CartId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Sku = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Quantity = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ordering_CartLines", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ordering_CartLines_ordering_Carts_CartId",
                        column: x => x.CartId,
                        principalTable: "ordering_Carts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ordering_OrderLines",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrderId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Sku = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    UnitPrice = table.Column<long>(type: "INTEGER", nullable: false),
                    Quantity = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ordering_OrderLines", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ordering_OrderLines_ordering_Orders_OrderId",
                        column: x => x.OrderId,
                        principalTable: "ordering_Orders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ordering_CartLines_CartId_Sku",
                table: "ordering_CartLines",
                columns: new[] { "CartId", "Sku" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ordering_Carts_CustomerId",
                table: "ordering_Carts",
                column: "CustomerId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ordering_OrderLines_OrderId",
                table: "ordering_OrderLines",
                column: "OrderId");

            migrationBuilder.CreateIndex(
                name: "IX_ordering_Orders_CustomerId_PlacedAt",
                table: "ordering_Orders",
                columns: new[] { "CustomerId", "PlacedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ordering_Orders_Number",
                table: "ordering_Orders",
                column: "Number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ordering_Orders_Status_PlacedAt",
                table: "ordering_Orders",
                columns: new[] { "Status", "PlacedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ordering_OutboxMessages_ProcessedAt_OccurredAt",
                table: "ordering_OutboxMessages",
                columns: new[] { "ProcessedAt", "OccurredAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ordering_CartLines");

            migrationBuilder.DropTable(
                name: "ordering_IdempotencyRecords");

            migrationBuilder.DropTable(
                name: "ordering_InboxMessages");

            migrationBuilder.DropTable(
                name: "ordering_OrderLines");

            migrationBuilder.DropTable(
                name: "ordering_OutboxMessages");

            migrationBuilder.DropTable(
                name: "ordering_Carts");

            migrationBuilder.DropTable(
                name: "ordering_Orders");
        }
    }
}
