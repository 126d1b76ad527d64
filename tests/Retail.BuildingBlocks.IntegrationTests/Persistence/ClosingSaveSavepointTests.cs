using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.IntegrationTests.Support;

namespace Retail.BuildingBlocks.IntegrationTests.Persistence;

/// <summary>
/// EF sets a savepoint around every save inside a transaction (a SAVEPOINT and a RELEASE each), so that a failed save
/// leaves the transaction usable. A save whose failure ends the transaction anyway does without: the unit of work's
/// closing save, and an inbox delivery's (the delivery has its own savepoint). A save made inside the work still gets one.
/// </summary>
public sealed class ClosingSaveSavepointTests
{
    [Fact]
    public async Task The_unit_of_works_closing_save_sets_no_savepoint_but_a_save_inside_the_work_still_does()
    {
        var savepoints = new SavepointCounter();
        await using var host = await SqliteModuleHost.StartAsync(services => services.AddSingleton<IInterceptor>(savepoints));
        await using var scope = host.CreateScope();
        var unitOfWork = scope.ServiceProvider.GetRequiredKeyedService<IUnitOfWork>(TestModule.Name);
        var db = scope.ServiceProvider.GetRequiredService<TestModuleDbContext>();

        await unitOfWork.ExecuteAsync(() =>
        {
            db.Widgets.Add(new Widget { Id = Guid.NewGuid(), Name = "Closing save only" });
            db.Publish(host.NewWidgetCreated("Closing save only"));
            return Task.FromResult(true);
        }, _ => true, CancellationToken.None);
        savepoints.Count.ShouldBe(0);

        await unitOfWork.ExecuteAsync(async () =>
        {
            db.Widgets.Add(new Widget { Id = Guid.NewGuid(), Name = "Saved inside" });
            await db.SaveChangesAsync();
            db.Widgets.Add(new Widget { Id = Guid.NewGuid(), Name = "Saved at the close" });
            return true;
        }, _ => true, CancellationToken.None);
        savepoints.Count.ShouldBe(1, "the save inside the work keeps EF's savepoint; the closing save sets none");
        db.Database.AutoSavepointsEnabled.ShouldBeTrue("the context's setting is restored after the closing save");

        (await host.WithContextAsync(d => d.Widgets.CountAsync())).ShouldBe(3);
        (await host.OutboxRowsAsync()).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task A_relay_pass_sets_one_savepoint_per_delivery_its_own_and_none_for_the_deliveries_saves()
    {
        var savepoints = new SavepointCounter();
        await using var host = await SqliteModuleHost.StartAsync(services =>
        {
            SqliteModuleHost.TwoSubscribers(services);
            services.AddSingleton<IInterceptor>(savepoints);
        });
        await host.PublishAsync([.. Enumerable.Range(0, 3).Select(i => host.NewWidgetCreated($"w{i}", TimeSpan.FromMilliseconds(i)))]);

        (await host.RelayAsync()).ShouldBe(3);

        savepoints.Count.ShouldBe(6, "three events for two subscribers, delivered in one transaction, a savepoint each");
        (await host.EffectsAsync()).Count.ShouldBe(6);
        (await host.InboxAsync()).Count.ShouldBe(6);
    }

    private sealed class SavepointCounter : DbTransactionInterceptor
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public override InterceptionResult CreatingSavepoint(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
        {
            Interlocked.Increment(ref _count);
            return result;
        }

        public override ValueTask<InterceptionResult> CreatingSavepointAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _count);
            return ValueTask.FromResult(result);
        }
    }
}
