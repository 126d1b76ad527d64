using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.Modules.FlashSales.Application.Abstractions;
using Retail.Modules.FlashSales.Application.Checkout;
using Retail.Modules.Ordering.Application;
using Retail.Modules.Ordering.Application.Abstractions;
using Retail.Modules.Ordering.IntegrationTests;

namespace Retail.Modules.FlashSales.IntegrationTests;

/// <summary>Counts the SQL statements that write (INSERT/UPDATE/DELETE), to prove an answer needed no write.</summary>
public sealed class WriteCounter : DbCommandInterceptor
{
    private int _writes;

    public int Writes => Volatile.Read(ref _writes);

    public void Reset() => Volatile.Write(ref _writes, 0);

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Count(command);
        return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Count(command);
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }

    private void Count(DbCommand command)
    {
        var text = command.CommandText;
        if (text.Contains("INSERT ", StringComparison.OrdinalIgnoreCase) || text.Contains("UPDATE ", StringComparison.OrdinalIgnoreCase)
            || text.Contains("DELETE ", StringComparison.OrdinalIgnoreCase))
        {
            Interlocked.Increment(ref _writes);
        }
    }
}

/// <summary>
/// Sold-out and over-the-cap attempts answered before the checkout gate and without a write, only when the database
/// confirms them; stale hints (units released elsewhere) never refuse a buyer; retries keep their stored answer.
/// The gate is held shut in these tests (one permit, no queue): any attempt that needs it gets 503 "high traffic".
/// </summary>
public sealed class FlashPregateTests
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Ordering:CheckoutRateLimit:PermitLimit"] = "100",
        ["FlashSales:PerUserSkuPermitLimit"] = "100",
        ["Ordering:CheckoutGate:PermitLimit"] = "1",
        ["Ordering:CheckoutGate:QueueLimit"] = "0",
    };

    private static async Task<(OrderingTestHost Host, WriteCounter Writes)> StartAsync()
    {
        var writes = new WriteCounter();
        var host = await OrderingTestHost.StartAsync(Settings, services => services.AddSingleton<IInterceptor>(writes));
        return (host, writes);
    }

    /// <summary>A product priced 20 with a flash sale running from now for an hour; returns its SKU.</summary>
    private static async Task<string> SaleOnNowAsync(OrderingTestHost host, int stock, int allocation, int cap, decimal flashPrice)
    {
        var sku = await host.CreateProductAsync(stock: stock, price: 20m);
        var now = host.Time.GetUtcNow();
        await host.CreateSaleAsync(sku, now, now.AddHours(1), allocation: allocation, cap: cap, flashPrice: flashPrice);
        return sku;
    }

    private static Task<bool> KeyKnownAsync(OrderingTestHost host, string userId, string key) =>
        host.QueryAsync(sp => sp.GetRequiredKeyedService<ModuleDbContext>(OrderingModule.Name).IdempotencyRecords.AnyAsync(r => r.Caller == userId && r.Key == key));

    [Fact]
    public async Task A_sold_out_item_is_answered_before_the_gate_with_no_write_and_the_same_problem_as_the_claim()
    {
        var (host, writes) = await StartAsync();
        await using var _ = host;
        var sku = await SaleOnNowAsync(host, stock: 10, allocation: 1, cap: 1, flashPrice: 10m);
        (await host.PlaceOrderAsync(OrderingTestHost.NewUser(), OrderingTestHost.Checkout(sku))).IsSuccess.ShouldBeTrue();
        var byClaim = await host.PlaceOrderAsync(OrderingTestHost.NewUser(), OrderingTestHost.Checkout(sku));
        byClaim.Error!.Code.ShouldBe("flash.sold_out");
        var claims = (await host.ClaimsAsync(sku)).Count;

        using var held = await host.Services.GetRequiredService<ICheckoutGate>().TryEnterAsync(CancellationToken.None);
        held.ShouldNotBeNull();
        writes.Reset();
        var late = OrderingTestHost.NewUser();
        var command = OrderingTestHost.Checkout(sku);
        var early = await host.PlaceOrderAsync(late, command);

        early.Error!.Code.ShouldBe("flash.sold_out");
        early.Error.Kind.ShouldBe(byClaim.Error.Kind);
        early.Error.Message.ShouldBe(UserMessages.OutOfStock);
        early.Error.FieldErrors![sku].ShouldBe(byClaim.Error.FieldErrors![sku]);
        // Named from the cached listing, so an API caller knows which item was refused (no read added for it).
        early.Error.FieldErrors[sku].ShouldBe([$"Test {sku}: {UserMessages.OutOfStock}"]);
        writes.Writes.ShouldBe(0);
        (await host.ClaimsAsync(sku)).Count.ShouldBe(claims);
        (await KeyKnownAsync(host, late, command.IdempotencyKey)).ShouldBeFalse();
        (await host.OrderCountAsync(late)).ShouldBe(0);

        // A product outside any sale is not answered early: it needs the gate, which is shut.
        var plain = await host.CreateProductAsync(stock: 10, price: 20m);
        (await host.PlaceOrderAsync(late, OrderingTestHost.Checkout(plain))).Error!.Message.ShouldBe(UserMessages.Overloaded);
    }

    [Fact]
    public async Task Each_sold_out_answer_comes_from_a_read_that_began_after_the_attempt_arrived()
    {
        var (host, writes) = await StartAsync();
        await using var _ = host;
        var sku = await SaleOnNowAsync(host, stock: 10, allocation: 1, cap: 1, flashPrice: 10m);
        (await host.PlaceOrderAsync(OrderingTestHost.NewUser(), OrderingTestHost.Checkout(sku))).IsSuccess.ShouldBeTrue();
        (await host.PlaceOrderAsync(OrderingTestHost.NewUser(), OrderingTestHost.Checkout(sku))).Error!.Code.ShouldBe("flash.sold_out");
        var reads = host.Services.GetRequiredService<LiveFlashItemReads>();
        writes.Reset();

        // One after another nothing is shared: every late attempt gets a read of its own (storms share them: BatchedReads).
        var before = reads.ReadsStarted;
        for (var i = 0; i < 3; i++)
        {
            (await host.PlaceOrderAsync(OrderingTestHost.NewUser(), OrderingTestHost.Checkout(sku))).Error!.Code.ShouldBe("flash.sold_out");
        }

        (reads.ReadsStarted - before).ShouldBe(3);
        writes.Writes.ShouldBe(0);
    }

    [Fact]
    public async Task Over_the_cap_is_answered_before_the_gate_only_when_the_database_confirms_it()
    {
        var (host, writes) = await StartAsync();
        await using var _ = host;
        var sku = await SaleOnNowAsync(host, stock: 30, allocation: 10, cap: 2, flashPrice: 12m);
        var buyer = OrderingTestHost.NewUser();
        var other = OrderingTestHost.NewUser();
        (await host.PlaceOrderAsync(buyer, OrderingTestHost.Checkout(sku, quantity: 2))).IsSuccess.ShouldBeTrue();
        (await host.PlaceOrderAsync(other, OrderingTestHost.Checkout(sku, quantity: 1))).IsSuccess.ShouldBeTrue();

        using (var held = await host.Services.GetRequiredService<ICheckoutGate>().TryEnterAsync(CancellationToken.None))
        {
            held.ShouldNotBeNull();
            writes.Reset();
            var over = await host.PlaceOrderAsync(buyer, OrderingTestHost.Checkout(sku));
            over.Error!.Code.ShouldBe("flash.cap_exceeded");
            over.Error.Kind.ShouldBe(ErrorKind.Unprocessable);
            over.Error.Message.ShouldBe("You can buy at most 2 of this item in this flash sale.");
            over.Error.FieldErrors[sku].ShouldBe([$"Test {sku}: at most 2 per customer in this flash sale."]);
            writes.Writes.ShouldBe(0);

            // One unit left under the cap of the other customer: not certain, so the attempt goes on to the (shut) gate.
            (await host.PlaceOrderAsync(other, OrderingTestHost.Checkout(sku))).Error!.Message.ShouldBe(UserMessages.Overloaded);
            // Asking for more than the cap at once is certain without any history.
            (await host.PlaceOrderAsync(OrderingTestHost.NewUser(), OrderingTestHost.Checkout(sku, quantity: 3))).Error!.Code.ShouldBe("flash.cap_exceeded");
            writes.Writes.ShouldBe(0);
        }

        var item = await host.ItemAsync(sku);
        item.Sold.ShouldBe(3);
        (await host.PurchasesAsync(item.Id)).Single(p => p.CustomerId == buyer).Quantity.ShouldBe(2);
        (await host.PlaceOrderAsync(other, OrderingTestHost.Checkout(sku))).IsSuccess.ShouldBeTrue();
    }

    [Fact]
    public async Task Hints_gone_stale_on_another_instance_never_refuse_a_buyer()
    {
        var (host, _) = await StartAsync();
        await using var _host = host;
        var sku = await SaleOnNowAsync(host, stock: 10, allocation: 1, cap: 1, flashPrice: 10m);
        var first = OrderingTestHost.NewUser();
        (await host.PlaceOrderAsync(first, OrderingTestHost.Checkout(sku))).IsSuccess.ShouldBeTrue();
        (await host.PlaceOrderAsync(OrderingTestHost.NewUser(), OrderingTestHost.Checkout(sku))).Error!.Code.ShouldBe("flash.sold_out");
        var memo = host.Services.GetRequiredService<FlashCheckoutMemo>();
        memo.IsSoldOut(sku).ShouldBeTrue();
        memo.ClaimedBy(sku, first).ShouldBe(1);

        // Another instance released the unit and the first customer's purchase: this instance's memo knows nothing of it.
        var item = await host.ItemAsync(sku);
        await host.QueryAsync(async sp =>
        {
            var db = sp.GetRequiredService<IFlashSalesDbContext>();
            await db.Items.Where(i => i.Id == item.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.Sold, 0));
            return await db.Purchases.Where(p => p.ItemId == item.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.Quantity, 0));
        });
        memo.IsSoldOut(sku).ShouldBeTrue();

        // With the gate shut, both stale hints send the attempt on to the gate instead of refusing it...
        using (var held = await host.Services.GetRequiredService<ICheckoutGate>().TryEnterAsync(CancellationToken.None))
        {
            held.ShouldNotBeNull();
            (await host.PlaceOrderAsync(first, OrderingTestHost.Checkout(sku))).Error!.Message.ShouldBe(UserMessages.Overloaded);
        }

        // ...and the read that checked them corrected the memo: the buyer gets the unit.
        memo.IsSoldOut(sku).ShouldBeFalse();
        memo.ClaimedBy(sku, first).ShouldBe(0);
        var bought = await host.PlaceOrderAsync(first, OrderingTestHost.Checkout(sku));
        bought.IsSuccess.ShouldBeTrue(bought.IsSuccess ? "" : bought.Error.Code);
        bought.UnitPriceOf(sku).ShouldBe(10m);
        (await host.ItemAsync(sku)).Sold.ShouldBe(1);
    }

    [Fact]
    public async Task A_release_on_this_instance_forgets_the_sold_out_and_cap_hints_at_once()
    {
        var (host, _) = await StartAsync();
        await using var _host = host;
        var sku = await SaleOnNowAsync(host, stock: 10, allocation: 1, cap: 1, flashPrice: 10m);
        var declined = OrderingTestHost.NewUser();
        (await host.PlaceOrderAsync(declined, OrderingTestHost.Checkout(sku, card: OrderingTestHost.DecliningCard))).Error!.Code.ShouldBe("payment.declined");
        (await host.PlaceOrderAsync(OrderingTestHost.NewUser(), OrderingTestHost.Checkout(sku))).Error!.Code.ShouldBe("flash.sold_out");
        var memo = host.Services.GetRequiredService<FlashCheckoutMemo>();
        (memo.IsSoldOut(sku), memo.ClaimedBy(sku, declined)).ShouldBe((true, 1));

        await host.DeliverOrderingEventsAsync();

        (memo.IsSoldOut(sku), memo.ClaimedBy(sku, declined)).ShouldBe((false, 0));
        (await host.ItemAsync(sku)).Sold.ShouldBe(0);
        (await host.PlaceOrderAsync(declined, OrderingTestHost.Checkout(sku))).IsSuccess.ShouldBeTrue();
    }

    [Fact]
    public async Task A_retried_checkout_at_the_cap_gets_its_stored_answer_not_a_refusal()
    {
        var (host, _) = await StartAsync();
        await using var _host = host;
        var sku = await SaleOnNowAsync(host, stock: 10, allocation: 1, cap: 1, flashPrice: 10m);
        var buyer = OrderingTestHost.NewUser();
        var command = OrderingTestHost.Checkout(sku);
        var placed = await host.PlaceOrderAsync(buyer, command);
        placed.IsSuccess.ShouldBeTrue();

        var retried = await host.PlaceOrderAsync(buyer, command);

        retried.IsSuccess.ShouldBeTrue(retried.IsSuccess ? "" : retried.Error.Code);
        retried.Value.Order.Id.ShouldBe(placed.Value.Order.Id);
        (await host.OrderCountAsync(buyer)).ShouldBe(1);
        (await host.PlaceOrderAsync(buyer, OrderingTestHost.Checkout(sku))).Error!.Code.ShouldBe("flash.sold_out");
    }

    [Fact]
    public async Task One_customers_burst_takes_turns_and_only_the_first_attempt_writes()
    {
        var writes = new WriteCounter();
        await using var host = await OrderingTestHost.StartAsync(
            new Dictionary<string, string?> { ["Ordering:CheckoutRateLimit:PermitLimit"] = "100", ["FlashSales:PerUserSkuPermitLimit"] = "100" },
            services => services.AddSingleton<IInterceptor>(writes));
        var sku = await SaleOnNowAsync(host, stock: 30, allocation: 10, cap: 1, flashPrice: 12m);
        writes.Reset();
        (await host.PlaceOrderAsync(OrderingTestHost.NewUser(), OrderingTestHost.Checkout(sku))).IsSuccess.ShouldBeTrue();
        var oneCheckout = writes.Writes;

        writes.Reset();
        var buyer = OrderingTestHost.NewUser();
        var burst = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => host.PlaceOrderAsync(buyer, OrderingTestHost.Checkout(sku)))));

        burst.Count(r => r.IsSuccess).ShouldBe(1);
        burst.Where(r => !r.IsSuccess).ShouldAllBe(r => r.Error!.Code == "flash.cap_exceeded");
        writes.Writes.ShouldBe(oneCheckout, "the nine refused attempts wrote nothing (no idempotency row, no claim)");
        (await host.ItemAsync(sku)).Sold.ShouldBe(2);
    }

    [Fact]
    public void The_memo_of_claimed_units_stays_bounded()
    {
        var memo = new FlashCheckoutMemo(TimeProvider.System);
        for (var i = 0; i < FlashCheckoutMemo.MaxCustomerHints + 10; i++)
        {
            memo.AddClaimed("SKU", "customer-" + i, 1);
        }

        memo.ClaimedBy("SKU", "customer-0").ShouldBe(0);
        memo.ClaimedBy("SKU", "customer-" + (FlashCheckoutMemo.MaxCustomerHints + 9)).ShouldBe(1);
    }
}
