using Microsoft.Extensions.DependencyInjection;
using Retail.Modules.Ordering.Application.Abstractions;
using Retail.Modules.Ordering.Infrastructure.Services;

namespace Retail.Modules.Ordering.IntegrationTests;

/// <summary>"Has this customer used this idempotency key?" — the check that keeps a retry from being refused early.</summary>
public sealed class CheckoutKeyLookupsTests
{
    [Fact]
    public async Task A_key_is_known_only_for_the_customer_who_used_it()
    {
        await using var host = await OrderingTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 5);
        var ann = OrderingTestHost.NewUser();
        var bob = OrderingTestHost.NewUser();
        var command = OrderingTestHost.Checkout(sku);
        (await host.PlaceOrderAsync(ann, command)).IsSuccess.ShouldBeTrue();

        var lookups = host.Services.GetRequiredService<CheckoutKeyLookups>();
        var answers = await Task.WhenAll(
            lookups.IsKnownAsync(ann, command.IdempotencyKey, CancellationToken.None),
            lookups.IsKnownAsync(bob, command.IdempotencyKey, CancellationToken.None),
            lookups.IsKnownAsync(ann, "never-used", CancellationToken.None));

        answers.ShouldBe([true, false, false]);
    }

    [Fact]
    public async Task A_storm_of_lookups_costs_far_fewer_reads_and_each_is_answered_for_its_own_pair()
    {
        await using var host = await OrderingTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 5);
        var buyer = OrderingTestHost.NewUser();
        var command = OrderingTestHost.Checkout(sku);
        (await host.PlaceOrderAsync(buyer, command)).IsSuccess.ShouldBeTrue();
        var lookups = host.Services.GetRequiredService<CheckoutKeyLookups>();
        var before = lookups.ReadsStarted;

        // 300 lookups asked together (one used key among them): the first starts a read, the rest wait for the next ones.
        var asked = Enumerable.Range(0, 300).Select(i => i == 150 ? (buyer, command.IdempotencyKey) : (OrderingTestHost.NewUser(), command.IdempotencyKey)).ToList();
        var answers = await Task.WhenAll(asked.Select(a => lookups.IsKnownAsync(a.Item1, a.Item2, CancellationToken.None)));

        answers.Count(known => known).ShouldBe(1);
        answers[150].ShouldBeTrue();
        // Typically 2-3 reads (the first, then batches of up to 256); the bound leaves room for a slow, preempted test thread.
        (lookups.ReadsStarted - before).ShouldBeLessThan(100, "one read per lookup would be 300");
    }

    [Fact]
    public async Task The_checkout_sees_keys_through_the_shared_lookups()
    {
        await using var host = await OrderingTestHost.StartAsync();
        await using var scope = host.Services.CreateAsyncScope();
        var idempotency = scope.ServiceProvider.GetRequiredService<ICheckoutIdempotency>();
        var lookups = host.Services.GetRequiredService<CheckoutKeyLookups>();
        var before = lookups.ReadsStarted;

        (await idempotency.IsKnownAsync(OrderingTestHost.NewUser(), "k-1", CancellationToken.None)).ShouldBeFalse();
        (lookups.ReadsStarted - before).ShouldBe(1);
    }
}
