using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Application;
using Retail.Modules.Ordering.Application.Abstractions;
using Retail.Modules.Returns.Application.Abstractions;
using Retail.Modules.Returns.Application.Returns;
using Retail.Modules.Returns.Application.Returns.Details;
using Retail.Modules.Returns.Application.Returns.Transition;

namespace Retail.Modules.Returns.IntegrationTests;

/// <summary>
/// A REPLACEMENT needs stock: Catalog cannot hold units it does not have. Deciding one for an item out of stock is refused
/// when it is made (nothing changes, the return stays INSPECTED for another outcome), instead of being accepted and
/// ending with a replacement order no stock was ever held for while Catalog's delivery failed until dead-lettered.
/// </summary>
public sealed class ReplacementStockTests
{
    [Fact]
    public async Task A_replacement_of_an_item_out_of_stock_is_refused_when_decided_and_another_outcome_can_be_chosen()
    {
        await using var host = await ReturnsTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 2, price: 15m);
        var customer = ReturnsTestHost.NewCustomer();
        var orderId = await host.DeliveredOrderAsync(customer, sku, 2);
        var code = (await host.SubmitAsync(customer, orderId, sku, 2, preferred: "REPLACEMENT")).Value.Code;
        await host.ToInspectedAsync(customer, code, grade: "DAMAGED");
        (await host.StockOfAsync(sku)).ShouldBe(0, "both units were sold; DAMAGED ones are not restocked");
        var before = await DetailAsync(host, code);

        var replacement = await host.MoveAsync(ReturnsTestHost.Support, code, "decide", Dispositions(before, "REPLACEMENT"), before.Version);

        replacement.IsSuccess.ShouldBeFalse();
        replacement.Error!.Kind.ShouldBe(ErrorKind.Unprocessable);
        replacement.Error.Code.ShouldBe("returns.replacement_out_of_stock");
        replacement.Error.Message.ShouldBe($"A replacement cannot be made: {sku} is out of stock (2 needed, 0 in stock). Choose a refund or store credit instead, or decide again when it is back in stock.");
        var after = await DetailAsync(host, code);
        after.Status.ShouldBe("INSPECTED");
        after.Version.ShouldBe(before.Version, "nothing changed");
        after.Outcomes.ShouldBeEmpty();
        (await host.QueryAsync(sp => sp.GetRequiredService<IOrderingDbContext>().Orders.CountAsync(o => o.CustomerId == customer && o.PaymentMethod == "replacement")))
            .ShouldBe(0, "no replacement order without stock");

        var refund = await host.MoveAsync(ReturnsTestHost.Support, code, "decide", Dispositions(after, "REFUND"), after.Version);
        refund.IsSuccess.ShouldBeTrue(refund.IsSuccess ? "" : refund.Error.Message);
        (await DetailAsync(host, code)).Disposition.ShouldBe("REFUND");
    }

    [Fact]
    public async Task A_replacement_with_the_stock_for_it_is_still_decided()
    {
        await using var host = await ReturnsTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 4, price: 15m);
        var customer = ReturnsTestHost.NewCustomer();
        var orderId = await host.DeliveredOrderAsync(customer, sku, 2);
        var code = (await host.SubmitAsync(customer, orderId, sku, 2, preferred: "REPLACEMENT")).Value.Code;
        await host.ToInspectedAsync(customer, code, grade: "DAMAGED");
        var before = await DetailAsync(host, code);

        var decided = await host.MoveAsync(ReturnsTestHost.Support, code, "decide", Dispositions(before, "REPLACEMENT"), before.Version);

        decided.IsSuccess.ShouldBeTrue(decided.IsSuccess ? "" : decided.Error.Message);
        (await DetailAsync(host, code)).Disposition.ShouldBe("REPLACEMENT");
    }

    private static TransitionInputDto Dispositions(ReturnDetailDto detail, string disposition) =>
        new(Dispositions: [.. detail.Lines.Select(l => new LineDispositionInput(l.Id, disposition, disposition == detail.SuggestedDisposition ? null : "chosen by test"))]);

    private static async Task<ReturnDetailDto> DetailAsync(ReturnsTestHost host, string code) =>
        (await host.SendAsAsync<Result<ReturnDetailDto>>(ReturnsTestHost.Support, new GetReturnQuery(code))).Value;
}
