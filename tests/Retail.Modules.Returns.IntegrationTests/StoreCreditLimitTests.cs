using Retail.BuildingBlocks.Application;
using Retail.Modules.Payments.Domain.StoreCredit;
using Retail.Modules.Payments.IntegrationEvents;
using Retail.Modules.Returns.Application.Returns;
using Retail.Modules.Returns.Application.Returns.Details;
using Retail.Modules.Returns.Application.Returns.Transition;
using Retail.Modules.Returns.Domain.Returns;

namespace Retail.Modules.Returns.IntegrationTests;

/// <summary>
/// Payments issues at most 100,000 of store credit at once. A STORE_CREDIT decision above that used to be accepted and
/// then fail in PROCESSING on every run, for ever; it is refused when it is chosen, while another outcome can still be.
/// </summary>
public sealed class StoreCreditLimitTests
{
    [Fact]
    public async Task Store_credit_over_what_payments_issues_at_once_is_refused_at_the_decision_and_a_refund_still_completes()
    {
        await using var host = await ReturnsTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 5, price: 60_000m);
        var customer = ReturnsTestHost.NewCustomer();
        var orderId = await host.DeliveredOrderAsync(customer, sku, 2);
        var code = (await host.SubmitAsync(customer, orderId, sku, 2, preferred: "STORE_CREDIT")).Value.Code;
        await host.ToInspectedAsync(customer, code, grade: "USED");
        var detail = await DetailAsync(host, code);

        var credit = await host.MoveAsync(ReturnsTestHost.Finance, code, "decide", new TransitionInputDto(Dispositions:
            [.. detail.Lines.Select(l => new LineDispositionInput(l.Id, "STORE_CREDIT", null))]), detail.Version);

        credit.IsSuccess.ShouldBeFalse("120,000 of store credit cannot be issued, so it must not be decided");
        credit.Error!.Kind.ShouldBe(ErrorKind.Unprocessable);
        credit.Error.Message.ShouldBe("Store credit for one return is at most 100,000.00; these lines come to 120,000.00. Refund some of them instead.");
        var unchanged = await DetailAsync(host, code);
        unchanged.Status.ShouldBe("INSPECTED");
        unchanged.Version.ShouldBe(detail.Version);
        unchanged.Lines.ShouldAllBe(l => l.Disposition == null);

        var report = await host.DecideAndProcessAsync(code, "REFUND");

        report.Completed.ShouldBe(1);
        (await DetailAsync(host, code)).RefundedAmount.ShouldBe(120_000m);
        (await host.SendAsAsync<Result<StoreCreditBalanceDto>>(customer, new GetStoreCreditBalance(customer))).Value.Balance.ShouldBe(0m);
    }

    [Fact]
    public void The_returns_limit_is_the_one_payments_enforces() =>
        Return.MaxStoreCredit.ShouldBe(StoreCreditAmountMustBePositiveRule.MaxAmount, "Returns refuses what Payments would refuse, no more and no less");

    private static async Task<ReturnDetailDto> DetailAsync(ReturnsTestHost host, string code) =>
        (await host.SendAsAsync<Result<ReturnDetailDto>>(ReturnsTestHost.Support, new GetReturnQuery(code))).Value;
}
