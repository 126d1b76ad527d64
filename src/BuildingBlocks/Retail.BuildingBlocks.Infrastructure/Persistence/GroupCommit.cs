using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Infrastructure.Outbox;

namespace Retail.BuildingBlocks.Infrastructure.Persistence;

public static class GroupCommitRegistration
{
    /// <summary>Registers the module's <see cref="IGroupCommit{TContext}"/> over its context (one loop per module).</summary>
    public static IServiceCollection AddGroupCommit<TService, TContext>(this IServiceCollection services)
        where TService : IModuleDbContext
        where TContext : ModuleDbContext, TService =>
        services.AddSingleton<IGroupCommit<TService>, GroupCommit<TService, TContext>>();
}

/// <summary>
/// <see cref="IGroupCommit{TContext}"/> for one module: callers queue their changes, one loop applies everything queued
/// to a fresh context in one transaction and completes every caller when it commits. While a transaction commits the
/// next callers queue, so the batch grows with the load and the commits per second stay what the database can flush,
/// not one per caller. A batch that fails is retried one caller at a time in fresh contexts, so a caller sees exactly
/// the outcome its own changes would have had alone.
/// </summary>
internal sealed partial class GroupCommit<TService, TContext>(IServiceScopeFactory scopes, IOutboxNudge nudge, ILogger<GroupCommit<TService, TContext>> logger)
    : IGroupCommit<TService>, IAsyncDisposable, IDisposable
    where TService : IModuleDbContext
    where TContext : ModuleDbContext, TService
{
    /// <summary>At most this many callers per transaction, so one commit stays short for the writers queued behind it.</summary>
    internal const int MaxBatch = 200;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _start = new();
    private Task? _loop;

    public async Task CommitAsync(Func<TService, CancellationToken, Task> changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var pending = new Pending(changes);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(GetType().Name, "The application is stopping.");
        }

        EnsureStarted();
        // A caller that stops waiting does not withdraw its changes: they may still commit, as a sent request may.
        await pending.Committed.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Stops taking changes and commits what is queued.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_loop is { } loop)
        {
            await loop;
        }
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _loop?.GetAwaiter().GetResult();
    }

    private void EnsureStarted()
    {
        if (_loop is not null)
        {
            return;
        }

        lock (_start)
        {
            _loop ??= Task.Run(RunAsync);
        }
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            await CommitBatchAsync(batch);
            batch.Clear();
        }
    }

    private async Task CommitBatchAsync(List<Pending> batch)
    {
        try
        {
            await CommitTogetherAsync(batch);
            foreach (var pending in batch)
            {
                pending.Committed.TrySetResult();
            }

            return;
        }
        catch (Exception ex) when (batch.Count > 1)
        {
            LogBatchFailed(logger, ex, batch.Count, typeof(TContext).Name);
        }
        catch (Exception ex)
        {
            batch[0].Committed.TrySetException(ex);
            return;
        }

        foreach (var pending in batch)
        {
            try
            {
                await CommitTogetherAsync([pending]);
                pending.Committed.TrySetResult();
            }
            catch (Exception ex)
            {
                pending.Committed.TrySetException(ex);
            }
        }
    }

    private async Task CommitTogetherAsync(IReadOnlyList<Pending> batch)
    {
        await using var scope = scopes.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<TContext>();
        var strategy = context.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async ct =>
        {
            // A retried attempt starts clean: what the failed one tracked was never committed.
            context.ChangeTracker.Clear();
            context.WroteOutbox = false;
            await using var transaction = await context.Database.BeginTransactionAsync(ct);
            foreach (var pending in batch)
            {
                await pending.Changes(context, ct);
            }

            await context.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }, CancellationToken.None);

        if (context.WroteOutbox)
        {
            nudge.Nudge(context.Schema);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A group commit of {Count} writers to {Context} failed; committing them one by one")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count, string context);

    private sealed class Pending(Func<TService, CancellationToken, Task> changes)
    {
        public Func<TService, CancellationToken, Task> Changes { get; } = changes;

        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
