using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.Modules.FlashSales.Application;
using Retail.Modules.FlashSales.Application.Abstractions;
using Retail.Modules.FlashSales.Application.Sales;
using Retail.Modules.Ordering.IntegrationTests;
using Retail.Testing;

namespace Retail.Modules.FlashSales.IntegrationTests;

/// <summary>
/// Two admins save sales of one product for overlapping windows at once: exactly one is saved, the other gets the 409
/// overlap answer. The check and the write must be one transaction; checked first and written later, both passed.
/// </summary>
public sealed class FlashSaleOverlapRaceTests
{
    [Fact]
    public async Task Two_overlapping_sales_saved_at_once_one_is_saved_and_the_other_refused_as_overlapping()
    {
        var race = new AfterFirstReadOf("flashsales_Sales");
        await using var host = await OrderingTestHost.StartAsync(configure: services => services.AddSingleton<IInterceptor>(race));
        var sku = await host.CreateProductAsync(stock: 10, price: 20m);
        var now = host.Time.GetUtcNow();

        // The second save starts right after the first one has looked for overlapping sales, and goes on until it has
        // committed or is about to begin its own transaction (where SQLite's single writer makes it wait for the first).
        Task<Result<Guid>>? secondSave = null;
        var secondAtItsTransaction = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        race.Competitor = async () =>
        {
            secondSave = CreateAsync(host, "Second", sku, now.AddMinutes(30), now.AddHours(2), arm: null, beforeTransaction: () => secondAtItsTransaction.TrySetResult());
            await Task.WhenAny(secondSave, secondAtItsTransaction.Task);
        };

        var first = await CreateAsync(host, "First", sku, now, now.AddHours(1), arm: race, beforeTransaction: null);
        var second = await secondSave.ShouldNotBeNull();

        race.Fired.ShouldBe(1);
        new[] { first.IsSuccess, second.IsSuccess }.Count(saved => saved).ShouldBe(1, "both overlapping sales were saved");
        var refused = first.IsSuccess ? second : first;
        refused.Error!.Code.ShouldBe("flash.sale_overlap");
        refused.Error.Kind.ShouldBe(ErrorKind.Conflict);
        (await host.SendAsAsync<Result<PagedResult<FlashSaleSummaryDto>>>(FlashTestSupport.Admin, new GetFlashSalesQuery())).Value.TotalCount.ShouldBe(1);
    }

    /// <summary>The create handler in a scope of its own (its own DbContext on the one SQLite file), as the mediator runs it.</summary>
    private static async Task<Result<Guid>> CreateAsync(
        OrderingTestHost host, string name, string sku, DateTimeOffset startsAt, DateTimeOffset endsAt, AfterFirstReadOf? arm, Action? beforeTransaction)
    {
        await using var scope = host.Services.CreateAsyncScope();
        if (arm is not null)
        {
            arm.Armed = scope.ServiceProvider.GetRequiredKeyedService<ModuleDbContext>(FlashSalesModule.Name);
        }

        var unitOfWork = new SignallingUnitOfWork(scope.ServiceProvider.GetRequiredService<IFlashSalesUnitOfWork>(), beforeTransaction);
        var handler = ActivatorUtilities.CreateInstance<CreateFlashSaleCommandHandler>(scope.ServiceProvider, unitOfWork);
        return await handler.Handle(new CreateFlashSaleCommand(name, startsAt, endsAt, [new FlashSaleItemInput(sku, 10m, null, 5, 1)]), CancellationToken.None);
    }

    /// <summary>Tells the test when the handler is about to begin its transaction.</summary>
    private sealed class SignallingUnitOfWork(IFlashSalesUnitOfWork inner, Action? beforeTransaction) : IFlashSalesUnitOfWork
    {
        public Task<TResult> ExecuteAsync<TResult>(Func<Task<TResult>> operation, Func<TResult, bool> shouldCommit, CancellationToken cancellationToken)
        {
            beforeTransaction?.Invoke();
            return inner.ExecuteAsync(operation, shouldCommit, cancellationToken);
        }
    }
}
