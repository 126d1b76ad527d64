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

/// <summary>
/// Commits small, independent writes of concurrent requests together: one transaction (one log flush) for everything
/// that queued while the previous one committed, instead of one each. For hot paths whose writes are few rows and must
/// be durable before the answer (the partner API's audit row, a received webhook). Each caller's changes still commit
/// or fail on their own: when a shared transaction fails, its writes are retried one caller at a time, so one bad write
/// (a duplicate key) fails only its caller.
/// </summary>
public interface IGroupCommit<TContext>
    where TContext : IModuleDbContext
{
    /// <summary>
    /// Applies <paramref name="changes"/> to a context shared with other callers and returns once they are committed;
    /// throws what committing them threw. The changes may be applied more than once (the shared transaction failed, a
    /// retry): they add or change entities and build nothing the caller relies on being applied once, and they create any
    /// entity whose key the database generates themselves (a failed attempt may already have given it one).
    /// </summary>
    Task CommitAsync(Func<TContext, CancellationToken, Task> changes, CancellationToken cancellationToken);
}

/// <summary>Handles one integration event type inside the subscribing module; the inbox guarantees once-per-handler.</summary>
public interface IIntegrationEventHandler<in TEvent>
    where TEvent : IIntegrationEvent
{
    Task Handle(TEvent integrationEvent, CancellationToken cancellationToken);
}
