using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.Modules.Ordering.Application.Abstractions;
using Retail.Modules.Payments.Application.Abstractions;
using Retail.Modules.Payments.IntegrationEvents;
using Retail.Modules.Returns.Application.Abstractions;
using Retail.Modules.Returns.Application.Returns;
using Retail.Modules.Returns.Application.Returns.Details;
using Retail.Modules.Returns.Domain.Returns;
using Retail.Modules.Returns.IntegrationEvents;

namespace Retail.Modules.Returns.IntegrationTests;

/// <summary>SPEC R2: refunds, store credit, replacement, repair and restock, each exactly once.</summary>
public sealed class OutcomeTests
{
    private static readonly string[] FullWalk = ["SUBMITTED", "VALIDATING", "APPROVED", "SHIPPING", "RECEIVED", "INSPECTING", "INSPECTED", "DISPOSITION", "PROCESSING", "COMPLETED"];

    [Fact]
    public async Task A_refund_while_payments_are_down_waits_then_completes_exactly_once()
    {
        await using var host = await ReturnsTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 10, price: 30m);
        var customer = ReturnsTestHost.NewCustomer();
        var orderId = await host.DeliveredOrderAsync(customer, sku, 2);
        var code = (await host.SubmitAsync(customer, orderId, sku, 2)).Value.Code;
        (await host.MoveAsync(ReturnsTestHost.Support, code, "validate")).IsSuccess.ShouldBeTrue();
        await host.ToInspectedAsync(customer, code);

        host.SetOutage(true);
        var first = await host.DecideAndProcessAsync(code, "REFUND");
        first.Waiting.ShouldBe(1);
        (await host.RunOutcomeJobAsync()).Completed.ShouldBe(0, "still down: the job keeps waiting");
        (await DetailAsync(host, code)).Status.ShouldBe("PROCESSING");

        host.SetOutage(false);
        host.Time.Advance(TimeSpan.FromSeconds(31)); // the breaker lets the probe through
        (await host.RunRefundSweepAsync()).ShouldBeGreaterThanOrEqualTo(0);
        var report = await host.RunOutcomeJobAsync();
        var again = await host.RunOutcomeJobAsync();
        await host.DeliverAllAsync();

