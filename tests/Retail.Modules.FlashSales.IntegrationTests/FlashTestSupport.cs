using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Application;
using Retail.Modules.FlashSales.Application;
using Retail.Modules.FlashSales.Application.Abstractions;
using Retail.Modules.FlashSales.Application.Sales;
using Retail.Modules.FlashSales.Domain.Sales;
using Retail.Modules.Ordering.Application.Orders;
using Retail.Modules.Ordering.IntegrationTests;

namespace Retail.Modules.FlashSales.IntegrationTests;

/// <summary>Counts the SQL commands that read the flash listing (the sales table), to prove SPEC P1's "one query per 30 s".</summary>
public sealed class ListingQueryCounter : DbCommandInterceptor
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        if (command.CommandText.Contains("\"flashsales_Sales\"", StringComparison.Ordinal)
            && command.CommandText.Contains("\"flashsales_SaleItems\"", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _count);
        }

        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }
}

internal static class FlashTestSupport
{
    public const string Admin = "admin-flash";

    /// <summary>Creates a sale through the real admin command (catalog-admin test user).</summary>
    public static async Task<Guid> CreateSaleAsync(
        this OrderingTestHost host, string sku, DateTimeOffset startsAt, DateTimeOffset endsAt, int allocation, int cap, decimal? flashPrice = null, int? percentOff = null)
    {
        var created = await host.SendAsAsync<Result<Guid>>(Admin, new CreateFlashSaleCommand(
            "Sale " + sku, startsAt, endsAt, [new FlashSaleItemInput(sku, flashPrice ?? (percentOff is null ? 5m : null), percentOff, allocation, cap)]));
        created.IsSuccess.ShouldBeTrue(created.IsSuccess ? "" : created.Error.Message);
        return created.Value;
    }

    public static Task<FlashSaleItem> ItemAsync(this OrderingTestHost host, string sku) =>
        host.QueryAsync(sp => sp.GetRequiredService<IFlashSalesDbContext>().Items.AsNoTracking().SingleAsync(i => i.Sku == sku));

    public static Task<List<FlashPurchase>> PurchasesAsync(this OrderingTestHost host, Guid itemId) =>
        host.QueryAsync(sp => sp.GetRequiredService<IFlashSalesDbContext>().Purchases.AsNoTracking().Where(p => p.ItemId == itemId).ToListAsync());

    public static Task<List<FlashClaim>> ClaimsAsync(this OrderingTestHost host, string sku) =>
        host.QueryAsync(sp => sp.GetRequiredService<IFlashSalesDbContext>().Claims.AsNoTracking().Where(c => c.Sku == sku).ToListAsync());

    /// <summary>Delivers Ordering's events (OrderPaid / OrderCancelled) to FlashSales through the real relay.</summary>
    public static Task<int> DeliverOrderingEventsAsync(this OrderingTestHost host) => host.DeliverOutboxAsync();

    public static decimal UnitPriceOf(this Result<PlaceOrderResult> placed, string sku) =>
        placed.Value.Order.Lines.Single(l => l.Sku == sku).UnitPrice;

    public static Task<int> DeliverFlashEventsAsync(this OrderingTestHost host) =>
        host.Services.GetRequiredService<Retail.BuildingBlocks.Infrastructure.Outbox.OutboxRelay>().RunAsync(FlashSalesModule.Name);

    /// <summary>Moves the fake clock to the start of a 30 s listing period, so a test's periods are predictable.</summary>
    public static void AlignToListingPeriod(this OrderingTestHost host)
    {
        var intoPeriod = host.Time.GetUtcNow().ToUnixTimeMilliseconds() % 30_000;
        if (intoPeriod != 0)
        {
            host.Time.Advance(TimeSpan.FromMilliseconds(30_000 - intoPeriod));
        }
    }
}
