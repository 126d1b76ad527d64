using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Application;
using Retail.Modules.Ordering.Application.Abstractions;
using Retail.Modules.Payments.Application.Abstractions;
using Retail.Modules.Payments.IntegrationEvents;
using Retail.Modules.Returns.Application.Returns;
using Retail.Modules.Returns.Application.Returns.Details;
using Retail.Modules.Returns.Application.Returns.GetEligibility;
using Retail.Modules.Returns.Application.Returns.Transition;

namespace Retail.Modules.Returns.IntegrationTests;

/// <summary>
/// A parcel with fewer units than the return asked for: the warehouse records how many arrived per line, and the refund,
/// store credit, replacement and restock cover only those; the units that never came back stay returnable.
/// </summary>
public sealed class ShortDeliveryTests
{
    [Fact]
    public async Task A_short_delivery_refunds_and_restocks_only_the_units_that_arrived()
    {
        await using var host = await ReturnsTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 10, price: 30m);
        var customer = ReturnsTestHost.NewCustomer();
        var orderId = await host.DeliveredOrderAsync(customer, sku, 3);
        var code = (await host.SubmitAsync(customer, orderId, sku, 3)).Value.Code;
        var line = await ToInspectingAsync(host, customer, code);

        var inspected = await host.MoveAsync(ReturnsTestHost.Warehouse, code, "inspect",
            new TransitionInputDto(Grade: "NEW", Mismatch: "SHORT", Notes: "one unit in the box", Received: [new LineReceivedInput(line, 1)]));
        inspected.IsSuccess.ShouldBeTrue(inspected.IsSuccess ? "" : inspected.Error.Message);
        await host.DeliverAllAsync();
        await host.DecideAndProcessAsync(code, "REFUND");
        await host.DeliverAllAsync();

        var detail = await DetailAsync(host, code);
        detail.Status.ShouldBe("COMPLETED");
        detail.Lines.Single().Received.ShouldBe(1);
        detail.RefundTotal.ShouldBe(30m, "1 unit arrived at 30.00, not the 3 asked for");
        detail.RefundedAmount.ShouldBe(30m);
        detail.Timeline.Single(t => t.Action == "inspect").Reason!.ShouldContain($"received 1 of 3 {sku}");
        var refunded = await host.QueryAsync(sp => sp.GetRequiredService<IPaymentsDbContext>().Payments.Where(p => p.OrderId == orderId).SumAsync(p => p.RefundedAmount));
        refunded.ShouldBe(30m);
        (await host.StockOfAsync(sku)).ShouldBe(8, "10 − 3 bought + the 1 unit that came back in grade NEW");

