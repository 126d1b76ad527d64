using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.IntegrationTests.Support;

namespace Retail.BuildingBlocks.IntegrationTests.Outbox;

/// <summary>"Event written in the same transaction": the change and its outbox row commit together or not at all.</summary>
public sealed class UnitOfWorkOutboxTests
{
    [Fact]
    public async Task Commit_stores_the_change_and_the_outbox_row_together_and_then_nudges_the_module()
    {
        await using var host = await SqliteModuleHost.StartAsync();
        var outboxRowsSeenByNudge = new List<int>();
        host.Nudges.OnNudge = _ => outboxRowsSeenByNudge.Add(CountOutboxRowsFromAnotherConnection(host));
        var widgetId = Guid.NewGuid();
        var created = host.NewWidgetCreated("Sprocket");

        var result = await RunInUnitOfWorkAsync(host, db =>
        {
            db.Widgets.Add(new Widget { Id = widgetId, Name = "Sprocket" });
            db.Publish(created);
            return "done";
        }, shouldCommit: true);

        result.ShouldBe("done");
        (await host.WithContextAsync(db => db.Widgets.AsNoTracking().SingleAsync())).Id.ShouldBe(widgetId);
        var row = (await host.OutboxRowsAsync()).ShouldHaveSingleItem();
        row.Id.ShouldBe(created.EventId);
        row.Type.ShouldBe("testing.widget-created.v1");
        row.OccurredAt.ShouldBe(created.OccurredAt);
        row.ProcessedAt.ShouldBeNull();
        row.Attempts.ShouldBe(0);
        row.LockedBy.ShouldBeNull();
        row.DeadLetteredAt.ShouldBeNull();
        using (var payload = JsonDocument.Parse(row.Payload))
        {
            payload.RootElement.GetProperty("eventId").GetGuid().ShouldBe(created.EventId);
            payload.RootElement.GetProperty("occurredAt").GetDateTimeOffset().ShouldBe(created.OccurredAt);
            payload.RootElement.GetProperty("name").GetString().ShouldBe("Sprocket");
        }

        row.Payload.ShouldNotContain(nameof(WidgetCreated), Case.Sensitive, "the wire format carries the stable name in Type, never CLR names");
        host.Nudges.Modules.ShouldBe([TestModule.Name]);
        outboxRowsSeenByNudge.ShouldBe([1], "the nudge must come after the commit, or the relay it wakes finds nothing");
    }

