using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Infrastructure.Observability;
using Retail.BuildingBlocks.Infrastructure.Outbox;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.BuildingBlocks.IntegrationTests.Support;
using Retail.Testing;

namespace Retail.BuildingBlocks.IntegrationTests.Outbox;

/// <summary>The figures the readiness check and the dashboard show for a module's outbox, from its real rows.</summary>
public sealed class OutboxStatisticsTests
{
    [Fact]
    public async Task Backlog_dead_letters_and_the_oldest_pending_event_are_counted_without_reading_the_processed_events()
    {
        var plans = new QueryPlanLog();
        await using var host = await SqliteModuleHost.StartAsync(
            services =>
            {
                services.AddIntegrationEventHandler<WidgetCreated, FailingWidgetHandler>();
                services.AddSingleton<IInterceptor>(plans);
            },
            o => o.MaxAttempts = 1);
        host.Failures.FailAlways("poison");
        var statistics = new OutboxStatistics(host.Services, host.Services.GetServices<ModuleDatabase>());

        (await statistics.GetAsync()).ShouldHaveSingleItem().ShouldBe(new ModuleOutboxStatistics(TestModule.Name, true, true, 0, 0, null));

        await host.PublishAsync(host.NewWidgetCreated("delivered"), host.NewWidgetCreated("poison"));
        (await host.RelayAsync()).ShouldBe(1);
        var waiting = host.NewWidgetCreated("waiting", TimeSpan.FromMinutes(1));
        await host.PublishAsync(waiting, host.NewWidgetCreated("later", TimeSpan.FromMinutes(2)));

        var recorded = plans.Record();
        var module = (await statistics.GetAsync()).ShouldHaveSingleItem();

        module.ShouldBe(new ModuleOutboxStatistics(TestModule.Name, true, true, Backlog: 2, DeadLetters: 1, OldestPendingAt: waiting.OccurredAt));
        recorded.Count.ShouldBe(3);
        recorded.ShouldAllBe(p => p.Steps.Any(s => s.Contains("USING INDEX IX_testing_OutboxMessages_ProcessedAt_OccurredAt (ProcessedAt=?)")));
    }
}