        report.Completed.ShouldBe(1);
        again.Returns.ShouldBe(0, "nothing left in PROCESSING");
        var detail = await DetailAsync(host, code);
        detail.Status.ShouldBe("COMPLETED");
        detail.RefundedAmount.ShouldBe(60m);
        detail.Timeline.Select(t => t.To).ShouldBe(FullWalk);
        var payments = await host.QueryAsync(sp => sp.GetRequiredService<IPaymentsDbContext>().Payments.Where(p => p.OrderId == orderId).ToListAsync());
        payments.Sum(p => p.RefundedAmount).ShouldBe(60m, "refunded once, never more than paid");
        var refunds = await host.QueryAsync(sp => sp.GetRequiredService<IPaymentsDbContext>().Refunds.CountAsync(r => r.OrderId == orderId));
        refunds.ShouldBe(1);
        (await OutboxCountAsync(host, "returns", "returns.refund-issued.v1")).ShouldBe(1);
        host.Emails.Sent.ShouldContain(m => m.To == ReturnsTestHost.EmailOf(customer) && m.Subject.Contains("complete") && m.TextBody.Contains("60.00"));
        (await host.StockOfAsync(sku)).ShouldBe(10, "grade NEW: both units went back on the shelf once");
    }

    [Fact]
    public async Task Store_credit_is_issued_once_and_is_spendable_at_checkout()
    {
        await using var host = await ReturnsTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 10, price: 20m);
        var customer = ReturnsTestHost.NewCustomer();
        var orderId = await host.DeliveredOrderAsync(customer, sku, 1);
        var code = (await host.SubmitAsync(customer, orderId, sku, 1, preferred: "STORE_CREDIT")).Value.Code;
        await host.ToInspectedAsync(customer, code, grade: "USED");

        await host.DecideAndProcessAsync(code, "STORE_CREDIT");
        await host.RunOutcomeJobAsync();
        await host.SendAsAsync<Result<Application.Outcomes.OutcomeRunReport>>(ReturnsTestHost.Finance, new Application.Outcomes.ExecuteReturnOutcomesCommand(code));

        (await DetailAsync(host, code)).Status.ShouldBe("COMPLETED");
        var balance = await host.SendAsAsync<Result<StoreCreditBalanceDto>>(customer, new GetStoreCreditBalance(customer));
        balance.Value.Balance.ShouldBe(20m, "credited once");
        (await host.StockOfAsync(sku)).ShouldBe(9, "grade USED is not restocked");

        var spent = await host.DeliveredOrderAsync(customer, sku, 1, storeCredit: 20m);
        spent.ShouldNotBe(Guid.Empty);
        (await host.SendAsAsync<Result<StoreCreditBalanceDto>>(customer, new GetStoreCreditBalance(customer))).Value.Balance.ShouldBe(0m);
    }

    [Fact]
    public async Task A_replacement_order_is_created_once_even_when_the_event_is_delivered_twice()
    {
        await using var host = await ReturnsTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 5, price: 15m);
        var customer = ReturnsTestHost.NewCustomer();
        var orderId = await host.DeliveredOrderAsync(customer, sku, 2);
        var code = (await host.SubmitAsync(customer, orderId, sku, 2, preferred: "REPLACEMENT")).Value.Code;
        await host.ToInspectedAsync(customer, code, grade: "DAMAGED");

        await host.DecideAndProcessAsync(code, "REPLACEMENT");
        await host.DeliverAllAsync();
        await host.RedeliverAsync("returns");
        await host.DeliverAllAsync();

        var replacements = await host.QueryAsync(sp => sp.GetRequiredService<IOrderingDbContext>().Orders.Include(o => o.Lines)
            .Where(o => o.CustomerId == customer && o.PaymentMethod == "replacement").ToListAsync());
        var replacement = replacements.ShouldHaveSingleItem();
        replacement.Total.ShouldBe(0m);
        replacement.Lines.Single().Quantity.ShouldBe(2);
        replacement.Status.ToString().ShouldBe("Paid");
        (await host.StockOfAsync(sku)).ShouldBe(1, "5 − 2 bought − 2 reserved for the replacement; DAMAGED returns are not restocked");
        var detail = await DetailAsync(host, code);
        detail.Status.ShouldBe("COMPLETED");
        detail.Outcomes.Single().Reference.ShouldBe(replacement.Number);
        detail.Timeline.Select(t => t.To).ShouldBe(FullWalk.Where(s => s != "VALIDATING"));
    }

    /// <summary>A return decided as a repair and moved to PROCESSING, waiting for the warehouse to ship it back.</summary>
    private static async Task<string> RepairInProcessingAsync(ReturnsTestHost host)
    {
        var sku = await host.CreateProductAsync(stock: 5);
        var customer = ReturnsTestHost.NewCustomer();
        var orderId = await host.DeliveredOrderAsync(customer, sku, 1);
        var code = (await host.SubmitAsync(customer, orderId, sku, 1, preferred: "REPAIR")).Value.Code;
        await host.ToInspectedAsync(customer, code, grade: "DAMAGED");
        await host.DecideAndProcessAsync(code, "REPAIR");
        return code;
    }

    [Fact]
    public async Task Repair_waits_for_the_warehouse_to_ship_it_back()
    {
        await using var host = await ReturnsTestHost.StartAsync();
        var code = await RepairInProcessingAsync(host);
        (await host.RunOutcomeJobAsync()).Completed.ShouldBe(0);

        (await host.SendAsAsync<Result>(ReturnsTestHost.Finance, new Application.Outcomes.RecordRepairShippedCommand(code, "fixed", null))).Error!.Kind.ShouldBe(ErrorKind.Forbidden);
        (await host.SendAsAsync<Result>(ReturnsTestHost.Warehouse, new Application.Outcomes.RecordRepairShippedCommand(code, "fixed, DHL 42", null))).IsSuccess.ShouldBeTrue();

        var detail = await DetailAsync(host, code);
        detail.Status.ShouldBe("COMPLETED");
        detail.Timeline.Count(t => t.From != t.To).ShouldBe(9, "one row per stage change (plus the repair step)");
        detail.Timeline.ShouldContain(t => t.Action == "repair-shipped" && t.Role == "warehouse");
    }

    [Fact]
    public async Task An_admin_without_the_warehouse_role_cannot_ship_a_repair_back_in_the_warehouses_name()
    {
        await using var host = await ReturnsTestHost.StartAsync();
        var code = await RepairInProcessingAsync(host);
        var before = await DetailAsync(host, code);

        var byAdmin = await host.SendAsAsync<Result>("admin-1", new Application.Outcomes.RecordRepairShippedCommand(code, "fixed", null));

        byAdmin.IsSuccess.ShouldBeFalse("admins look at returns but act only through a team role");
        byAdmin.Error!.Kind.ShouldBe(ErrorKind.Forbidden);
        var after = await DetailAsync(host, code);
        after.Status.ShouldBe("PROCESSING");
        after.Version.ShouldBe(before.Version);
        after.Timeline.ShouldNotContain(t => t.Action == "repair-shipped");
    }

    [Fact]
    public async Task An_admin_without_the_finance_role_cannot_run_a_returns_outcomes()
    {
        await using var host = await ReturnsTestHost.StartAsync();
        var code = await RepairInProcessingAsync(host);
        var before = await DetailAsync(host, code);

        var byAdmin = await host.SendAsAsync<Result<Application.Outcomes.OutcomeRunReport>>("admin-1", new Application.Outcomes.ExecuteReturnOutcomesCommand(code));

        byAdmin.IsSuccess.ShouldBeFalse("admins look at returns but act only through a team role");
        byAdmin.Error!.Kind.ShouldBe(ErrorKind.Forbidden);
        byAdmin.Error.Code.ShouldBe("returns.wrong_role");
        (await DetailAsync(host, code)).Version.ShouldBe(before.Version);
    }

    [Fact]
    public async Task Restock_happens_once_per_line_even_if_the_event_is_delivered_twice()
    {
        await using var host = await ReturnsTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 4);
        var customer = ReturnsTestHost.NewCustomer();
        var orderId = await host.DeliveredOrderAsync(customer, sku, 3);
        var code = (await host.SubmitAsync(customer, orderId, sku, 3)).Value.Code;
        await host.ToInspectedAsync(customer, code, grade: "LIKE_NEW");
        await host.DeliverAllAsync();
        await host.RedeliverAsync("returns");

        (await host.StockOfAsync(sku)).ShouldBe(4);
        (await OutboxCountAsync(host, "returns", "returns.restock-requested.v1")).ShouldBe(1);
        (await DetailAsync(host, code)).Lines.ShouldAllBe(l => l.Restocked);
    }

    [Fact]
    public async Task Every_change_publishes_ReturnStatusChanged_and_customers_get_emails_for_theirs()
    {
        await using var host = await ReturnsTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 4);
        var customer = ReturnsTestHost.NewCustomer();
        var orderId = await host.DeliveredOrderAsync(customer, sku, 1);
        var code = (await host.SubmitAsync(customer, orderId, sku, 1)).Value.Code;
        (await host.MoveAsync(ReturnsTestHost.Support, code, "approve")).IsSuccess.ShouldBeTrue();
        (await host.MoveAsync(customer, code, "cancel")).IsSuccess.ShouldBeTrue();
        await host.DeliverAllAsync();

        (await OutboxCountAsync(host, "returns", "returns.return-status-changed.v1")).ShouldBe(3);
        var mine = host.Emails.Sent.Where(m => m.To == ReturnsTestHost.EmailOf(customer)).Select(m => m.Subject).ToList();
        mine.ShouldContain($"We received your return request {code}");
        mine.ShouldContain($"Your return {code} is approved");
        mine.ShouldContain($"Your return {code} is cancelled");
    }

    [Fact]
    public async Task The_overview_counts_equal_the_database()
    {
        await using var host = await ReturnsTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 10, price: 10m);
        var customer = ReturnsTestHost.NewCustomer();
        var orderId = await host.DeliveredOrderAsync(customer, sku, 3);
        var one = (await host.SubmitAsync(customer, orderId, sku, 1)).Value.Code;
        var two = (await host.SubmitAsync(customer, orderId, sku, 1)).Value.Code;
        await host.ToInspectedAsync(customer, one);
        await host.DecideAndProcessAsync(one, "REFUND");
        host.Time.Advance(TimeSpan.FromDays(3));

        var overview = (await host.SendAsAsync<Result<ReturnsOverviewDto>>("admin-1", new GetReturnsOverview())).Value;

        overview.Total.ShouldBe(2);
        overview.ByStatus["COMPLETED"].ShouldBe(1);
        overview.ByStatus["SUBMITTED"].ShouldBe(1);
        overview.CompletedByDisposition["REFUND"].ShouldBe(1);
        overview.RefundedTotal.ShouldBe(10m);
        overview.Queues.Single(q => q.Team == "support").ShouldBe(new ReturnQueueDto("support", 1, 1));
        (await host.SendAsAsync<Result<ReturnsOverviewDto>>(customer, new GetReturnsOverview())).Error!.Kind.ShouldBe(ErrorKind.Forbidden);
        two.ShouldNotBe(one);
    }

    private static async Task<ReturnDetailDto> DetailAsync(ReturnsTestHost host, string code) =>
        (await host.SendAsAsync<Result<ReturnDetailDto>>(ReturnsTestHost.Support, new GetReturnQuery(code))).Value;

    private static Task<int> OutboxCountAsync(ReturnsTestHost host, string module, string type) =>
        host.QueryAsync(sp => sp.GetRequiredKeyedService<ModuleDbContext>(module).OutboxMessages.CountAsync(m => m.Type == type));
}
