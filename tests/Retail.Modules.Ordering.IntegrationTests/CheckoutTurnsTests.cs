using Retail.Modules.Ordering.Infrastructure.Services;

namespace Retail.Modules.Ordering.IntegrationTests;

/// <summary>One checkout at a time per customer: the second waits for the first, other customers do not, nothing is kept after.</summary>
public sealed class CheckoutTurnsTests
{
    [Fact]
    public async Task A_customers_second_checkout_waits_for_the_first_while_another_customer_goes_ahead()
    {
        var turns = new CheckoutTurns();
        var first = await turns.TakeAsync("ann", CancellationToken.None);
        var second = turns.TakeAsync("ann", CancellationToken.None).AsTask();
        var other = await turns.TakeAsync("bob", CancellationToken.None);

        second.IsCompleted.ShouldBeFalse();
        turns.Customers.ShouldBe(2);
        first.Dispose();
        using (await second)
        {
            other.Dispose();
            turns.Customers.ShouldBe(1);
        }

        turns.Customers.ShouldBe(0);
    }

    [Fact]
    public async Task A_cancelled_wait_leaves_no_trace_and_does_not_pass_the_turn_on()
    {
        var turns = new CheckoutTurns();
        var first = await turns.TakeAsync("ann", CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var waiting = turns.TakeAsync("ann", cancel.Token).AsTask();
        var third = turns.TakeAsync("ann", CancellationToken.None).AsTask();

        await cancel.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(waiting);
        third.IsCompleted.ShouldBeFalse();
        first.Dispose();
        first.Dispose();
        (await third).Dispose();
        turns.Customers.ShouldBe(0);
    }
}
