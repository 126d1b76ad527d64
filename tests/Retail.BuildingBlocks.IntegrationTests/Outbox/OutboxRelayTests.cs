using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Infrastructure.Outbox;
using Retail.BuildingBlocks.IntegrationTests.Support;

namespace Retail.BuildingBlocks.IntegrationTests.Outbox;

/// <summary>
/// "Delivered once to each subscriber even when the relay runs twice concurrently or crashes after delivery,
/// dead-lettered after bounded retries." Every check counts rows in the subscriber's database.
/// </summary>
public sealed class OutboxRelayTests
{
    [Fact]
    public async Task Relay_delivers_each_event_once_to_each_subscriber_and_marks_it_processed()
    {
        await using var host = await SqliteModuleHost.StartAsync(SqliteModuleHost.TwoSubscribers);
        var events = Enumerable.Range(0, 3).Select(i => host.NewWidgetCreated($"w{i}", TimeSpan.FromMilliseconds(i))).ToArray();
        await host.PublishAsync(events);

        (await host.RelayAsync()).ShouldBe(3);

        foreach (var row in await host.OutboxRowsAsync())
        {
            row.ProcessedAt.ShouldBe(SqliteModuleHost.Start);
            row.LockedUntil.ShouldBeNull();
            row.Attempts.ShouldBe(0);
            row.DeadLetteredAt.ShouldBeNull();
        }

        var effects = await host.EffectsAsync();
        ShouldBeExactlyOncePerEvent(effects, ProjectionWidgetHandler.Name, events);
        ShouldBeExactlyOncePerEvent(effects, AuditWidgetHandler.Name, events);
        effects.Single(e => e.EventId == events[1].EventId && e.Handler == AuditWidgetHandler.Name).Name.ShouldBe("w1", "the payload reached the handler");

        var inbox = await host.InboxAsync();
        inbox.Count.ShouldBe(6);
        inbox.GroupBy(m => m.EventId).ShouldAllBe(g => g.Count() == 2);
        inbox.Select(m => m.Handler).Distinct().Count().ShouldBe(2);
        inbox.ShouldAllBe(m => m.Type == "testing.widget-created.v1");

        // A second pass finds nothing to do.
        (await host.RelayAsync()).ShouldBe(0);
        (await host.EffectsAsync()).Count.ShouldBe(6);
        host.Log.Invocations(ProjectionWidgetHandler.Name).ShouldBe(3);
        host.Log.Invocations(AuditWidgetHandler.Name).ShouldBe(3);
    }

    [Fact]
    public async Task An_event_with_several_subscribers_is_read_from_its_row_once_and_each_gets_the_same_instance()
    {
        await using var host = await SqliteModuleHost.StartAsync(SqliteModuleHost.TwoSubscribers);
        var events = Enumerable.Range(0, 2).Select(i => host.NewWidgetCreated($"shared{i}", TimeSpan.FromMilliseconds(i))).ToArray();
        await host.PublishAsync(events);

        (await host.RelayAsync()).ShouldBe(2);

        var received = host.Log.Received.ToList();
        received.Count.ShouldBe(4);
        foreach (var published in events)
        {
            var instances = received.Select(r => r.Event).OfType<WidgetCreated>().Where(e => e.EventId == published.EventId).ToList();
            instances.Count.ShouldBe(2, "both subscribers got the event");
            instances[0].ShouldBeSameAs(instances[1], "decoded once for the pass, not once per subscriber");
            instances[0].ShouldBe(published, "and it is the event as published");
        }

        received.Select(r => r.Event).Distinct(ReferenceEqualityComparer.Instance).Count().ShouldBe(2, "one instance per row");
    }

