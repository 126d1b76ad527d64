using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Contracts;
using Retail.BuildingBlocks.Domain;

// Deliberately good and bad types for ConventionSelfTests. They live in the test assembly, which no rule scans.
namespace Retail.ArchitectureTests.Fixtures;

public sealed record FixtureCommand : ICommand;

public sealed record FixtureValueCommand : ICommand<int>;

public sealed record FixtureQuery : IQuery<int>;

public sealed record OtherFixtureCommand : ICommand;

public sealed record FixtureRequest : Mediator.IRequest<int>;

public sealed class DirectMediatorHandler : Mediator.IRequestHandler<FixtureRequest, int>
{
    public ValueTask<int> Handle(FixtureRequest request, CancellationToken cancellationToken) => ValueTask.FromResult(1);
}

public sealed class DirectMediatorCommandHandler : Mediator.ICommandHandler<FixtureCommand, Result>
{
    public ValueTask<Result> Handle(FixtureCommand command, CancellationToken cancellationToken) => ValueTask.FromResult(Result.Success());
}

public sealed class HalfWrappedHandler : ICommandHandler<FixtureCommand>, Mediator.ICommandHandler<OtherFixtureCommand, Result>
{
    public ValueTask<Result> Handle(FixtureCommand command, CancellationToken cancellationToken) => ValueTask.FromResult(Result.Success());

    public ValueTask<Result> Handle(OtherFixtureCommand command, CancellationToken cancellationToken) => ValueTask.FromResult(Result.Success());
}

public sealed class WrappedCommandHandler : ICommandHandler<FixtureCommand>
{
    public ValueTask<Result> Handle(FixtureCommand command, CancellationToken cancellationToken) => ValueTask.FromResult(Result.Success());
}

public sealed class WrappedValueHandler : ICommandHandler<FixtureValueCommand, int>
{
    public ValueTask<Result<int>> Handle(FixtureValueCommand command, CancellationToken cancellationToken) => ValueTask.FromResult(Result.Success(1));
}

public sealed class WrappedQueryHandler : IQueryHandler<FixtureQuery, int>
{
    public ValueTask<Result<int>> Handle(FixtureQuery query, CancellationToken cancellationToken) => ValueTask.FromResult(Result.Success(1));
}

public class UnsealedHandler : ICommandHandler<FixtureCommand>
{
    public ValueTask<Result> Handle(FixtureCommand command, CancellationToken cancellationToken) => ValueTask.FromResult(Result.Success());
}

public sealed class DirectBehavior<TMessage, TResponse> : Mediator.IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, Mediator.IMessage
{
    public ValueTask<TResponse> Handle(TMessage message, Mediator.MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken) =>
        next(message, cancellationToken);
}

public sealed class MutableEntity : Entity<Guid>
{
    public string Name { get; set; } = "";
}

public sealed class InitEntity : Entity<Guid>
{
    public string Name { get; init; } = "";
}

public sealed class FieldEntity : Entity<Guid>
{
#pragma warning disable CA1051 // the point of the fixture
    public string Name = "";
#pragma warning restore CA1051
}

public sealed class GoodEntity : Entity<Guid>
{
    public const int MaxLength = 10;

    public static readonly int Default = 1;

    public string Name { get; private set; } = "";

    public void Rename(string name) => Name = name;
}

public sealed class NotAnEntity
{
    public string Name { get; set; } = "";
}

[IntegrationEventName("fixture.good.v1")]
public sealed record GoodEvent(Guid EventId, DateTimeOffset OccurredAt) : IntegrationEvent(EventId, OccurredAt);

[IntegrationEventName("fixture.good.v1")]
public sealed record DuplicateNameEvent(Guid EventId, DateTimeOffset OccurredAt) : IntegrationEvent(EventId, OccurredAt);

[IntegrationEventName("fixture.unsealed.v1")]
public record UnsealedEvent(Guid EventId, DateTimeOffset OccurredAt) : IntegrationEvent(EventId, OccurredAt);

[IntegrationEventName("fixture.class.v1")]
public sealed class ClassEvent : IIntegrationEvent
{
    public Guid EventId { get; init; }

    public DateTimeOffset OccurredAt { get; init; }
}

public sealed record UnnamedEvent(Guid EventId, DateTimeOffset OccurredAt) : IntegrationEvent(EventId, OccurredAt);
