using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Payments.Application.Abstractions;
using Retail.Modules.Payments.IntegrationEvents;
using Retail.Modules.Returns.Application.Abstractions;
using Retail.Modules.Returns.Application.Outcomes;
using Retail.Modules.Returns.Application.Returns;
using Retail.Modules.Returns.Application.Returns.Details;
using Retail.Modules.Returns.Application.Returns.Transition;

namespace Retail.Modules.Returns.IntegrationTests;

/// <summary>
/// Refunds of an order paid partly with store credit and partly by card, over several returns: each part goes back to
/// where it came from, in total exactly what was paid, however the returns' outcomes interleave.
/// </summary>
public sealed class SplitPaymentRefundTests
{
    [Fact]
    public async Task Two_returns_of_one_split_order_processed_at_once_both_refund_in_full()
    {
        await using var host = await ReturnsTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 10, price: 30m);
        var customer = ReturnsTestHost.NewCustomer();
        await host.SendAsAsync<Result<StoreCreditBalanceDto>>(ReturnsTestHost.Finance, new IssueStoreCredit(customer, 30m, "goodwill", "test", "gift-" + customer));
        var orderId = await host.DeliveredOrderAsync(customer, sku, 2, storeCredit: 30m);
        var first = await ProcessingReturnAsync(host, customer, orderId, sku);
        var second = await ProcessingReturnAsync(host, customer, orderId, sku);

        // The first return's run splits its refund over the payments, and before it sends anything the second
        // return's run (finance pressing "run outcomes" while the job works) splits and refunds in full.
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var sp = scope.ServiceProvider;
            var interleaving = new RunOtherFirstSender(sp.GetRequiredService<IRequestSender>(), () => host.SendAsAsync<Result<OutcomeRunReport>>(ReturnsTestHost.Finance, new ExecuteReturnOutcomesCommand(second.Code)));
            var processor = new ReturnOutcomeProcessor(sp.GetRequiredService<IReturnsDbContext>(), sp.GetRequiredService<IReturnsUnitOfWork>(), interleaving, host.Time, NullLogger<ReturnOutcomeProcessor>.Instance);
            await processor.ProcessAsync(first.Id);
        }

        await host.RunOutcomeJobAsync();

        var one = await DetailAsync(host, first.Code);
        var two = await DetailAsync(host, second.Code);
        one.Status.ShouldBe("COMPLETED", one.Outcomes.Single().LastError);
        two.Status.ShouldBe("COMPLETED", two.Outcomes.Single().LastError);
        one.RefundedAmount.ShouldBe(30m);
        two.RefundedAmount.ShouldBe(30m);
        var payments = await host.QueryAsync(sp => sp.GetRequiredService<IPaymentsDbContext>().Payments.Where(p => p.OrderId == orderId).ToListAsync());
        payments.Count.ShouldBe(2);
        payments.ShouldAllBe(p => p.RefundedAmount == p.Amount, "the store-credit part and the card part both went back in full, once");
        (await host.SendAsAsync<Result<StoreCreditBalanceDto>>(customer, new GetStoreCreditBalance(customer))).Value.Balance.ShouldBe(30m);
    }

    private static async Task<(Guid Id, string Code)> ProcessingReturnAsync(ReturnsTestHost host, string customer, Guid orderId, string sku)
    {
        var submitted = (await host.SubmitAsync(customer, orderId, sku, 1)).Value;
        await host.ToInspectedAsync(customer, submitted.Code, grade: "USED");
        var detail = await DetailAsync(host, submitted.Code);
        (await host.MoveAsync(ReturnsTestHost.Finance, submitted.Code, "decide", new TransitionInputDto(Dispositions:
            [.. detail.Lines.Select(l => new LineDispositionInput(l.Id, "REFUND", null))]))).IsSuccess.ShouldBeTrue();
        (await host.MoveAsync(ReturnsTestHost.Finance, submitted.Code, "process")).IsSuccess.ShouldBeTrue();
        return (submitted.Id, submitted.Code);
    }

    private static async Task<ReturnDetailDto> DetailAsync(ReturnsTestHost host, string code) =>
        (await host.SendAsAsync<Result<ReturnDetailDto>>(ReturnsTestHost.Support, new GetReturnQuery(code))).Value;

    /// <summary>Runs <paramref name="other"/> to its end just before the first refund request goes out, then carries on.</summary>
    private sealed class RunOtherFirstSender(IRequestSender inner, Func<Task> other) : IRequestSender
    {
        private bool _ran;

        public ValueTask<Result> Send(ICommand command, CancellationToken cancellationToken = default) => inner.Send(command, cancellationToken);

        public async ValueTask<Result<TValue>> Send<TValue>(ICommand<TValue> command, CancellationToken cancellationToken = default)
        {
            if (command is RefundPayment && !_ran)
            {
                _ran = true;
                await other();
            }

            return await inner.Send(command, cancellationToken);
        }

        public ValueTask<Result<TValue>> Send<TValue>(IQuery<TValue> query, CancellationToken cancellationToken = default) => inner.Send(query, cancellationToken);
    }
}
