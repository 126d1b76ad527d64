using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.Modules.Ordering.Application;
using Retail.Modules.Ordering.Application.Abstractions;
using Retail.Modules.Ordering.Application.Orders.PlaceOrder;
using Retail.Testing;

namespace Retail.Modules.Ordering.IntegrationTests;

/// <summary>
/// A checkout whose process dies between reserving stock (Catalog's own commit) and storing its order leaves stock held
/// for an order that does not exist and a key stuck "in progress". <see cref="InterruptedCheckoutRecovery"/> finds such
/// attempts after <c>Ordering:InterruptedCheckoutAfter</c> (2 minutes) and releases what they held — without ever
/// releasing the units of an order that was stored, or letting a slow attempt store its order after the release.
/// </summary>
public sealed class InterruptedCheckoutTests
{
    private static readonly TimeSpan PastTheGrace = TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1);

    private static async Task<PlaceOrderCommand> DieAfterReservingAsync(OrderingTestHost host, string user, string sku, int quantity)
    {
        var command = OrderingTestHost.Checkout(sku, quantity);
        await host.DieAfterReservingAsync(user, command);
        return command;
    }

    private static Task<int> UnfinishedAttemptsAsync(OrderingTestHost host) =>
        host.QueryAsync(sp => sp.GetRequiredKeyedService<ModuleDbContext>(OrderingModule.Name).IdempotencyRecords.CountAsync(r => r.CompletedAt == null));

    [Fact]
    public async Task Stock_held_by_a_checkout_that_died_before_storing_its_order_is_released_after_the_grace_and_its_key_freed()
    {
        await using var host = await OrderingTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 5);
        var user = OrderingTestHost.NewUser();
        var died = await DieAfterReservingAsync(host, user, sku, quantity: 2);
        (await host.StockOfAsync(sku)).ShouldBe(3);

        host.Time.Advance(TimeSpan.FromMinutes(1));
        (await host.RunInterruptedCheckoutRecoveryAsync()).Released.ShouldBe(0, "a live checkout may still be this slow");
        (await host.StockOfAsync(sku)).ShouldBe(3);

        host.Time.Advance(PastTheGrace);
        (await host.RunInterruptedCheckoutRecoveryAsync()).ShouldBe(new InterruptedCheckoutReport(Released: 1));
        (await host.RunInterruptedCheckoutRecoveryAsync()).ShouldBe(new InterruptedCheckoutReport(), "released once");

        (await host.StockOfAsync(sku)).ShouldBe(5);
        (await UnfinishedAttemptsAsync(host)).ShouldBe(0);
        var retried = await host.PlaceOrderAsync(user, died);
        retried.IsSuccess.ShouldBeTrue(retried.Error?.Message);
        (await host.StockOfAsync(sku)).ShouldBe(3);
    }

    [Fact]
    public async Task A_checkout_that_stored_its_order_but_died_before_answering_keeps_its_stock_and_its_key_replays_the_order()
    {
        await using var host = await OrderingTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 5);
        var user = OrderingTestHost.NewUser();
        host.SetOutage(true);
        var command = OrderingTestHost.Checkout(sku, quantity: 2);
        var placed = (await host.PlaceOrderAsync(user, command)).Value;
        // As if the process had died right after the order's commit: the attempt's record still in progress.
        await host.QueryAsync(sp => sp.GetRequiredKeyedService<ModuleDbContext>(OrderingModule.Name).IdempotencyRecords
            .Where(r => r.Caller == user)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.CompletedAt, (DateTimeOffset?)null).SetProperty(r => r.ResponseStatus, (int?)null)));
        (await host.PlaceOrderAsync(user, command)).Error!.Code.ShouldBe("idempotency.in_progress");

        host.Time.Advance(PastTheGrace);
        (await host.RunInterruptedCheckoutRecoveryAsync()).ShouldBe(new InterruptedCheckoutReport(Answered: 1));

        (await host.StockOfAsync(sku)).ShouldBe(3, "the order exists: its stock stays held for it");
        var replayed = await host.PlaceOrderAsync(user, command);
        replayed.IsSuccess.ShouldBeTrue(replayed.Error?.Message);
        replayed.Value.Order.Id.ShouldBe(placed.Order.Id);
        (await host.OrderCountAsync(user)).ShouldBe(1);
    }

    [Fact]
    public async Task A_slow_checkout_taken_over_meanwhile_stores_no_order_and_leaves_its_stock_released()
    {
        OrderingTestHost? started = null;
        await using var host = started = await OrderingTestHost.StartAsync(configure: services =>
            services.AddSingleton<IPaymentDetailsProtector>(new RecoveryBetweenReserveAndOrder(() => started!)));
        var sku = await host.CreateProductAsync(stock: 5);
        var user = OrderingTestHost.NewUser();

        var result = await host.PlaceOrderAsync(user, OrderingTestHost.Checkout(sku, quantity: 2));

        result.IsSuccess.ShouldBeFalse();
        result.Error!.Code.ShouldBe("ordering.overloaded");
        (await host.OrderCountAsync(user)).ShouldBe(0);
        (await host.StockOfAsync(sku)).ShouldBe(5);
        (await UnfinishedAttemptsAsync(host)).ShouldBe(0);
    }

    [Fact]
    public async Task An_attempt_left_marked_by_a_run_that_failed_part_way_is_released_by_the_next_run_and_answers_in_progress_meanwhile()
    {
        await using var host = await OrderingTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 5);
        var user = OrderingTestHost.NewUser();
        var died = await DieAfterReservingAsync(host, user, sku, quantity: 1);
        await host.QueryAsync(sp => sp.GetRequiredService<ICheckoutIdempotency>().MarkInterruptedAsync(user, died.IdempotencyKey, CancellationToken.None));

        var retried = await host.PlaceOrderAsync(user, died);
        retried.Error!.Code.ShouldBe("idempotency.in_progress");

        (await host.RunInterruptedCheckoutRecoveryAsync()).Released.ShouldBe(1, "a marked attempt needs no grace");
        (await host.StockOfAsync(sku)).ShouldBe(5);
        (await host.PlaceOrderAsync(user, died)).IsSuccess.ShouldBeTrue();
    }

    [Fact]
    public async Task The_recovery_reads_only_the_attempts_in_progress_through_the_CompletedAt_index()
    {
        var plans = new QueryPlanLog();
        await using var host = await OrderingTestHost.StartAsync(configure: services => services.AddSingleton<IInterceptor>(plans));
        var sku = await host.CreateProductAsync(stock: 5);
        await DieAfterReservingAsync(host, OrderingTestHost.NewUser(), sku, quantity: 1);
        host.Time.Advance(PastTheGrace);

        var recorded = plans.Record();
        (await host.RunInterruptedCheckoutRecoveryAsync()).Released.ShouldBe(1);

        var find = recorded.First(p => p.Sql.Contains("ordering_IdempotencyRecords", StringComparison.Ordinal));
        find.Steps.ShouldContain(s => s.Contains("USING INDEX IX_ordering_IdempotencyRecords_CompletedAt (CompletedAt=?)", StringComparison.Ordinal));
    }

    /// <summary>
    /// Runs the recovery, two and a half minutes later, at the one point a checkout passes between reserving its stock and
    /// storing its order (it protects the payment details there): a live checkout that took longer than the grace.
    /// </summary>
    private sealed class RecoveryBetweenReserveAndOrder(Func<OrderingTestHost> host) : IPaymentDetailsProtector
    {
        public string? Protect(IReadOnlyDictionary<string, string>? details)
        {
            host().Time.Advance(TimeSpan.FromSeconds(150));
            // Off this thread: the checkout holds no transaction here, and the recovery needs its own.
            Task.Run(host().RunInterruptedCheckoutRecoveryAsync).GetAwaiter().GetResult().Released.ShouldBe(1);
            return "protected";
        }

        public IReadOnlyDictionary<string, string>? Unprotect(string? protectedDetails) => null;
    }
}
