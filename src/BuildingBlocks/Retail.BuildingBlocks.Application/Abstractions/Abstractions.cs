using Retail.BuildingBlocks.Contracts;

namespace Retail.BuildingBlocks.Application.Abstractions;

/// <summary>Who is making the current request (a person via cookie or bearer token, or nobody).</summary>
public interface ICurrentUser
{
    bool IsAuthenticated { get; }

    /// <summary>The Identity user id; null when anonymous.</summary>
    string? UserId { get; }

    string? UserName { get; }

    bool IsInRole(string role);
}

/// <summary>A module's persistence seen from its Application layer: its own tables plus its outbox.</summary>
public interface IModuleDbContext
{
    /// <summary>Writes the event to this module's outbox; it is stored in the same transaction as the other changes.</summary>
    void Publish(IIntegrationEvent integrationEvent);
}

/// <summary>One transaction over a module's database context; the unit-of-work behavior drives it for every command.</summary>
public interface IUnitOfWork
{
    Task<TResult> ExecuteAsync<TResult>(Func<Task<TResult>> operation, Func<TResult, bool> shouldCommit, CancellationToken cancellationToken);
}

/// <summary>Handles one integration event type inside the subscribing module; the inbox guarantees once-per-handler.</summary>
public interface IIntegrationEventHandler<in TEvent>
    where TEvent : IIntegrationEvent
{
    Task Handle(TEvent integrationEvent, CancellationToken cancellationToken);
}
