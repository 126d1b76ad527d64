using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.Modules.Returns.Application.Abstractions;
using Retail.Modules.Returns.Application.Returns;
using Retail.Modules.Returns.Application.Returns.Details;
using Retail.Modules.Returns.Application.Returns.GetEligibility;
using Retail.Modules.Returns.Application.Returns.Transition;
using Retail.Modules.Returns.Domain.Returns;

namespace Retail.Modules.Returns.IntegrationTests;

/// <summary>SPEC R1/R2 against the real database: eligibility, concurrency, audit and access.</summary>
public sealed class ReturnWorkflowTests
{
    [Fact]
    public async Task Returns_learn_purchases_from_ordering_events_and_explain_eligibility_line_by_line()
    {
        await using var host = await ReturnsTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 10, price: 25m);
        var customer = ReturnsTestHost.NewCustomer();
        var orderId = await host.DeliveredOrderAsync(customer, sku, 3);

        var eligibility = await host.SendAsAsync<Result<ReturnEligibilityDto>>(customer, new GetReturnEligibilityQuery(orderId));

        eligibility.Value.Eligible.ShouldBeTrue();
        eligibility.Value.WindowClosesAt.ShouldBe(host.Time.GetUtcNow().AddDays(30));
        var line = eligibility.Value.Lines.Single();
        (line.Sku, line.Bought, line.Returnable, line.UnitPrice).ShouldBe((sku, 3, 3, 25m));
        (await host.SendAsAsync<Result<ReturnEligibilityDto>>(ReturnsTestHost.NewCustomer(), new GetReturnEligibilityQuery(orderId)))
            .Error!.Kind.ShouldBe(ErrorKind.NotFound, "another customer's order is not found");

