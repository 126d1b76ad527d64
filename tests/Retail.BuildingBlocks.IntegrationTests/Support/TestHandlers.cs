using System.Collections.Concurrent;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Infrastructure.Outbox;

namespace Retail.BuildingBlocks.IntegrationTests.Support;

/// <summary>Counts handler invocations (including ones that threw or rolled back), per handler. One per test host.</summary>
internal sealed class HandlerLog
{
    private readonly ConcurrentDictionary<string, int> _invocations = new(StringComparer.Ordinal);

    public void Record(string handler) => _invocations.AddOrUpdate(handler, 1, (_, n) => n + 1);

    public int Invocations(string handler) => _invocations.GetValueOrDefault(handler);

    /// <summary>The event instances each handler was given, in order (to see what the relay decoded once and shared).</summary>
    public ConcurrentQueue<(string Handler, object Event)> Received { get; } = new();

    public void Record(string handler, object integrationEvent)
    {
        Record(handler);
        Received.Enqueue((handler, integrationEvent));
    }
}

/// <summary>Makes <see cref="FailingWidgetHandler"/> throw for chosen widget names: always, a number of times, or as a timeout.</summary>
internal sealed class FailureSwitch
{
    private const int Always = -1;
    private readonly ConcurrentDictionary<string, int> _remaining = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _timeouts = new(StringComparer.Ordinal);

    public void FailAlways(string widgetName) => _remaining[widgetName] = Always;

    public void FailTimes(string widgetName, int times) => _remaining[widgetName] = times;

    /// <summary>The handler's own call times out, the way an HttpClient call does (TaskCanceledException).</summary>
    public void TimeOutAlways(string widgetName) => _timeouts[widgetName] = true;

    public bool ShouldTimeOut(string widgetName) => _timeouts.ContainsKey(widgetName);

    public bool ShouldFail(string widgetName)
    {
        while (_remaining.TryGetValue(widgetName, out var left))
        {
            if (left == Always)
            {
                return true;
            }

            if (left == 0)
            {
                return false;
            }

            if (_remaining.TryUpdate(widgetName, left - 1, left))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>Records nudges; optionally runs a probe at nudge time (to see what the relay would see then).</summary>
internal sealed class RecordingOutboxNudge : IOutboxNudge
{
    private readonly ConcurrentQueue<string> _modules = new();

    public Action<string>? OnNudge { get; set; }

    public IReadOnlyList<string> Modules => [.. _modules];

    public void Nudge(string module)
    {
        _modules.Enqueue(module);
        OnNudge?.Invoke(module);
    }
}

/// <summary>Subscriber one: keeps a projection of widgets.</summary>
internal sealed class ProjectionWidgetHandler(TestModuleDbContext db, HandlerLog log) : IIntegrationEventHandler<WidgetCreated>
{
    public const string Name = "projection";

    public Task Handle(WidgetCreated integrationEvent, CancellationToken cancellationToken)
    {
        log.Record(Name, integrationEvent);
        db.HandlerEffects.Add(new HandlerEffect { EventId = integrationEvent.EventId, Handler = Name, Name = integrationEvent.Name });
        return Task.CompletedTask;
    }
}

/// <summary>Subscriber two: writes an audit entry.</summary>
internal sealed class AuditWidgetHandler(TestModuleDbContext db, HandlerLog log) : IIntegrationEventHandler<WidgetCreated>
{
    public const string Name = "audit";

    public Task Handle(WidgetCreated integrationEvent, CancellationToken cancellationToken)
    {
        log.Record(Name, integrationEvent);
        db.HandlerEffects.Add(new HandlerEffect { EventId = integrationEvent.EventId, Handler = Name, Name = integrationEvent.Name });
        return Task.CompletedTask;
    }
}

/// <summary>A subscriber that writes its effect and then throws for the names the <see cref="FailureSwitch"/> says.</summary>
internal sealed class FailingWidgetHandler(TestModuleDbContext db, HandlerLog log, FailureSwitch failures) : IIntegrationEventHandler<WidgetCreated>
{
    public const string Name = "failing";

    public Task Handle(WidgetCreated integrationEvent, CancellationToken cancellationToken)
    {
        log.Record(Name);
        // Written before the throw: the subscriber's transaction must roll it back.
        db.HandlerEffects.Add(new HandlerEffect { EventId = integrationEvent.EventId, Handler = Name, Name = integrationEvent.Name });
        if (failures.ShouldTimeOut(integrationEvent.Name))
        {
            throw new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout of 100 seconds elapsing.");
        }

        if (failures.ShouldFail(integrationEvent.Name))
        {
            throw new InvalidOperationException($"Subscriber refused widget '{integrationEvent.Name}'.");
        }

        return Task.CompletedTask;
    }
}

internal sealed class GadgetRenamedHandler(TestModuleDbContext db, HandlerLog log) : IIntegrationEventHandler<GadgetRenamedV1>
{
    public const string Name = "gadget-renamed";

    public Task Handle(GadgetRenamedV1 integrationEvent, CancellationToken cancellationToken)
    {
        log.Record(Name);
        db.HandlerEffects.Add(new HandlerEffect { EventId = integrationEvent.EventId, Handler = Name, Name = integrationEvent.Name });
        return Task.CompletedTask;
    }
}