    [Fact]
    public async Task A_result_that_says_do_not_commit_leaves_neither_the_change_nor_the_outbox_row_and_does_not_nudge()
    {
        await using var host = await SqliteModuleHost.StartAsync();

        var result = await RunInUnitOfWorkAsync(host, db =>
        {
            db.Widgets.Add(new Widget { Id = Guid.NewGuid(), Name = "Rejected" });
            db.Publish(host.NewWidgetCreated("Rejected"));
            return "failed result";
        }, shouldCommit: false);

        result.ShouldBe("failed result");
        (await host.WithContextAsync(db => db.Widgets.CountAsync())).ShouldBe(0);
        (await host.OutboxRowsAsync()).ShouldBeEmpty();
        host.Nudges.Modules.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_operation_that_throws_leaves_neither_the_change_nor_the_outbox_row_and_does_not_nudge()
    {
        await using var host = await SqliteModuleHost.StartAsync();

        await Should.ThrowAsync<InvalidOperationException>(() => RunInUnitOfWorkAsync<string>(host, db =>
        {
            db.Widgets.Add(new Widget { Id = Guid.NewGuid(), Name = "Exploding" });
            db.Publish(host.NewWidgetCreated("Exploding"));
            throw new InvalidOperationException("broken invariant");
        }, shouldCommit: true));

        (await host.WithContextAsync(db => db.Widgets.CountAsync())).ShouldBe(0);
        (await host.OutboxRowsAsync()).ShouldBeEmpty();
        host.Nudges.Modules.ShouldBeEmpty();
    }

    [Fact]
    public async Task Work_that_threw_is_not_committed_later_by_the_next_unit_of_work_in_the_same_scope()
    {
        // A job that loops over items in one scope and catches per-item failures must not commit a failed item's leftovers.
        await using var host = await SqliteModuleHost.StartAsync();
        var good = host.NewWidgetCreated("Good");
        await using var scope = host.CreateScope();
        var unitOfWork = scope.ServiceProvider.GetRequiredKeyedService<IUnitOfWork>(TestModule.Name);
        var db = scope.ServiceProvider.GetRequiredService<TestModuleDbContext>();

        await Should.ThrowAsync<InvalidOperationException>(() => unitOfWork.ExecuteAsync<string>(() =>
        {
            db.Widgets.Add(new Widget { Id = Guid.NewGuid(), Name = "Bad" });
            db.Publish(host.NewWidgetCreated("Bad"));
            throw new InvalidOperationException("item failed");
        }, _ => true, CancellationToken.None));
        await unitOfWork.ExecuteAsync(() =>
        {
            db.Widgets.Add(new Widget { Id = Guid.NewGuid(), Name = "Good" });
            db.Publish(good);
            return Task.FromResult(true);
        }, _ => true, CancellationToken.None);

        (await host.WithContextAsync(d => d.Widgets.Select(w => w.Name).ToListAsync())).ShouldBe(["Good"]);
        (await host.OutboxRowsAsync()).ShouldHaveSingleItem().Id.ShouldBe(good.EventId);
        host.Nudges.Modules.ShouldBe([TestModule.Name]);
    }

    [Fact]
    public async Task Domain_events_that_matter_to_other_modules_become_outbox_rows_in_the_same_save_and_are_cleared()
    {
        await using var host = await SqliteModuleHost.StartAsync();
        var gadget = Gadget.Create(Guid.NewGuid(), "Old name");
        var renamedAt = host.Time.GetUtcNow();
        gadget.Rename("New name", renamedAt);
        gadget.Polish(renamedAt);

        await RunInUnitOfWorkAsync(host, db =>
        {
            db.Gadgets.Add(gadget);
            return true;
        }, shouldCommit: true);

        gadget.DomainEvents.ShouldBeEmpty();
        (await host.WithContextAsync(db => db.Gadgets.AsNoTracking().SingleAsync())).Name.ShouldBe("New name");
        var row = (await host.OutboxRowsAsync()).ShouldHaveSingleItem("only the rename is mapped to an integration event");
        row.Type.ShouldBe("testing.gadget-renamed.v1");
        row.OccurredAt.ShouldBe(renamedAt);
        using (var payload = JsonDocument.Parse(row.Payload))
        {
            payload.RootElement.GetProperty("gadgetId").GetGuid().ShouldBe(gadget.Id);
            payload.RootElement.GetProperty("name").GetString().ShouldBe("New name");
        }

        host.Nudges.Modules.ShouldBe([TestModule.Name], "outbox rows written by SaveChanges nudge the relay too");

        // Saving again publishes nothing more: the events were cleared, not left to be published twice.
        await RunInUnitOfWorkAsync(host, db =>
        {
            db.Gadgets.Attach(gadget);
            return true;
        }, shouldCommit: true);
        (await host.OutboxRowsAsync()).Count.ShouldBe(1);
    }

    private static async Task<T> RunInUnitOfWorkAsync<T>(SqliteModuleHost host, Func<TestModuleDbContext, T> operation, bool shouldCommit)
    {
        await using var scope = host.CreateScope();
        var unitOfWork = scope.ServiceProvider.GetRequiredKeyedService<IUnitOfWork>(TestModule.Name);
        var db = scope.ServiceProvider.GetRequiredService<TestModuleDbContext>();
        return await unitOfWork.ExecuteAsync(() => Task.FromResult(operation(db)), _ => shouldCommit, CancellationToken.None);
    }

    private static int CountOutboxRowsFromAnotherConnection(SqliteModuleHost host)
    {
        using var scope = host.Services.CreateScope();
        return scope.ServiceProvider.GetRequiredService<TestModuleDbContext>().OutboxMessages.Count();
    }
}