        host.Time.Advance(TimeSpan.FromDays(31));
        var late = await host.SubmitAsync(customer, orderId, sku, 1);
        late.Error!.Code.ShouldBe("returns.not_eligible");
        late.Error.Message.ShouldContain("return window");
    }

    [Fact]
    public async Task Twenty_parallel_requests_for_the_same_line_never_exceed_the_bought_quantity()
    {
        await using var host = await ReturnsTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 10);
        var customer = ReturnsTestHost.NewCustomer();
        var orderId = await host.DeliveredOrderAsync(customer, sku, 3);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => host.SubmitAsync(customer, orderId, sku, 1))));

        results.Count(r => r.IsSuccess).ShouldBe(3);
        results.Where(r => !r.IsSuccess).ShouldAllBe(r => r.Error!.Kind == ErrorKind.Conflict || r.Error.Kind == ErrorKind.Unprocessable);
        var taken = await host.QueryAsync(sp => sp.GetRequiredService<IReturnsDbContext>().PurchasedLines.Where(l => l.OrderId == orderId).Select(l => l.Taken).SingleAsync());
        taken.ShouldBe(3);
        var units = await host.QueryAsync(sp => sp.GetRequiredService<IReturnsDbContext>().Returns.Where(r => r.OrderId == orderId).SelectMany(r => r.Lines).SumAsync(l => l.Quantity));
        units.ShouldBe(3);
        results.Where(r => r.IsSuccess).Select(r => r.Value.Code).Distinct().Count().ShouldBe(3, "every return has its own code");
    }

    [Fact]
    public async Task Cancelling_gives_the_quantity_back_and_a_rejected_return_too()
    {
        await using var host = await ReturnsTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 10);
        var customer = ReturnsTestHost.NewCustomer();
        var orderId = await host.DeliveredOrderAsync(customer, sku, 2);
        var first = (await host.SubmitAsync(customer, orderId, sku, 2)).Value;
        (await host.SubmitAsync(customer, orderId, sku, 1)).Error!.Message.ShouldContain("already returned or in a return");

        (await host.MoveAsync(customer, first.Code, "cancel")).Value.Status.ShouldBe("CANCELLED");
        var second = (await host.SubmitAsync(customer, orderId, sku, 2)).Value;
        (await host.MoveAsync(ReturnsTestHost.Support, second.Code, "reject")).Error!.Kind.ShouldBe(ErrorKind.Validation, "a rejection needs a reason");
        (await host.MoveAsync(ReturnsTestHost.Support, second.Code, "reject", new TransitionInputDto(Reason: "outside policy"))).Value.Status.ShouldBe("REJECTED");

        (await host.SubmitAsync(customer, orderId, sku, 2)).IsSuccess.ShouldBeTrue();
    }

    [Fact]
    public async Task Two_staff_acting_at_once_exactly_one_wins_and_the_other_is_told_to_reload()
    {
        await using var host = await ReturnsTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 10);
        var customer = ReturnsTestHost.NewCustomer();
        var orderId = await host.DeliveredOrderAsync(customer, sku, 1);
        var created = (await host.SubmitAsync(customer, orderId, sku, 1)).Value;
        var seen = (await host.SendAsAsync<Result<ReturnDetailDto>>(ReturnsTestHost.Support, new GetReturnQuery(created.Code))).Value.Version;

        var results = await Task.WhenAll(
            Task.Run(() => host.MoveAsync(ReturnsTestHost.Support, created.Code, "approve", version: seen)),
            Task.Run(() => host.MoveAsync("support-2", created.Code, "reject", new TransitionInputDto(Reason: "duplicate"), version: seen)));

        results.Count(r => r.IsSuccess).ShouldBe(1);
        var loser = results.Single(r => !r.IsSuccess).Error!;
        loser.Kind.ShouldBe(ErrorKind.Conflict);
        loser.Message.ShouldContain("reload");
        var entity = await host.QueryAsync(sp => sp.GetRequiredService<IReturnsDbContext>().Returns.Include(r => r.Audit).SingleAsync(r => r.Code == created.Code));
        entity.Audit.Count.ShouldBe(2, "submission plus the one winning change; no lost update");
        entity.Status.ToCode().ShouldBe(results.Single(r => r.IsSuccess).Value.Status);
    }

    [Fact]
    public async Task Illegal_moves_wrong_roles_and_strangers_are_refused_and_change_nothing()
    {
        await using var host = await ReturnsTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 10);
        var customer = ReturnsTestHost.NewCustomer();
        var orderId = await host.DeliveredOrderAsync(customer, sku, 1);
        var code = (await host.SubmitAsync(customer, orderId, sku, 1)).Value.Code;

        var illegal = await host.MoveAsync(ReturnsTestHost.Warehouse, code, "receive");
        illegal.Error!.Kind.ShouldBe(ErrorKind.Conflict);
        illegal.Error.Message.ShouldBe("A return that is SUBMITTED cannot be received; 'receive' is only possible from SHIPPING.");
        (await host.MoveAsync(ReturnsTestHost.Warehouse, code, "approve")).Error!.Kind.ShouldBe(ErrorKind.Forbidden);
        (await host.MoveAsync(customer, code, "approve")).Error!.Kind.ShouldBe(ErrorKind.Forbidden, "customers cannot approve their own return");
        var stranger = ReturnsTestHost.NewCustomer();
        (await host.MoveAsync(stranger, code, "cancel")).Error!.Kind.ShouldBe(ErrorKind.NotFound);
        (await host.SendAsAsync<Result<ReturnDetailDto>>(stranger, new GetReturnQuery(code))).Error!.Kind.ShouldBe(ErrorKind.NotFound);

        var entity = await host.QueryAsync(sp => sp.GetRequiredService<IReturnsDbContext>().Returns.Include(r => r.Audit).SingleAsync(r => r.Code == code));
        entity.Status.ShouldBe(ReturnStatus.Submitted);
        entity.Version.ShouldBe(1);
        entity.Audit.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Null_entries_in_the_items_or_dispositions_lists_are_a_400_not_a_crash()
    {
        await using var host = await ReturnsTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 10);
        var customer = ReturnsTestHost.NewCustomer();
        var orderId = await host.DeliveredOrderAsync(customer, sku, 1);

        var submitted = await host.SendAsAsync<Result<Application.Returns.Submit.SubmittedReturnDto>>(customer,
            new Application.Returns.Submit.SubmitReturnCommand(orderId, [null!], "DEFECTIVE", null, "REFUND"));

        submitted.Error!.Kind.ShouldBe(ErrorKind.Validation);
        var code = (await host.SubmitAsync(customer, orderId, sku, 1)).Value.Code;
        await host.ToInspectedAsync(customer, code);
        var decided = await host.MoveAsync(ReturnsTestHost.Support, code, "decide", new TransitionInputDto(Dispositions: [null!]));
        decided.Error!.Kind.ShouldBe(ErrorKind.Validation);
        var entity = await host.QueryAsync(sp => sp.GetRequiredService<IReturnsDbContext>().Returns.SingleAsync(r => r.Code == code));
        entity.Status.ShouldBe(ReturnStatus.Inspected);
    }

    [Fact]
    public async Task Admins_may_look_at_any_return_but_act_only_through_a_team_role()
    {
        await using var host = await ReturnsTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 10);
        var customer = ReturnsTestHost.NewCustomer();
        var orderId = await host.DeliveredOrderAsync(customer, sku, 1);
        var code = (await host.SubmitAsync(customer, orderId, sku, 1)).Value.Code;

        var seen = await host.SendAsAsync<Result<ReturnDetailDto>>("admin-1", new GetReturnQuery(code));
        var acted = await host.MoveAsync("admin-1", code, "approve");

        seen.Value.Actions.ShouldBeEmpty();
        acted.Error!.Kind.ShouldBe(ErrorKind.Forbidden);
        (await host.SendAsAsync<Result<ReturnDetailDto>>(ReturnsTestHost.Support, new GetReturnQuery(code))).Value.Status.ShouldBe("SUBMITTED");
    }

    [Fact]
    public async Task Staff_work_their_own_return_only_as_its_customer_never_as_the_team_that_approves_or_refunds_it()
    {
        await using var host = await ReturnsTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 10, price: 40m);
        const string agent = "support-77";
        const string clerk = "finance-77";
        var agentOrder = await host.DeliveredOrderAsync(agent, sku, 1);
        var clerkOrder = await host.DeliveredOrderAsync(clerk, sku, 1);
        var agentsReturn = (await host.SubmitAsync(agent, agentOrder, sku, 1)).Value.Code;
        var clerksReturn = (await host.SubmitAsync(clerk, clerkOrder, sku, 1)).Value.Code;

        var selfApproved = await host.MoveAsync(agent, agentsReturn, "approve");
        var ownView = (await host.SendAsAsync<Result<ReturnDetailDto>>(agent, new GetReturnQuery(agentsReturn))).Value;

        selfApproved.IsSuccess.ShouldBeFalse("a support agent cannot approve their own return");
        selfApproved.Error!.Code.ShouldBe("returns.own_return");
        ownView.Status.ShouldBe("SUBMITTED");
        ownView.Actions.ShouldAllBe(a => a.Role == "customer", "their own return offers them only the customer's buttons");
        ownView.Actions.Select(a => a.Action).ShouldBe(["cancel"]);

        await host.ToInspectedAsync(clerk, clerksReturn);
        var detail = (await host.SendAsAsync<Result<ReturnDetailDto>>(ReturnsTestHost.Support, new GetReturnQuery(clerksReturn))).Value;
        var refund = new TransitionInputDto(Dispositions: [.. detail.Lines.Select(l => new LineDispositionInput(l.Id, "REFUND", null))]);
        (await host.MoveAsync(clerk, clerksReturn, "decide", refund)).Error!.Kind.ShouldBe(ErrorKind.Forbidden, "finance cannot decide their own refund");
        (await host.MoveAsync(ReturnsTestHost.Finance, clerksReturn, "decide", refund)).IsSuccess.ShouldBeTrue();
        (await host.MoveAsync(clerk, clerksReturn, "process")).Error!.Kind.ShouldBe(ErrorKind.Forbidden, "finance cannot pay out their own refund");
        (await host.MoveAsync(ReturnsTestHost.Finance, clerksReturn, "process")).IsSuccess.ShouldBeTrue();
        var ran = await host.SendAsAsync<Result<Application.Outcomes.OutcomeRunReport>>(clerk, new Application.Outcomes.ExecuteReturnOutcomesCommand(clerksReturn));
        ran.Error!.Kind.ShouldBe(ErrorKind.Forbidden, "nor run its outcomes");

        var audit = await host.QueryAsync(sp => sp.GetRequiredService<IReturnsDbContext>().AuditEntries.Where(a => a.Actor == ReturnsTestHost.EmailOf(clerk) || a.Actor == ReturnsTestHost.EmailOf(agent)).ToListAsync());
        audit.ShouldAllBe(a => a.Role == "customer", "every step they took on their own returns was as its customer");
    }

    [Fact]
    public async Task Audit_rows_are_append_only_in_the_database()
    {
        await using var host = await ReturnsTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 10);
        var customer = ReturnsTestHost.NewCustomer();
        var orderId = await host.DeliveredOrderAsync(customer, sku, 1);
        var code = (await host.SubmitAsync(customer, orderId, sku, 1)).Value.Code;

        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IReturnsDbContext>();
        var row = await db.AuditEntries.SingleAsync();
        db.AuditEntries.Remove(row);
        await Should.ThrowAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        row.Actor.ShouldBe(ReturnsTestHost.EmailOf(customer));
        row.Role.ShouldBe("customer");
        row.To.ShouldBe(ReturnStatus.Submitted);
    }
}