    [Fact]
    public async Task Two_relays_running_at_the_same_time_deliver_every_event_exactly_once_to_each_subscriber()
    {
        const int count = 200;
        // Small batches so the two relays keep competing for rows for the whole run.
        await using var host = await SqliteModuleHost.StartAsync(SqliteModuleHost.TwoSubscribers, o => o.BatchSize = 10);
        var events = Enumerable.Range(0, count).Select(i => host.NewWidgetCreated($"w{i}", TimeSpan.FromMilliseconds(i))).ToArray();
        await host.PublishAsync(events);

        // Two relay instances, as in two app instances (or the sweep and the nudge) over the same database.
        var first = host.Services.GetRequiredService<OutboxRelay>();
        var second = ActivatorUtilities.CreateInstance<OutboxRelay>(host.Services);
        var delivered = await Task.WhenAll(
            Task.Run(() => first.RunAsync(TestModule.Name)),
            Task.Run(() => second.RunAsync(TestModule.Name)));

        delivered.Sum().ShouldBe(count, "a row claimed by one relay must not be delivered by the other as well");
        var effects = await host.EffectsAsync();
        ShouldBeExactlyOncePerEvent(effects, ProjectionWidgetHandler.Name, events);
        ShouldBeExactlyOncePerEvent(effects, AuditWidgetHandler.Name, events);
        (await host.InboxAsync()).Count.ShouldBe(2 * count);
        (await host.OutboxRowsAsync()).ShouldAllBe(m => m.ProcessedAt != null && m.DeadLetteredAt == null);
        host.Log.Invocations(ProjectionWidgetHandler.Name).ShouldBe(count);
        host.Log.Invocations(AuditWidgetHandler.Name).ShouldBe(count);
    }

