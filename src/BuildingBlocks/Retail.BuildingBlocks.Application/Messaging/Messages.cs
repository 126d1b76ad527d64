namespace Retail.BuildingBlocks.Application.Messaging;

// Our own message and handler interfaces over the source-generated Mediator, so the library stays replaceable:
// modules implement these, never Mediator's interfaces directly (an architecture test enforces it).

/// <summary>Marker for state-changing requests; the unit-of-work behavior wraps these in one transaction.</summary>
public interface ICommandBase;

/// <summary>A command with no payload on success.</summary>
public interface ICommand : Mediator.ICommand<Result>, ICommandBase;

/// <summary>A command that returns a value on success.</summary>
public interface ICommand<TValue> : Mediator.ICommand<Result<TValue>>, ICommandBase;

/// <summary>A read-only request.</summary>
public interface IQuery<TValue> : Mediator.IQuery<Result<TValue>>;

public interface ICommandHandler<in TCommand> : Mediator.ICommandHandler<TCommand, Result>
    where TCommand : ICommand;

public interface ICommandHandler<in TCommand, TValue> : Mediator.ICommandHandler<TCommand, Result<TValue>>
    where TCommand : ICommand<TValue>;

public interface IQueryHandler<in TQuery, TValue> : Mediator.IQueryHandler<TQuery, Result<TValue>>
    where TQuery : IQuery<TValue>;

/// <summary>What pages and endpoints use to send requests; a thin facade over Mediator's <c>ISender</c>.</summary>
public interface IRequestSender
{
    ValueTask<Result> Send(ICommand command, CancellationToken cancellationToken = default);

    ValueTask<Result<TValue>> Send<TValue>(ICommand<TValue> command, CancellationToken cancellationToken = default);

    ValueTask<Result<TValue>> Send<TValue>(IQuery<TValue> query, CancellationToken cancellationToken = default);
}

internal sealed class MediatorRequestSender(Mediator.ISender sender) : IRequestSender
{
    public ValueTask<Result> Send(ICommand command, CancellationToken cancellationToken = default) =>
        sender.Send(command, cancellationToken);

    public ValueTask<Result<TValue>> Send<TValue>(ICommand<TValue> command, CancellationToken cancellationToken = default) =>
        sender.Send(command, cancellationToken);

    public ValueTask<Result<TValue>> Send<TValue>(IQuery<TValue> query, CancellationToken cancellationToken = default) =>
        sender.Send(query, cancellationToken);
}

/// <summary>
/// A command whose handler saves by itself instead of inside the unit-of-work transaction, because part of a failed
/// outcome must still be stored (e.g. a failed sign-in counts towards lockout). Use sparingly.
/// </summary>
public interface IOwnsTransaction;