        var eligibility = await host.SendAsAsync<Result<ReturnEligibilityDto>>(customer, new GetReturnEligibilityQuery(orderId));
        eligibility.Value.Lines.Single().Returnable.ShouldBe(2, "the 2 units that never arrived are still the customer's to return");
    }

    [Fact]
    public async Task Store_credit_and_replacement_cover_only_the_units_that_arrived()
    {
        await using var host = await ReturnsTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 10, price: 20m);
        var customer = ReturnsTestHost.NewCustomer();
        var creditOrder = await host.DeliveredOrderAsync(customer, sku, 4);
        var credit = (await host.SubmitAsync(customer, creditOrder, sku, 4, preferred: "STORE_CREDIT")).Value.Code;
        var creditLine = await ToInspectingAsync(host, customer, credit);
        (await host.MoveAsync(ReturnsTestHost.Warehouse, credit, "inspect",
            new TransitionInputDto(Grade: "USED", Mismatch: "SHORT", Received: [new LineReceivedInput(creditLine, 3)]))).IsSuccess.ShouldBeTrue();
        await host.DecideAndProcessAsync(credit, "STORE_CREDIT");

        (await DetailAsync(host, credit)).Status.ShouldBe("COMPLETED");
        (await host.SendAsAsync<Result<StoreCreditBalanceDto>>(customer, new GetStoreCreditBalance(customer))).Value.Balance.ShouldBe(60m, "3 of 4 units arrived at 20.00");

        var replacementOrder = await host.DeliveredOrderAsync(customer, sku, 2);
        var replacement = (await host.SubmitAsync(customer, replacementOrder, sku, 2, preferred: "REPLACEMENT")).Value.Code;
        var replacementLine = await ToInspectingAsync(host, customer, replacement);
        (await host.MoveAsync(ReturnsTestHost.Warehouse, replacement, "inspect",
            new TransitionInputDto(Grade: "DAMAGED", Mismatch: "SHORT", Received: [new LineReceivedInput(replacementLine, 1)]))).IsSuccess.ShouldBeTrue();
        await host.DecideAndProcessAsync(replacement, "REPLACEMENT");
        await host.DeliverAllAsync();

        var ordered = await host.QueryAsync(sp => sp.GetRequiredService<IOrderingDbContext>().Orders.Include(o => o.Lines)
            .Where(o => o.CustomerId == customer && o.PaymentMethod == "replacement").ToListAsync());
        ordered.ShouldHaveSingleItem().Lines.Single().Quantity.ShouldBe(1, "one unit came back, one is replaced");
        (await DetailAsync(host, replacement)).Status.ShouldBe("COMPLETED");
    }

    [Fact]
    public async Task Received_quantities_outside_zero_to_requested_or_inconsistent_with_the_mismatch_are_refused()
    {
        await using var host = await ReturnsTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 10, price: 10m);
        var customer = ReturnsTestHost.NewCustomer();
        var orderId = await host.DeliveredOrderAsync(customer, sku, 2);
        var code = (await host.SubmitAsync(customer, orderId, sku, 2)).Value.Code;
        var line = await ToInspectingAsync(host, customer, code);

        var tooMany = await host.MoveAsync(ReturnsTestHost.Warehouse, code, "inspect",
            new TransitionInputDto(Grade: "NEW", Mismatch: "NONE", Received: [new LineReceivedInput(line, 3)]));
        var negative = await host.MoveAsync(ReturnsTestHost.Warehouse, code, "inspect",
            new TransitionInputDto(Grade: "NEW", Mismatch: "SHORT", Received: [new LineReceivedInput(line, -1)]));
        var unknownLine = await host.MoveAsync(ReturnsTestHost.Warehouse, code, "inspect",
            new TransitionInputDto(Grade: "NEW", Mismatch: "SHORT", Received: [new LineReceivedInput(Guid.NewGuid(), 1)]));
        var shortWithoutCounts = await host.MoveAsync(ReturnsTestHost.Warehouse, code, "inspect", new TransitionInputDto(Grade: "NEW", Mismatch: "SHORT"));
        var countsWithoutShort = await host.MoveAsync(ReturnsTestHost.Warehouse, code, "inspect",
            new TransitionInputDto(Grade: "NEW", Mismatch: "NONE", Received: [new LineReceivedInput(line, 1)]));

        tooMany.Error!.Kind.ShouldBe(ErrorKind.Unprocessable);
        tooMany.Error.Message.ShouldBe($"Units received for {sku} are between 0 and the 2 the return asked for.");
        negative.Error!.Kind.ShouldBe(ErrorKind.Validation);
        unknownLine.Error!.Kind.ShouldBe(ErrorKind.Unprocessable);
        shortWithoutCounts.Error!.Message.ShouldBe("A SHORT delivery needs the number of units that arrived for the line or lines that came short.");
        countsWithoutShort.Error!.Message.ShouldBe("Fewer units arrived than the return asked for: record the mismatch as SHORT.");
        var detail = await DetailAsync(host, code);
        detail.Status.ShouldBe("INSPECTING", "nothing was recorded");
        detail.Lines.Single().Received.ShouldBeNull();
    }

    /// <summary>Approve, ship, receive, start inspection; the return's only line id.</summary>
    private static async Task<Guid> ToInspectingAsync(ReturnsTestHost host, string customer, string code)
    {
        (await host.MoveAsync(ReturnsTestHost.Support, code, "approve")).IsSuccess.ShouldBeTrue();
        (await host.MoveAsync(customer, code, "ship", new TransitionInputDto(TrackingNumber: "1Z999AA10123456784"))).IsSuccess.ShouldBeTrue();
        (await host.MoveAsync(ReturnsTestHost.Warehouse, code, "receive")).IsSuccess.ShouldBeTrue();
        (await host.MoveAsync(ReturnsTestHost.Warehouse, code, "start-inspection")).IsSuccess.ShouldBeTrue();
        return (await DetailAsync(host, code)).Lines.Single().Id;
    }

    private static async Task<ReturnDetailDto> DetailAsync(ReturnsTestHost host, string code) =>
        (await host.SendAsAsync<Result<ReturnDetailDto>>(ReturnsTestHost.Support, new GetReturnQuery(code))).Value;
}