    [Fact]
    public async Task A_relay_that_crashed_after_delivering_but_before_marking_the_row_causes_no_second_handling()
    {
        await using var host = await SqliteModuleHost.StartAsync(SqliteModuleHost.TwoSubscribers);
        var created = host.NewWidgetCreated("Once");
        await host.PublishAsync(created);
        (await host.RelayAsync()).ShouldBe(1);

        // The crash: subscribers committed, but the relay died before its "processed" update; its claim has expired.
        await host.WithContextAsync(db => db.OutboxMessages.ExecuteUpdateAsync(s => s
            .SetProperty(m => m.ProcessedAt, (DateTimeOffset?)null)
            .SetProperty(m => m.LockedBy, Guid.NewGuid())
            .SetProperty(m => m.LockedUntil, SqliteModuleHost.Start - TimeSpan.FromSeconds(1))));
        host.Time.Advance(TimeSpan.FromMinutes(1));

        (await host.RelayAsync()).ShouldBe(1, "the row is delivered again...");

        host.Log.Invocations(ProjectionWidgetHandler.Name).ShouldBe(1, "...but the inbox stops the handlers");
        host.Log.Invocations(AuditWidgetHandler.Name).ShouldBe(1);
        var effects = await host.EffectsAsync();
        ShouldBeExactlyOncePerEvent(effects, ProjectionWidgetHandler.Name, [created]);
        ShouldBeExactlyOncePerEvent(effects, AuditWidgetHandler.Name, [created]);
        (await host.InboxAsync()).Count.ShouldBe(2);
        (await host.OutboxRowAsync(created.EventId)).ProcessedAt.ShouldBe(SqliteModuleHost.Start + TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task A_row_claimed_by_a_relay_that_died_waits_until_the_claim_expires()
    {
        await using var host = await SqliteModuleHost.StartAsync(SqliteModuleHost.TwoSubscribers, o => o.ClaimDuration = TimeSpan.FromSeconds(30));
        var created = host.NewWidgetCreated("Claimed");
        await host.PublishAsync(created);
        var lockedUntil = SqliteModuleHost.Start + TimeSpan.FromSeconds(30);
        await host.WithContextAsync(db => db.OutboxMessages.ExecuteUpdateAsync(s => s
            .SetProperty(m => m.LockedBy, Guid.NewGuid())
            .SetProperty(m => m.LockedUntil, lockedUntil)));

        (await host.RelayAsync()).ShouldBe(0);
        host.Time.Advance(TimeSpan.FromSeconds(30));
        (await host.RelayAsync()).ShouldBe(0, "the claim still holds at LockedUntil itself");
        host.Log.Invocations(ProjectionWidgetHandler.Name).ShouldBe(0);
        (await host.EffectsAsync()).ShouldBeEmpty();

        host.Time.Advance(TimeSpan.FromMilliseconds(1));
        (await host.RelayAsync()).ShouldBe(1);

        var effects = await host.EffectsAsync();
        ShouldBeExactlyOncePerEvent(effects, ProjectionWidgetHandler.Name, [created]);
        ShouldBeExactlyOncePerEvent(effects, AuditWidgetHandler.Name, [created]);
        var row = await host.OutboxRowAsync(created.EventId);
        row.ProcessedAt.ShouldBe(lockedUntil + TimeSpan.FromMilliseconds(1));
        row.LockedUntil.ShouldBeNull();
    }

    [Fact]
    public async Task A_failing_subscriber_is_retried_with_backoff_then_dead_lettered_while_the_healthy_one_handles_the_event_once()
    {
        await using var host = await SqliteModuleHost.StartAsync(
            services =>
            {
                // The failing subscriber is registered first: its failure must not keep the event from the healthy one.
                services.AddIntegrationEventHandler<WidgetCreated, FailingWidgetHandler>();
                services.AddIntegrationEventHandler<WidgetCreated, ProjectionWidgetHandler>();
            },
            o =>
            {
                o.MaxAttempts = 3;
                o.RetryBaseDelay = TimeSpan.FromSeconds(2);
            });
        host.Failures.FailAlways("poison");
        var poison = host.NewWidgetCreated("poison");
        await host.PublishAsync(poison);
        var t0 = SqliteModuleHost.Start;

        // Attempt 1.
        (await host.RelayAsync()).ShouldBe(0);
        var row = await host.OutboxRowAsync(poison.EventId);
        row.Attempts.ShouldBe(1);
        row.LastError.ShouldBe("InvalidOperationException: Subscriber refused widget 'poison'.");
        row.NextAttemptAt.ShouldBe(t0 + TimeSpan.FromSeconds(2));
        row.LockedUntil.ShouldBeNull();
        row.ProcessedAt.ShouldBeNull();
        row.DeadLetteredAt.ShouldBeNull();

        // Not before the backoff has passed.
        (await host.RelayAsync()).ShouldBe(0);
        host.Time.Advance(TimeSpan.FromSeconds(2) - TimeSpan.FromMilliseconds(1));
        (await host.RelayAsync()).ShouldBe(0);
        host.Log.Invocations(FailingWidgetHandler.Name).ShouldBe(1);

        // Attempt 2, then the backoff doubles.
        host.Time.Advance(TimeSpan.FromMilliseconds(1));
        (await host.RelayAsync()).ShouldBe(0);
        row = await host.OutboxRowAsync(poison.EventId);
        row.Attempts.ShouldBe(2);
        row.NextAttemptAt.ShouldBe(t0 + TimeSpan.FromSeconds(2 + 4));
        row.DeadLetteredAt.ShouldBeNull();
        host.Time.Advance(TimeSpan.FromSeconds(4) - TimeSpan.FromMilliseconds(1));
        (await host.RelayAsync()).ShouldBe(0);
        host.Log.Invocations(FailingWidgetHandler.Name).ShouldBe(2);

        // Attempt 3 = MaxAttempts: dead-lettered.
        host.Time.Advance(TimeSpan.FromMilliseconds(1));
        (await host.RelayAsync()).ShouldBe(0);
        row = await host.OutboxRowAsync(poison.EventId);
        row.Attempts.ShouldBe(3);
        row.DeadLetteredAt.ShouldBe(t0 + TimeSpan.FromSeconds(6));
        row.ProcessedAt.ShouldBeNull();
        row.LastError.ShouldNotBeNullOrEmpty();

        // Never picked again, however long we wait.
        host.Time.Advance(TimeSpan.FromDays(1));
        (await host.RelayAsync()).ShouldBe(0);
        (await host.OutboxRowAsync(poison.EventId)).Attempts.ShouldBe(3);
        host.Log.Invocations(FailingWidgetHandler.Name).ShouldBe(3);

        // The healthy subscriber handled it exactly once despite three deliveries; the failing one's writes rolled back.
        host.Log.Invocations(ProjectionWidgetHandler.Name).ShouldBe(1);
        var effects = await host.EffectsAsync();
        ShouldBeExactlyOncePerEvent(effects, ProjectionWidgetHandler.Name, [poison]);
        effects.ShouldNotContain(e => e.Handler == FailingWidgetHandler.Name);
        (await host.InboxAsync()).ShouldHaveSingleItem().Handler.ShouldEndWith(nameof(ProjectionWidgetHandler));
    }

    [Fact]
    public async Task A_subscriber_that_fails_a_few_times_then_recovers_gets_the_event_once_and_the_row_is_processed()
    {
        await using var host = await SqliteModuleHost.StartAsync(
            services =>
            {
                services.AddIntegrationEventHandler<WidgetCreated, ProjectionWidgetHandler>();
                services.AddIntegrationEventHandler<WidgetCreated, FailingWidgetHandler>();
            },
            o =>
            {
                o.MaxAttempts = 3;
                o.RetryBaseDelay = TimeSpan.FromSeconds(2);
            });
        host.Failures.FailTimes("flaky", 2);
        var flaky = host.NewWidgetCreated("flaky");
        await host.PublishAsync(flaky);

        (await host.RelayAsync()).ShouldBe(0);
        host.Time.Advance(TimeSpan.FromSeconds(2));
        (await host.RelayAsync()).ShouldBe(0);
        host.Time.Advance(TimeSpan.FromSeconds(4));
        (await host.RelayAsync()).ShouldBe(1);

        var row = await host.OutboxRowAsync(flaky.EventId);
        row.ProcessedAt.ShouldBe(SqliteModuleHost.Start + TimeSpan.FromSeconds(6));
        row.DeadLetteredAt.ShouldBeNull();
        var effects = await host.EffectsAsync();
        ShouldBeExactlyOncePerEvent(effects, ProjectionWidgetHandler.Name, [flaky]);
        ShouldBeExactlyOncePerEvent(effects, FailingWidgetHandler.Name, [flaky]);
        host.Log.Invocations(ProjectionWidgetHandler.Name).ShouldBe(1);
        host.Log.Invocations(FailingWidgetHandler.Name).ShouldBe(3);
    }

    [Fact]
    public async Task A_failing_row_does_not_hold_up_the_rows_behind_it()
    {
        await using var host = await SqliteModuleHost.StartAsync(
            services =>
            {
                services.AddIntegrationEventHandler<WidgetCreated, ProjectionWidgetHandler>();
                services.AddIntegrationEventHandler<WidgetCreated, FailingWidgetHandler>();
            },
            o => o.BatchSize = 2);
        host.Failures.FailAlways("poison");
        var poison = host.NewWidgetCreated("poison");
        var healthy = Enumerable.Range(1, 4).Select(i => host.NewWidgetCreated($"ok{i}", TimeSpan.FromMilliseconds(i))).ToArray();
        await host.PublishAsync([poison, .. healthy]);

        (await host.RelayAsync()).ShouldBe(4);

        (await host.OutboxRowsAsync()).Where(m => m.Id != poison.EventId).ShouldAllBe(m => m.ProcessedAt != null);
        (await host.OutboxRowAsync(poison.EventId)).Attempts.ShouldBe(1);
        ShouldBeExactlyOncePerEvent(await host.EffectsAsync(), FailingWidgetHandler.Name, healthy);
    }

    [Fact]
    public async Task A_subscriber_whose_own_call_times_out_counts_as_a_failed_attempt_and_is_dead_lettered_in_the_end()
    {
        // A TaskCanceledException from the handler (HttpClient timeout) is not the relay being stopped: it must neither
        // abort the pass (leaving the batch claimed) nor escape the bounded retries.
        await using var host = await SqliteModuleHost.StartAsync(
            services => services.AddIntegrationEventHandler<WidgetCreated, FailingWidgetHandler>(),
            o =>
            {
                o.MaxAttempts = 2;
                o.RetryBaseDelay = TimeSpan.FromSeconds(2);
            });
        host.Failures.TimeOutAlways("slow");
        var slow = host.NewWidgetCreated("slow");
        var next = host.NewWidgetCreated("next", TimeSpan.FromMilliseconds(1));
        await host.PublishAsync(slow, next);

        (await host.RelayAsync()).ShouldBe(1);
        (await host.OutboxRowAsync(next.EventId)).ProcessedAt.ShouldNotBeNull();
        var row = await host.OutboxRowAsync(slow.EventId);
        row.Attempts.ShouldBe(1);
        row.LastError.ShouldNotBeNull().ShouldStartWith("TaskCanceledException: ");
        row.LockedUntil.ShouldBeNull();

        host.Time.Advance(TimeSpan.FromSeconds(2));
        (await host.RelayAsync()).ShouldBe(0);
        (await host.OutboxRowAsync(slow.EventId)).DeadLetteredAt.ShouldBe(SqliteModuleHost.Start + TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task An_event_nobody_subscribes_to_is_marked_processed()
    {
        await using var host = await SqliteModuleHost.StartAsync(SqliteModuleHost.TwoSubscribers);
        var archived = new WidgetArchived(Guid.NewGuid(), host.Time.GetUtcNow());
        await host.PublishAsync(archived);

        (await host.RelayAsync()).ShouldBe(1);

        var row = await host.OutboxRowAsync(archived.EventId);
        row.Type.ShouldBe("testing.widget-archived.v1");
        row.ProcessedAt.ShouldBe(SqliteModuleHost.Start);
        row.Attempts.ShouldBe(0);
        (await host.InboxAsync()).ShouldBeEmpty();
        (await host.EffectsAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Events_raised_by_an_aggregate_travel_from_the_outbox_to_their_subscriber()
    {
        await using var host = await SqliteModuleHost.StartAsync(s => s.AddIntegrationEventHandler<GadgetRenamedV1, GadgetRenamedHandler>());
        await host.WithContextAsync(async db =>
        {
            var gadget = Gadget.Create(Guid.NewGuid(), "Old");
            gadget.Rename("Shiny", host.Time.GetUtcNow());
            db.Gadgets.Add(gadget);
            return await db.SaveChangesAsync();
        });

        (await host.RelayAsync()).ShouldBe(1);

        (await host.EffectsAsync()).ShouldHaveSingleItem().Name.ShouldBe("Shiny");
    }

    [Fact]
    public async Task Events_claimed_together_reach_a_subscriber_in_one_transaction_and_a_failing_one_rolls_back_alone()
    {
        await using var host = await SqliteModuleHost.StartAsync(services =>
        {
            services.AddSingleton<TransactionLog>();
            services.AddIntegrationEventHandler<WidgetCreated, TransactionRecordingHandler>();
            services.AddIntegrationEventHandler<WidgetCreated, FailingWidgetHandler>();
        });
        host.Failures.FailAlways("poison");
        var healthy = Enumerable.Range(1, 3).Select(i => host.NewWidgetCreated($"ok{i}", TimeSpan.FromMilliseconds(i * 2))).ToArray();
        var poison = host.NewWidgetCreated("poison", TimeSpan.FromMilliseconds(3)); // between ok1 and ok2
        await host.PublishAsync([.. healthy, poison]);

        (await host.RelayAsync()).ShouldBe(3);

        var transactions = host.Services.GetRequiredService<TransactionLog>();
        transactions.Ids.Count.ShouldBe(4);
        transactions.Ids.Distinct().Count().ShouldBe(1, "the four events reach the subscriber in one transaction");
        host.Log.Invocations(FailingWidgetHandler.Name).ShouldBe(4, "the poison's failure re-runs none of its neighbours");
        var effects = await host.EffectsAsync();
        ShouldBeExactlyOncePerEvent(effects, FailingWidgetHandler.Name, healthy);
        ShouldBeExactlyOncePerEvent(effects, TransactionRecordingHandler.Name, [.. healthy, poison]);
        (await host.OutboxRowAsync(poison.EventId)).Attempts.ShouldBe(1);
        (await host.OutboxRowsAsync()).Where(m => m.Id != poison.EventId).ShouldAllBe(m => m.ProcessedAt != null);
    }

    [Fact]
    public async Task When_the_shared_subscriber_transaction_fails_to_commit_each_event_is_delivered_alone_exactly_once()
    {
        var commitFault = new FailFirstBatchCommit();
        await using var host = await SqliteModuleHost.StartAsync(services =>
        {
            services.AddSingleton<IInterceptor>(commitFault);
            services.AddSingleton<TransactionLog>();
            services.AddIntegrationEventHandler<WidgetCreated, TransactionRecordingHandler>();
            services.AddIntegrationEventHandler<WidgetCreated, ProjectionWidgetHandler>();
        });
        var events = Enumerable.Range(1, 4).Select(i => host.NewWidgetCreated($"w{i}", TimeSpan.FromMilliseconds(i))).ToArray();
        await host.PublishAsync(events);

        (await host.RelayAsync()).ShouldBe(4);

        commitFault.Failed.ShouldBe(1, "the shared transaction's commit failed once");
        var transactions = host.Services.GetRequiredService<TransactionLog>().Ids;
        transactions.Count.ShouldBe(8, "four handled in the failed shared transaction, then each again on its own");
        transactions.Take(4).Distinct().Count().ShouldBe(1);
        transactions.Skip(4).Distinct().Count().ShouldBe(4, "after the failure each event is delivered in a transaction of its own");
        var effects = await host.EffectsAsync();
        ShouldBeExactlyOncePerEvent(effects, TransactionRecordingHandler.Name, events);
        ShouldBeExactlyOncePerEvent(effects, ProjectionWidgetHandler.Name, events);
        (await host.InboxAsync()).Count.ShouldBe(8, "one inbox row per event and handler: nothing of the failed transaction was kept");
        (await host.OutboxRowsAsync()).ShouldAllBe(m => m.ProcessedAt != null && m.Attempts == 0 && m.DeadLetteredAt == null);
    }

    /// <summary>Fails the commit of the first transaction that used savepoints (the relay's shared subscriber transaction).</summary>
    private sealed class FailFirstBatchCommit : DbTransactionInterceptor
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, bool> _withSavepoints = new();
        private int _failed;

        public int Failed => Volatile.Read(ref _failed);

        public override ValueTask<InterceptionResult> CreatingSavepointAsync(System.Data.Common.DbTransaction transaction, TransactionEventData eventData,
            InterceptionResult result, CancellationToken cancellationToken = default)
        {
            _withSavepoints[eventData.TransactionId] = true;
            return base.CreatingSavepointAsync(transaction, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult> TransactionCommittingAsync(System.Data.Common.DbTransaction transaction, TransactionEventData eventData,
            InterceptionResult result, CancellationToken cancellationToken = default)
        {
            if (_withSavepoints.ContainsKey(eventData.TransactionId) && Interlocked.CompareExchange(ref _failed, 1, 0) == 0)
            {
                throw new InvalidOperationException("Injected: the shared subscriber transaction could not commit (disk full, lost connection)");
            }

            return base.TransactionCommittingAsync(transaction, eventData, result, cancellationToken);
        }
    }

    private sealed class TransactionLog
    {
        public System.Collections.Concurrent.ConcurrentQueue<Guid> Ids { get; } = new();
    }

    /// <summary>Records the subscriber transaction each event was handled in.</summary>
    private sealed class TransactionRecordingHandler(TestModuleDbContext db, TransactionLog transactions) : Application.Abstractions.IIntegrationEventHandler<WidgetCreated>
    {
        public const string Name = "recording";

        public Task Handle(WidgetCreated integrationEvent, CancellationToken cancellationToken)
        {
            transactions.Ids.Enqueue(db.Database.CurrentTransaction!.TransactionId);
            db.HandlerEffects.Add(new HandlerEffect { EventId = integrationEvent.EventId, Handler = Name, Name = integrationEvent.Name });
            return Task.CompletedTask;
        }
    }

    private static void ShouldBeExactlyOncePerEvent(IEnumerable<HandlerEffect> effects, string handler, IReadOnlyCollection<WidgetCreated> events)
    {
        var ids = effects.Where(e => e.Handler == handler).Select(e => e.EventId).ToList();
        ids.Count.ShouldBe(events.Count, $"{handler} should have one effect per event");
        ids.Order().ShouldBe(events.Select(e => e.EventId).Order(), $"{handler} should have handled each event exactly once");
    }
}
